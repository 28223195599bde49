//! `invalid-actions-config`: empty, non-string or duplicate names in the actions config.

use super::printable;
use super::{Context, Rule};
use crate::actions::ProblemKind;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Related};

declare_rule!(
    InvalidActionsConfig,
    "invalid-actions-config",
    Error,
    "empty, non-string or duplicate names in the actions config",
    r#"## What it does
Reports empty names, names that are not strings (numbers, booleans, null, objects) and duplicate names in the exported actions config, pointing into the actions file (each later occurrence for duplicates).

## Why is this bad?
Such entries cannot be triggered by name, or shadow one another; the export is probably corrupt or hand-edited.

## Example
```yaml
actions:
  - reference: start-chat
  - reference: start-chat
  - reference: ""
```
Use instead:
```yaml
actions:
  - reference: start-chat
```

## Configuration
None.
"#
);

impl Rule for InvalidActionsConfig {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Context<'_>) {
        let all = ctx.all_actions.clone();
        for a in all {
            let display = ctx.actions_display(a);
            for p in &a.problems {
                let shown = p.name.as_deref().map(printable).unwrap_or_default();
                let (message, help, related) = match &p.kind {
                    ProblemKind::Empty => (
                        "empty action name".to_owned(),
                        "give the action an API Reference or remove the entry",
                        None,
                    ),
                    ProblemKind::NonString => (
                        format!("action name `{}` is not a string", a.source.slice(&p.span)),
                        "quote the name, e.g. '123', or fix the export",
                        None,
                    ),
                    ProblemKind::Duplicate { first } => (
                        format!("duplicate action name '{shown}'"),
                        "remove the repeated entry",
                        Some(Related {
                            path: display.as_str().into(),
                            location: a.source.location(first),
                            message: "first defined here".into(),
                        }),
                    ),
                };
                let mut d = Diagnostic::new(
                    Self::META.id,
                    Self::META.default_severity,
                    display.as_str(),
                    a.source.location(&p.span),
                    message,
                )
                .with_help(help)
                .with_snippet(a.source.slice(&p.span).to_owned());
                if let Some(n) = &p.name {
                    d = d.with_action(n.clone());
                }
                if let Some(r) = related {
                    d = d.with_related(r);
                }
                ctx.push(None, d);
            }
        }
    }
}
