//! `action-lint.toml`: finding it, reading it, and answering per-file
//! questions about it (which actions files apply, which severity a rule has,
//! whether a path is included or excluded).
//!
//! Owns: the config schema, its validation (unknown keys, wrong types,
//! unknown rule ids and invalid globs are errors with the TOML span shown),
//! glob semantics, and the starter file `action-lint init` writes.
//! Must not: walk directories (discover does), read actions files (actions
//! does) or look at site code. Command-line flags are applied by the caller on
//! the returned [`Config`], whose fields are public for that reason.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use miette::{LabeledSpan, NamedSource};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::source::{SourceText, Span};

pub const CONFIG_FILE: &str = "action-lint.toml";

/// Files checked when `include` is unset (matched case-insensitively).
pub const DEFAULT_INCLUDE: &str =
    "**/*.{html,htm,xhtml,js,mjs,cjs,jsx,ts,tsx,mts,cts,vue,svelte,astro}";

/// The extensions of [`DEFAULT_INCLUDE`]: an explicitly named file with one
/// of these is checked even when `include` is narrower.
pub const DEFAULT_EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "js", "mjs", "cjs", "jsx", "ts", "tsx", "mts", "cts", "vue", "svelte",
    "astro",
];

/// Actions files looked for beside the config when `actions` is unset.
pub const DEFAULT_ACTIONS_FILES: [&str; 3] = [
    "talkative-actions.yaml",
    "talkative-actions.yml",
    "talkative-actions.json",
];

const CONFIG_HELP: &str = "keys: actions, include, exclude, [rules], [guards] functions, \
[references] functions and attributes, [[overrides]] files/actions/rules; \
`action-lint init` writes a commented example";

/// The commented starter file `action-lint init` writes: every key, explained,
/// with examples to uncomment. As written it changes nothing.
pub const STARTER_CONFIG: &str = r##"# action-lint configuration: https://github.com/action-lint/action-lint#configuration
#
# Every key is optional. Paths and globs are relative to this file's directory,
# which is also the project root. To use an example, remove the "# " before it.

# The exported actions config (YAML or JSON) that action names are checked
# against. Default: talkative-actions.yaml, .yml or .json beside this file.
# Several files may be listed; their names are combined.
# actions = "talkative-actions.yaml"

# Files to check. Default: every HTML, JavaScript, TypeScript, Vue, Svelte and
# Astro file (html htm xhtml js mjs cjs jsx ts tsx mts cts vue svelte astro).
# include = ["**/*.html", "**/*.js"]

# Files to skip, in addition to .gitignore and .ignore (honoured unless
# --no-ignore is given). Like .gitignore, a pattern without a slash matches at
# any depth, and a directory pattern skips everything below it.
# exclude = ["vendor/**", "*.min.js"]

# Severity of each rule: "error", "warn" (or "warning") or "off".
# `action-lint rules` lists every rule with its default.
[rules]
# unknown-action = "error"
# unhandled-promise = "off"

[guards]
# Functions whose callbacks run only after the widget has loaded, so calls
# inside them need no other guard.
# functions = ["whenTalkativeReady"]

[references]
# Wrappers (beyond those found automatically) whose first argument is an
# action name.
# functions = ["openChat"]
# HTML attributes whose value is an action name.
# attributes = ["data-talkative-action"]

# Settings for part of the site; later entries win. An entry's `actions`
# replaces the top-level one for its files.
# [[overrides]]
# files = ["support/**"]
# actions = "support-actions.yaml"
# rules = { missing-guard = "warn" }
"##;

/// Find `action-lint.toml` in `start_dir` or its nearest ancestor.
pub fn find_config(start_dir: &Path) -> Option<PathBuf> {
    absolute_path(start_dir)
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Error,
    Warn,
    Off,
}

impl RuleLevel {
    /// The config spellings: "error", "warn", "warning", "off".
    pub fn parse(s: &str) -> Option<RuleLevel> {
        match s {
            "error" => Some(RuleLevel::Error),
            "warn" | "warning" => Some(RuleLevel::Warn),
            "off" => Some(RuleLevel::Off),
            _ => None,
        }
    }

    /// `None` when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Error => Some(Severity::Error),
            RuleLevel::Warn => Some(Severity::Warning),
            RuleLevel::Off => None,
        }
    }
}

/// One `[[overrides]]` entry.
#[derive(Debug, Clone)]
pub struct Override {
    pub files: Vec<String>,
    /// Replaces the top-level actions for these files (absolute paths).
    pub actions: Option<Vec<PathBuf>>,
    pub rules: BTreeMap<String, RuleLevel>,
    matcher: GlobSet,
}

impl Override {
    /// Whether this entry applies to a root-relative path (`/` separators).
    pub fn matches(&self, rel_path: &str) -> bool {
        self.matcher.is_match(rel_path)
    }
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from; `None` for the defaults.
    pub path: Option<PathBuf>,
    /// The project root: the config's directory, else the current directory.
    /// Absolute.
    pub root: PathBuf,
    /// Absolute, resolved against `root`; empty when unset.
    pub actions: Vec<PathBuf>,
    /// As written; [`DEFAULT_INCLUDE`] alone when unset.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub rules: BTreeMap<String, RuleLevel>,
    pub guard_functions: Vec<String>,
    pub reference_functions: Vec<String>,
    /// Lowercased: HTML attribute names are case-insensitive.
    pub reference_attributes: Vec<String>,
    pub overrides: Vec<Override>,
    include_set: GlobSet,
    exclude_set: GlobSet,
    /// Directories whose whole subtree is excluded (`vendor` for `vendor/**`),
    /// so the walk never enters them.
    prune_set: GlobSet,
    canonical_root: Option<PathBuf>,
}

/// The configuration used when there is no `action-lint.toml`.
pub fn default_config(root: PathBuf) -> Config {
    let root = absolute_path(&root);
    Config {
        path: None,
        canonical_root: root.canonicalize().ok(),
        root,
        actions: Vec::new(),
        include: vec![DEFAULT_INCLUDE.to_owned()],
        exclude: Vec::new(),
        rules: BTreeMap::new(),
        guard_functions: Vec::new(),
        reference_functions: Vec::new(),
        reference_attributes: Vec::new(),
        overrides: Vec::new(),
        include_set: default_include_set(),
        exclude_set: GlobSet::empty(),
        prune_set: GlobSet::empty(),
    }
}

impl Config {
    /// Which actions files apply to a file (path relative to root, `/`
    /// separators): the last matching override with `actions` wins, else the
    /// top-level.
    pub fn actions_for(&self, rel_path: &str) -> &[PathBuf] {
        self.overrides
            .iter()
            .rev()
            .filter(|o| o.matches(rel_path))
            .find_map(|o| o.actions.as_deref())
            .unwrap_or(&self.actions)
    }

    /// Effective severity of a rule for a file: the rule's default, then
    /// top-level `[rules]`, then matching overrides in order (later wins).
    /// `None` = off (or no such rule).
    pub fn severity_for(&self, rule_id: &str, rel_path: &str) -> Option<Severity> {
        let meta = crate::rules::find(rule_id)?;
        let mut severity = match self.rules.get(rule_id) {
            Some(level) => level.severity(),
            None => Some(meta.default_severity),
        };
        for o in &self.overrides {
            if let Some(level) = o.rules.get(rule_id) {
                if o.matches(rel_path) {
                    severity = level.severity();
                }
            }
        }
        severity
    }

    /// All distinct non-empty actions-file sets used by the top level and the
    /// overrides, top level first (what to load up front).
    pub fn actions_sets(&self) -> Vec<&[PathBuf]> {
        let mut sets: Vec<&[PathBuf]> = Vec::new();
        let all = std::iter::once(self.actions.as_slice())
            .chain(self.overrides.iter().filter_map(|o| o.actions.as_deref()));
        for set in all {
            if !set.is_empty() && !sets.contains(&set) {
                sets.push(set);
            }
        }
        sets
    }

    /// `talkative-actions.{yaml,yml,json}` beside the config (in the root),
    /// existing ones only: the fallback when `actions` is unset.
    pub fn default_actions_candidates(&self) -> Vec<PathBuf> {
        DEFAULT_ACTIONS_FILES
            .iter()
            .map(|name| self.root.join(name))
            .filter(|p| p.is_file())
            .collect()
    }

    /// Whether a file (root-relative, `/` separators) matches `include`.
    pub fn is_included(&self, rel_path: &str) -> bool {
        self.include_set.is_match(rel_path)
    }

    /// Whether a path (root-relative, `/` separators) is excluded by
    /// `exclude`, itself or through one of its directories.
    pub fn is_excluded(&self, rel_path: &str, is_dir: bool) -> bool {
        self.exclude_set.is_match(rel_path) || (is_dir && self.prune_set.is_match(rel_path))
    }

    /// `path` relative to the root with `/` separators (`""` for the root
    /// itself), or `None` when it is outside. Relative paths are taken from
    /// the current directory; symlinked spellings of the root are recognised.
    pub fn rel_path(&self, path: &Path) -> Option<String> {
        let abs = absolute_path(path);
        if let Ok(rel) = abs.strip_prefix(&self.root) {
            return Some(slash_path(rel));
        }
        let canonical_root = self.canonical_root.as_ref()?;
        let canonical = abs.canonicalize().ok()?;
        canonical.strip_prefix(canonical_root).ok().map(slash_path)
    }
}

/// Read and validate a config file.
pub fn load_config(path: &Path) -> Result<Config, miette::Report> {
    let bytes = std::fs::read(path).map_err(|e| {
        miette::miette!(
            help = "check the path given to --config",
            "cannot read config file '{}': {}",
            path.display(),
            crate::actions::describe_io_error(&e)
        )
    })?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(miette::miette!(
            help = "save it as UTF-8",
            "config file '{}' is not valid UTF-8",
            path.display()
        ));
    };
    // The BOM is dropped here so spans index the text shown in the report.
    let source = SourceText::new(text);
    let text = source.text();
    let fail = |span: Span, label: String, message: String, help: String| {
        let Some(shown) = crate::source::report_snippet(text, &span) else {
            let at = source.pos(span.start);
            return miette::miette!(
                help = help,
                "{message}\n  at {}:{}:{}: {}",
                path.display(),
                at.line,
                at.column,
                crate::rules::printable(&label)
            );
        };
        let label = LabeledSpan::new_with_span(Some(label), span);
        miette::miette!(labels = vec![label], help = help, "{}", message)
            .with_source_code(NamedSource::new(path.display().to_string(), shown))
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let what = e.message().trim().replace('\n', ": ");
        let span = e.span().unwrap_or(0..0);
        fail(
            span,
            what.clone(),
            format!("invalid config file '{}': {what}", path.display()),
            CONFIG_HELP.into(),
        )
    })?;
    let root = absolute_path(path)
        .parent()
        .map_or_else(|| absolute_path(Path::new(".")), Path::to_path_buf);
    build(raw, root, path).map_err(|(span, label, message, help)| {
        fail(
            span,
            label,
            format!("{message} in config file '{}'", path.display()),
            help,
        )
    })
}

/// A validation failure: span, label, message (without the file), help.
type Invalid = (Span, String, String, String);

fn build(raw: RawConfig, root: PathBuf, path: &Path) -> Result<Config, Invalid> {
    let resolve = |list: PathList| -> Vec<PathBuf> {
        list.0.iter().map(|p| normalize(&root.join(p))).collect()
    };
    let (include, include_set) = match raw.include {
        Some(globs) => {
            let set = compile(&globs, false)?;
            (globs.into_iter().map(Spanned::into_inner).collect(), set)
        }
        None => (vec![DEFAULT_INCLUDE.to_owned()], default_include_set()),
    };
    let exclude_globs = raw.exclude.unwrap_or_default();
    let exclude_set = compile(&exclude_globs, false)?;
    let prune_set = compile(&exclude_globs, true)?;
    let rules = rule_levels(raw.rules.unwrap_or_default())?;
    let mut overrides = Vec::new();
    for o in raw.overrides.unwrap_or_default() {
        if o.files.get_ref().is_empty() {
            return Err((
                o.files.span(),
                "no globs here".into(),
                "an override with an empty `files` list".into(),
                "list the files it applies to, e.g. files = [\"support/**\"]".into(),
            ));
        }
        let files = o.files.into_inner();
        overrides.push(Override {
            matcher: compile(&files, false)?,
            files: files.into_iter().map(Spanned::into_inner).collect(),
            actions: o.actions.map(resolve),
            rules: rule_levels(o.rules.unwrap_or_default())?,
        });
    }
    let guards = raw.guards.unwrap_or_default();
    let references = raw.references.unwrap_or_default();
    Ok(Config {
        path: Some(path.to_path_buf()),
        canonical_root: root.canonicalize().ok(),
        actions: raw.actions.map(resolve).unwrap_or_default(),
        include,
        exclude: exclude_globs.into_iter().map(Spanned::into_inner).collect(),
        rules,
        guard_functions: guards.functions.unwrap_or_default(),
        reference_functions: references.functions.unwrap_or_default(),
        reference_attributes: references
            .attributes
            .unwrap_or_default()
            .iter()
            .map(|a| a.to_ascii_lowercase())
            .collect(),
        overrides,
        include_set,
        exclude_set,
        prune_set,
        root,
    })
}

fn rule_levels(
    raw: BTreeMap<Spanned<String>, Spanned<String>>,
) -> Result<BTreeMap<String, RuleLevel>, Invalid> {
    // BTreeMap order is by name; report the first problem in file order.
    let mut entries: Vec<_> = raw.into_iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    let mut out = BTreeMap::new();
    for (id, level) in entries {
        if crate::rules::find(id.get_ref()).is_none() {
            let help = match closest_rule(id.get_ref()) {
                Some(best) => format!("did you mean '{best}'?"),
                None => "run `action-lint rules` to list the rule ids".into(),
            };
            return Err((
                id.span(),
                "not a rule id".into(),
                format!("unknown rule '{}'", id.get_ref()),
                help,
            ));
        }
        let Some(parsed) = RuleLevel::parse(level.get_ref()) else {
            return Err((
                level.span(),
                "expected \"error\", \"warn\" or \"off\"".into(),
                format!(
                    "invalid level '{}' for rule '{}'",
                    level.get_ref(),
                    id.get_ref()
                ),
                "use \"error\", \"warn\" (or \"warning\") or \"off\"".into(),
            ));
        };
        out.insert(id.into_inner(), parsed);
    }
    Ok(out)
}

fn closest_rule(id: &str) -> Option<&'static str> {
    crate::rules::registry::ALL
        .iter()
        .map(|m| (strsim::osa_distance(id, m.id), m.id))
        .filter(|&(d, _)| d <= 2.max(id.chars().count() / 3))
        .min_by_key(|&(d, _)| d)
        .map(|(_, best)| best)
}

/// Both `expect`s hold whatever the input: `DEFAULT_INCLUDE` is a constant
/// (no user text reaches this function), built by every default run and by
/// the tests `empty_config_is_the_default` and discover's
/// `walks_default_extensions_sorted`; and a set of one valid glob always builds.
fn default_include_set() -> GlobSet {
    let glob = GlobBuilder::new(DEFAULT_INCLUDE)
        .literal_separator(true)
        .case_insensitive(true)
        .build()
        .expect("the default include glob is valid");
    let mut set = GlobSetBuilder::new();
    set.add(glob);
    set.build().expect("one valid glob")
}

/// Compile globs with .gitignore-like meaning, relative to the root:
/// a leading `/` or a slash in the middle anchors a pattern to the root,
/// otherwise it matches at any depth (`*.js` is `**/*.js`); a pattern also
/// matches everything below a directory it matches (`vendor` covers
/// `vendor/a.js`). `*` never crosses a `/`; `**` does.
///
/// With `dirs_only`, the set instead matches the directories whose whole
/// subtree a pattern covers (`vendor/**` → `vendor`), for pruning the walk.
fn compile(globs: &[Spanned<String>], dirs_only: bool) -> Result<GlobSet, Invalid> {
    let mut set = GlobSetBuilder::new();
    for glob in globs {
        let written = glob.get_ref();
        let mut p = written.as_str();
        while let Some(rest) = p.strip_prefix("./") {
            p = rest;
        }
        let anchored = p.starts_with('/') || p.trim_end_matches('/').contains('/');
        let p = p.trim_start_matches('/').trim_end_matches('/');
        if p.is_empty() {
            return Err((
                glob.span(),
                "empty pattern".into(),
                "an empty glob".into(),
                "write a pattern such as \"vendor/**\" or \"*.min.js\"".into(),
            ));
        }
        let base = if anchored || p.starts_with("**") {
            p.to_owned()
        } else {
            format!("**/{p}")
        };
        let variants = if dirs_only {
            let mut v = vec![base.clone()];
            if let Some(dir) = base.strip_suffix("/**") {
                v.push(dir.to_owned());
            }
            v
        } else if base.ends_with("/**") {
            vec![base]
        } else {
            vec![format!("{base}/**"), base]
        };
        for v in variants {
            let compiled = GlobBuilder::new(&v)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    (
                        glob.span(),
                        e.kind().to_string(),
                        format!("invalid glob '{written}'"),
                        "globs use `*`, `**`, `?`, `[abc]` and `{a,b}`; escape special characters with `\\`".into(),
                    )
                })?;
            set.add(compiled);
        }
    }
    set.build().map_err(|e| {
        let span = globs.first().map_or(0..0, Spanned::span);
        (
            span,
            e.to_string(),
            "invalid globs".into(),
            CONFIG_HELP.into(),
        )
    })
}

/// Absolute and lexically normalised (`.` dropped, `..` folded): paths stay
/// as the user spelled them, without resolving symlinks.
pub(crate) fn absolute_path(path: &Path) -> PathBuf {
    if path.is_absolute() {
        normalize(path)
    } else {
        let cwd = std::env::current_dir().unwrap_or_default();
        normalize(&cwd.join(path))
    }
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(c);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A relative path with `/` separators.
pub(crate) fn slash_path(rel: &Path) -> String {
    let parts: Vec<_> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    actions: Option<PathList>,
    include: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    rules: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    guards: Option<RawGuards>,
    references: Option<RawReferences>,
    overrides: Option<Vec<RawOverride>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawGuards {
    functions: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReferences {
    functions: Option<Vec<String>>,
    attributes: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    files: Spanned<Vec<Spanned<String>>>,
    actions: Option<PathList>,
    rules: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

/// `actions = "a.yaml"` or `actions = ["a.yaml", "b.json"]`. A visitor rather
/// than an untagged enum so a wrong type gets a precise message.
struct PathList(Vec<String>);

impl<'de> Deserialize<'de> for PathList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PathListVisitor;
        impl<'de> Visitor<'de> for PathListVisitor {
            type Value = PathList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a path or a list of paths")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PathList, E> {
                Ok(PathList(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PathList, A::Error> {
                let mut out = Vec::new();
                while let Some(p) = seq.next_element::<String>()? {
                    out.push(p);
                }
                Ok(PathList(out))
            }
        }
        deserializer.deserialize_any(PathListVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Write `text` as a config in a fresh directory and load it.
    fn load(text: &str) -> (tempfile::TempDir, Result<Config, miette::Report>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(&path, text).unwrap();
        let res = load_config(&path);
        (dir, res)
    }

    fn config(text: &str) -> (tempfile::TempDir, Config) {
        let (dir, res) = load(text);
        match res {
            Ok(c) => (dir, c),
            Err(e) => panic!("{}", render(&e)),
        }
    }

    fn render(e: &miette::Report) -> String {
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(200)
            .render_report(&mut out, e.as_ref())
            .unwrap();
        out
    }

    /// The text under the error's label, the label, and the rendered report.
    fn error(text: &str) -> (String, String, String) {
        let (_dir, res) = load(text);
        let Err(e) = res else {
            panic!("expected an error")
        };
        let l = e.labels().expect("labels").next().expect("a label");
        let at = text.trim_start_matches('\u{feff}')[l.offset()..l.offset() + l.len()].to_owned();
        (at, l.label().unwrap_or_default().to_owned(), render(&e))
    }

    #[test]
    fn every_key() {
        let (dir, c) = config(
            r#"
actions = "talkative-actions.yaml"
include = ["site/**/*.html", "*.js"]
exclude = ["vendor/**", "*.min.js"]

[rules]
unknown-action = "warn"
unhandled-promise = "off"
missing-guard = "warning"
legacy-api = "error"

[guards]
functions = ["whenTalkativeReady"]

[references]
functions = ["openChat"]
attributes = ["data-Talkative-Action"]

[[overrides]]
files = ["support/**"]
actions = ["support-actions.yaml", "./shared/../common.json"]
rules = { missing-guard = "off" }
"#,
        );
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(c.root.canonicalize().unwrap(), root);
        assert!(c.root.is_absolute());
        assert_eq!(
            c.path.as_deref(),
            Some(dir.path().join(CONFIG_FILE).as_path())
        );
        assert_eq!(c.actions, [c.root.join("talkative-actions.yaml")]);
        assert_eq!(c.include, ["site/**/*.html", "*.js"]);
        assert_eq!(c.exclude, ["vendor/**", "*.min.js"]);
        assert_eq!(c.rules["unknown-action"], RuleLevel::Warn);
        assert_eq!(c.rules["unhandled-promise"], RuleLevel::Off);
        assert_eq!(c.rules["missing-guard"], RuleLevel::Warn);
        assert_eq!(c.rules["legacy-api"], RuleLevel::Error);
        assert_eq!(c.guard_functions, ["whenTalkativeReady"]);
        assert_eq!(c.reference_functions, ["openChat"]);
        assert_eq!(c.reference_attributes, ["data-talkative-action"]);
        let o = &c.overrides[0];
        assert_eq!(o.files, ["support/**"]);
        assert_eq!(
            o.actions.as_deref().unwrap(),
            [
                c.root.join("support-actions.yaml"),
                c.root.join("common.json")
            ]
        );
        assert_eq!(o.rules["missing-guard"], RuleLevel::Off);
    }

    #[test]
    fn empty_config_is_the_default() {
        let (_dir, c) = config("");
        assert!(c.actions.is_empty() && c.exclude.is_empty() && c.overrides.is_empty());
        assert_eq!(c.include, [DEFAULT_INCLUDE]);
        assert!(c.is_included("index.html") && c.is_included("a/b/App.TSX"));
        assert!(!c.is_included("README.md"));
        let d = default_config(PathBuf::from("."));
        assert!(d.root.is_absolute() && d.path.is_none());
        assert!(d.is_included("src/main.mjs") && !d.is_included("x.php"));
    }

    #[test]
    fn actions_for_takes_the_last_matching_override_with_actions() {
        let (_dir, c) = config(
            r#"
actions = "main.yaml"
[[overrides]]
files = ["support/**"]
actions = "support.yaml"
[[overrides]]
files = ["support/legacy/**"]
actions = ["legacy.yaml"]
[[overrides]]
files = ["**/*.html"]
rules = { unknown-action = "warn" }
"#,
        );
        let r = |p: &str| c.root.join(p);
        assert_eq!(c.actions_for("index.html"), [r("main.yaml")]);
        assert_eq!(c.actions_for("support/a.js"), [r("support.yaml")]);
        // The later override wins; one without `actions` does not reset it.
        assert_eq!(c.actions_for("support/legacy/a.html"), [r("legacy.yaml")]);
        assert_eq!(
            c.actions_sets(),
            [
                &[r("main.yaml")][..],
                &[r("support.yaml")][..],
                &[r("legacy.yaml")][..]
            ]
        );
    }

    #[test]
    fn severity_follows_default_then_rules_then_overrides_in_order() {
        let (_dir, c) = config(
            r#"
[rules]
unknown-action = "warn"
unused-action = "off"
[[overrides]]
files = ["support/**"]
rules = { unknown-action = "error", missing-guard = "off" }
[[overrides]]
files = ["support/legacy/**"]
rules = { unknown-action = "off" }
"#,
        );
        assert_eq!(
            c.severity_for("unknown-action", "a.js"),
            Some(Severity::Warning)
        );
        assert_eq!(
            c.severity_for("unknown-action", "support/a.js"),
            Some(Severity::Error)
        );
        assert_eq!(
            c.severity_for("unknown-action", "support/legacy/a.js"),
            None
        );
        assert_eq!(
            c.severity_for("missing-guard", "a.js"),
            Some(Severity::Error)
        );
        assert_eq!(c.severity_for("missing-guard", "support/x/a.js"), None);
        assert_eq!(
            c.severity_for("unsafe-api", "a.js"),
            Some(Severity::Warning)
        );
        assert_eq!(c.severity_for("unused-action", "a.js"), None);
        assert_eq!(c.severity_for("no-such-rule", "a.js"), None);
    }

    #[test]
    fn globs_behave_like_gitignore() {
        let (_dir, c) = config(
            r#"
include = ["site", "**/*.php", "/top.js"]
exclude = ["vendor/**", "*.min.js", "node_modules", "/build/", "site/gen/*.js"]
"#,
        );
        assert!(c.is_included("site/a/b.txt"));
        assert!(c.is_included("x/y.php") && c.is_included("y.php"));
        assert!(c.is_included("top.js") && !c.is_included("a/top.js"));
        assert!(c.is_excluded("vendor/a.js", false) && c.is_excluded("vendor/x/a.js", false));
        assert!(!c.is_excluded("src/vendor/a.js", false));
        assert!(c.is_excluded("vendor", true) && c.is_excluded("vendor/lib", true));
        assert!(c.is_excluded("app.min.js", false) && c.is_excluded("a/b/app.min.js", false));
        assert!(c.is_excluded("a/node_modules", true));
        assert!(c.is_excluded("a/node_modules/x/y.js", false));
        assert!(c.is_excluded("build", true) && c.is_excluded("build/a.js", false));
        assert!(!c.is_excluded("src/build/a.js", false));
        assert!(c.is_excluded("site/gen/a.js", false) && !c.is_excluded("site/gen/x/a.js", false));
        assert!(!c.is_excluded("site/gen", true));
    }

    #[test]
    fn rel_path_is_root_relative_with_slashes() {
        let (dir, c) = config("");
        assert_eq!(
            c.rel_path(&dir.path().join("a").join("b.js")).as_deref(),
            Some("a/b.js")
        );
        assert_eq!(c.rel_path(dir.path()).as_deref(), Some(""));
        assert_eq!(c.rel_path(Path::new("/definitely/elsewhere.js")), None);
        // Reached through the canonical spelling (e.g. /tmp → /private/tmp).
        let canon = dir.path().canonicalize().unwrap().join("x.js");
        assert_eq!(c.rel_path(&canon).as_deref(), Some("x.js"));
    }

    #[test]
    fn find_config_walks_up() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b/c");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(dir.path().join("a").join(CONFIG_FILE), "").unwrap();
        assert_eq!(
            find_config(&deep),
            Some(dir.path().join("a").join(CONFIG_FILE))
        );
        // A directory with the config's name is not a config.
        std::fs::create_dir(deep.join(CONFIG_FILE)).unwrap();
        assert_eq!(
            find_config(&deep),
            Some(dir.path().join("a").join(CONFIG_FILE))
        );
    }

    #[test]
    fn default_actions_candidates_are_existing_files_beside_the_config() {
        let (dir, c) = config("");
        assert!(c.default_actions_candidates().is_empty());
        std::fs::write(dir.path().join("talkative-actions.json"), "[]").unwrap();
        std::fs::write(dir.path().join("talkative-actions.yaml"), "[]").unwrap();
        assert_eq!(
            c.default_actions_candidates(),
            [
                c.root.join("talkative-actions.yaml"),
                c.root.join("talkative-actions.json")
            ]
        );
    }

    #[test]
    fn unknown_keys_point_at_the_key() {
        let (at, label, out) = error("actions = \"a.yaml\"\nexlude = []\n");
        assert_eq!(at, "exlude");
        assert!(label.contains("unknown field `exlude`"), "{label}");
        assert!(out.contains("invalid config file"), "{out}");
        assert!(out.contains("action-lint.toml:2:1"), "{out}");
        let (at, _, _) = error("[guards]\nfunktions = []\n");
        assert_eq!(at, "funktions");
        let (at, _, _) = error("[[overrides]]\nfiles = [\"a\"]\nrulez = {}\n");
        assert_eq!(at, "rulez");
        let (at, _, _) = error("[reference]\nfunctions = []\n");
        assert_eq!(at, "reference");
    }

    #[test]
    fn wrong_types_point_at_the_value() {
        let (at, label, _) = error("actions = 5\n");
        assert_eq!(at, "5");
        assert!(
            label.contains("expected a path or a list of paths"),
            "{label}"
        );
        let (at, _, _) = error("include = \"*.js\"\n");
        assert_eq!(at, "\"*.js\"");
        let (at, _, _) = error("[guards]\nfunctions = [\"a\", 3]\n");
        assert_eq!(at, "3");
        let (at, label, _) = error("[rules]\nunknown-action = 2\n");
        assert_eq!(at, "2");
        assert!(label.contains("expected a string"), "{label}");
        let (_, label, _) = error("[[overrides]]\nrules = {}\n");
        assert!(label.contains("missing field `files`"), "{label}");
    }

    #[test]
    fn unknown_rule_ids_and_levels_point_at_the_text() {
        let (at, label, out) =
            error("[rules]\nunknown-action = \"warn\"\nunknwon-action = \"off\"\n");
        assert_eq!(at, "unknwon-action");
        assert_eq!(label, "not a rule id");
        assert!(
            out.contains("unknown rule 'unknwon-action' in config file"),
            "{out}"
        );
        assert!(out.contains("did you mean 'unknown-action'?"), "{out}");
        let (at, _, out) =
            error("[[overrides]]\nfiles = [\"a/**\"]\nrules = { frobnicate = \"off\" }\n");
        assert_eq!(at, "frobnicate");
        assert!(out.contains("action-lint rules"), "{out}");
        let (at, label, _) = error("[rules]\nmissing-guard = \"fatal\"\n");
        assert_eq!(at, "\"fatal\"");
        assert!(label.contains("\"error\", \"warn\" or \"off\""), "{label}");
    }

    #[test]
    fn invalid_globs_point_at_the_glob() {
        let (at, _, out) = error("exclude = [\"ok/**\", \"a/[b\"]\n");
        assert_eq!(at, "\"a/[b\"");
        assert!(out.contains("invalid glob 'a/[b'"), "{out}");
        let (at, _, _) = error("[[overrides]]\nfiles = [\"{a\"]\n");
        assert_eq!(at, "\"{a\"");
        let (at, _, _) = error("[[overrides]]\nfiles = []\n");
        assert_eq!(at, "[]");
        let (at, _, _) = error("include = [\"/\"]\n");
        assert_eq!(at, "\"/\"");
    }

    #[test]
    fn toml_syntax_errors_have_a_span() {
        let (_, label, out) = error("[rules\n");
        assert!(!label.is_empty());
        assert!(out.contains("invalid config file"), "{out}");
        // A BOM does not shift the span.
        let (at, _, _) = error("\u{feff}bogus = 1\n");
        assert_eq!(at, "bogus");
    }

    #[test]
    fn unreadable_config_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let e = load_config(&dir.path().join("nope.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("cannot read config file") && e.contains("no such file"),
            "{e}"
        );
        let bad = dir.path().join(CONFIG_FILE);
        std::fs::write(&bad, b"actions = \"\xff\"\n").unwrap();
        assert!(load_config(&bad)
            .unwrap_err()
            .to_string()
            .contains("not valid UTF-8"));
    }

    #[test]
    fn fixture_config_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/config")
            .join(CONFIG_FILE);
        let c = load_config(&path).unwrap();
        assert_eq!(c.actions, [c.root.join("talkative-actions.yaml")]);
        assert!(c.actions[0].is_file());
        assert_eq!(
            c.actions_for("support/help.html"),
            [c.root.join("talkative-actions.json")]
        );
        assert_eq!(
            c.severity_for("missing-guard", "support/help.html"),
            Some(Severity::Warning)
        );
        assert_eq!(c.severity_for("unhandled-promise", "index.html"), None);
    }

    #[test]
    fn starter_config_changes_nothing_and_every_example_is_valid() {
        let (_dir, c) = config(STARTER_CONFIG);
        assert!(c.actions.is_empty() && c.rules.is_empty() && c.overrides.is_empty());
        assert_eq!(c.include, [DEFAULT_INCLUDE]);
        // Uncomment every example line ("# key = …" or "# [table]").
        let uncommented: String = STARTER_CONFIG
            .lines()
            .map(|l| {
                let body = l.strip_prefix("# ").unwrap_or("");
                let is_example = body.starts_with('[')
                    || body.split_once(" = ").is_some_and(|(k, _)| {
                        k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    });
                if is_example {
                    body
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let (_dir, c) = config(&uncommented);
        assert_eq!(c.actions.len(), 1);
        assert_eq!(c.include.len(), 2);
        assert_eq!(c.exclude.len(), 2);
        assert_eq!(c.rules.len(), 2);
        assert_eq!(c.guard_functions, ["whenTalkativeReady"]);
        assert_eq!(c.reference_functions, ["openChat"]);
        assert_eq!(c.reference_attributes, ["data-talkative-action"]);
        assert_eq!(c.overrides.len(), 1);
        assert!(c.overrides[0].actions.is_some() && !c.overrides[0].rules.is_empty());
    }
}
