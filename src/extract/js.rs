//! Parses JavaScript/TypeScript code with tree-sitter, one reused parser per
//! grammar per thread, with a time limit per parse.

use std::cell::RefCell;
use std::ops::{ControlFlow, Range};
use std::time::{Duration, Instant};

use tree_sitter::{InputEdit, Language, ParseOptions, ParseState, Parser, Point, Tree};

use super::Lang;

/// Longest time one region may take to parse before it is given up (and
/// reported). Real code parses at megabytes per second; this bounds
/// pathological input.
pub const PARSE_TIME_LIMIT: Duration = Duration::from_secs(20);

fn language(lang: Lang) -> Language {
    match lang {
        Lang::Js => tree_sitter_javascript::LANGUAGE.into(),
        Lang::Ts => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
    }
}

thread_local! {
    static PARSERS: RefCell<[Option<Parser>; 3]> = const { RefCell::new([None, None, None]) };
    /// The last text and tree parsed in each slot, for [`parse_incremental`].
    static KEPT: RefCell<Vec<Option<Kept>>> = const { RefCell::new(Vec::new()) };
}

struct Kept {
    lang: Lang,
    code: String,
    /// Edited to `code`; where `stale` says, not re-parsed since.
    tree: Tree,
    /// The tree is a fresh parse's (see [`parse_incremental`]).
    exact: bool,
    /// Bytes of `code` the tree does not show: the statements a split quick
    /// parse ([`Parsed::Split`]) parsed alone. Never set on an exact tree.
    stale: Option<Range<usize>>,
}

/// What a re-parse gives.
pub enum Parsed {
    /// A tree of the whole code, and whether it is surely a fresh parse's.
    Whole(Tree, bool),
    /// A quick re-parse that took longer than [`QUICK_BUDGET`]: an unclosed
    /// `(` can make tree-sitter's error recovery re-read a whole 1 MB script,
    /// 200 ms and more. The old tree, edited, stands for the text outside
    /// `window` (whole top-level statements around the edits since the last
    /// whole parse), and `part` is the text of `window` parsed alone.
    Split {
        rest: Tree,
        window: Range<usize>,
        part: Tree,
    },
}

/// How long a quick re-parse of a whole script may take before the edited
/// statements are parsed alone ([`Parsed::Split`]). Re-parses after a
/// one-character edit of a 1 MB script take 10-20 ms here.
pub const QUICK_BUDGET: Duration = Duration::from_millis(15);

/// At most this many slots keep a tree (an editor's page has a few scripts).
const MAX_KEPT: usize = 64;

/// [`parse`], reusing the tree kept in `slot` by the previous call with that
/// slot (the language server passes a script's index in its document). The
/// difference between the old and the new text becomes a `Tree::edit`, so
/// tree-sitter re-parses only around it. The new tree is kept for next time.
///
/// Tree-sitter's error recovery can read the same broken text differently
/// when it starts from an old tree (an `-->` comment after an error, for
/// one). So by default only error-free trees are reused, and a re-parse that
/// has errors is parsed again from scratch: every tree is a fresh parse's.
/// With `quick`, an old tree with errors is reused too and a re-parse with
/// errors is kept as it is (a fresh parse of a 1.5 MB script takes 100 ms
/// or more); the flag returned says whether the tree is surely a fresh
/// parse's: always, unless the old tree was not a fresh parse's, or either
/// has errors. Such a tree is reused by the next quick parse only.
pub fn parse_incremental(code: &str, lang: Lang, slot: usize, quick: bool) -> Option<(Tree, bool)> {
    match reparse(code, lang, slot, quick, None)? {
        Parsed::Whole(tree, exact) => Some((tree, exact)),
        // Only given a budget does `reparse` split.
        Parsed::Split { .. } => parse(code, lang).map(|t| (t, true)),
    }
}

/// [`parse_incremental`] of a whole script, except that a quick re-parse
/// over `budget` ([`QUICK_BUDGET`]) gives [`Parsed::Split`], and so do the
/// quick re-parses after it, until a parse that is not quick.
pub fn parse_incremental_split(
    code: &str,
    lang: Lang,
    slot: usize,
    quick: bool,
    budget: Duration,
) -> Option<Parsed> {
    reparse(code, lang, slot, quick, Some(budget))
}

fn reparse(
    code: &str,
    lang: Lang,
    slot: usize,
    quick: bool,
    budget: Option<Duration>,
) -> Option<Parsed> {
    if slot >= MAX_KEPT {
        return parse(code, lang).map(|t| Parsed::Whole(t, true));
    }
    let old = KEPT.with(|k| {
        let mut k = k.borrow_mut();
        if k.len() <= slot {
            k.resize_with(slot + 1, || None);
        }
        k[slot].take()
    });
    // Only a fresh parse's tree without errors is known to lead to the
    // fresh parse's tree of the next text, when that has no errors either.
    let old = old
        .filter(|o| o.lang == lang && (quick || (o.exact && !o.tree.root_node().has_error())))
        .map(|mut o| {
            let sure = o.exact && !o.tree.root_node().has_error();
            let e = edit_between(&o.code, code);
            // Tree-sitter marks what an edit touches and keeps the marks
            // until a re-parse: a tree with stale statements stays a valid
            // old tree, through any number of edits.
            o.tree.edit(&e);
            let edited = e.start_byte..e.new_end_byte;
            let stale = o.stale.map(|w| {
                moved_by(w.start, &e).min(edited.start)..moved_by(w.end, &e).max(edited.end)
            });
            (o.tree, sure, stale, edited)
        });
    let keep = |tree: &Tree, exact: bool, stale: Option<Range<usize>>| {
        KEPT.with(|k| {
            k.borrow_mut()[slot] = Some(Kept {
                lang,
                code: code.to_owned(),
                tree: tree.clone(),
                exact,
                stale,
            });
        });
    };
    let mut tree = None;
    let mut parsed = false;
    if let (Some(budget), Some((old_tree, _, stale, edited))) = (budget.filter(|_| quick), &old) {
        // Once split, quick re-parses stay split: the broken text that
        // made the whole re-parse slow is most likely still there.
        if stale.is_none() {
            tree = parse_with(code, lang, Some(old_tree), budget);
            parsed = tree.is_some();
        }
        if !parsed {
            let around = stale.clone().unwrap_or_else(|| edited.clone());
            let window = statements_around(old_tree, code, around);
            // A window of most of the text is not worth it: parse it all.
            if window.len() <= code.len() / 2 {
                let part = parse(&code[window.clone()], lang)?;
                keep(old_tree, false, Some(window.clone()));
                return Some(Parsed::Split {
                    rest: old_tree.clone(),
                    window,
                    part,
                });
            }
        }
    }
    if !parsed {
        tree = parse_with(code, lang, old.as_ref().map(|o| &o.0), PARSE_TIME_LIMIT);
    }
    let mut exact = true;
    // Started from a tree with errors, even an error-free result may not be
    // the fresh parse's (`{}-->` read as an HTML comment, not an error).
    if let Some((_, sure, stale, _)) = &old {
        let sure = *sure && stale.is_none();
        if !sure || tree.as_ref().is_some_and(|t| t.root_node().has_error()) {
            if quick {
                exact = false;
            } else {
                tree = parse(code, lang);
            }
        }
    }
    if let Some(t) = &tree {
        keep(t, exact, None);
    }
    tree.map(|t| Parsed::Whole(t, exact))
}

/// Where a byte offset of the old text is after the edit.
fn moved_by(offset: usize, e: &InputEdit) -> usize {
    if offset <= e.start_byte {
        offset
    } else if offset >= e.old_end_byte {
        offset - e.old_end_byte + e.new_end_byte
    } else {
        e.new_end_byte
    }
}

/// `around` widened to the top-level statements of `tree` (edited to
/// `code`) that it touches, and to char boundaries.
fn statements_around(tree: &Tree, code: &str, around: Range<usize>) -> Range<usize> {
    let (mut start, mut end) = (around.start, around.end);
    let root = tree.root_node();
    let mut c = root.walk();
    for n in root.named_children(&mut c) {
        if n.start_byte() <= around.end && n.end_byte() >= around.start {
            start = start.min(n.start_byte());
            end = end.max(n.end_byte());
        }
    }
    let mut end = end.min(code.len());
    let mut start = start.min(end);
    while !code.is_char_boundary(start) {
        start -= 1;
    }
    while !code.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The one edit that turns `old` into `new`: everything between their common
/// prefix and their common suffix was replaced.
fn edit_between(old: &str, new: &str) -> InputEdit {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    InputEdit {
        start_byte: prefix,
        old_end_byte: a.len() - suffix,
        new_end_byte: b.len() - suffix,
        start_position: point_at(a, prefix),
        old_end_position: point_at(a, a.len() - suffix),
        new_end_position: point_at(b, b.len() - suffix),
    }
}

/// Tree-sitter's position of a byte offset: rows end at `\n`, columns in bytes.
fn point_at(text: &[u8], offset: usize) -> Point {
    let before = &text[..offset];
    let row = memchr::memchr_iter(b'\n', before).count();
    let column = match memchr::memrchr(b'\n', before) {
        Some(nl) => offset - nl - 1,
        None => offset,
    };
    Point { row, column }
}

/// Parse `code`. `None` when the time limit was hit (callers report it).
pub fn parse(code: &str, lang: Lang) -> Option<Tree> {
    parse_with(code, lang, None, PARSE_TIME_LIMIT)
}

/// Parse `code`, with an old tree already edited to match it, if any.
/// `None` past `limit`.
fn parse_with(code: &str, lang: Lang, old: Option<&Tree>, limit: Duration) -> Option<Tree> {
    let slot = match lang {
        Lang::Js => 0,
        Lang::Ts => 1,
        Lang::Tsx => 2,
    };
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        if parsers[slot].is_none() {
            let mut p = Parser::new();
            p.set_language(&language(lang)).ok()?;
            parsers[slot] = Some(p);
        }
        let parser = parsers[slot].as_mut()?;
        parser.reset();
        let bytes = code.as_bytes();
        let deadline = Instant::now() + limit;
        let mut input = |i: usize, _| {
            if i < bytes.len() {
                &bytes[i..]
            } else {
                &[][..]
            }
        };
        let mut progress = |_: &ParseState| {
            if Instant::now() > deadline {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let tree = parser.parse_with_options(
            &mut input,
            old,
            Some(ParseOptions::new().progress_callback(&mut progress)),
        );
        if tree.is_none() {
            // A cancelled parse leaves state behind; start clean next time.
            parser.reset();
        }
        tree
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_edit_spans_what_changed_with_tree_sitter_points() {
        let e = edit_between("ab\ncd\nef", "ab\ncXd\nef");
        assert_eq!((e.start_byte, e.old_end_byte, e.new_end_byte), (4, 4, 5));
        assert_eq!(e.start_position, Point { row: 1, column: 1 });
        assert_eq!(e.new_end_position, Point { row: 1, column: 2 });
        // A line break removed: the old end is on the next row.
        let e = edit_between("ab\r\ncd", "abcd");
        assert_eq!((e.start_byte, e.old_end_byte, e.new_end_byte), (2, 4, 2));
        assert_eq!(e.old_end_position, Point { row: 1, column: 0 });
        // Prefix and suffix may not overlap: "aa" -> "aaa" is one inserted byte.
        let e = edit_between("aa", "aaa");
        assert_eq!((e.start_byte, e.old_end_byte, e.new_end_byte), (2, 2, 3));
        let e = edit_between("same", "same");
        assert_eq!((e.start_byte, e.old_end_byte, e.new_end_byte), (4, 4, 4));
    }

    /// Found by the property test below: tree-sitter, started from the old
    /// tree, read this unchanged broken text as one HTML comment.
    #[test]
    fn broken_text_is_parsed_afresh() {
        let t = "if (window.talkativeApi) {}-->function f(a) {if (!window.talkativeApi) return;!<button ";
        let fresh = parse(t, Lang::Js).unwrap().root_node().to_sexp();
        for _ in 0..3 {
            let (inc, exact) = parse_incremental(t, Lang::Js, 5, false).unwrap();
            assert!(exact);
            assert_eq!(inc.root_node().to_sexp(), fresh);
        }
    }

    /// Past the budget, the edited statements are parsed alone, and stay
    /// so edit after edit; the window is whole statements around every edit
    /// since the split; a parse that is not quick is the fresh parse's.
    #[test]
    fn a_quick_parse_past_its_budget_is_split_until_an_exact_one() {
        let body: String = (0..300)
            .map(|i| format!("function h{i}(e) {{ e.x({i}); }}\n"))
            .collect();
        let zero = Duration::ZERO;
        let slot = 10;
        let Some(Parsed::Whole(_, true)) =
            parse_incremental_split(&body, Lang::Js, slot, true, zero)
        else {
            panic!("first parse");
        };
        let at = |text: &str, what: &str| text.find(what).unwrap();
        let one = body.replace("e.x(7);", "e.x(((7);");
        let Some(Parsed::Split { rest, window, part }) =
            parse_incremental_split(&one, Lang::Js, slot, true, zero)
        else {
            panic!("not split");
        };
        let h7 = at(&one, "function h7(");
        assert_eq!(&one[window.clone()], "function h7(e) { e.x(((7); }");
        assert_eq!(window.start, h7);
        assert!(part.root_node().has_error());
        // The rest: the old tree edited, each other statement where its text is.
        let root = rest.root_node();
        let h9 = root.named_child(9).unwrap();
        assert_eq!(&one[h9.byte_range()], "function h9(e) { e.x(9); }");
        // A second edit elsewhere: still split, the window spans both.
        let two = one.replace("e.x(20);", "e.x(20)(;");
        let Some(Parsed::Split { window, .. }) =
            parse_incremental_split(&two, Lang::Js, slot, true, zero)
        else {
            panic!("not split");
        };
        assert_eq!(window, h7..at(&two, "function h21(") - 1);
        let fresh = parse(&two, Lang::Js).unwrap().root_node().to_sexp();
        let Some(Parsed::Whole(tree, true)) =
            parse_incremental_split(&two, Lang::Js, slot, false, zero)
        else {
            panic!("not exact");
        };
        assert_eq!(tree.root_node().to_sexp(), fresh);
    }

    fn snippet() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "function f(a) {",
                "}",
                "talkativeApi.actions.triggerAction('x');",
                "\n",
                "\r\n",
                "if (window.talkativeApi) {",
                "'é😀'",
                "/* c */",
                "`t${",
                "a = b;",
                "(",
                ")",
                "[",
                "]",
                "\"",
                "//",
                "<div>",
                "ö",
                "x",
                " ",
                "-->",
                "<!--",
                "!",
            ]),
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Parsing edit after edit against the kept tree gives the tree a
        /// fresh parse gives (compared as S-expressions with byte ranges).
        #[test]
        fn incremental_parse_equals_a_fresh_parse(
            texts in prop::collection::vec(snippet(), 1..6),
            lang in prop::sample::select(vec![Lang::Js, Lang::Ts, Lang::Tsx]),
            modes in prop::collection::vec(any::<bool>(), 1..8),
        ) {
            let shape = |t: &Tree| {
                let mut out = Vec::new();
                let mut c = t.walk();
                loop {
                    let n = c.node();
                    out.push((n.kind_id(), n.byte_range(), n.start_position(), n.end_position()));
                    if c.goto_first_child() {
                        continue;
                    }
                    while !c.goto_next_sibling() {
                        if !c.goto_parent() {
                            return out;
                        }
                    }
                }
            };
            // Slot 9 mixes quick and exact parses, in the order `modes` gives.
            // Each text also comes again unchanged and with a small edit.
            let each = texts.iter().flat_map(|t| [t.clone(), t.clone(), format!("{t}x")]);
            for (step, text) in each.enumerate() {
                let text = &text;
                let fresh = parse(text, lang).unwrap();
                let (inc, exact) = parse_incremental(text, lang, 7, false).unwrap();
                prop_assert!(exact);
                prop_assert_eq!(shape(&inc), shape(&fresh), "{:?}", text);
                // Quick: a tree said to be exact is the fresh parse's, and an
                // exact parse after quick ones (the language server's pass
                // once the editor pauses) is too.
                let (quick, exact) = parse_incremental(text, lang, 8, true).unwrap();
                if exact {
                    prop_assert_eq!(shape(&quick), shape(&fresh), "quick: {:?}", text);
                }
                let quick = modes[step % modes.len()];
                let (after, exact) = parse_incremental(text, lang, 9, quick).unwrap();
                if !quick {
                    prop_assert!(exact);
                    prop_assert_eq!(shape(&after), shape(&fresh), "after quick: {:?}", text);
                }
                // Slot 11 the same, split whenever tree-sitter checks the
                // (zero) budget: a split is a window of the text, and an
                // exact parse after splits is still the fresh parse's.
                match parse_incremental_split(text, lang, 11, quick, Duration::ZERO).unwrap() {
                    Parsed::Whole(tree, exact) => {
                        if !quick {
                            prop_assert!(exact);
                            prop_assert_eq!(shape(&tree), shape(&fresh), "after split: {:?}", text);
                        }
                    }
                    Parsed::Split { window, .. } => {
                        prop_assert!(quick);
                        prop_assert!(text.get(window.clone()).is_some(), "{:?} in {:?}", window, text);
                    }
                }
            }
        }
    }
}
