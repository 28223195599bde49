//! `retrigger-on-standby`: an action in enterStandby fires again after every interaction.

use super::Rule;
use crate::declare_rule;

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

impl Rule for RetriggerOnStandby {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}
