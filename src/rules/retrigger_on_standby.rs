//! `retrigger-on-standby`: an action in enterStandby fires again after every interaction.

use super::Rule;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::source::{Location, Text};

declare_rule!(
    RetriggerOnStandby,
    "retrigger-on-standby",
    Warning,
    "an action in enterStandby fires again after every interaction",
    r#"## What it does
Flags a `triggerAction` call inside `events.enterStandby` that is not under any condition (`if`, `&&`, `?:`, or an earlier `if (…) return;`).

## Why is this bad?
`enterStandby` fires when the widget first becomes ready and again every time an interaction ends. An unconditional action there restarts a flow after every chat the visitor closes.

## Example
```js
events: {
  enterStandby() {
    talkativeApi.actions.triggerAction('welcome-message');
  },
}
```
Use instead:
```js
let welcomed = false;
events: {
  enterStandby() {
    if (!welcomed) {
      welcomed = true;
      talkativeApi.actions.triggerAction('welcome-message').catch(console.error);
    }
  },
}
```

## Configuration
None.
"#
);

/// The finding, with all its text.
pub fn finding(display: &Text, location: Location, snippet: &str) -> Diagnostic {
    Diagnostic::new(
        RetriggerOnStandby::META.id,
        RetriggerOnStandby::META.default_severity,
        display.clone(),
        location,
        "this action runs on every enterStandby, which fires again each time an interaction ends",
    )
    .with_help(crate::static_text!("add a condition (e.g. a flag set after the first run) so it does not fire after every interaction"))
    .with_snippet(snippet)
}

impl Rule for RetriggerOnStandby {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_and_fail() {
        let pass = [
            r#"let done = false; window.talkativeCustomConfig = { events: { enterStandby() { if (!done) { done = true; talkativeApi.actions.triggerAction('start-chat').catch(() => {}); } } } };"#,
            r#"window.talkativeCustomConfig = { events: { ready() { talkativeApi.actions.triggerAction('start-chat').catch(() => {}); } } };"#,
        ];
        let fail = [
            r#"window.talkativeCustomConfig = { events: { enterStandby() { talkativeApi.actions.triggerAction('start-chat').catch(() => {}); } } };"#,
        ];
        super::super::tester::test_rule("retrigger-on-standby", &pass, &fail);
    }
}
