//! `call-during-interaction`: an action can be triggered while an interaction is active.

use super::Rule;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::source::{Location, Text};

declare_rule!(
    CallDuringInteraction,
    "call-during-interaction",
    Error,
    "an action can be triggered while an interaction is active",
    r#"## What it does
Flags `triggerAction` calls that can run while a chat or video interaction is active: inside the `enterInteraction`, `resumeInteraction`, `exitInteraction`, `agentJoined`, `agentLeft`, `enterDataCollection` and `exitDataCollection` handlers (and closures or same-file functions called from them), in a `customTracking` branch comparing the event with one of those names, and after another `triggerAction` in the same flow (`.then(…)`, after `await`, or later in the same block).

## Why is this bad?
The vendor documents that API Actions must not be triggered during an active interaction; the call is ignored or disrupts the running session.

## Example
```js
window.talkativeCustomConfig = {
  events: {
    enterInteraction() {
      talkativeApi.actions.triggerAction('start-video');
    },
  },
};
```
Use instead:
```js
window.talkativeCustomConfig = {
  events: {
    ready() {
      document.querySelector('#video').onclick = () =>
        talkativeApi.actions.triggerAction('start-video').catch(console.error);
    },
  },
};
```

## Configuration
None.
"#
);

/// The finding, with all its text. `reason` says why the interaction is active.
pub fn finding(display: &Text, location: Location, snippet: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        CallDuringInteraction::META.id,
        CallDuringInteraction::META.default_severity,
        display.clone(),
        location,
        format!("triggerAction can run while an interaction is active ({reason})"),
    )
    .with_help(crate::static_text!(
        "trigger API Actions only from standby: move this call out of the interaction flow"
    ))
    .with_snippet(snippet)
}

/// Reasons, as shown in the message.
pub fn reason_handler(event: &str) -> String {
    format!("inside the '{event}' handler")
}
pub fn reason_tracking_branch(event: &str) -> String {
    format!("in the customTracking branch for '{event}'")
}
pub fn reason_tracking_case(event: &str) -> String {
    format!("in the customTracking case for '{event}'")
}
pub const REASON_SEQUENCE: &str = "it runs after an earlier triggerAction in the same flow";
pub fn reason_called(function: &str, why: &str) -> String {
    format!("'{function}' is called {why}")
}
pub fn reason_from_handler(event: &str) -> String {
    format!("from the '{event}' handler")
}
pub const REASON_CALLED_AFTER: &str = "after an earlier triggerAction in the same flow";

impl Rule for CallDuringInteraction {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_and_fail() {
        let pass = [
            r#"window.talkativeCustomConfig = { events: { ready() { talkativeApi.actions.triggerAction('start-chat').catch(() => {}); } } };"#,
            r#"async function f() { if (!window.talkativeApi) return; if (a) { await talkativeApi.actions.triggerAction('start-chat'); } else { await talkativeApi.actions.triggerAction('start-video'); } }"#,
        ];
        let fail = [
            r#"window.talkativeCustomConfig = { events: { agentJoined() { talkativeApi.actions.triggerAction('start-chat').catch(() => {}); } } };"#,
            r#"window.talkativeCustomConfig = { customTracking(e) { if (e === 'enterInteraction') talkativeApi.actions.triggerAction('start-chat').catch(() => {}); } };"#,
            r#"async function f() { if (!window.talkativeApi) return; await talkativeApi.actions.triggerAction('start-chat'); await talkativeApi.actions.triggerAction('start-video'); }"#,
        ];
        super::super::tester::test_rule("call-during-interaction", &pass, &fail);
    }
}
