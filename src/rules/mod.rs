//! The rule trait, rule metadata, and the macro that keeps each rule's docs on
//! the rule. Rules turn analysis facts into diagnostics; they never do I/O,
//! never print, and never filter their own findings (severity and
//! suppressions are applied by the engine afterwards).

pub mod registry;

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
