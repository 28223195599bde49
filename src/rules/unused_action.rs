//! `unused-action`: a configured action is referenced nowhere.

use super::{Context, Rule};
use crate::declare_rule;
use std::collections::HashSet;

use super::printable;
use crate::diagnostic::Diagnostic;
use crate::project::Reference;

declare_rule!(
    UnusedAction,
    "unused-action",
    Warning,
    "a configured action is referenced nowhere",
    r#"## What it does
Reports, at its line in the actions file, every configured action that no code in the project references. It runs only when the whole project root is checked (not on explicit files); when some names could not be resolved, the help line says how many.

## Why is this bad?
Stale API Actions clutter the widget config and hide the ones that matter; an unused action is often the other half of a misspelt name.

## Example
```yaml
actions:
  - reference: start-chat
  - reference: old-campaign   # referenced nowhere
```
Use instead: delete `old-campaign` in the widget config editor and re-export.

## Configuration
None.
"#
);

impl Rule for UnusedAction {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Context<'_>) {
        if !ctx.whole_root {
            return;
        }
        let mut used: HashSet<&str> = HashSet::new();
        let mut dynamic = 0usize;
        for r in ctx.project.references() {
            match r {
                Reference::Name { lit, .. } => {
                    used.insert(&*lit.name);
                }
                Reference::Dynamic { .. } => dynamic += 1,
            }
        }
        let all = ctx.all_actions.clone();
        for a in all {
            let display = ctx.actions_display(a);
            for action in &a.actions {
                if used.contains(action.name.as_str()) {
                    continue;
                }
                let help = if dynamic > 0 {
                    format!("remove it from the widget config if it is obsolete; {dynamic} action reference(s) could not be resolved statically and may use it")
                } else {
                    "remove it from the widget config if it is obsolete, or reference it where it is meant to start".to_owned()
                };
                let d = Diagnostic::new(
                    Self::META.id,
                    Self::META.default_severity,
                    display.as_str(),
                    a.source.location(&action.span),
                    format!(
                        "action '{}' is configured but referenced nowhere",
                        printable(&action.name)
                    ),
                )
                .with_help(help)
                .with_action(action.name.clone())
                .with_snippet(a.source.slice(&action.span).to_owned());
                ctx.push(None, d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_whole_root_runs_report_it() {
        // The tester runs as on explicit files, not the whole root: never reported there.
        let got = super::super::tester::findings(
            "unused-action",
            &[("a.js", "window.talkativeApi?.ui.show();")],
        );
        assert!(got.is_empty());
    }
}
