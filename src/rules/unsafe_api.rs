//! `unsafe-api`: use of the non-public talkativeApi.__unsafe.

use super::Rule;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::source::{Location, Text};

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

/// The finding, with all its text.
pub fn finding(display: &Text, location: Location, snippet: &str) -> Diagnostic {
    Diagnostic::new(
        UnsafeApi::META.id,
        UnsafeApi::META.default_severity,
        display.clone(),
        location,
        "talkativeApi.__unsafe is not a public API",
    )
    .with_help(crate::static_text!(
        "use a documented member: it may change or disappear without notice"
    ))
    .with_snippet(snippet)
}

impl Rule for UnsafeApi {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_and_fail() {
        let pass = [r#"window.talkativeApi?.ui.show();"#];
        let fail = [r#"window.talkativeApi?.__unsafe.store.dispatch({});"#];
        super::super::tester::test_rule("unsafe-api", &pass, &fail);
    }
}
