//! `missing-guard`: a talkativeApi use can run before the widget has loaded.

use super::{Context, Rule};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;

declare_rule!(
    MissingGuard,
    "missing-guard",
    Error,
    "a talkativeApi use can run before the widget has loaded",
    r#"## What it does
Flags every use of a `talkativeApi` member (`actions.triggerAction(…)`, `ui.show()`, `queues.getPresences()`, …) that can run while the global does not exist yet. A use is guarded when it is inside a `talkativeCustomConfig` event callback or `customTracking`; on the true side of an existence test (`window.talkativeApi`, `typeof talkativeApi !== 'undefined'`, `'talkativeApi' in window`, `window.talkativeApi != null`, a local alias of `window.talkativeApi`, or a project function returning such a test); after `if (!window.talkativeApi) return;`; short-circuited by `window.talkativeApi?.`; inside a callback of a `[guards] functions` entry; inside a `try` whose `catch` does not rethrow; or in a named function whose every call is guarded and that is never used as a value.

## Why is this bad?
The widget defines `talkativeApi` only after its loader script has run. Before that, `window.talkativeApi.actions` throws a `TypeError` and a bare `talkativeApi` throws a `ReferenceError`, which stops the rest of the page's script. Note that bare `talkativeApi?.actions` still throws when the global was never declared.

## Example
```js
button.addEventListener('click', () => {
  talkativeApi.actions.triggerAction('start-chat');
});
```
Use instead:
```js
button.addEventListener('click', () => {
  if (window.talkativeApi) {
    window.talkativeApi.actions.triggerAction('start-chat');
  }
});
```

## Configuration
`[guards] functions = ["whenTalkativeReady"]`: callbacks passed to these functions count as running after load.
"#
);

/// The chain as shown in a message: a generated `talkativeApi.b.b.b…` of
/// 100 000 links would otherwise make a 200 KB message.
fn shorten(what: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 80;
    match what.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &what[..cut]).into(),
        None => what.into(),
    }
}

impl Rule for MissingGuard {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Context<'_>) {
        for (fi, f) in ctx.files.iter().enumerate() {
            for u in &f.facts.uses {
                if ctx.project.is_guarded(fi, &u.guard) {
                    continue;
                }
                let what = shorten(&u.what);
                let message = if u.bare && &*u.what == "talkativeApi" {
                    "talkativeApi is read before the widget may have loaded: a ReferenceError while it is undeclared".to_owned()
                } else if u.bare {
                    format!("{} can run before the widget has loaded: bare talkativeApi is a ReferenceError while it is undeclared", what)
                } else {
                    format!("{} can run before the widget has loaded: a TypeError while window.talkativeApi is undefined", what)
                };
                let d = Diagnostic::new(Self::META.id, Self::META.default_severity, f.display.clone(), u.location, message)
                    .with_help(crate::static_text!("check first with `if (window.talkativeApi) { … }`, use `window.talkativeApi?.…`, or run it from a talkativeCustomConfig event such as `ready`"))
                    .with_snippet(u.snippet.clone());
                ctx.push(Some(fi), d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pass_and_fail() {
        let pass = [
            r#"if (window.talkativeApi) window.talkativeApi.ui.show();"#,
            r#"window.talkativeApi?.ui.show();"#,
            r#"if (typeof talkativeApi !== 'undefined') talkativeApi.ui.show();"#,
            r#"function f() { if (!window.talkativeApi) return; talkativeApi.ui.show(); }"#,
            r#"try { talkativeApi.ui.show(); } catch (e) {}"#,
            r#"whenTalkativeReady(() => talkativeApi.ui.show());"#,
            r#"window.talkativeCustomConfig = { events: { ready() { talkativeApi.ui.show(); } } };"#,
            r#"const api = window.talkativeApi; if (api) api.ui.show();"#,
        ];
        let fail = [
            r#"talkativeApi.ui.show();"#,
            r#"talkativeApi?.ui.show();"#,
            r#"window.talkativeApi.ui.show();"#,
            r#"if (!window.talkativeApi) { window.talkativeApi.ui.show(); }"#,
            r#"try { talkativeApi.ui.show(); } catch (e) { throw e; }"#,
            r#"btn.onclick = () => talkativeApi.ui.show();"#,
        ];
        super::super::tester::test_rule("missing-guard", &pass, &fail);
    }
}
