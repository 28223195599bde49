//! A finding: rule, severity, message, primary location plus related ones, help.
//!
//! Rules build diagnostics with their default severity; the engine applies the
//! configured severity and suppressions afterwards. Nothing here prints.

use crate::source::Location;
pub use crate::source::Text;
use serde::Serialize;
use thin_vec::ThinVec;

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
    pub path: Text,
    pub location: Location,
    pub message: Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Rule id in kebab case, e.g. `unknown-action`.
    pub rule: &'static str,
    pub severity: Severity,
    /// Lowercase, no final period; names in quotes.
    pub message: Text,
    /// Display path: relative to the current directory with `/`, else absolute.
    pub path: Text,
    pub location: Location,
    pub related: ThinVec<Related>,
    /// Imperative help line, e.g. "did you mean 'start-chat'?"
    pub help: Option<Text>,
    /// The action name and the suggested one, for the few rules that have
    /// them: boxed, as a run holds every finding until it prints them.
    action_names: Option<Box<ActionNames>>,
    /// The source text of the primary range: what baselines match on.
    pub snippet: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct ActionNames {
    action: Option<Text>,
    suggestion: Option<Text>,
}

/// A string literal as a [`Text`] allocated once per call site, not once
/// per finding: the help line of a rule that fires on every page of a
/// large site was thousands of copies of the same text.
#[macro_export]
macro_rules! static_text {
    ($s:expr) => {{
        static TEXT: std::sync::LazyLock<$crate::source::Text> =
            std::sync::LazyLock::new(|| $crate::source::Text::from($s));
        $crate::source::Text::clone(&TEXT)
    }};
}

impl Diagnostic {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        path: impl Into<Text>,
        location: Location,
        message: impl Into<Text>,
    ) -> Self {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            path: path.into(),
            location,
            related: ThinVec::new(),
            help: None,
            action_names: None,
            snippet: "".into(),
        }
    }

    pub fn with_help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Each of the finding's texts, to change.
    pub fn texts_mut(&mut self, f: &mut dyn FnMut(&mut Text)) {
        f(&mut self.message);
        f(&mut self.path);
        f(&mut self.snippet);
        if let Some(h) = &mut self.help {
            f(h);
        }
        for r in &mut self.related {
            f(&mut r.path);
            f(&mut r.message);
        }
        if let Some(names) = &mut self.action_names {
            names.action.iter_mut().for_each(&mut *f);
            names.suggestion.iter_mut().for_each(&mut *f);
        }
    }

    pub fn with_related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    pub fn with_action(mut self, action: impl Into<Text>) -> Self {
        self.action_names
            .get_or_insert_with(Default::default)
            .action = Some(action.into());
        self
    }

    pub fn with_suggestion(mut self, s: Option<impl Into<Text>>) -> Self {
        let s = s.map(Into::into);
        if s.is_some() || self.action_names.is_some() {
            self.action_names
                .get_or_insert_with(Default::default)
                .suggestion = s;
        }
        self
    }

    /// The action name concerned (unknown-action, unused-action, invalid-actions-config).
    pub fn action(&self) -> Option<&str> {
        self.action_names.as_ref()?.action.as_deref()
    }

    /// The configured name the action name was probably meant to be.
    pub fn suggestion(&self) -> Option<&str> {
        self.action_names.as_ref()?.suggestion.as_deref()
    }

    pub fn with_snippet(mut self, s: impl Into<Text>) -> Self {
        self.snippet = s.into();
        self
    }

    fn position(&self) -> Position {
        (
            self.location.start.line,
            self.location.start.column,
            self.rule,
            self.location.end.line,
            self.location.end.column,
        )
    }

    /// What a finding sorts by after its path: [`Diagnostic::sort_key`]'s
    /// other parts.
    pub fn position_key(&self) -> PositionKey {
        (self.position(), self.message.clone())
    }

    /// `self.position_key().cmp(&other.position_key())`, without building
    /// the keys (each holds a shared text, counted up and down).
    pub fn position_cmp(&self, other: &Diagnostic) -> std::cmp::Ordering {
        self.position()
            .cmp(&other.position())
            .then_with(|| self.message.cmp(&other.message))
    }

    /// The deterministic output order: path, line, column, rule, then the rest.
    pub fn sort_key(&self) -> (&str, Position, &str) {
        (&self.path, self.position(), &self.message)
    }

    /// The same finding as `other` for the report: equal [`Diagnostic::sort_key`]s,
    /// with the positions compared first (paths are long and share their start).
    pub fn same_as(&self, other: &Diagnostic) -> bool {
        self.position() == other.position()
            && self.path == other.path
            && self.message == other.message
    }
}

/// Remove the duplicates of a list sorted by [`Diagnostic::sort_key`] (a stable sort
/// keeps the first of equal findings).
pub fn dedup_sorted(diags: &mut Vec<Diagnostic>) {
    diags.dedup_by(|a, b| a.same_as(b));
}

/// Sort by (path, line, column, rule) and remove exact duplicates.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    let ranks = PathRanks::new(diags);
    diags.sort_by_cached_key(|d| ranks.key(d));
    dedup_sorted(diags);
}

/// [`Diagnostic::sort_key`] with the path replaced by its rank among the
/// findings' paths, so that comparing two keys seldom compares strings.
/// Sorting by it (stably) gives the order of `sort_key`: on the dense benchmark site,
/// comparing paths (long and sharing their start) made sorting 25 000
/// findings take 9-16 ms, on the serial end of a run.
pub type RankedKey = (u32, PositionKey);

/// [`Diagnostic::sort_key`] after the path, owning its message (shared).
pub type PositionKey = (Position, Text);

/// What a finding sorts by after its path, but its message: start line and
/// column, rule, end line and column.
pub type Position = (u32, u32, &'static str, u32, u32);

/// The rank of each path among the findings' paths in string order.
pub struct PathRanks(rustc_hash::FxHashMap<Text, u32>);

impl PathRanks {
    pub fn new(diags: &[Diagnostic]) -> PathRanks {
        let mut seen: rustc_hash::FxHashMap<Text, u32> = rustc_hash::FxHashMap::default();
        for d in diags {
            if !seen.contains_key(&*d.path) {
                seen.insert(d.path.clone(), 0);
            }
        }
        let mut paths: Vec<Text> = seen.keys().cloned().collect();
        paths.sort_unstable();
        for (rank, p) in paths.into_iter().enumerate() {
            seen.insert(p, rank as u32);
        }
        PathRanks(seen)
    }

    /// The key of a finding of the list the ranks were made from.
    pub fn key(&self, d: &Diagnostic) -> RankedKey {
        (
            self.0.get(&*d.path).copied().unwrap_or(u32::MAX),
            d.position_key(),
        )
    }
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
    /// Text (BOM removed, lossy if needed) of the files diagnostics point into,
    /// by display path; offsets in diagnostics index into these.
    pub sources: Sources,
    /// The document was re-parsed through a syntax error without a fresh
    /// parse (`RunOptions::quick`): the findings may differ from `check`'s.
    pub approximate: bool,
}

/// The text of the files findings point into, read when an output format
/// asks for it (the pretty snippets, SARIF fingerprints) rather than held
/// for the whole report: a run with findings in 20 000 pages would otherwise
/// keep all 20 000 pages in memory. Formats walk findings in path order, so
/// only the last file read is kept.
#[derive(Debug, Default)]
pub struct Sources {
    /// Texts given in advance (a document read from stdin or the editor).
    given: std::collections::BTreeMap<String, std::sync::Arc<str>>,
    /// What display paths are relative to; `None`: nothing is read from disk.
    base: Option<std::path::PathBuf>,
    /// The last file read from disk (`None` inside: it could not be read).
    last: std::sync::Mutex<Option<(String, Option<std::sync::Arc<str>>)>>,
}

impl Clone for Sources {
    fn clone(&self) -> Self {
        Sources {
            given: self.given.clone(),
            base: self.base.clone(),
            last: Default::default(),
        }
    }
}

impl Sources {
    /// Files are read from disk, display paths taken relative to `base`.
    pub fn from_disk(base: std::path::PathBuf) -> Sources {
        Sources {
            base: Some(base),
            ..Sources::default()
        }
    }

    /// Give a file's text in advance: it is used instead of the file on disk.
    pub fn insert(&mut self, path: String, text: impl Into<std::sync::Arc<str>>) {
        self.given.insert(path, text.into());
    }

    /// The text of the file at this display path, if it can be had.
    pub fn get(&self, path: &str) -> Option<std::sync::Arc<str>> {
        if let Some(t) = self.given.get(path) {
            return Some(t.clone());
        }
        let base = self.base.as_ref()?;
        // A poisoned lock only means another thread panicked mid-read: the
        // cache is then just empty.
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((p, t)) = last.as_ref() {
            if p == path {
                return t.clone();
            }
        }
        let text = std::fs::read(base.join(path))
            .ok()
            .map(|b| std::sync::Arc::<str>::from(crate::source::SourceText::from_bytes(&b).text()));
        *last = Some((path.to_owned(), text.clone()));
        text
    }
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
        let mut paths: Vec<&str> = self.diagnostics.iter().map(|d| &*d.path).collect();
        paths.dedup();
        paths.len()
    }
}

/// `count` findings in `paths` with few values of each field, so that they
/// tie on every part of the output order, and duplicates are many; each
/// one's help line is its index (not part of the key: it tells which of
/// equal findings is kept).
#[cfg(test)]
pub(crate) fn tying_findings(paths: &[&str], count: usize, seed: u64) -> Vec<Diagnostic> {
    use crate::source::Pos;
    let mut seed = seed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let pos = |line, column| Pos {
        line,
        column,
        ..Pos::default()
    };
    (0..count)
        .map(|i| {
            let (line, col) = (1 + next(2) as u32, 1 + next(2) as u32);
            Diagnostic::new(
                ["unknown-action", "missing-guard"][next(2)],
                Severity::Error,
                paths[next(paths.len())],
                Location {
                    start: pos(line, col),
                    end: pos(line, col + 1 + next(2) as u32),
                },
                ["m", "n"][next(2)],
            )
            .with_help(i.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{sort_and_dedup, Diagnostic, Severity, Sources};
    use crate::source::{Location, Pos};

    #[test]
    fn ranked_sort_gives_the_output_order_and_keeps_the_first_of_equals() {
        // Few values of each field, so that findings tie on every prefix of
        // the key; paths that share their start, and differ in length.
        let paths = [
            "a/page-1.html",
            "a/page-10.html",
            "a/page-2.html",
            "b.js",
            "a",
        ];
        let mut diags = super::tying_findings(&paths, 400, 7);
        let mut want = diags.clone();
        want.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        want.dedup_by(|a, b| a.sort_key() == b.sort_key());
        sort_and_dedup(&mut diags);
        assert!(
            want.len() < 200,
            "the sample has duplicates: {}",
            want.len()
        );
        assert_eq!(diags, want);
    }

    #[test]
    fn position_cmp_orders_as_the_position_key() {
        let pos = |line, column| Pos {
            line,
            column,
            ..Pos::default()
        };
        let mut diags = Vec::new();
        for (line, column, rule, end, message) in [
            (1, 1, "unknown-action", 2, "b"),
            (1, 1, "unknown-action", 2, "a"),
            (1, 1, "unknown-action", 1, "c"),
            (1, 1, "missing-guard", 3, "a"),
            (1, 2, "missing-guard", 3, "a"),
            (2, 1, "missing-guard", 3, "a"),
            (1, 2, "unknown-action", 1, "a"),
        ] {
            diags.push(Diagnostic::new(
                rule,
                Severity::Error,
                "a.js",
                Location {
                    start: pos(line, column),
                    end: pos(line + 1, end),
                },
                message,
            ));
        }
        for a in &diags {
            for b in &diags {
                assert_eq!(
                    a.position_cmp(b),
                    a.position_key().cmp(&b.position_key()),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn sources_are_read_when_asked_and_given_texts_win() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.js"), "\u{feff}let a = 1;\n").unwrap();
        std::fs::write(dir.path().join("b.js"), b"let b = '\xff';\n").unwrap();
        let mut sources = Sources::from_disk(dir.path().to_path_buf());
        sources.insert("given.js".to_owned(), "from the editor");
        // BOM removed, invalid UTF-8 replaced, as the analysis saw them.
        assert_eq!(sources.get("a.js").as_deref(), Some("let a = 1;\n"));
        assert_eq!(
            sources.get("b.js").as_deref(),
            Some("let b = '\u{fffd}';\n")
        );
        // Back to the first file: read again, not mixed up with the last one.
        assert_eq!(sources.get("a.js").as_deref(), Some("let a = 1;\n"));
        assert_eq!(sources.get("given.js").as_deref(), Some("from the editor"));
        assert_eq!(sources.get("missing.js"), None);
        // Without a base, nothing is read from disk.
        assert_eq!(Sources::default().get("a.js"), None);
    }
}
