//! Output formats: a finished [`Report`] → bytes.
//!
//! This module owns every output format (`pretty`, `compact`, `json`,
//! `sarif`, `github`) and the summary line. It only renders: it never filters,
//! sorts or changes findings (the engine did that), never decides exit codes,
//! and never touches the file system (the caller opens the files, including
//! `$GITHUB_STEP_SUMMARY`, and passes a writer).
//!
//! Text that came from scanned files (messages quote names, paths are file
//! names, snippets are file contents) may hold control characters; every
//! format meant for a terminal or a log escapes them here, so a hostile file
//! cannot move the cursor, recolour or retitle the user's terminal.

mod compact;
mod github;
mod json;
mod pretty;
mod sarif;

use std::borrow::Cow;
use std::io::Write;

use crate::diagnostic::Report;

pub use github::step_summary;

/// An output format, as named by `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// miette graphical reports with snippets, then the summary line.
    Pretty,
    /// `path:line:col: severity[rule]: message`, one per line.
    Compact,
    /// One versioned JSON document (SPEC §7).
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 5] = [
        Format::Pretty,
        Format::Compact,
        Format::Json,
        Format::Sarif,
        Format::Github,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pretty => "pretty",
            Format::Compact => "compact",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
        }
    }

    /// Parse a `--format` name (exact, lowercase).
    pub fn parse(name: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown format '{}': expected one of {}",
                    escape_controls(name),
                    names.join(", ")
                )
            })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the renderers need to know beyond the report.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Colour (ANSI styles, hyperlinks) in `pretty`; ignored by the others.
    pub color: bool,
    /// The tool's version (`env!("CARGO_PKG_VERSION")`), for SARIF.
    pub tool_version: &'static str,
    /// Threads to print a long `json` document on (`--jobs`; 0: one per core).
    pub threads: usize,
}

/// Write `report` in `format` to `out`.
pub fn render(
    format: Format,
    report: &Report,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Pretty => pretty::render(report, opts, out),
        Format::Compact => compact::render(report, out),
        Format::Json => json::render(report, threads(opts.threads), out),
        Format::Sarif => sarif::render(report, opts, out),
        Format::Github => github::render(report, out),
    }
}

/// `--jobs`' thread count: 0 is one per core.
fn threads(jobs: usize) -> usize {
    match jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// A pretty-printed JSON document and a final newline. serde_json writes in
/// pieces of a few bytes: into a buffer here each is a copy, while straight
/// into a `dyn Write` each was a call through the vtable (the JSON of 25 000
/// findings took 0.06 s that way, 0.02 s this way).
fn write_json(doc: &impl serde::Serialize, out: &mut dyn Write) -> std::io::Result<()> {
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut buffered, doc)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// `3 errors, 1 warning in 2 files (412 files checked)`,
/// `no problems found (412 files checked)` or `no files to check`.
pub fn summary_line(report: &Report) -> String {
    let (errors, warnings) = (report.errors(), report.warnings());
    if report.files_checked == 0 && report.diagnostics.is_empty() {
        return "no files to check".to_owned();
    }
    let checked = format!(
        "({} checked)",
        plural(report.files_checked, "file", "files")
    );
    if errors == 0 && warnings == 0 {
        return format!("no problems found {checked}");
    }
    let mut counts = Vec::new();
    if errors > 0 {
        counts.push(plural(errors, "error", "errors"));
    }
    if warnings > 0 {
        counts.push(plural(warnings, "warning", "warnings"));
    }
    let files = plural(report.files_with_findings(), "file", "files");
    format!("{} in {files} {checked}", counts.join(", "))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Characters a terminal may act on instead of printing: C0 controls, DEL,
/// C1 controls (U+0080–U+009F, e.g. the 8-bit CSI U+009B) and the
/// bidirectional overrides and isolates that reorder what is shown
/// ("Trojan Source").
pub(crate) fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Escape unsafe characters for one-line display: `\n`, `\r`, `\t`, `\x1b`,
/// `\u{9b}`, `\u{202e}`. Backslashes are left alone, so the result is for
/// people, not for parsing back.
pub(crate) fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && is_unsafe_char(c) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
pub(crate) mod test_support {
    //! A hand-built report shared by the format tests: non-ASCII before the
    //! columns (so chars, UTF-16 units and bytes all differ), a path with
    //! `,` and `:`, and a message with `%`, a newline and an ANSI escape.

    use crate::diagnostic::{Diagnostic, Related, Report, Severity};
    use crate::source::SourceText;

    pub const HOSTILE_PATH: &str = "site/a,b:c.html";
    pub const HOSTILE_MESSAGE: &str = "100% \x1b[31mred\x1b[0m\nsecond line";

    pub fn sample_report() -> Report {
        let html = "<p>hi</p>\n<script>\n  /*😀é*/ talkativeApi.actions.triggerAction('strat-chat');\n</script>\n";
        let html_src = SourceText::new(html.to_owned());
        let js = "// \x1b[2J evil\nlet s = '😀'; \u{9b}31m talkativeApi.ui.sho();\n";
        let js_src = SourceText::new(js.to_owned());

        let name_at = html.find("'strat-chat'").unwrap();
        let name = html_src.location(&(name_at..name_at + "'strat-chat'".len()));
        let call_at = html.find("talkativeApi").unwrap();
        let call_end = html.find(";\n</script>").unwrap();
        let call = html_src.location(&(call_at..call_end));

        let member_at = js.find("sho").unwrap();
        let member = js_src.location(&(member_at..member_at + 3));

        let unknown = Diagnostic::new(
            "unknown-action",
            Severity::Error,
            HOSTILE_PATH,
            name,
            "unknown action 'strat-chat'",
        )
        .with_help("did you mean 'start-chat'?")
        .with_action("strat-chat")
        .with_suggestion(Some("start-chat"))
        .with_related(Related {
            path: HOSTILE_PATH.into(),
            location: call,
            message: "the action is triggered here".into(),
        })
        .with_related(Related {
            path: "talkative-actions.yaml".into(),
            location: Default::default(),
            message: "the actions config".into(),
        })
        .with_snippet("'strat-chat'");
        let guard = Diagnostic::new(
            "missing-guard",
            Severity::Error,
            HOSTILE_PATH,
            call,
            "talkativeApi is used before the widget has loaded",
        )
        .with_help("check 'window.talkativeApi' first");
        let member_diag = Diagnostic::new(
            "unknown-api-member",
            Severity::Warning,
            "src/😀 app.js",
            member,
            HOSTILE_MESSAGE,
        );
        let mut diagnostics = vec![unknown, guard, member_diag];
        crate::diagnostic::sort_and_dedup(&mut diagnostics);
        let mut sources = crate::diagnostic::Sources::default();
        sources.insert(HOSTILE_PATH.to_owned(), html.to_owned());
        sources.insert("src/😀 app.js".to_owned(), js.to_owned());
        Report {
            diagnostics,
            files_checked: 412,
            notes: Vec::new(),
            sources,
            approximate: false,
        }
    }

    pub fn opts(color: bool) -> super::RenderOptions {
        super::RenderOptions {
            color,
            tool_version: "0.1.0",
            threads: 1,
        }
    }

    pub fn render_to_string(format: super::Format, report: &Report, color: bool) -> String {
        let mut out = Vec::new();
        super::render(format, report, &opts(color), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::sample_report;
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Ok(f));
        }
        let err = Format::parse("xml").unwrap_err();
        assert!(
            err.contains("pretty, compact, json, sarif, github"),
            "{err}"
        );
    }

    #[test]
    fn summary_line_counts_and_plurals() {
        let report = sample_report();
        assert_eq!(
            summary_line(&report),
            "2 errors, 1 warning in 2 files (412 files checked)"
        );
        let mut one = report.clone();
        one.diagnostics = vec![report.diagnostics[2].clone()];
        one.files_checked = 1;
        assert_eq!(summary_line(&one), "1 warning in 1 file (1 file checked)");
        let clean = Report {
            files_checked: 412,
            ..Default::default()
        };
        assert_eq!(
            summary_line(&clean),
            "no problems found (412 files checked)"
        );
        assert_eq!(summary_line(&Report::default()), "no files to check");
    }

    #[test]
    fn escape_controls_makes_one_safe_line() {
        assert_eq!(escape_controls("plain ✓"), "plain ✓");
        assert_eq!(
            escape_controls("a\x1b[31m\n\t\u{9b}\u{202e}"),
            "a\\x1b[31m\\n\\t\\u{9b}\\u{202e}"
        );
    }
}
