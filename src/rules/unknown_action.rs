//! `unknown-action`: an action name is not in the actions config.

use super::printable;
use super::{Context, Rule};
use crate::actions::ActionsFile;
use crate::analysis::api;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Related};
use crate::project::Reference;
use crate::source::Text;
use rustc_hash::FxHashMap as HashMap;

declare_rule!(
    UnknownAction,
    "unknown-action",
    Error,
    "an action name is not in the actions config",
    r#"## What it does
Checks every action name the code passes to `talkativeApi.actions.triggerAction` — directly, through a wrapper function, or in a configured HTML attribute — against the exported actions config that applies to the file. The finding points at the string literal that spells the name (also when it sits in a `const`, an array element or at a wrapper's call site) and offers the closest configured name.

## Why is this bad?
`triggerAction` with a name that no API Action has (misspelt, renamed or deleted in the widget config editor) returns a promise that rejects at run time. Nothing on the page shows it; the chat simply never starts.

## Example
```js
talkativeApi.actions.triggerAction('strat-chat'); // 'strat-chat' is not configured
```
Use instead:
```js
talkativeApi.actions.triggerAction('start-chat');
```

## Configuration
`actions` in `action-lint.toml` (or `--actions FILE`) names the export; an `[[overrides]]` entry's `actions` replaces it for matching files. `[references] functions` and `[references] attributes` add wrappers and attributes whose values are names.
"#
);

impl Rule for UnknownAction {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Context<'_>) {
        // References come file by file: the configs of the last file are kept.
        let mut last: Option<(usize, Vec<&ActionsFile>)> = None;
        type Found = (Option<Text>, Text, String);
        let mut seen: HashMap<(Vec<usize>, Text), Found> = HashMap::default();
        for r in ctx.project.references() {
            let Reference::Name { file, lit, call } = r else {
                continue;
            };
            let sets = match &last {
                Some((f, sets)) if f == file => sets,
                _ => &last.insert((*file, (ctx.actions_for)(*file))).1,
            };
            if sets.is_empty() || sets.iter().any(|a| a.contains(&lit.name)) {
                continue;
            }
            // A misspelt name is often written on many pages: its suggestion
            // (an edit distance to every configured name) is found once.
            let key = (
                sets.iter()
                    .map(|a| std::ptr::from_ref(*a) as usize)
                    .collect::<Vec<_>>(),
                lit.name.clone(),
            );
            let (suggestion, help, config) = match seen.get(&key) {
                Some(v) => v.clone(),
                None => {
                    let names: Vec<&str> = sets.iter().flat_map(|a| a.names()).collect();
                    let suggestion: Option<Text> =
                        api::did_you_mean(&lit.name, names.iter().copied()).map(Into::into);
                    let config = sets
                        .iter()
                        .map(|a| ctx.actions_display(a))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let help: Text = match &suggestion {
                        Some(s) => format!("did you mean '{s}'?").into(),
                        None => "add it under Advanced > API Actions in the widget config and export again, or fix the name".into(),
                    };
                    let v = (suggestion, help, config);
                    seen.insert(key, v.clone());
                    v
                }
            };
            let f = &ctx.files[*file];
            let mut d = Diagnostic::new(
                Self::META.id,
                Self::META.default_severity,
                f.display.clone(),
                lit.location,
                format!("unknown action '{}': not in {config}", printable(&lit.name)),
            )
            .with_help(help)
            .with_action(lit.name.clone())
            .with_suggestion(suggestion)
            .with_snippet(lit.text.clone());
            if *call != lit.location {
                d = d.with_related(Related {
                    path: f.display.clone(),
                    location: *call,
                    message: "the action is triggered here".into(),
                });
            }
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
            r#"const A = { chat: 'start-chat' }; window.talkativeApi?.actions.triggerAction(A.chat).catch(() => {});"#,
            r#"function open(n) { window.talkativeApi?.actions.triggerAction(n).catch(() => {}); } open('start-video');"#,
            r#"window.talkativeApi?.actions.triggerAction(cond ? 'start-chat' : 'start-video').catch(() => {});"#,
            r#"someOtherLib.triggerAction('not-ours');"#,
        ];
        let fail = [
            r#"window.talkativeApi?.actions.triggerAction('strat-chat').catch(() => {});"#,
            r#"const A = { chat: 'start-caht' }; window.talkativeApi?.actions.triggerAction(A.chat).catch(() => {});"#,
            r#"function open(n) { window.talkativeApi?.actions.triggerAction(n).catch(() => {}); } open('nope');"#,
            r#"[{ action: 'x' }].forEach((i) => window.talkativeApi?.actions.triggerAction(i.action).catch(() => {}));"#,
        ];
        super::super::tester::test_rule("unknown-action", &pass, &fail);
    }
}
