//! `duplicate-custom-config`: talkativeCustomConfig is assigned twice.

use super::Rule;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Related};
use crate::source::{Location, Text};

declare_rule!(
    DuplicateCustomConfig,
    "duplicate-custom-config",
    Warning,
    "talkativeCustomConfig is assigned twice",
    r#"## What it does
Flags a second unconditional assignment of `talkativeCustomConfig` in one file or one page (its inline scripts), at the later assignment.

## Why is this bad?
The second assignment silently replaces the first, with all its event callbacks.

## Example
```js
window.talkativeCustomConfig = { events: { ready: onReady } };
window.talkativeCustomConfig = { customTracking: track };
```
Use instead:
```js
window.talkativeCustomConfig = { events: { ready: onReady }, customTracking: track };
```

## Configuration
None.
"#
);

/// The finding, with all its text; `first` is the earlier assignment.
pub fn finding(display: &Text, location: Location, snippet: &str, first: Location) -> Diagnostic {
    Diagnostic::new(
        DuplicateCustomConfig::META.id,
        DuplicateCustomConfig::META.default_severity,
        display.clone(),
        location,
        "talkativeCustomConfig is assigned again and replaces the earlier config",
    )
    .with_help(crate::static_text!("merge both configs into one object"))
    .with_related(Related {
        path: display.clone(),
        location: first,
        message: "first assigned here".into(),
    })
    .with_snippet(snippet)
}

impl Rule for DuplicateCustomConfig {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_and_fail() {
        let pass = [
            r#"window.talkativeCustomConfig = {};"#,
            r#"if (a) { window.talkativeCustomConfig = {}; } else { window.talkativeCustomConfig = { events: {} }; }"#,
        ];
        let fail = [
            r#"window.talkativeCustomConfig = {}; window.talkativeCustomConfig = { events: {} };"#,
        ];
        super::super::tester::test_rule("duplicate-custom-config", &pass, &fail);
    }
}
