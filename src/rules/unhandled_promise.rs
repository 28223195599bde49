//! `unhandled-promise`: the promise returned by triggerAction is dropped.

use super::Rule;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::source::{Location, Text};

declare_rule!(
    UnhandledPromise,
    "unhandled-promise",
    Warning,
    "the promise returned by triggerAction is dropped",
    r#"## What it does
Flags a `triggerAction` call whose promise is dropped: not awaited, not followed by `.then`/`.catch`/`.finally`, not returned, not assigned. `void p` and an arrow function whose body is the call count as handled; passing the promise to a function (other than `Promise.all`/`allSettled`/`race`/`any`) and a `javascript:` URL do not.

## Why is this bad?
`triggerAction` rejects when the action does not exist or cannot run. A dropped promise turns that into an unhandled rejection nobody sees.

## Example
```js
talkativeApi.actions.triggerAction('start-chat');
```
Use instead:
```js
talkativeApi.actions.triggerAction('start-chat').catch((e) => console.warn('chat failed', e));
```

## Configuration
None.
"#
);

/// The finding, with all its text.
pub fn finding(display: &Text, location: Location, snippet: &str) -> Diagnostic {
    Diagnostic::new(
        UnhandledPromise::META.id,
        UnhandledPromise::META.default_severity,
        display.clone(),
        location,
        "the promise returned by triggerAction is dropped, so a failure goes unnoticed",
    )
    .with_help(crate::static_text!(
        "add .catch(…) or await it inside try/catch"
    ))
    .with_snippet(snippet)
}

impl Rule for UnhandledPromise {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_and_fail() {
        let pass = [
            r#"window.talkativeApi?.actions.triggerAction('start-chat').catch(() => {});"#,
            r#"async function f() { await window.talkativeApi?.actions.triggerAction('start-chat'); }"#,
            r#"const p = window.talkativeApi?.actions.triggerAction('start-chat');"#,
            r#"void window.talkativeApi?.actions.triggerAction('start-chat');"#,
            r#"btn.onclick = () => window.talkativeApi?.actions.triggerAction('start-chat');"#,
        ];
        let fail = [
            r#"window.talkativeApi?.actions.triggerAction('start-chat');"#,
            r#"log(window.talkativeApi?.actions.triggerAction('start-chat'));"#,
        ];
        super::super::tester::test_rule("unhandled-promise", &pass, &fail);
    }
}
