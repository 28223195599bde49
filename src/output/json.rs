//! `json`: one stable, versioned document (SPEC §7).
//!
//! The field names and their order are a contract with scripts that read
//! the output: add fields only at the end of an object, never rename one, and
//! bump `version` for anything incompatible. Columns count Unicode scalar
//! values, 1-based; `end_*` is exclusive.

use std::io::Write;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Related, Report};

/// Bumped on any incompatible change to the document's shape.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    files_checked: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        let loc = &d.location;
        JsonDiagnostic {
            rule: d.rule,
            severity: d.severity.as_str(),
            message: &d.message,
            path: &d.path,
            line: loc.start.line,
            column: loc.start.column,
            end_line: loc.end.line,
            end_column: loc.end.column,
            action: d.action(),
            suggestion: d.suggestion(),
            help: d.help.as_deref(),
            related: d.related.iter().map(JsonRelated::from).collect(),
        }
    }
}

impl<'a> From<&'a Related> for JsonRelated<'a> {
    fn from(r: &'a Related) -> Self {
        let loc = &r.location;
        JsonRelated {
            path: &r.path,
            line: loc.start.line,
            column: loc.start.column,
            end_line: loc.end.line,
            end_column: loc.end.column,
            message: &r.message,
        }
    }
}

/// From this many findings on, they are printed field by field, and on
/// several threads if the run has them.
const PARALLEL_FROM: usize = 2048;
/// Findings printed at a time by one thread.
const PART: usize = 1024;

pub(super) fn render(report: &Report, threads: usize, out: &mut dyn Write) -> std::io::Result<()> {
    if report.diagnostics.len() < PARALLEL_FROM {
        return super::write_json(&document(report), out);
    }
    render_in_parts(report, threads, PART, out)
}

fn document(report: &Report) -> Document<'_> {
    Document {
        version: VERSION,
        files_checked: report.files_checked,
        diagnostics: report
            .diagnostics
            .iter()
            .map(JsonDiagnostic::from)
            .collect(),
        summary: Summary {
            errors: report.errors(),
            warnings: report.warnings(),
        },
    }
}

/// The same bytes as [`document`] printed by serde_json, with the findings
/// printed field by field, `per_thread` at a time, by `threads` threads:
/// serde prints one thing at a time, and 25 000 findings (12 MB) took 20-25
/// ms at the serial end of a run. The document around the findings is
/// written here: the test below holds it to serde's.
fn render_in_parts(
    report: &Report,
    threads: usize,
    per_thread: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    write!(
        out,
        "{{\n  \"version\": {VERSION},\n  \"files_checked\": {},\n  \"diagnostics\": [",
        report.files_checked
    )?;
    let parts: Vec<&[Diagnostic]> = report.diagnostics.chunks(per_thread.max(1)).collect();
    print_on_threads(&parts, threads.clamp(1, parts.len().max(1)), &mut out)?;
    let summary = serde_json::to_vec_pretty(&Summary {
        errors: report.errors(),
        warnings: report.warnings(),
    })?;
    out.write_all(b"\n  ],\n  \"summary\": ")?;
    indented(&summary, b"\n  ", &mut out)?;
    out.write_all(b"\n}\n")?;
    out.flush()
}

/// Write `parts`, comma-separated, printed by `threads` threads that live
/// for the whole list, each printing every `threads`-th part into a buffer
/// it gets back once the part is written. (A thread started for each batch
/// of parts, with fresh buffers, began about 2 ms late.) With one thread, or
/// when the system gives no thread, the writing thread prints them itself.
fn print_on_threads(
    parts: &[&[Diagnostic]],
    threads: usize,
    out: &mut impl Write,
) -> std::io::Result<()> {
    use std::sync::mpsc;
    std::thread::scope(|s| {
        let mut printers = Vec::with_capacity(threads);
        let mut running = Vec::with_capacity(threads);
        for first in 0..threads {
            // Two printed parts ahead of the writer at most: the memory held
            // is a few parts, not the document.
            let (printed, take) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(2);
            let (give_back, returned) = mpsc::channel::<Vec<u8>>();
            let mine = parts.iter().skip(first).step_by(threads);
            let print = move || {
                for part in mine {
                    let mut buf = returned.try_recv().unwrap_or_default();
                    buf.clear();
                    let result = print_elements(part, &mut buf).map(|()| buf);
                    if printed.send(result).is_err() {
                        return; // the writer stopped at an error
                    }
                }
            };
            // With one thread, or when the system gives none, this one prints.
            let spawned = (threads > 1 && !threads_refused())
                .then(|| {
                    std::thread::Builder::new()
                        .name("action-lint-print".into())
                        .spawn_scoped(s, print)
                        .ok()
                })
                .flatten();
            match spawned {
                Some(t) => {
                    running.push(t);
                    printers.push(Some((take, give_back)));
                }
                None => printers.push(None),
            }
        }
        let written = (|| {
            let mut own = Vec::new();
            for (i, part) in parts.iter().enumerate() {
                let printer = &printers[i % threads];
                let printed = match printer {
                    Some((take, _)) => take.recv().map_err(|_| {
                        std::io::Error::other("a thread printing findings stopped")
                    })??,
                    None => {
                        own.clear();
                        print_elements(part, &mut own)?;
                        std::mem::take(&mut own)
                    }
                };
                if i > 0 {
                    out.write_all(b",")?;
                }
                out.write_all(&printed)?;
                match printer {
                    Some((_, give_back)) => {
                        let _ = give_back.send(printed);
                    }
                    None => own = printed,
                }
            }
            Ok(())
        })();
        // Unblocks a thread still waiting to hand over a part.
        drop(printers);
        let mut panicked = false;
        for t in running {
            panicked |= t.join().is_err();
        }
        match written {
            Ok(()) if panicked => Err(std::io::Error::other("a thread printing findings panicked")),
            other => other,
        }
    })
}

#[cfg(test)]
thread_local! {
    /// Tests: threads asked for by this thread are refused, as a system out
    /// of threads would.
    static REFUSE_THREADS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn threads_refused() -> bool {
    #[cfg(test)]
    if REFUSE_THREADS.with(std::cell::Cell::get) {
        return true;
    }
    false
}

/// Findings as elements of the document's list, as serde_json's pretty
/// printer writes them there: each on its own lines, indented two levels,
/// separated by commas (no comma after the last). Written field by field
/// (serde_json escapes the strings and prints the numbers), which took a
/// third of the time of printing each with serde and indenting the copy.
fn print_elements(part: &[Diagnostic], out: &mut Vec<u8>) -> std::io::Result<()> {
    out.reserve(part.len() * 512);
    for (i, d) in part.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let loc = &d.location;
        out.extend_from_slice(b"\n    {\n      \"rule\": ");
        string(out, d.rule)?;
        out.extend_from_slice(b",\n      \"severity\": ");
        string(out, d.severity.as_str())?;
        out.extend_from_slice(b",\n      \"message\": ");
        string(out, &d.message)?;
        out.extend_from_slice(b",\n      \"path\": ");
        string(out, &d.path)?;
        location(out, loc, b"\n      ")?;
        let optional = [
            ("action", d.action()),
            ("suggestion", d.suggestion()),
            ("help", d.help.as_deref()),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                out.extend_from_slice(b",\n      \"");
                out.extend_from_slice(key.as_bytes());
                out.extend_from_slice(b"\": ");
                string(out, value)?;
            }
        }
        out.extend_from_slice(b",\n      \"related\": [");
        for (j, r) in d.related.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"\n        {\n          \"path\": ");
            string(out, &r.path)?;
            location(out, &r.location, b"\n          ")?;
            out.extend_from_slice(b",\n          \"message\": ");
            string(out, &r.message)?;
            out.extend_from_slice(b"\n        }");
        }
        if !d.related.is_empty() {
            out.extend_from_slice(b"\n      ");
        }
        out.extend_from_slice(b"]\n    }");
    }
    Ok(())
}

/// A JSON string, escaped as serde_json escapes it.
fn string(out: &mut Vec<u8>, s: &str) -> std::io::Result<()> {
    Ok(serde_json::to_writer(out, s)?)
}

/// `,` then the four position fields, each on a line indented by `newline`.
fn location(
    out: &mut Vec<u8>,
    loc: &crate::source::Location,
    newline: &[u8],
) -> std::io::Result<()> {
    let fields = [
        ("line", loc.start.line),
        ("column", loc.start.column),
        ("end_line", loc.end.line),
        ("end_column", loc.end.column),
    ];
    for (key, value) in fields {
        out.push(b',');
        out.extend_from_slice(newline);
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\": ");
        serde_json::to_writer(&mut *out, &value)?;
    }
    Ok(())
}

/// Copy pretty-printed JSON, each line break followed by `newline`'s
/// indentation. JSON strings hold no raw line break (serde writes `\n`), so
/// every line break is between tokens.
fn indented(json: &[u8], newline: &[u8], out: &mut impl Write) -> std::io::Result<()> {
    let mut lines = json.split(|b| *b == b'\n');
    if let Some(line) = lines.next() {
        out.write_all(line)?;
    }
    for line in lines {
        out.write_all(newline)?;
        out.write_all(line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        render_to_string, sample_report, HOSTILE_MESSAGE, HOSTILE_PATH,
    };
    use super::super::Format;
    use serde_json::Value;

    fn parsed() -> Value {
        let out = render_to_string(Format::Json, &sample_report(), false);
        assert!(out.ends_with("}\n"));
        serde_json::from_str(&out).unwrap()
    }

    #[test]
    fn document_matches_the_spec() {
        let v = parsed();
        assert_eq!(v["version"], 1);
        assert_eq!(v["files_checked"], 412);
        assert_eq!(v["summary"]["errors"], 2);
        assert_eq!(v["summary"]["warnings"], 1);
        let diags = v["diagnostics"].as_array().unwrap();
        assert_eq!(diags.len(), 3);

        let unknown = &diags[1];
        assert_eq!(unknown["rule"], "unknown-action");
        assert_eq!(unknown["severity"], "error");
        assert_eq!(unknown["message"], "unknown action 'strat-chat'");
        assert_eq!(unknown["path"], HOSTILE_PATH);
        // `  /*😀é*/ talkativeApi.actions.triggerAction(` is 44 chars.
        assert_eq!(
            (unknown["line"].as_u64(), unknown["column"].as_u64()),
            (Some(3), Some(45))
        );
        assert_eq!(
            (unknown["end_line"].as_u64(), unknown["end_column"].as_u64()),
            (Some(3), Some(57))
        );
        assert_eq!(unknown["action"], "strat-chat");
        assert_eq!(unknown["suggestion"], "start-chat");
        assert_eq!(unknown["help"], "did you mean 'start-chat'?");
        let related = unknown["related"].as_array().unwrap();
        assert_eq!(related.len(), 2);
        assert_eq!(related[0]["path"], HOSTILE_PATH);
        assert_eq!(related[0]["line"], 3);
        assert_eq!(related[0]["column"], 10);
        assert_eq!(related[0]["end_column"], 58);
        assert_eq!(related[0]["message"], "the action is triggered here");

        let member = &diags[2];
        assert_eq!(member["severity"], "warning");
        assert_eq!(member["message"], HOSTILE_MESSAGE);
        assert!(member.get("action").is_none());
        assert!(member.get("suggestion").is_none());
        assert!(member.get("help").is_none());
        assert_eq!(member["related"], Value::Array(vec![]));
    }

    #[test]
    fn key_order_is_stable() {
        let out = render_to_string(Format::Json, &sample_report(), false);
        let keys = [
            "\"version\"",
            "\"files_checked\"",
            "\"diagnostics\"",
            "\"summary\"",
        ];
        let at: Vec<usize> = keys.iter().map(|k| out.find(k).unwrap()).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
        let first = &out[out.find("\"rule\"").unwrap()..];
        let keys = [
            "\"rule\"",
            "\"severity\"",
            "\"message\"",
            "\"path\"",
            "\"line\"",
            "\"column\"",
            "\"end_line\"",
            "\"end_column\"",
        ];
        let at: Vec<usize> = keys.iter().map(|k| first.find(k).unwrap()).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    }

    #[test]
    fn findings_printed_in_parallel_make_the_same_document() {
        let mut report = sample_report();
        let base = report.diagnostics.clone();
        // Batches that end inside the list, on its end, and one part per thread.
        for n in [1, 2, 3, 7] {
            report.diagnostics = base.iter().cycle().take(n).cloned().collect();
            let mut want = Vec::new();
            crate::output::write_json(&super::document(&report), &mut want).unwrap();
            for (threads, per_thread) in [(1, 1), (1, 3), (2, 1), (2, 2), (3, 2), (2, 8)] {
                let mut got = Vec::new();
                super::render_in_parts(&report, threads, per_thread, &mut got).unwrap();
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    String::from_utf8(want.clone()).unwrap(),
                    "{n} finding(s), {threads} threads of {per_thread}"
                );
            }
        }
    }

    #[test]
    fn findings_are_printed_when_no_thread_can_be_started() {
        let mut report = sample_report();
        report.diagnostics = report.diagnostics.iter().cycle().take(7).cloned().collect();
        let mut want = Vec::new();
        crate::output::write_json(&super::document(&report), &mut want).unwrap();
        super::REFUSE_THREADS.with(|r| r.set(true));
        let mut got = Vec::new();
        let result = super::render_in_parts(&report, 2, 2, &mut got);
        super::REFUSE_THREADS.with(|r| r.set(false));
        result.unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want).unwrap()
        );
    }

    #[test]
    fn empty_report() {
        let out = render_to_string(Format::Json, &Default::default(), false);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["diagnostics"], Value::Array(vec![]));
        assert_eq!(v["summary"]["errors"], 0);
    }
}
