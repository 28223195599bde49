//! `pretty`: miette graphical reports (snippet, underline, rule id, help) for
//! people at a terminal, then the summary line.
//!
//! Scanned files are untrusted, so nothing from them reaches the terminal
//! raw: messages and paths go through [`escape_controls`], and the snippet
//! text is sanitised once per file with every label offset mapped onto the
//! sanitised text. miette reads the snippet through [`Excerpt`], our own
//! `SourceCode`, which reports columns in characters (miette's own counts
//! bytes) and shows only a window of very long lines, so a finding in a
//! 50 MB minified file prints a few dozen characters, not the file.

use std::borrow::Cow;
use std::fmt;
use std::io::Write;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{escape_controls, is_unsafe_char, summary_line, RenderOptions};
use crate::diagnostic::{Diagnostic, Report, Severity};

/// A line longer than this (in bytes) is shown as a window around the label.
const LONG_LINE: usize = 240;
/// Bytes of context kept on each side of a label on a long line.
const WINDOW: usize = 60;
/// A label spanning more lines than this is cut to its first line.
const MAX_LABEL_LINES: usize = 12;

pub(super) fn render(
    report: &Report,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Hyperlinks are escape sequences too: only when colour is wanted.
    let handler = GraphicalReportHandler::new_themed(theme).with_urls(opts.color);
    // Diagnostics come sorted by path: one file's text at a time.
    for group in report.diagnostics.chunk_by(|a, b| a.path == b.path) {
        let text = report.sources.get(&group[0].path);
        let file = text.as_deref().map(Sanitized::new);
        for d in group {
            out.write_all(render_one(&handler, d, file.as_ref()).as_bytes())?;
        }
    }
    writeln!(out, "{}", summary_line(report))
}

/// One finding as miette renders it, plus a note line per related location
/// in another file.
fn render_one(
    handler: &GraphicalReportHandler,
    d: &Diagnostic,
    file: Option<&Sanitized<'_>>,
) -> String {
    let finding = Finding::new(d, file.filter(|f| !f.text.is_empty()));
    let mut text = String::new();
    if handler.render_report(&mut text, &finding).is_err() {
        // miette refused the snippet: fall back to the header alone.
        text.clear();
        let bare = Finding::new(d, None);
        let _ = handler.render_report(&mut text, &bare);
    }
    for r in d
        .related
        .iter()
        .filter(|r| r.path != d.path || file.is_none())
    {
        text.push_str(&format!(
            "  related: {}:{}:{} {}\n",
            escape_controls(&r.path),
            r.location.start.line,
            r.location.start.column,
            escape_controls(&r.message)
        ));
    }
    text.push('\n');
    text
}

/// The short text under the primary span. The message above it says the
/// rest; this names what the underlined code is.
fn primary_label(rule: &str) -> &'static str {
    match rule {
        "unknown-action" => "not in the actions config",
        "missing-guard" => "can run before talkativeApi exists",
        "call-during-interaction" => "can run during an interaction",
        "retrigger-on-standby" => "runs after every interaction",
        "unhandled-promise" => "promise dropped",
        "dynamic-action-name" => "not resolvable",
        "unknown-api-member" => "not in the widget API",
        "unsafe-api" => "not public API",
        "unused-action" => "never referenced",
        "invalid-actions-config" => "invalid name",
        "legacy-api" => "pre-2022 API",
        "late-custom-config" => "after the loader",
        "duplicate-custom-config" => "replaces the earlier config",
        "invalid-suppression" => "unknown rule",
        _ => "here",
    }
}

/// A finding in the shape miette renders.
struct Finding<'a> {
    message: String,
    code: &'static str,
    severity: Severity,
    help: Option<String>,
    url: Option<String>,
    source: Option<Excerpt<'a>>,
    labels: Vec<LabeledSpan>,
}

impl<'a> Finding<'a> {
    fn new(d: &Diagnostic, file: Option<&'a Sanitized<'a>>) -> Self {
        let mut message = escape_controls(&d.message).into_owned();
        let help = match (&d.help, d.suggestion()) {
            (Some(h), _) => Some(escape_controls(h).into_owned()),
            (None, Some(s)) => Some(format!("did you mean '{}'?", escape_controls(s))),
            (None, None) => None,
        };
        let url = crate::rules::find(d.rule).map(|m| m.help_uri());
        let (source, labels) = match file {
            Some(file) => {
                let mut labels = vec![LabeledSpan::new_primary_with_span(
                    Some(primary_label(d.rule).to_owned()),
                    file.span(d.location.start.byte_offset(), d.location.end.byte_offset()),
                )];
                for r in d.related.iter().filter(|r| r.path == d.path) {
                    labels.push(LabeledSpan::new_with_span(
                        Some(escape_controls(&r.message).into_owned()),
                        file.span(r.location.start.byte_offset(), r.location.end.byte_offset()),
                    ));
                }
                let source = Excerpt {
                    name: escape_controls(&d.path).into_owned(),
                    file,
                };
                (Some(source), labels)
            }
            None => {
                // No snippet to carry the location: say it under the message.
                let loc = &d.location.start;
                message.push_str(&format!(
                    "\nat {}:{}:{}",
                    escape_controls(&d.path),
                    loc.line,
                    loc.column
                ));
                (None, Vec::new())
            }
        };
        Finding {
            message,
            code: d.rule,
            severity: d.severity,
            help,
            url,
            source,
            labels,
        }
    }
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.code, self.message)
    }
}

impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// A file's text made safe to print, with the map from original byte offsets
/// to offsets in the safe text.
///
/// C0 controls become their Control Pictures (`␛` for ESC), DEL `␡`; C1
/// controls and bidi overrides become U+FFFD; a lone `\r` (a line break for
/// our line index) becomes `\n` so miette breaks the line there too instead
/// of printing a carriage return. Each replacement is one character, so
/// character columns are unchanged; byte lengths may grow, hence `shifts`.
struct Sanitized<'a> {
    original_len: usize,
    original: &'a str,
    text: Cow<'a, str>,
    /// `(original offset after a replaced char, total growth up to there)`,
    /// ascending.
    shifts: Vec<(usize, usize)>,
    /// Byte offsets (in `text`) where lines start; lines end at `\n`.
    line_starts: Vec<usize>,
}

impl<'a> Sanitized<'a> {
    fn new(original: &'a str) -> Self {
        let bytes = original.as_bytes();
        let unsafe_at = |i: usize, c: char| {
            (is_unsafe_char(c) && !matches!(c, '\t' | '\n' | '\r'))
                || (c == '\r' && bytes.get(i + 1) != Some(&b'\n'))
        };
        let text = if original.char_indices().any(|(i, c)| unsafe_at(i, c)) {
            let mut out = String::with_capacity(original.len() + 16);
            let mut shifts = Vec::new();
            let mut growth = 0usize;
            for (i, c) in original.char_indices() {
                if !unsafe_at(i, c) {
                    out.push(c);
                    continue;
                }
                let replacement = match c as u32 {
                    0x0d => '\n',
                    n @ 0x00..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
                    0x7f => '\u{2421}',
                    _ => '\u{fffd}',
                };
                out.push(replacement);
                if replacement.len_utf8() != c.len_utf8() {
                    growth += replacement.len_utf8() - c.len_utf8();
                    shifts.push((i + c.len_utf8(), growth));
                }
            }
            return Self::finish(original, Cow::Owned(out), shifts);
        } else {
            Cow::Borrowed(original)
        };
        Self::finish(original, text, Vec::new())
    }

    fn finish(original: &'a str, text: Cow<'a, str>, shifts: Vec<(usize, usize)>) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Sanitized {
            original_len: original.len(),
            original,
            text,
            shifts,
            line_starts,
        }
    }

    /// Map a byte offset of the original text (clamped onto a char boundary)
    /// into the safe text.
    fn map(&self, offset: usize) -> usize {
        let mut o = offset.min(self.original_len);
        while !self.original.is_char_boundary(o) {
            o -= 1;
        }
        let i = self.shifts.partition_point(|&(at, _)| at <= o);
        o + if i == 0 { 0 } else { self.shifts[i - 1].1 }
    }

    /// 0-based line of a safe-text offset.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// End of 0-based `line` in the safe text, before its `\n` or `\r\n`.
    fn line_end(&self, line: usize) -> usize {
        let end = match self.line_starts.get(line + 1) {
            Some(&next) => next - 1,
            None => self.text.len(),
        };
        if end > self.line_starts[line] && self.text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        }
    }

    fn line_len(&self, line: usize) -> usize {
        self.line_end(line) - self.line_starts[line]
    }

    /// The label span for an original byte range: mapped, and cut down when
    /// it would print a huge part of the file.
    fn span(&self, start: usize, end: usize) -> SourceSpan {
        let (start, mut end) = (self.map(start), self.map(end.max(start)));
        let (first, last) = (self.line_of(start), self.line_of(end));
        if last - first > MAX_LABEL_LINES {
            end = self.line_end(first).max(start);
        }
        if self.line_len(first) > LONG_LINE {
            end = end
                .min(self.line_end(first))
                .min(self.floor(start + 2 * WINDOW))
                .max(start);
        }
        (start, end - start).into()
    }

    fn floor(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    fn ceil(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while !self.text.is_char_boundary(o) {
            o += 1;
        }
        o
    }
}

/// The `SourceCode` miette reads snippets through: the sanitised text of
/// one file under its escaped display name.
struct Excerpt<'a> {
    name: String,
    file: &'a Sanitized<'a>,
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let file = self.file;
        let text = &*file.text;
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(MietteError::OutOfBounds);
        }
        let first = file.line_of(start);
        // The line of the last byte inside the span.
        let last = file.line_of(if end > start { end - 1 } else { end });
        let (mut data_start, mut data_end) =
            (file.line_starts[first], file.line_end(last).max(end));
        let long = |line: usize| file.line_len(line) > LONG_LINE;
        let (mut top, mut bottom) = (first, last);
        if long(first) || long(last) {
            // Window the long line(s) around the span; no context lines, as
            // they could only be shown whole.
            data_start = data_start.max(file.ceil(start.saturating_sub(WINDOW)));
            data_end = data_end.min(file.floor(end + WINDOW)).max(end);
        } else {
            for _ in 0..context_lines_before {
                if top == 0 || long(top - 1) {
                    break;
                }
                top -= 1;
            }
            for _ in 0..context_lines_after {
                if bottom + 1 >= file.line_starts.len() || long(bottom + 1) {
                    break;
                }
                bottom += 1;
            }
            data_start = file.line_starts[top];
            data_end = file.line_end(bottom).max(data_end);
        }
        if context_lines_before == 0 {
            data_start = start;
        }
        // Never end between `\r` and `\n`: miette would print the `\r`.
        let bytes = text.as_bytes();
        if data_end > 0 && bytes[data_end - 1] == b'\r' && bytes.get(data_end) == Some(&b'\n') {
            data_end += 1;
        }
        let data = &text.as_bytes()[data_start..data_end];
        let line_start = file.line_starts[file.line_of(data_start)];
        let column = text[line_start..data_start].chars().count();
        let line_count = data.iter().filter(|&&b| b == b'\n').count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            (data_start, data_end - data_start).into(),
            top.min(file.line_of(data_start)),
            column,
            line_count,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{render_to_string, sample_report};
    use super::super::Format;
    use super::*;
    use crate::diagnostic::Related;
    use crate::source::SourceText;

    fn one(text: &str, start: usize, end: usize, rule: &'static str) -> Report {
        let src = SourceText::new(text.to_owned());
        let loc = src.location(&(start..end));
        let d = Diagnostic::new(rule, Severity::Error, "f.js", loc, "bad thing");
        let mut sources = crate::diagnostic::Sources::default();
        sources.insert("f.js".to_owned(), text.to_owned());
        Report {
            diagnostics: vec![d],
            files_checked: 1,
            notes: Vec::new(),
            sources,
            approximate: false,
        }
    }

    #[test]
    fn no_color_output_is_free_of_escapes_and_complete() {
        let report = sample_report();
        let out = render_to_string(Format::Pretty, &report, false);
        assert!(!out.contains('\x1b'), "{out}");
        assert!(!out.contains('\u{9b}'), "{out}");
        assert!(!out.contains('\r'), "{out}");
        for rule in ["unknown-action", "missing-guard", "unknown-api-member"] {
            assert!(out.contains(rule), "{rule} in {out}");
        }
        assert!(out.contains("help: did you mean 'start-chat'?"), "{out}");
        assert!(out.contains("not in the actions config"), "{out}");
        assert!(out.contains("the action is triggered here"), "{out}");
        assert!(
            out.contains("related: talkative-actions.yaml:0:0 the actions config"),
            "{out}"
        );
        assert!(
            out.contains("100% \\x1b[31mred\\x1b[0m\\nsecond line"),
            "{out}"
        );
        // miette's header names the file and the char column of the finding.
        assert!(out.contains("[site/a,b:c.html:3:45]"), "{out}");
        assert!(out.contains("[src/😀 app.js:2:35]"), "{out}");
        // The snippet shows the hostile bytes as visible stand-ins.
        assert!(
            out.contains('\u{241b}') && out.contains('\u{fffd}'),
            "{out}"
        );
        assert!(
            out.ends_with("\n2 errors, 1 warning in 2 files (412 files checked)\n"),
            "{out}"
        );
    }

    #[test]
    fn color_output_uses_ansi_but_not_from_the_input() {
        let out = render_to_string(Format::Pretty, &sample_report(), true);
        assert!(out.contains('\x1b'));
        assert!(!out.contains("\x1b[31mred"), "{out}");
        assert!(!out.contains("\x1b[2J"), "{out}");
        assert!(!out.contains('\u{9b}'), "{out}");
    }

    #[test]
    fn missing_source_prints_the_header_and_location() {
        let mut report = sample_report();
        report.sources = Default::default();
        let out = render_to_string(Format::Pretty, &report, false);
        assert!(out.contains("unknown action 'strat-chat'"), "{out}");
        assert!(out.contains("at site/a,b:c.html:3:45"), "{out}");
        assert!(
            out.contains("related: site/a,b:c.html:3:10 the action is triggered here"),
            "{out}"
        );
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn clean_report_prints_only_the_summary() {
        let report = Report {
            files_checked: 7,
            ..Default::default()
        };
        let out = render_to_string(Format::Pretty, &report, false);
        assert_eq!(out, "no problems found (7 files checked)\n");
    }

    #[test]
    fn sanitising_keeps_offsets_and_char_columns() {
        let text = "a\x1bb\u{9b}c\rd\r\ne\u{202e}f";
        let s = Sanitized::new(text);
        assert_eq!(&*s.text, "a\u{241b}b\u{fffd}c\nd\r\ne\u{fffd}f");
        for (i, c) in text.char_indices() {
            if c.is_alphabetic() {
                assert_eq!(s.text[s.map(i)..].chars().next(), Some(c), "at {i}");
            }
        }
        assert_eq!(s.map(text.len()), s.text.len());
        assert_eq!(s.line_starts.len(), 3);
        // Inside a multi-byte char: clamped back to its start.
        let at = text.find('\u{9b}').unwrap();
        assert_eq!(s.map(at + 1), s.map(at));
    }

    #[test]
    fn long_minified_lines_are_windowed() {
        let mut text = "x".repeat(100_000);
        let at = text.len() / 2;
        text.insert_str(at, "talkativeApi.actions.triggerAction('a')");
        text.push_str(";\n");
        let report = one(&text, at, at + 39, "missing-guard");
        let out = render_to_string(Format::Pretty, &report, false);
        assert!(out.len() < 2_000, "{} bytes", out.len());
        assert!(
            out.contains("talkativeApi.actions.triggerAction('a')"),
            "{out}"
        );
        assert!(out.contains("[f.js:1:50001]"), "{out}");
    }

    #[test]
    fn huge_multi_line_labels_are_cut() {
        let text: String = (0..200).map(|i| format!("line {i}\n")).collect();
        let report = one(&text, 0, text.len() - 1, "late-custom-config");
        let out = render_to_string(Format::Pretty, &report, false);
        assert!(out.contains("line 0") && !out.contains("line 150"), "{out}");
    }

    #[test]
    fn edge_spans_do_not_fail() {
        for (text, start, end) in [
            ("", 0, 0),
            ("abc\n", 4, 4),
            ("abc", 3, 3),
            ("a\r\nb", 1, 3),
            ("a\r\nb", 1, 2),
            ("😀", 1, 2),
        ] {
            let mut report = one(text, start, end, "legacy-api");
            let location = report.diagnostics[0].location;
            report.diagnostics[0].related.push(Related {
                path: "f.js".into(),
                location,
                message: "same".into(),
            });
            let out = render_to_string(Format::Pretty, &report, false);
            assert!(
                out.contains("legacy-api") && out.contains("bad thing"),
                "{text:?}: {out}"
            );
            assert!(!out.contains('\r'), "{text:?}: {out}");
        }
    }
}
