//! Lint one open document through the engine, as `check --stdin-filename`
//! would: the in-memory text stands in for the file, facts that cross files
//! (wrappers) come from the rest of the project root on disk.
//!
//! Must not: talk to the client. The server decides what to publish or show.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use lsp_types as lsp;

use super::convert::{self, Encoding};
use super::documents::Document;
use crate::engine::{self, RunOptions};
use crate::settings;
use crate::source::SourceText;

/// What linting a document gave.
pub enum Outcome {
    /// Diagnostics for the document, and for other files (actions files) by URI.
    Report {
        diagnostics: Vec<lsp::Diagnostic>,
        others: BTreeMap<String, (lsp::Uri, Vec<lsp::Diagnostic>)>,
        /// There is no actions config: names were not checked.
        no_actions: bool,
        notes: Vec<String>,
        /// The findings are those `check` gives. Not so after a `quick` lint
        /// that re-parsed a script through a syntax error: the document is
        /// then linted again, exactly, once the client pauses.
        exact: bool,
    },
    /// The run failed (a config problem): the message, and where it points.
    Failed {
        message: String,
        at: Option<Box<(lsp::Uri, lsp::Diagnostic)>>,
    },
}

/// A miette report in one line: message, then help.
pub fn describe(e: &miette::Report) -> String {
    match e.help() {
        Some(h) => format!("{e}\nhelp: {h}"),
        None => e.to_string(),
    }
}

/// The file and range a config error points at, as a diagnostic there.
fn error_diagnostic(
    e: &miette::Report,
    cwd: &Path,
    enc: Encoding,
) -> Option<(lsp::Uri, lsp::Diagnostic)> {
    let label = e.labels()?.next()?;
    let name = e
        .source_code()?
        .read_span(label.inner(), 0, 0)
        .ok()?
        .name()?
        .to_owned();
    let path = cwd.join(name);
    let src = SourceText::from_bytes(&std::fs::read(&path).ok()?);
    let uri = convert::path_to_uri(&path)?;
    let message = match label.label() {
        Some(l) => format!("{}: {l}", describe(e)),
        None => describe(e),
    };
    let range = convert::range(&src, label.offset(), label.offset() + label.len(), enc);
    let d = lsp::Diagnostic {
        range,
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        source: Some(convert::SOURCE.into()),
        message,
        ..Default::default()
    };
    Some((uri, d))
}

/// Text of a panic payload.
pub fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Lint `doc`. With `quick`, a script re-parsed through a syntax error is
/// not parsed again from scratch ([`RunOptions::quick`]).
pub fn lint(doc: &Document, path: &Path, enc: Encoding, quick: bool) -> Outcome {
    // Paths in messages read as they would from a CLI run at the project
    // root (the config's folder); without a config, from the document's folder.
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    let cwd = settings::find_config(&dir)
        .and_then(|c| c.parent().map(Path::to_path_buf))
        .unwrap_or(dir);
    let opts = RunOptions {
        stdin: Some((path.to_path_buf(), doc.source.text().to_owned())),
        cwd: Some(cwd.clone()),
        allow_missing_actions: true,
        process_ends: false,
        incremental: true,
        quick,
        ..RunOptions::default()
    };
    let report = match catch_unwind(AssertUnwindSafe(|| engine::run(&opts))) {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            return Outcome::Failed {
                message: describe(&e),
                at: error_diagnostic(&e, &cwd, enc).map(Box::new),
            }
        }
        Err(p) => {
            return Outcome::Failed {
                message: format!(
                    "action-lint failed on {}: {} (please report this bug)",
                    path.display(),
                    panic_message(p.as_ref())
                ),
                at: None,
            }
        }
    };
    let own = engine::display_path(path, &cwd);
    let mut texts: BTreeMap<String, Option<(lsp::Uri, SourceText)>> = BTreeMap::new();
    let mut load = |display: &str| -> Option<(lsp::Uri, SourceText)> {
        texts
            .entry(display.to_owned())
            .or_insert_with(|| {
                let p = cwd.join(display);
                let text = match report.sources.get(display) {
                    Some(t) => SourceText::new(t.to_string()),
                    None => SourceText::from_bytes(&std::fs::read(&p).ok()?),
                };
                Some((convert::path_to_uri(&p)?, text))
            })
            .clone()
    };
    let mut diagnostics = Vec::new();
    let mut others: BTreeMap<String, (lsp::Uri, Vec<lsp::Diagnostic>)> = BTreeMap::new();
    for d in &report.diagnostics {
        if *d.path == *own {
            diagnostics.push(convert::diagnostic(
                d,
                &doc.source,
                enc,
                &mut load,
                &doc.uri,
                &own,
            ));
        } else if let Some((uri, text)) = load(&d.path) {
            let ld = convert::diagnostic(d, &text, enc, &mut load, &uri, &d.path);
            others
                .entry(uri.as_str().to_owned())
                .or_insert_with(|| (uri.clone(), Vec::new()))
                .1
                .push(ld);
        }
    }
    let no_actions = report.notes.iter().any(|n| n == engine::NO_ACTIONS_NOTE);
    let notes = report
        .notes
        .into_iter()
        .filter(|n| n != engine::NO_ACTIONS_NOTE)
        .collect();
    Outcome::Report {
        diagnostics,
        others,
        no_actions,
        notes,
        exact: !report.approximate,
    }
}
