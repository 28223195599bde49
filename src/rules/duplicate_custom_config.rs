//! `duplicate-custom-config`: talkativeCustomConfig is assigned twice.

use super::Rule;
use crate::declare_rule;

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

impl Rule for DuplicateCustomConfig {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}
