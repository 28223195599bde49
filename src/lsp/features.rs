//! Editor features over a document and its project: quick fixes, completion
//! of action names, hover and go-to-definition on a name.
//!
//! Finding "the string under the cursor" is a heuristic on the line's text
//! (quotes, escapes, `//` comments), not a parse: it has to work on the
//! half-typed code completion runs on.

use std::collections::HashMap;

use lsp_types as lsp;

use super::convert::{self, Encoding, FixData};
use super::documents::Document;
use super::workspace::DocProject;
use crate::extract::FileKind;
use crate::source::SourceText;

const QUOTES: [char; 3] = ['\'', '"', '`'];

/// A string literal on one line: byte offsets into the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Literal {
    /// The opening quote.
    start: usize,
    /// Just past the closing quote, or the end of the line when unclosed.
    end: usize,
    closed: bool,
    quote: char,
}

impl Literal {
    /// Byte range of the text between the quotes.
    fn content(&self) -> (usize, usize) {
        (
            self.start + 1,
            if self.closed { self.end - 1 } else { self.end },
        )
    }
}

/// The string literals of a line, left to right.
fn literals(line: &str) -> Vec<Literal> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    let mut open: Option<(usize, char)> = None;
    while let Some((i, c)) = chars.next() {
        match open {
            Some((start, q)) => {
                if c == '\\' {
                    chars.next();
                } else if c == q {
                    out.push(Literal {
                        start,
                        end: i + 1,
                        closed: true,
                        quote: q,
                    });
                    open = None;
                }
            }
            None => {
                if QUOTES.contains(&c) {
                    open = Some((i, c));
                } else if c == '/' && chars.peek().is_some_and(|(_, n)| *n == '/') {
                    return out;
                }
            }
        }
    }
    if let Some((start, quote)) = open {
        out.push(Literal {
            start,
            end: line.len(),
            closed: false,
            quote,
        });
    }
    out
}

/// The literal whose quotes enclose (or touch) column `col` of the line.
fn literal_at(line: &str, col: usize) -> Option<Literal> {
    literals(line)
        .into_iter()
        .find(|l| l.start <= col && (col < l.end || (!l.closed && col == l.end)))
}

/// Undo simple escapes in a literal's content.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `name` written inside `quote`s.
fn quoted(name: &str, quote: char) -> String {
    let mut out = String::new();
    out.push(quote);
    for c in name.chars() {
        if c == quote || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push(quote);
    out
}

/// The cursor's line, its start offset, and the cursor's byte column in it.
fn cursor(doc: &Document, pos: lsp::Position, enc: Encoding) -> (&str, usize, usize) {
    let src = &doc.source;
    let offset = convert::offset(src, pos, enc);
    let line = src.line_of(offset);
    let start = src.line_start(line);
    (src.line_text(line), start, offset - start)
}

/// Settings as one line: `type: start-interaction, queue: …`.
fn settings_line(a: &crate::actions::Action) -> String {
    a.settings
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn display_file(file: &crate::actions::ActionsFile, doc: &Document) -> String {
    let dir = doc.path.as_deref().and_then(|p| p.parent());
    match dir {
        Some(d) => crate::engine::display_path(&file.path, d),
        None => file.path.display().to_string(),
    }
}

/// Markdown for a configured action: its settings and where it is defined.
fn action_markdown(
    a: &crate::actions::Action,
    file: &crate::actions::ActionsFile,
    doc: &Document,
) -> String {
    let line = file.source.pos(a.span.start).line;
    let mut s = format!(
        "**`{}`** — API Action in `{}` (line {line})\n",
        a.name.replace('`', "'"),
        display_file(file, doc)
    );
    if a.settings.is_empty() {
        s.push_str("\nno other settings\n");
    } else {
        s.push_str("\n| setting | value |\n|---|---|\n");
        for (k, v) in &a.settings {
            let esc = |t: &str| t.replace('|', "\\|").replace('\n', " ");
            s.push_str(&format!("| {} | {} |\n", esc(k), esc(v)));
        }
    }
    s
}

/// Hover on a string literal that is a configured name.
pub fn hover(
    doc: &Document,
    project: &DocProject,
    pos: lsp::Position,
    enc: Encoding,
) -> Option<lsp::Hover> {
    let (line, line_start, col) = cursor(doc, pos, enc);
    let lit = literal_at(line, col)?;
    let (a, b) = lit.content();
    let name = unescape(&line[a..b]);
    let found = project.lookup(&name);
    if found.is_empty() {
        return None;
    }
    let value = found
        .iter()
        .map(|(a, f)| action_markdown(a, f, doc))
        .collect::<Vec<_>>()
        .join("\n---\n");
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value,
        }),
        range: Some(convert::range(
            &doc.source,
            line_start + lit.start,
            line_start + lit.end,
            enc,
        )),
    })
}

/// From a configured name to its entry in the actions file(s).
pub fn definition(
    doc: &Document,
    project: &DocProject,
    pos: lsp::Position,
    enc: Encoding,
) -> Option<lsp::GotoDefinitionResponse> {
    let (line, _, col) = cursor(doc, pos, enc);
    let lit = literal_at(line, col)?;
    let (a, b) = lit.content();
    let name = unescape(&line[a..b]);
    let mut locations: Vec<lsp::Location> = project
        .lookup(&name)
        .into_iter()
        .filter_map(|(a, f)| {
            Some(lsp::Location {
                uri: convert::path_to_uri(&f.path)?,
                range: convert::range(&f.source, a.span.start, a.span.end, enc),
            })
        })
        .collect();
    match locations.len() {
        0 => None,
        1 => locations.pop().map(lsp::GotoDefinitionResponse::Scalar),
        _ => Some(lsp::GotoDefinitionResponse::Array(locations)),
    }
}

/// The callee written before `(` at the end of `before` (`talkativeApi.actions.triggerAction`).
fn callee_before(before: &str) -> Option<&str> {
    let t = before.trim_end().strip_suffix('(')?.trim_end();
    let start = t
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.' || c == '?'))
        .map_or(0, |i| i + 1);
    let callee = &t[start..];
    (!callee.is_empty()).then_some(callee)
}

/// The attribute name before `=` at the end of `before` (`data-talkative-action`).
fn attribute_before(before: &str) -> Option<&str> {
    let t = before.trim_end().strip_suffix('=')?.trim_end();
    let start = t
        .rfind(|c: char| c.is_whitespace() || c == '<')
        .map_or(0, |i| i + 1);
    Some(&t[start..])
}

/// Whether a call of `callee` takes an action name as its first argument:
/// `triggerAction`, a `[references] functions` entry, or a wrapper (asked
/// for only when the cheaper tests fail).
fn is_sink(callee: &str, project: &DocProject, wrappers: &mut dyn FnMut() -> Vec<String>) -> bool {
    let last = callee
        .rsplit('.')
        .next()
        .unwrap_or(callee)
        .trim_end_matches('?');
    let matches = |f: &str| callee == f || callee.ends_with(&format!(".{f}")) || last == f;
    if last == "triggerAction" || project.reference_functions().iter().any(|f| matches(f)) {
        return true;
    }
    wrappers().iter().any(|w| last == w)
}

/// Completion of configured names inside the first string argument of
/// `triggerAction(…)`, a wrapper, or a configured attribute's value.
pub fn completion(
    doc: &Document,
    project: &DocProject,
    wrappers: &mut dyn FnMut() -> Vec<String>,
    pos: lsp::Position,
    enc: Encoding,
) -> Option<lsp::CompletionResponse> {
    let (line, line_start, col) = cursor(doc, pos, enc);
    let lit = literal_at(line, col)?;
    if col <= lit.start || (lit.closed && col >= lit.end) {
        return None;
    }
    let before = &line[..lit.start];
    let wanted = match (callee_before(before), attribute_before(before)) {
        (Some(callee), _) => is_sink(callee, project, wrappers),
        (None, Some(attr)) => project
            .reference_attributes()
            .iter()
            .any(|a| a.eq_ignore_ascii_case(attr)),
        _ => false,
    };
    if !wanted {
        return None;
    }
    let (a, b) = lit.content();
    let range = convert::range(&doc.source, line_start + a, line_start + b, enc);
    let items = project
        .actions()
        .into_iter()
        .enumerate()
        .map(|(i, (action, file))| {
            let text = quoted(&action.name, lit.quote);
            let new_text = text[1..text.len() - 1].to_owned();
            let detail = settings_line(action);
            lsp::CompletionItem {
                label: action.name.clone(),
                kind: Some(lsp::CompletionItemKind::VALUE),
                detail: Some(if detail.is_empty() {
                    format!("API Action ({})", display_file(file, doc))
                } else {
                    detail
                }),
                documentation: Some(lsp::Documentation::MarkupContent(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: action_markdown(action, file, doc),
                })),
                sort_text: Some(format!("{i:05}")),
                filter_text: Some(action.name.clone()),
                text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                    range,
                    new_text,
                })),
                ..Default::default()
            }
        })
        .collect();
    Some(lsp::CompletionResponse::List(lsp::CompletionList {
        is_incomplete: false,
        items,
    }))
}

/// The document's newline.
fn newline(src: &SourceText) -> &'static str {
    if src.text().contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

fn indent_of(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// Whether 0-based `line` starts inside a `<script>` element of an HTML-like document.
fn line_in_script(src: &SourceText, line: usize) -> bool {
    let before = src.text()[..src.line_start(line)].to_ascii_lowercase();
    let open = before.rfind("<script");
    let close = before.rfind("</script");
    match (open, close) {
        (Some(o), c) if c.is_none_or(|c| c < o) => before[o..].contains('>'),
        _ => false,
    }
}

/// `window.talkativeApi?.…` for a use that starts at the global; `None` when
/// the text does not start with it (an alias) or already short-circuits.
fn optional_chain(text: &str) -> Option<String> {
    let mut rest = text;
    let mut prefixed = false;
    for obj in crate::analysis::api::GLOBAL_OBJECTS {
        if let Some(r) = text.strip_prefix(obj) {
            if let Some(r) = r.strip_prefix("?.").or_else(|| r.strip_prefix('.')) {
                rest = r;
                prefixed = true;
                break;
            }
        }
    }
    let after = rest.strip_prefix(crate::analysis::api::GLOBAL)?;
    if after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
        return None;
    }
    let global = "window.talkativeApi";
    if after.is_empty() {
        return (!prefixed).then(|| global.to_owned());
    }
    if let Some(tail) = after.strip_prefix("?.") {
        return (!prefixed).then(|| format!("{global}?.{tail}"));
    }
    if let Some(tail) = after.strip_prefix('.') {
        return Some(format!("{global}?.{tail}"));
    }
    if after.starts_with('[') {
        return Some(format!("{global}?.{after}"));
    }
    None
}

// lsp-types keys WorkspaceEdit changes by Uri, which clippy deems mutable.
#[allow(clippy::mutable_key_type)]
fn edit_action(
    title: String,
    uri: &lsp::Uri,
    edits: Vec<lsp::TextEdit>,
    diag: &lsp::Diagnostic,
    preferred: bool,
) -> lsp::CodeActionOrCommand {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title,
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diag.clone()]),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    })
}

/// Quick fixes for the client's action-lint diagnostics in the request.
pub fn code_actions(
    doc: &Document,
    params: &lsp::CodeActionParams,
    enc: Encoding,
) -> Vec<lsp::CodeActionOrCommand> {
    if let Some(only) = &params.context.only {
        if !only.iter().any(|k| {
            lsp::CodeActionKind::QUICKFIX
                .as_str()
                .starts_with(k.as_str())
        }) {
            return Vec::new();
        }
    }
    let src = &doc.source;
    let uri = &doc.uri;
    let mut out = Vec::new();
    for diag in &params.context.diagnostics {
        if diag.source.as_deref() != Some(convert::SOURCE) {
            continue;
        }
        let data: FixData = diag
            .data
            .clone()
            .and_then(|d| serde_json::from_value(d).ok())
            .unwrap_or_else(|| FixData {
                rule: match &diag.code {
                    Some(lsp::NumberOrString::String(s)) => s.clone(),
                    _ => String::new(),
                },
                ..Default::default()
            });
        if crate::rules::find(&data.rule).is_none() {
            continue;
        }
        let (start, end) = convert::offsets(src, diag.range, enc);
        let text = &src.text()[start..end];
        match data.rule.as_str() {
            "unknown-action" => {
                if let Some(s) = &data.suggestion {
                    out.push(edit_action(
                        format!("Replace with '{s}'"),
                        uri,
                        vec![replace_name(
                            src,
                            start,
                            end,
                            data.action.as_deref(),
                            s,
                            enc,
                        )],
                        diag,
                        true,
                    ));
                }
            }
            "missing-guard" => {
                if let Some(new_text) = optional_chain(text) {
                    let title = format!(
                        "Use `{}`",
                        new_text
                            .split_once("?.")
                            .map_or(new_text.as_str(), |(g, _)| g)
                            .to_owned()
                            + "?."
                    );
                    out.push(edit_action(
                        title,
                        uri,
                        vec![lsp::TextEdit {
                            range: diag.range,
                            new_text,
                        }],
                        diag,
                        true,
                    ));
                }
                if let Some(edit) = wrap_in_guard(src, start, end, enc) {
                    out.push(edit_action(
                        "Wrap in `if (window.talkativeApi) { … }`".into(),
                        uri,
                        vec![edit],
                        diag,
                        false,
                    ));
                }
            }
            _ => {}
        }
        out.push(edit_action(
            format!("Disable {} for this line", data.rule),
            uri,
            vec![suppression(doc, start, &data.rule, enc)],
            diag,
            false,
        ));
    }
    out
}

/// The edit that puts `suggestion` in place of the name the literal at
/// `start..end` spells. Only the name itself is replaced when the literal
/// spells it verbatim, so quotes stay as written (also `&quot;` in an HTML
/// attribute); otherwise the whole literal is rewritten with its quote.
fn replace_name(
    src: &SourceText,
    start: usize,
    end: usize,
    name: Option<&str>,
    suggestion: &str,
    enc: Encoding,
) -> lsp::TextEdit {
    let text = &src.text()[start..end];
    let q = text
        .chars()
        .next()
        .filter(|c| QUOTES.contains(c) && text.len() >= 2 && text.ends_with(*c));
    if let Some(name) = name.filter(|n| !n.is_empty() && text.matches(*n).count() == 1) {
        let at = start + text.find(name).unwrap_or(0);
        let new_text = match q {
            Some(q) => {
                let quoted = quoted(suggestion, q);
                quoted[1..quoted.len() - 1].to_owned()
            }
            None => suggestion.to_owned(),
        };
        return lsp::TextEdit {
            range: convert::range(src, at, at + name.len(), enc),
            new_text,
        };
    }
    let new_text = match q {
        Some(q) => quoted(suggestion, q),
        None => suggestion.to_owned(),
    };
    lsp::TextEdit {
        range: convert::range(src, start, end, enc),
        new_text,
    }
}

/// Wrap the statement that is exactly the use (`await`/`void` allowed in
/// front, `;` behind) in `if (window.talkativeApi) { … }`.
fn wrap_in_guard(
    src: &SourceText,
    start: usize,
    end: usize,
    enc: Encoding,
) -> Option<lsp::TextEdit> {
    let first = src.line_of(start);
    let last = src.line_of(end);
    let first_text = src.line_text(first);
    let head = &src.text()[src.line_start(first)..start];
    if !matches!(head.trim(), "" | "await" | "void") {
        return None;
    }
    let tail_end = src.line_start(last) + src.line_text(last).len();
    let tail = &src.text()[end..tail_end];
    let tail = tail.trim();
    if !(tail.is_empty() || tail == ";") {
        return None;
    }
    let indent = indent_of(first_text);
    let unit = if indent.contains('\t') { "\t" } else { "  " };
    let nl = newline(src);
    let from = src.line_start(first) + indent.len();
    let statement = &src.text()[from..tail_end];
    let mut body = String::new();
    for (i, l) in statement.lines().enumerate() {
        if i > 0 {
            body.push_str(nl);
        }
        if !l.is_empty() {
            body.push_str(unit);
        }
        body.push_str(l.trim_end_matches('\r'));
    }
    let new_text = format!("if (window.talkativeApi) {{{nl}{indent}{body}{nl}{indent}}}");
    Some(lsp::TextEdit {
        range: convert::range(src, from, tail_end, enc),
        new_text,
    })
}

/// `// action-lint-disable-next-line RULE` (or the HTML comment) above the
/// finding's line; a rule is added to such a comment already there.
fn suppression(doc: &Document, start: usize, rule: &str, enc: Encoding) -> lsp::TextEdit {
    let src = &doc.source;
    let line = src.line_of(start);
    let html = matches!(doc.kind(), Some(FileKind::Html | FileKind::Component))
        && !line_in_script(src, line);
    let (open, close) = if html { ("<!-- ", " -->") } else { ("// ", "") };
    let directive = "action-lint-disable-next-line";
    if line > 0 {
        let prev = src.line_text(line - 1);
        let trimmed = prev.trim();
        if let Some(list) = trimmed
            .strip_prefix(open.trim_end())
            .and_then(|r| r.trim_start().strip_prefix(directive))
            .map(|r| r.trim_end_matches(close.trim()).trim_end())
        {
            if !list.trim().is_empty() && !list.contains("--") {
                // Append to the existing list.
                let at = src.line_start(line - 1)
                    + prev.find(directive).unwrap_or(0)
                    + directive.len()
                    + list.len();
                return lsp::TextEdit {
                    range: convert::range(src, at, at, enc),
                    new_text: format!(", {rule}"),
                };
            }
        }
    }
    let indent = indent_of(src.line_text(line));
    let at = src.line_start(line);
    lsp::TextEdit {
        range: convert::range(src, at, at, enc),
        new_text: format!("{indent}{open}{directive} {rule}{close}{}", newline(src)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_on_a_line() {
        let l = r#"f('a\'b', "c") // 'd'"#;
        let lits = literals(l);
        assert_eq!(lits.len(), 2);
        assert_eq!(&l[lits[0].start..lits[0].end], r"'a\'b'");
        assert_eq!(
            unescape(&l[lits[0].content().0..lits[0].content().1]),
            "a'b"
        );
        let open = literals("triggerAction('st");
        assert_eq!(
            open,
            vec![Literal {
                start: 14,
                end: 17,
                closed: false,
                quote: '\''
            }]
        );
        assert_eq!(
            literal_at("triggerAction('st", 17).map(|l| l.start),
            Some(14)
        );
        assert_eq!(literal_at("x('ab') + 1", 8), None);
    }

    #[test]
    fn callees_and_attributes() {
        assert_eq!(
            callee_before("  window.talkativeApi?.actions.triggerAction( "),
            Some("window.talkativeApi?.actions.triggerAction")
        );
        assert_eq!(callee_before("x = "), None);
        assert_eq!(
            attribute_before(r#"<button data-talkative-action="#),
            Some("data-talkative-action")
        );
    }

    #[test]
    fn optional_chain_forms() {
        assert_eq!(
            optional_chain("talkativeApi.actions.triggerAction('x')").as_deref(),
            Some("window.talkativeApi?.actions.triggerAction('x')")
        );
        assert_eq!(
            optional_chain("window.talkativeApi.ui.show()").as_deref(),
            Some("window.talkativeApi?.ui.show()")
        );
        assert_eq!(
            optional_chain("talkativeApi?.ui.show()").as_deref(),
            Some("window.talkativeApi?.ui.show()")
        );
        assert_eq!(
            optional_chain("talkativeApi").as_deref(),
            Some("window.talkativeApi")
        );
        assert_eq!(optional_chain("api.actions.triggerAction('x')"), None);
        assert_eq!(optional_chain("talkativeApiX.y"), None);
    }

    #[test]
    fn wrapping_keeps_indentation() {
        let src = SourceText::new(
            "function f() {\n    talkativeApi.actions.triggerAction('a');\n}\n".into(),
        );
        let start = src.text().find("talkativeApi").unwrap();
        let end = src.text().find(";").unwrap();
        let e = wrap_in_guard(&src, start, end, Encoding::Utf16).unwrap();
        assert_eq!(
            e.new_text,
            "if (window.talkativeApi) {\n      talkativeApi.actions.triggerAction('a');\n    }"
        );
        assert_eq!(e.range.start, lsp::Position::new(1, 4));
        let src = SourceText::new("x = talkativeApi.ui.show();\n".into());
        assert!(wrap_in_guard(&src, 4, 25, Encoding::Utf16).is_none());
    }

    #[test]
    fn a_rule_is_added_to_an_existing_suppression() {
        use std::str::FromStr;
        let text = "  // action-lint-disable-next-line unknown-action\n  x();\n";
        let doc = Document {
            uri: lsp::Uri::from_str("file:///s/a.js").unwrap(),
            path: Some("/s/a.js".into()),
            version: 1,
            source: SourceText::new(text.into()),
        };
        let e = suppression(
            &doc,
            text.find("x()").unwrap(),
            "missing-guard",
            Encoding::Utf16,
        );
        assert_eq!(e.new_text, ", missing-guard");
        assert_eq!(e.range.start, lsp::Position::new(0, 49));
        let e = suppression(&doc, 0, "missing-guard", Encoding::Utf16);
        assert_eq!(
            e.new_text,
            "  // action-lint-disable-next-line missing-guard\n"
        );
    }
}
