//! Which top-level statements of a large script the walks visit.
//!
//! The engine's pre-filter leaves out whole files and page scripts that
//! mention no word a rule needs. This does the same inside one large script:
//! a top-level statement is walked when it mentions such a word, or when it
//! is linked to a walked statement through a name:
//!
//! - it declares, at the top level, a name a walked statement mentions
//!   (an alias, a function called, a config object), or
//! - it mentions a name a walked statement binds where other statements
//!   can see it: at the top level (it calls or passes a walked function,
//!   reads an alias, reassigns a `let`). A parameter or a local of a walked
//!   function is seen only inside that function, so it ties nothing.
//!
//! What a left-out statement would contribute is what a left-out file
//! would: facts about names no rule looks at yet. When the engine learns new
//! words (wrappers, functions holding unguarded uses), the script is
//! analysed again, as a page with left-out scripts is.
//!
//! Both link tests over-approximate (mentions are every identifier-like run
//! of the text, comments and strings included, except a property name after
//! a dot, which never names a binding), so a statement is only left out when
//! nothing can tie it to the rest. A top-level `if` that may exit (`throw`,
//! `return`) is always walked: `if (!ready()) throw …` guards the statements
//! after it. An export list is walked only for a word it mentions (see
//! [`is_export_list`]).
//!
//! In a script with syntax errors, every top-level node holding an error is
//! walked: error recovery may have cut a statement in pieces, or glued
//! several into one `ERROR` node, whose shape no rule above describes. The
//! well-formed statements around it are selected as in any script; the
//! language server's edits that leave an error are then walked in a few
//! statements instead of whole.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use tree_sitter::{Node, Tree};

use crate::extract::ts::NodeExt;

/// Top-level statements the walks leave out, by node id.
#[derive(Debug, Default)]
pub struct Skip(HashSet<usize>);

impl Skip {
    pub fn contains(&self, node: Node<'_>) -> bool {
        !self.0.is_empty() && self.0.contains(&node.id())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The top-level statements of `tree` that lie within `window`.
    pub fn within(tree: &Tree, window: &std::ops::Range<usize>) -> Skip {
        let root = tree.root_node();
        let mut c = root.walk();
        Skip(
            root.named_children(&mut c)
                .filter(|n| window.start <= n.start_byte() && n.end_byte() <= window.end)
                .map(|n| n.id())
                .collect(),
        )
    }

    pub fn extend(&mut self, other: &Skip) {
        self.0.extend(other.0.iter().copied());
    }
}

/// The statement selection of one region, grown until it is closed.
pub struct Selection<'t> {
    stmts: Vec<Node<'t>>,
    selected: Vec<bool>,
    /// Identifier-like runs of each statement: `tokens[spans[i].0..spans[i].1]`.
    tokens: Vec<(u32, u32)>,
    spans: Vec<(usize, usize)>,
    /// Statements declaring (or possibly declaring) a name at the top level.
    declared: HashMap<&'t str, Vec<u32>>,
    src: &'t str,
    todo: Vec<u32>,
}

impl<'t> Selection<'t> {
    /// The statements of `tree` that mention a word `keep` accepts, closed
    /// under declared names. `None` when every statement is walked anyway,
    /// or when the text is one the token scan could misread.
    pub fn new(tree: &'t Tree, src: &'t str, keep: &dyn Fn(&str) -> bool) -> Option<Selection<'t>> {
        let root = tree.root_node();
        // An escaped identifier (`\u0061`) is not the token its text shows.
        // Token offsets are `u32`.
        if src.contains("\\u") || u32::try_from(src.len()).is_err() {
            return None;
        }
        let mut c = root.walk();
        let stmts: Vec<Node<'t>> = root.named_children(&mut c).collect();
        if stmts.len() < 2 {
            return None;
        }
        let text = |n: &Node<'_>| src.get(n.byte_range()).unwrap_or("");
        let selected: Vec<bool> = stmts
            .iter()
            .map(|s| s.has_error() || is_exit_test(*s, text(s)) || keep(text(s)))
            .collect();
        if selected.iter().all(|s| *s) {
            return None;
        }
        let mut sel = Selection {
            stmts,
            selected,
            tokens: Vec::new(),
            spans: Vec::new(),
            declared: HashMap::default(),
            src,
            todo: Vec::new(),
        };
        for i in 0..sel.stmts.len() {
            let s = sel.stmts[i];
            let start = sel.tokens.len();
            // Names followed by `=`, and whether right after `const`, `let`
            // or `var`.
            let mut assigned: Vec<((u32, u32), bool)> = Vec::new();
            let base = s.start_byte();
            tokens(text(&s), |a, b, tok| {
                let t = ((base + a) as u32, (base + b) as u32);
                // A property name is neither a mention of a binding nor,
                // unless a global object's, a declaration.
                if !tok.member {
                    sel.tokens.push(t);
                }
                if tok.assigned && (!tok.member || tok.global_member) {
                    assigned.push((t, tok.declarator));
                }
            });
            sel.spans.push((start, sel.tokens.len()));
            let own_names = top_level_names(s);
            // A comment declares nothing, whatever `x = …` it shows. In a
            // statement whose own top-level names are known exactly, a
            // `const x =` (or `let`, `var`) inside declares `x` only in a
            // function or block of it: no other statement sees it. Other
            // assignments may write a binding declared at the top level.
            let mut names: Vec<(u32, u32)> = if s.k() == "comment" {
                Vec::new()
            } else {
                assigned
                    .into_iter()
                    .filter(|(_, declarator)| !(own_names.is_some() && *declarator))
                    .map(|(t, _)| t)
                    .collect()
            };
            let hoists = || {
                sel.tokens[start..].iter().any(|t| {
                    matches!(
                        src.get(t.0 as usize..t.1 as usize),
                        Some("var" | "function")
                    )
                })
            };
            match own_names {
                Some(nodes) => {
                    for n in nodes {
                        let b = n.start_byte();
                        tokens(text(&n), |x, y, _| {
                            names.push(((b + x) as u32, (b + y) as u32))
                        });
                    }
                }
                // A block, loop, `if`, `try`… binds a name at the top level
                // only through a `var` (or, in sloppy code, a function)
                // inside it.
                None if is_compound(s) && !hoists() => {}
                // Anything else may bind names: every token.
                None => names.extend_from_slice(&sel.tokens[start..]),
            }
            for (a, b) in names {
                let name = src.get(a as usize..b as usize).unwrap_or("");
                let list = sel.declared.entry(name).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        sel.todo = (0..sel.stmts.len() as u32)
            .filter(|i| sel.selected[*i as usize])
            .collect();
        sel.close();
        Some(sel)
    }

    fn token(&self, t: (u32, u32)) -> &'t str {
        self.src.get(t.0 as usize..t.1 as usize).unwrap_or("")
    }

    /// Select the statements declaring names that selected ones mention.
    fn close(&mut self) {
        while let Some(i) = self.todo.pop() {
            let (a, b) = self.spans[i as usize];
            for k in a..b {
                let name = self.token(self.tokens[k]);
                if let Some(list) = self.declared.get(name) {
                    for &j in list {
                        if !self.selected[j as usize] {
                            self.selected[j as usize] = true;
                            self.todo.push(j);
                        }
                    }
                }
            }
        }
    }

    /// Select the statements mentioning a name the selected ones bind at
    /// the top level (`bound`, from their scopes), and close again. True if any was added:
    /// the scopes must then be collected again.
    pub fn grow<'b>(&mut self, bound: impl Iterator<Item = &'b str>) -> bool {
        let bound: HashSet<&str> = bound.collect();
        if bound.is_empty() {
            return false;
        }
        for i in 0..self.stmts.len() {
            if self.selected[i] || is_export_list(self.stmts[i]) {
                continue;
            }
            let (a, b) = self.spans[i];
            if self.tokens[a..b]
                .iter()
                .any(|t| bound.contains(self.token(*t)))
            {
                self.selected[i] = true;
                self.todo.push(i as u32);
            }
        }
        let grown = !self.todo.is_empty();
        self.close();
        grown
    }

    /// The byte ranges of the statements left out.
    pub fn left_out(&self) -> Vec<std::ops::Range<usize>> {
        self.stmts
            .iter()
            .zip(&self.selected)
            .filter(|(_, s)| !**s)
            .map(|(n, _)| n.byte_range())
            .collect()
    }

    /// The statements left out.
    pub fn skip(&self) -> Skip {
        Skip(
            self.stmts
                .iter()
                .zip(&self.selected)
                .filter(|(_, s)| !**s)
                .map(|(n, _)| n.id())
                .collect(),
        )
    }
}

/// The nodes holding the names a top-level statement declares, when its
/// kind says exactly where they are; `None` for any other statement.
fn top_level_names(s: Node<'_>) -> Option<Vec<Node<'_>>> {
    match s.k() {
        "function_declaration"
        | "generator_function_declaration"
        | "class_declaration"
        | "abstract_class_declaration" => Some(s.f("name").into_iter().collect()),
        "lexical_declaration" | "variable_declaration" => {
            let mut c = s.walk();
            let declarators: Vec<Node<'_>> = s
                .named_children(&mut c)
                .filter(|d| d.k() == "variable_declarator")
                .collect();
            let names: Vec<Node<'_>> = declarators.iter().filter_map(|d| d.f("name")).collect();
            // A declarator without a name is not one this code knows.
            (names.len() == declarators.len()).then_some(names)
        }
        "expression_statement" | "comment" | "empty_statement" | "hash_bang_line" => {
            Some(Vec::new())
        }
        "export_statement" => match s.f("declaration") {
            Some(d) => top_level_names(d),
            // `export { a, b as c }`, `export * from …`: no binding.
            None if is_export_list(s) => Some(Vec::new()),
            // `export default expression`.
            None => None,
        },
        _ => None,
    }
}

/// A top-level `if` that may exit the script (`if (!ready()) throw …`): it
/// may guard the statements after it (guard form 3) through a predicate
/// function, whose name need not be a search word. An `if` without `throw`
/// or `return` cannot exit, so it guards nothing after it.
fn is_exit_test(s: Node<'_>, text: &str) -> bool {
    s.k() == "if_statement" && (text.contains("throw") || text.contains("return"))
}

/// Statements whose own bindings are block-scoped: only a `var` or a
/// function declaration inside them can bind a name at the top level.
fn is_compound(s: Node<'_>) -> bool {
    matches!(
        s.k(),
        "if_statement"
            | "for_statement"
            | "for_in_statement"
            | "while_statement"
            | "do_statement"
            | "try_statement"
            | "statement_block"
            | "switch_statement"
            | "labeled_statement"
            | "with_statement"
    )
}

/// `export { a, b as c }`, `export { a } from …` or `export * from …`.
///
/// Such a list adds only value uses of the names it exports, and a value use
/// matters only for a function whose calls decide a guard, whose name is a
/// search word: a list naming one mentions a word and is walked, and once the
/// name is learned the script is analysed again. So a list is never pulled
/// in because it mentions a name a walked statement binds; otherwise a
/// module ending in a list of all its declarations would tie them all to
/// the widget call.
fn is_export_list(s: Node<'_>) -> bool {
    s.k() == "export_statement" && s.f("declaration").is_none() && s.f("value").is_none()
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// What a token is, besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tok {
    /// Followed by `=` (not `==` or `=>`).
    assigned: bool,
    /// A property name after `.` or `?.` (not a spread's `...`): it never
    /// names a binding. Only a `.` on the same line counts, so that a line
    /// comment ending in a full stop cannot hide the next line's first name.
    member: bool,
    /// A property of a global object (`window.x`): `window.x = function …`
    /// names a function as a declaration does.
    global_member: bool,
    /// Right after `const`, `let` or `var` (blanks between): a declarator,
    /// not an assignment to a binding declared elsewhere.
    declarator: bool,
}

/// Call `f(start, end, tok)` for every identifier-like run of `text`:
/// ASCII letters, digits, `_`, `$` and any non-ASCII byte. A run with
/// non-ASCII bytes is also given as each of its ASCII parts, since such a
/// byte may be a separator.
fn tokens(text: &str, mut f: impl FnMut(usize, usize, Tok)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    // The previous token's range, for `window.x`.
    let mut prev: Option<(usize, usize)> = None;
    while i < bytes.len() {
        if !is_ident_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut ascii = true;
        while i < bytes.len() && is_ident_byte(bytes[i]) {
            ascii &= bytes[i] < 0x80;
            i += 1;
        }
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let assigned =
            bytes.get(j) == Some(&b'=') && !matches!(bytes.get(j + 1), Some(b'=' | b'>'));
        let mut k = start;
        while k > 0 && matches!(bytes[k - 1], b' ' | b'\t') {
            k -= 1;
        }
        let member = k > 0 && bytes[k - 1] == b'.' && (k < 2 || bytes[k - 2] != b'.');
        // Not a global object's only when the name before the dot is
        // plainly another one (`this.x`, `el.x`, `a?.x`); anything else
        // between them (a newline, a comment, a bracket) may hide `window`.
        let global_member = member
            && !prev.is_some_and(|(a, b)| {
                !crate::analysis::api::GLOBAL_OBJECTS.contains(&&text[a..b])
                    && text[b..k - 1]
                        .bytes()
                        .all(|c| matches!(c, b' ' | b'\t' | b'?'))
            });
        let declarator = prev.is_some_and(|(a, b)| {
            matches!(&text[a..b], "const" | "let" | "var")
                && text[b..start].bytes().all(|c| c.is_ascii_whitespace())
        });
        let tok = Tok {
            assigned,
            member,
            global_member,
            declarator,
        };
        f(start, i, tok);
        prev = Some((start, i));
        if !ascii {
            let plain = Tok {
                member: false,
                global_member: false,
                declarator: false,
                ..tok
            };
            let mut k = start;
            while k < i {
                if bytes[k] >= 0x80 {
                    k += 1;
                    continue;
                }
                let s = k;
                while k < i && bytes[k] < 0x80 {
                    k += 1;
                }
                f(s, k, plain);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{js, ts, Lang};

    fn runs(text: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        tokens(text, |a, b, t| {
            out.push((text[a..b].to_owned(), t.assigned))
        });
        out
    }

    #[test]
    fn tokens_are_identifier_runs_and_assignments() {
        let got = runs("a = b == c; d => e; f\n  = 1; x.y=2");
        let want = [
            ("a", true),
            ("b", false),
            ("c", false),
            ("d", false),
            ("e", false),
            ("f", true),
            ("1", false),
            ("x", false),
            ("y", true),
            ("2", false),
        ];
        assert_eq!(
            got,
            want.iter()
                .map(|(s, b)| (s.to_string(), *b))
                .collect::<Vec<_>>()
        );
        // A non-ASCII byte may be a separator: its ASCII parts are tokens too.
        let got = runs("é1x…y");
        assert_eq!(
            got.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
            ["é1x…y", "1x", "y"]
        );
    }

    /// `(token, member, global_member)` for each run.
    fn members(text: &str) -> Vec<(String, bool, bool)> {
        let mut out = Vec::new();
        tokens(text, |a, b, t| {
            out.push((text[a..b].to_owned(), t.member, t.global_member))
        });
        out
    }

    #[test]
    fn property_names_are_told_apart_from_names() {
        let m = |s: &str, member: bool, global: bool| (s.to_owned(), member, global);
        assert_eq!(
            members("a.b; c?.d; ...e; f. g; window.h; self\t.i; this.j; k[0].l"),
            [
                m("a", false, false),
                m("b", true, false),
                m("c", false, false),
                m("d", true, false),
                // A spread is not a property.
                m("e", false, false),
                m("f", false, false),
                m("g", true, false),
                m("window", false, false),
                m("h", true, true),
                m("self", false, false),
                m("i", true, true),
                m("this", false, false),
                m("j", true, false),
                m("k", false, false),
                m("0", false, false),
                // What is before the dot is not a plain name: maybe a global.
                m("l", true, true),
            ]
        );
        // A dot on an earlier line may end a comment: the name after the
        // line break is a name. A line break before the dot may hide a
        // global object behind a comment.
        assert_eq!(
            members("x // see y.\nz(); w // c\n  .v = 1; y.\nu"),
            [
                m("x", false, false),
                m("see", false, false),
                m("y", false, false),
                m("z", false, false),
                m("w", false, false),
                m("c", false, false),
                m("v", true, true),
                m("1", false, false),
                m("y", false, false),
                m("u", false, false),
            ]
        );
    }

    /// The statements walked, by their first line.
    fn walked(code: &str, bound: &[&str]) -> Vec<String> {
        ts::set_lang(Lang::Js);
        let tree = js::parse(code, Lang::Js).expect("parses");
        let keep = |t: &str| t.contains("talkativeApi") || t.contains("triggerAction");
        let Some(mut sel) = Selection::new(&tree, code, &keep) else {
            return vec!["all".into()];
        };
        sel.grow(bound.iter().copied());
        let skip = sel.skip();
        let mut c = tree.root_node().walk();
        let kids: Vec<_> = tree.root_node().named_children(&mut c).collect();
        kids.into_iter()
            .filter(|n| !skip.contains(*n))
            .map(|n| code[n.byte_range()].lines().next().unwrap_or("").to_owned())
            .collect()
    }

    #[test]
    fn statements_are_linked_by_the_names_they_declare() {
        let code = "\
function unrelated() { return document.title; }
const api = window.talkativeApi;
function start() { api.actions.triggerAction(name); }
var name = pick();
function pick() { return 'start-chat'; }
window.helper = function () { start(); };
other();
if (ready()) { x(); }
if (!ready()) throw new Error('no widget');
el.pick = 1;
";
        // `api` and `name` are declared by statements that are mentioned;
        // `pick` by one that is pulled in; an `if` that may exit always.
        // `el.pick = 1` assigns a property, which declares nothing.
        assert_eq!(
            walked(code, &[]),
            [
                "const api = window.talkativeApi;",
                "function start() { api.actions.triggerAction(name); }",
                "var name = pick();",
                "function pick() { return 'start-chat'; }",
                "if (!ready()) throw new Error('no widget');",
            ]
        );
        // A statement mentioning a bound name (`start`) is walked too.
        assert_eq!(
            walked(code, &["start", "api", "name", "pick"]),
            [
                "const api = window.talkativeApi;",
                "function start() { api.actions.triggerAction(name); }",
                "var name = pick();",
                "function pick() { return 'start-chat'; }",
                "window.helper = function () { start(); };",
                "if (!ready()) throw new Error('no widget');",
            ]
        );
        // `window.helper = …` declares `helper`; a property of another
        // object does not, and a property mention is not a mention.
        let code = "\
function unrelated() { return document.title; }
window.talkativeApi.actions.triggerAction(helper, box.other);
window.helper = 'start-chat';
box.other = 'start-video';
const other = 1;
";
        assert_eq!(
            walked(code, &[]),
            [
                "window.talkativeApi.actions.triggerAction(helper, box.other);",
                "window.helper = 'start-chat';",
            ]
        );
    }

    #[test]
    fn every_statement_is_walked_when_the_text_could_mislead() {
        assert_eq!(
            walked("a();\nwindow.talkativeApi.x();\n", &[]),
            ["window.talkativeApi.x();"]
        );
        assert_eq!(
            walked("\\u0061();\nwindow.talkativeApi.x();\n", &[]),
            ["all"]
        );
        assert_eq!(walked("window.talkativeApi.x();\n", &[]), ["all"]);
    }

    /// `const x =` inside a function declares a local: it does not tie the
    /// function to a statement mentioning `x`; an assignment `x = …` may
    /// write a top-level binding, and does.
    #[test]
    fn a_local_declarator_ties_nothing() {
        let code = "\
function a() { const el = 1; return el; }
function b() { el = 2; }
function c(e) { const el = e; talkativeApi.x(el); }
let el = 0;
var v = 1, w = function () { var el = 3; };
";
        assert_eq!(
            walked(code, &[]),
            [
                "function b() { el = 2; }",
                "function c(e) { const el = e; talkativeApi.x(el); }",
                "let el = 0;",
            ]
        );
    }

    /// A top-level node holding a syntax error is walked, whatever it
    /// mentions; the well-formed statements around it are selected as usual.
    #[test]
    fn statements_holding_a_syntax_error_are_walked() {
        let code = "a(;\nwindow.talkativeApi.x();\nb();\nfunction c() { d(; }\ne();\n";
        assert_eq!(
            walked(code, &[]),
            ["a(;", "window.talkativeApi.x();", "function c() { d(; }"]
        );
    }

    /// An export list naming every declaration does not tie them all to
    /// the widget call; a list naming a word is walked.
    #[test]
    fn an_export_list_is_walked_only_for_a_word() {
        let code = "\
function warn(m) { console.warn(m); }
function other() { return 1; }
window.talkativeApi?.actions.triggerAction('x').catch(warn);
export { warn, other };
";
        assert_eq!(
            walked(code, &["warn", "m"]),
            [
                "function warn(m) { console.warn(m); }",
                "window.talkativeApi?.actions.triggerAction('x').catch(warn);",
            ]
        );
        let code = code.replace("other };", "other, talkativeApi };");
        assert_eq!(walked(&code, &["warn", "m"]).len(), 4);
    }

    #[test]
    fn names_a_block_may_hoist_link_it() {
        let code = "\
if (x) {} else { var helper = 1; }
for (var i = 0; i < 1; i++) { var alias = window.talkativeApi; }
try { var other = 2; } catch (e) {}
try { let local; } catch (e) { console.log(e); }
while (more()) { let again; console.log(again); }
/* example: other = 1; local = 2 */
alias.actions.triggerAction(other || local || again);
";
        // The first `try` declares `other` with a `var`: walked. The other
        // blocks bind nothing at the top level, and a comment declares
        // nothing: left out.
        assert_eq!(
            walked(code, &[]),
            [
                "if (x) {} else { var helper = 1; }",
                "for (var i = 0; i < 1; i++) { var alias = window.talkativeApi; }",
                "try { var other = 2; } catch (e) {}",
                "alias.actions.triggerAction(other || local || again);",
            ]
        );
    }
}
