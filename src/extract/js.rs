//! Parses JavaScript/TypeScript code with tree-sitter, one reused parser per
//! grammar per thread, with a time limit per parse.

use std::cell::RefCell;
use std::ops::ControlFlow;
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
    tree: Tree,
    /// The tree is a fresh parse's (see [`parse_incremental`]).
    exact: bool,
}

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
    if slot >= MAX_KEPT {
        return parse(code, lang).map(|t| (t, true));
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
            o.tree.edit(&edit_between(&o.code, code));
            (o.tree, sure)
        });
    let mut tree = parse_with(code, lang, old.as_ref().map(|(t, _)| t));
    let mut exact = true;
    // Started from a tree with errors, even an error-free result may not be
    // the fresh parse's (`{}-->` read as an HTML comment, not an error).
    if let Some((_, sure)) = old {
        if !sure || tree.as_ref().is_some_and(|t| t.root_node().has_error()) {
            if quick {
                exact = false;
            } else {
                tree = parse(code, lang);
            }
        }
    }
    if let Some(t) = &tree {
        KEPT.with(|k| {
            k.borrow_mut()[slot] = Some(Kept {
                lang,
                code: code.to_owned(),
                tree: t.clone(),
                exact,
            });
        });
    }
    tree.map(|t| (t, exact))
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
    parse_with(code, lang, None)
}

/// Parse `code`, with an old tree already edited to match it, if any.
fn parse_with(code: &str, lang: Lang, old: Option<&Tree>) -> Option<Tree> {
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
        let deadline = Instant::now() + PARSE_TIME_LIMIT;
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
            }
        }
    }
}
