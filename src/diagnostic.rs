//! A finding: rule, severity, message, primary location plus related ones, help.
//!
//! Rules build diagnostics with their default severity; the engine applies the
//! configured severity and suppressions afterwards. Nothing here prints.

use crate::source::Location;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    /// The spelling used in JSON and SARIF output: `"error"` / `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A secondary location shown with a finding (e.g. the call a name flows into).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Related {
    /// Display path of the file (may differ from the finding's own file).
    pub path: String,
    pub location: Location,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Rule id in kebab case, e.g. `unknown-action`.
    pub rule: &'static str,
    pub severity: Severity,
    /// Lowercase, no final period; names in quotes.
    pub message: String,
    /// Display path: relative to the current directory with `/`, else absolute.
    pub path: String,
    pub location: Location,
    pub related: Vec<Related>,
    /// Imperative help line, e.g. "did you mean 'start-chat'?"
    pub help: Option<String>,
    /// The action name concerned (unknown-action, unused-action, invalid-actions-config).
    pub action: Option<String>,
    pub suggestion: Option<String>,
    /// The source text of the primary range: what baselines match on.
    pub snippet: String,
}

impl Diagnostic {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        path: &str,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            path: path.to_owned(),
            location,
            related: Vec::new(),
            help: None,
            action: None,
            suggestion: None,
            snippet: String::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    pub fn with_action(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self
    }

    pub fn with_suggestion(mut self, s: Option<String>) -> Self {
        self.suggestion = s;
        self
    }

    pub fn with_snippet(mut self, s: impl Into<String>) -> Self {
        self.snippet = s.into();
        self
    }

    /// The deterministic output order: path, line, column, rule, then the rest.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, u32, u32, &str) {
        (
            &self.path,
            self.location.start.line,
            self.location.start.column,
            self.rule,
            self.location.end.line,
            self.location.end.column,
            &self.message,
        )
    }
}

/// Sort by (path, line, column, rule) and remove exact duplicates.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup_by(|a, b| a.sort_key() == b.sort_key());
}

/// The result of a run: what every output format renders.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Sorted with [`sort_and_dedup`], severities and suppressions applied.
    pub diagnostics: Vec<Diagnostic>,
    /// Files discovered and considered (skipped-by-prefilter files count).
    pub files_checked: usize,
    /// Notes about the run itself (unreadable file, binary skipped, …), shown on stderr.
    pub notes: Vec<String>,
    /// Text (BOM removed, lossy if needed) of every file a diagnostic points into,
    /// keyed by display path; offsets in diagnostics index into these.
    pub sources: std::collections::BTreeMap<String, String>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
    /// Number of distinct files with at least one diagnostic.
    pub fn files_with_findings(&self) -> usize {
        let mut paths: Vec<&str> = self.diagnostics.iter().map(|d| d.path.as_str()).collect();
        paths.dedup();
        paths.len()
    }
}
