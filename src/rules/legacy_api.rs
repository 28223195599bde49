//! `legacy-api`: the pre-2022 TalkativeEngageApi global is used.

use super::Rule;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::source::{Location, Text};

declare_rule!(
    LegacyApi,
    "legacy-api",
    Warning,
    "the pre-2022 TalkativeEngageApi global is used",
    r#"## What it does
Flags uses of the pre-2022 global `TalkativeEngageApi` (`startChat()`, `startVideo()`).

## Why is this bad?
The legacy API is gone from current widgets: calls do nothing or throw.

## Example
```js
TalkativeEngageApi.startChat();
```
Use instead: configure an API Action (Advanced > API Actions) and call
```js
window.talkativeApi?.actions.triggerAction('start-chat').catch(console.error);
```

## Configuration
None.
"#
);

/// The finding, with all its text.
pub fn finding(display: &Text, location: Location, snippet: &str) -> Diagnostic {
    Diagnostic::new(LegacyApi::META.id, LegacyApi::META.default_severity, display.clone(), location, "TalkativeEngageApi is the pre-2022 widget API")
        .with_help(crate::static_text!("configure an API Action in the widget and call talkativeApi.actions.triggerAction('…') instead"))
        .with_snippet(snippet)
}

impl Rule for LegacyApi {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_and_fail() {
        let pass = [
            r#"window.talkativeApi?.ui.show();"#,
            r#"function f(TalkativeEngageApi) { return TalkativeEngageApi; }"#,
        ];
        let fail = [
            r#"TalkativeEngageApi.startChat();"#,
            r#"window.TalkativeEngageApi.startVideo();"#,
        ];
        super::super::tester::test_rule("legacy-api", &pass, &fail);
    }
}
