//! `unsafe-api`: use of the non-public talkativeApi.__unsafe.

use super::Rule;
use crate::declare_rule;

declare_rule!(
    UnsafeApi,
    "unsafe-api",
    Warning,
    "use of the non-public talkativeApi.__unsafe",
    r#"## What it does
Flags any use of `talkativeApi.__unsafe`.

## Why is this bad?
`__unsafe` is documented as not for public use: it can change or disappear in any widget release without notice.

## Example
```js
talkativeApi.__unsafe.store.dispatch({ type: 'open' });
```
Use instead:
```js
talkativeApi.ui.show();
```

## Configuration
None.
"#
);

impl Rule for UnsafeApi {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}
