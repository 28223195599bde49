//! `unknown-api-member`: a talkativeApi member or global spelling that does not exist.

use super::Rule;
use crate::declare_rule;

declare_rule!(
    UnknownApiMember,
    "unknown-api-member",
    Error,
    "a talkativeApi member or global spelling that does not exist",
    r#"## What it does
Checks `talkativeApi.X` and `talkativeApi.ns.Y` against the known API (`actions` {triggerAction, getActions}, `ui` {canShow, isVisible, show, hide, isAvailable, activate, deactivate}, `queues` {getPresences}, `interactionData` {appendInteractionData, setSignedInteractionData}, `interaction`), and flags undeclared globals that are near misses of `talkativeApi` (`talkativeAPI`, `talaktiveApi`), suggesting the right name.

## Why is this bad?
A misspelt member is `undefined`; calling it throws a `TypeError`. The vendor's own docs once spelt the global `talaktiveApi`, so copied snippets carry the typo.

## Example
```js
talkativeApi.actions.trigger('start-chat');
talaktiveApi.ui.show();
```
Use instead:
```js
talkativeApi.actions.triggerAction('start-chat');
talkativeApi.ui.show();
```

## Configuration
None.
"#
);

impl Rule for UnknownApiMember {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}
