//! Parses JavaScript/TypeScript code with tree-sitter, one reused parser per
//! grammar per thread, with a time limit per parse.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use tree_sitter::{Language, ParseOptions, ParseState, Parser, Tree};

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
}

/// Parse `code`. `None` when the time limit was hit (callers report it).
pub fn parse(code: &str, lang: Lang) -> Option<Tree> {
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
            None,
            Some(ParseOptions::new().progress_callback(&mut progress)),
        );
        if tree.is_none() {
            // A cancelled parse leaves state behind; start clean next time.
            parser.reset();
        }
        tree
    })
}
