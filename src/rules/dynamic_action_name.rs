//! `dynamic-action-name`: the action name cannot be resolved statically.

use super::printable;
use super::{Context, Rule};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::project::Reference;
use crate::source::Text;

declare_rule!(
    DynamicActionName,
    "dynamic-action-name",
    Warning,
    "the action name cannot be resolved statically",
    r#"## What it does
Flags action names that action-lint cannot resolve statically, so they cannot be checked against the actions config. Resolvable are string literals, templates without substitutions, `+` and `?:` of resolvable parts, `const` bindings, members of `const` object literals, properties of elements of `const` arrays iterated with `forEach`/`map`/`for…of`, and wrapper parameters at each call site.

## Why is this bad?
A name built at run time (from user input, a fetched value, a mutable variable) is never checked: a typo in it only shows up as a rejected promise in production.

## Example
```js
talkativeApi.actions.triggerAction(button.dataset.action);
```
Use instead:
```js
const ACTIONS = { chat: 'start-chat', video: 'start-video' };
talkativeApi.actions.triggerAction(ACTIONS.chat);
```

## Configuration
Turn it off with `dynamic-action-name = "off"` under `[rules]` when names are checked another way.
"#
);

impl Rule for DynamicActionName {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Context<'_>) {
        for r in ctx.project.references() {
            let Reference::Dynamic {
                file,
                location,
                text,
            } = r
            else {
                continue;
            };
            let f = &ctx.files[*file];
            let shown: String = text.chars().take(60).collect();
            let d = Diagnostic::new(
                Self::META.id,
                Self::META.default_severity,
                f.display.clone(),
                *location,
                format!("the action name `{}` cannot be resolved statically, so it is not checked", printable(&shown)),
            )
            .with_help(crate::static_text!("pass a string literal or a const (e.g. ACTIONS.chat), or suppress this line if the name is checked elsewhere"))
            .with_snippet(Text::clone(text));
            ctx.push(Some(*file), d);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_and_fail() {
        let pass = [
            r#"window.talkativeApi?.actions.triggerAction('start-chat').catch(() => {});"#,
            r#"function w(n) { window.talkativeApi?.actions.triggerAction(n).catch(() => {}); }"#,
        ];
        let fail = [
            r#"window.talkativeApi?.actions.triggerAction(el.dataset.action).catch(() => {});"#,
            r#"function w(n) { window.talkativeApi?.actions.triggerAction(n).catch(() => {}); } w(input.value);"#,
        ];
        super::super::tester::test_rule("dynamic-action-name", &pass, &fail);
    }
}
