//! `call-during-interaction`: an action can be triggered while an interaction is active.

use super::Rule;
use crate::declare_rule;

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

impl Rule for CallDuringInteraction {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}
