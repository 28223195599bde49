//! Parses JavaScript/TypeScript code with tree-sitter, one reused parser per
//! grammar per thread.

use std::cell::RefCell;

use tree_sitter::{Language, Parser, Tree};

use super::Lang;

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

/// Parse `code`. `None` only if tree-sitter gives up (it does not on any
/// input we know of; callers report it rather than skip silently).
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
        parser.parse(code, None)
    })
}
