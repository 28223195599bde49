//! `invalid-suppression`: a suppression comment names an unknown rule.

use super::printable;
use super::{Context, Rule};
use crate::analysis::api;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;

declare_rule!(
    InvalidSuppression,
    "invalid-suppression",
    Warning,
    "a suppression comment names an unknown rule",
    r#"## What it does
Flags `action-lint-disable…` comments that name a rule that does not exist.

## Why is this bad?
A misspelt rule id suppresses nothing, so the finding it was meant to silence still fails the run — or worse, the comment is copied around believing it works.

## Example
```js
// action-lint-disable-next-line missing-gaurd
```
Use instead:
```js
// action-lint-disable-next-line missing-guard
```

## Configuration
None.
"#
);

impl Rule for InvalidSuppression {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Context<'_>) {
        for (fi, f) in ctx.files.iter().enumerate() {
            for (name, location) in &f.facts.bad_suppressions {
                let ids = super::registry::ALL.iter().map(|m| m.id);
                let help = match api::did_you_mean(name, ids) {
                    Some(s) => format!("did you mean '{s}'?"),
                    None => "run `action-lint rules` for the list of rule ids".to_owned(),
                };
                let d = Diagnostic::new(
                    Self::META.id,
                    Self::META.default_severity,
                    f.display.clone(),
                    *location,
                    format!(
                        "unknown rule '{}' in a suppression comment",
                        printable(name)
                    ),
                )
                .with_help(help);
                ctx.push(Some(fi), d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_and_fail() {
        let pass = [r#"// action-lint-disable-next-line missing-guard
talkativeApi.ui.show();"#];
        let fail = [r#"// action-lint-disable-next-line missing-gaurd
talkativeApi.ui.show();"#];
        super::super::tester::test_rule("invalid-suppression", &pass, &fail);
    }
}
