//! The rule trait, rule metadata, and the macro that keeps each rule's docs on
//! the rule. Rules turn analysis facts into diagnostics; they never do I/O,
//! never print, and never filter their own findings (severity and
//! suppressions are applied by the engine afterwards).

pub mod call_during_interaction;
pub mod duplicate_custom_config;
pub mod dynamic_action_name;
pub mod invalid_actions_config;
pub mod invalid_suppression;
pub mod late_custom_config;
pub mod legacy_api;
pub mod missing_guard;
pub mod registry;
pub mod retrigger_on_standby;
#[cfg(test)]
pub mod tester;
pub mod unhandled_promise;
pub mod unknown_action;
pub mod unknown_api_member;
pub mod unsafe_api;
pub mod unused_action;

use crate::diagnostic::Severity;

/// What every rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    /// Kebab-case id: `unknown-action`.
    pub id: &'static str,
    pub default_severity: Severity,
    /// One line for `action-lint rules` and SARIF `shortDescription`.
    pub summary: &'static str,
    /// Markdown with the fixed headings: What it does / Why is this bad? /
    /// Example / Configuration. Feeds `explain`, `docs/rules.md` and SARIF help.
    pub docs: &'static str,
}

impl RuleMeta {
    /// Where the rule's documentation lives on the web (SARIF helpUri, LSP codeDescription).
    pub fn help_uri(&self) -> String {
        format!("{}#{}", DOCS_URL, self.id)
    }
}

/// The rules reference, rendered from the same text as `explain`.
pub const DOCS_URL: &str = "https://github.com/action-lint/action-lint/blob/main/docs/rules.md";

/// Declares a rule's metadata next to its docs:
/// `declare_rule!(UnknownAction, "unknown-action", Error, "summary", r#"docs"#);`
#[macro_export]
macro_rules! declare_rule {
    ($ty:ident, $id:literal, $sev:ident, $summary:literal, $docs:expr) => {
        pub struct $ty;
        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                default_severity: $crate::diagnostic::Severity::$sev,
                summary: $summary,
                docs: $docs,
            };
        }
    };
}

/// Look a rule up by id.
pub fn find(id: &str) -> Option<&'static RuleMeta> {
    registry::ALL.iter().copied().find(|m| m.id == id)
}

use crate::actions::ActionsFile;
use crate::diagnostic::Diagnostic;
use crate::project::{FileEntry, Project};

/// What rules see: the analysed files, the project index, the actions configs.
pub struct Context<'a> {
    pub files: &'a [FileEntry],
    pub project: &'a Project,
    /// The actions configs that apply to a file (by index into `files`).
    pub actions_for: &'a (dyn Fn(usize) -> Vec<&'a ActionsFile> + Sync),
    pub all_actions: Vec<&'a ActionsFile>,
    /// The whole project root was checked (`unused-action` runs only then).
    pub whole_root: bool,
    pub cwd: &'a std::path::Path,
    /// Findings with the index of the file they belong to (`None`: an actions file).
    pub out: Vec<(Option<usize>, Diagnostic)>,
    /// The messages pushed so far, each text once.
    pub messages: rustc_hash::FxHashSet<crate::source::Text>,
}

impl Context<'_> {
    /// Add a finding. Its message shares the text of an equal one pushed
    /// before: a rule that fires on every page of a large site says the
    /// same thing thousands of times, and each message was its own copy.
    pub fn push(&mut self, file: Option<usize>, mut d: Diagnostic) {
        match self.messages.get(&d.message) {
            Some(m) => d.message = m.clone(),
            None => {
                self.messages.insert(d.message.clone());
            }
        }
        self.out.push((file, d));
    }

    /// Display path of an actions file.
    pub fn actions_display(&self, a: &ActionsFile) -> String {
        crate::engine::display_path(&a.path, self.cwd)
    }
}

/// A rule: metadata plus, for project-level rules, a check over the facts.
/// Rules decided while walking a file (interaction, standby, promises, API
/// members, config order) emit from the analysis; their `check` is empty.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, _ctx: &mut Context<'_>) {}
}

/// Names from scanned files or configs may hold control characters; show
/// them escaped in messages (JSON and SARIF encode the raw `action` field).
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::project::Project;
    use crate::source::{Location, Text};

    /// Equal messages share one text; other messages keep their own.
    #[test]
    fn pushed_findings_share_equal_messages() {
        let project = Project::build(&[], &[]);
        let actions_for = |_: usize| Vec::new();
        let mut ctx = super::Context {
            files: &[],
            project: &project,
            actions_for: &actions_for,
            all_actions: Vec::new(),
            whole_root: false,
            cwd: std::path::Path::new("/"),
            out: Vec::new(),
            messages: Default::default(),
        };
        let d = |m: &str| {
            Diagnostic::new(
                "r",
                Severity::Warning,
                "a.js",
                Location::default(),
                m.to_owned(),
            )
        };
        for m in ["same", "same", "other", "same"] {
            ctx.push(None, d(m));
        }
        let m: Vec<&Text> = ctx.out.iter().map(|(_, d)| &d.message).collect();
        assert_eq!(
            m.iter().map(|t| &***t).collect::<Vec<_>>(),
            ["same", "same", "other", "same"]
        );
        assert!(Text::ptr_eq(m[0], m[1]) && Text::ptr_eq(m[0], m[3]));
        assert!(!Text::ptr_eq(m[0], m[2]));
    }
}
