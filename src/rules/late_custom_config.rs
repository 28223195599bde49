//! `late-custom-config`: talkativeCustomConfig is assigned after the widget loader was requested.

use super::Rule;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Related};
use crate::source::{Location, Text};

declare_rule!(
    LateCustomConfig,
    "late-custom-config",
    Error,
    "talkativeCustomConfig is assigned after the widget loader was requested",
    r#"## What it does
Flags an assignment of `talkativeCustomConfig` that comes after the widget loader was requested in the same file or page: a `<script src>` whose URL contains `/api/ecs/v1/loader/`, an `import()` of such a URL, or a script element created in JS whose `src` is set to one. Within JavaScript, only requests and assignments in the same function (or both at the top level) are compared.

## Why is this bad?
The loader reads the config when it runs; a config assigned later may never be seen, so its event callbacks are never registered.

## Example
```html
<script src="https://eu.engage.app/api/ecs/v1/loader/abc.js"></script>
<script>window.talkativeCustomConfig = { events: { ready() {} } };</script>
```
Use instead:
```html
<script>window.talkativeCustomConfig = { events: { ready() {} } };</script>
<script src="https://eu.engage.app/api/ecs/v1/loader/abc.js"></script>
```

## Configuration
None.
"#
);

/// The finding, with all its text; `loader` is where the loader was requested.
pub fn finding(display: &Text, location: Location, snippet: &str, loader: Location) -> Diagnostic {
    Diagnostic::new(
        LateCustomConfig::META.id,
        LateCustomConfig::META.default_severity,
        display.clone(),
        location,
        "talkativeCustomConfig is assigned after the widget loader was requested",
    )
    .with_help(
        "move this assignment above the loader so the widget sees the config and its callbacks",
    )
    .with_related(Related {
        path: display.clone(),
        location: loader,
        message: "the loader is requested here".into(),
    })
    .with_snippet(snippet)
}

impl Rule for LateCustomConfig {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_and_fail() {
        let pass = [
            r#"window.talkativeCustomConfig = {}; import('https://eu.engage.app/api/ecs/v1/loader/a.js');"#,
            r#"function load() { import('https://eu.engage.app/api/ecs/v1/loader/a.js'); } window.talkativeCustomConfig = {}; load();"#,
        ];
        let fail = [
            r#"import('https://eu.engage.app/api/ecs/v1/loader/a.js'); window.talkativeCustomConfig = {};"#,
            r#"const s = document.createElement('script'); s.src = 'https://eu.engage.app/api/ecs/v1/loader/a.js'; window.talkativeCustomConfig = {};"#,
        ];
        super::super::tester::test_rule("late-custom-config", &pass, &fail);
    }
}
