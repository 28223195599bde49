//! `github`: GitHub Actions workflow commands, one annotation per finding,
//! and the Markdown step summary that lists every finding.
//!
//! Escaping follows the Actions toolkit (`@actions/core` `command.ts`): in the
//! message `%`, CR and LF are percent-encoded; in properties `:` and `,` too.
//! Other control characters are shown as `\x1b`-style text, since the runner
//! would pass them to the log viewer raw. GitHub shows only the first few
//! annotations of a step, so the caller also appends [`step_summary`] to the
//! file named by `$GITHUB_STEP_SUMMARY`; this module does no I/O of its own.

use std::fmt::Write as _;
use std::io::Write;

use super::{escape_controls, is_unsafe_char, summary_line};
use crate::diagnostic::{Diagnostic, Report, Severity};

pub(super) fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for d in &report.diagnostics {
        writeln!(out, "{}", command(d))?;
    }
    Ok(())
}

/// One `::error file=…::message` line.
fn command(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let loc = &d.location;
    let title = format!("action-lint ({})", d.rule);
    let mut message = d.message.to_string();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(&d.path),
        loc.start.line,
        loc.start.column,
        loc.end.line,
        loc.end.column,
        escape_property(&title),
        escape_data(&message)
    )
}

/// Show control characters other than CR/LF as text, keeping CR/LF for the
/// percent-encoding that follows (GitHub turns `%0A` back into a line break).
fn defang(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\r' | '\n') || !is_unsafe_char(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            out.push_str(&escape_controls(c.encode_utf8(&mut buf)));
        }
    }
    out
}

/// `escapeData` of the Actions toolkit.
fn escape_data(s: &str) -> String {
    defang(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `escapeProperty` of the Actions toolkit.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A Markdown report of every finding for `$GITHUB_STEP_SUMMARY`: a heading,
/// the summary line and, when there are findings, a table
/// `| Severity | Rule | Location | Message |`.
pub fn step_summary(report: &Report) -> String {
    let mut md = String::from("### action-lint\n\n");
    md.push_str(&summary_line(report));
    md.push('\n');
    if report.diagnostics.is_empty() {
        return md;
    }
    md.push_str("\n| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n");
    for d in &report.diagnostics {
        let rule = match crate::rules::find(d.rule) {
            Some(meta) => format!("[`{}`]({})", d.rule, meta.help_uri()),
            None => format!("`{}`", d.rule),
        };
        let location = format!(
            "{}:{}:{}",
            d.path, d.location.start.line, d.location.start.column
        );
        let mut message = d.message.to_string();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            d.severity.as_str(),
            rule,
            cell(&location),
            cell(&message)
        );
    }
    md
}

/// Make text safe inside a GFM table cell: no line breaks (`<br>`), `|`
/// escaped, HTML special characters as entities (GitHub renders inline HTML),
/// Markdown punctuation escaped so a name cannot turn into a link or markup,
/// and control characters shown as text.
fn cell(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("<br>"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if is_unsafe_char(c) => {
                let mut buf = [0u8; 4];
                let esc = escape_controls(c.encode_utf8(&mut buf)).into_owned();
                out.push_str(&esc.replace('\\', "\\\\"));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{render_to_string, sample_report, HOSTILE_PATH};
    use super::super::Format;
    use super::*;

    /// A parsed workflow command: level, properties, message (un-escaped the
    /// way the runner does it).
    struct Command {
        level: String,
        props: Vec<(String, String)>,
        message: String,
    }

    fn unescape(s: &str) -> String {
        s.replace("%0A", "\n")
            .replace("%0D", "\r")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    }

    fn parse(line: &str) -> Command {
        let rest = line.strip_prefix("::").expect("starts with ::");
        let (head, message) = rest.split_once("::").expect("two ::");
        let (level, props) = head.split_once(' ').unwrap();
        let props = props
            .split(',')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_owned(), unescape(v))
            })
            .collect();
        Command {
            level: level.to_owned(),
            props,
            message: unescape(message),
        }
    }

    fn prop<'a>(c: &'a Command, key: &str) -> &'a str {
        &c.props.iter().find(|(k, _)| k == key).unwrap().1
    }

    #[test]
    fn commands_parse_back() {
        let out = render_to_string(Format::Github, &sample_report(), false);
        assert!(!out.contains('\x1b') && !out.contains('\u{9b}'));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        let cmds: Vec<Command> = lines.iter().map(|l| parse(l)).collect();

        let unknown = &cmds[1];
        assert_eq!(unknown.level, "error");
        let keys: Vec<&str> = unknown.props.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"]
        );
        assert_eq!(prop(unknown, "file"), HOSTILE_PATH);
        assert_eq!(prop(unknown, "line"), "3");
        assert_eq!(prop(unknown, "col"), "45");
        assert_eq!(prop(unknown, "endLine"), "3");
        assert_eq!(prop(unknown, "endColumn"), "57");
        assert_eq!(prop(unknown, "title"), "action-lint (unknown-action)");
        assert_eq!(
            unknown.message,
            "unknown action 'strat-chat'\nhelp: did you mean 'start-chat'?"
        );

        let member = &cmds[2];
        assert_eq!(member.level, "warning");
        assert_eq!(prop(member, "file"), "src/😀 app.js");
        assert_eq!(member.message, "100% \\x1b[31mred\\x1b[0m\nsecond line");
    }

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("50%\r\nok: a,b"), "50%25%0D%0Aok: a,b");
        assert_eq!(escape_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
    }

    #[test]
    fn step_summary_is_a_table_of_every_finding() {
        let md = step_summary(&sample_report());
        assert!(md.starts_with(
            "### action-lint\n\n2 errors, 1 warning in 2 files (412 files checked)\n"
        ));
        let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).collect();
        assert_eq!(rows.len(), 5, "{md}");
        assert_eq!(rows[0], "| Severity | Rule | Location | Message |");
        assert!(
            rows[3].starts_with("| error | [`unknown-action`](https://"),
            "{}",
            rows[3]
        );
        assert!(rows[3].contains("| site/a,b:c.html:3:45 |"), "{}", rows[3]);
        assert!(rows[3]
            .ends_with("| unknown action 'strat-chat'<br>help: did you mean 'start-chat'? |"));
        assert_eq!(
            rows[4],
            "| warning | [`unknown-api-member`](https://github.com/action-lint/action-lint/blob/main/docs/rules.md#unknown-api-member) \
             | src/😀 app.js:2:35 | 100% \\\\x1b\\[31mred\\\\x1b\\[0m<br>second line |"
        );
        assert!(!md.contains('\x1b'));
        // Every row has exactly four cells: no unescaped `|` inside.
        for row in rows {
            let unescaped = row.replace("\\|", "");
            assert_eq!(unescaped.matches('|').count(), 5, "{row}");
        }
    }

    #[test]
    fn cells_escape_pipes_and_markup() {
        assert_eq!(cell("a|b\nc<d>"), "a\\|b<br>c&lt;d&gt;");
        let clean = Report {
            files_checked: 3,
            ..Default::default()
        };
        assert_eq!(
            step_summary(&clean),
            "### action-lint\n\nno problems found (3 files checked)\n"
        );
    }
}
