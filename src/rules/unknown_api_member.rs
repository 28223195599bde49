//! `unknown-api-member`: a talkativeApi member or global spelling that does not exist.

use super::printable;
use super::Rule;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::source::Location;

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

/// A misspelt global: `talkativeAPI` for `talkativeApi`.
pub fn misspelt_global(
    display: &str,
    location: Location,
    snippet: &str,
    name: &str,
    right: &str,
) -> Diagnostic {
    Diagnostic::new(
        UnknownApiMember::META.id,
        UnknownApiMember::META.default_severity,
        display,
        location,
        format!("'{}' is not the widget's global", printable(name)),
    )
    .with_help(format!("did you mean '{right}'?"))
    .with_suggestion(Some(right.to_owned()))
    .with_snippet(snippet)
}

/// A member outside the known API: `what` is the full path (`talkativeApi.actions.trigger`),
/// `suggestion` the closest known path.
pub fn unknown_member(
    display: &str,
    location: Location,
    snippet: &str,
    what: &str,
    suggestion: Option<String>,
) -> Diagnostic {
    let help = match &suggestion {
        Some(s) => format!("did you mean '{s}'?"),
        None => "see the widget's API: actions, ui, queues, interactionData".to_owned(),
    };
    Diagnostic::new(
        UnknownApiMember::META.id,
        UnknownApiMember::META.default_severity,
        display,
        location,
        format!("'{}' is not part of the widget's API", printable(what)),
    )
    .with_help(help)
    .with_suggestion(suggestion.map(|s| s.rsplit('.').next().unwrap_or(&s).to_owned()))
    .with_snippet(snippet)
}

impl Rule for UnknownApiMember {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_and_fail() {
        let pass = [
            r#"window.talkativeApi?.ui.show(); window.talkativeApi?.interaction.anything();"#,
            r#"const talkativeAPI = {}; talkativeAPI.x = 1;"#,
        ];
        let fail = [
            r#"window.talkativeApi?.actions.trigger('start-chat');"#,
            r#"window.talkativeApi?.chat.open();"#,
            r#"talaktiveApi.ui.show();"#,
        ];
        super::super::tester::test_rule("unknown-api-member", &pass, &fail);
    }
}
