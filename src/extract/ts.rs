//! Fast node kinds and fields for the analysis walk.
//!
//! `Node::kind()` converts a C string (strlen + UTF-8 check) and
//! `child_by_field_name` scans every field name with strncmp; in the walk they
//! were a third of the CPU time. Here kinds come from a per-language table and
//! field ids are looked up once per name and cached. The language of the trees
//! being walked on this thread is set with [`set_lang`].

use std::cell::{Cell, RefCell};
use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;
use tree_sitter::{Language, Node};

use super::Lang;

static TABLES: [OnceLock<Vec<&'static str>>; 3] =
    [OnceLock::new(), OnceLock::new(), OnceLock::new()];

thread_local! {
    static CURRENT: Cell<usize> = const { Cell::new(0) };
    static FIELDS: RefCell<HashMap<(usize, usize), u16>> = RefCell::new(HashMap::default());
}

fn slot(lang: Lang) -> usize {
    match lang {
        Lang::Js => 0,
        Lang::Ts => 1,
        Lang::Tsx => 2,
    }
}

fn language(slot: usize) -> Language {
    match slot {
        0 => tree_sitter_javascript::LANGUAGE.into(),
        1 => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        _ => tree_sitter_typescript::LANGUAGE_TSX.into(),
    }
}

fn table(slot: usize) -> &'static [&'static str] {
    TABLES[slot].get_or_init(|| {
        let lang = language(slot);
        (0..lang.node_kind_count() as u16)
            .map(|id| -> &'static str {
                Box::leak(
                    lang.node_kind_for_id(id)
                        .unwrap_or("")
                        .to_owned()
                        .into_boxed_str(),
                )
            })
            .collect()
    })
}

/// The grammar of the trees walked next on this thread.
pub fn set_lang(lang: Lang) {
    CURRENT.with(|c| c.set(slot(lang)));
}

pub trait NodeExt<'t> {
    /// `kind()` without the C-string conversion.
    fn k(&self) -> &'static str;
    /// `child_by_field_name` with a cached field id.
    fn f(&self, name: &'static str) -> Option<Node<'t>>;
}

impl<'t> NodeExt<'t> for Node<'t> {
    #[inline]
    fn k(&self) -> &'static str {
        let s = CURRENT.with(Cell::get);
        match table(s).get(self.kind_id() as usize) {
            Some(k) if !k.is_empty() => k,
            _ => {
                if self.is_error() {
                    "ERROR"
                } else {
                    ""
                }
            }
        }
    }

    #[inline]
    fn f(&self, name: &'static str) -> Option<Node<'t>> {
        let s = CURRENT.with(Cell::get);
        let id = FIELDS.with(|cell| {
            let mut map = cell.borrow_mut();
            *map.entry((s, name.as_ptr() as usize)).or_insert_with(|| {
                language(s)
                    .field_id_for_name(name)
                    .map(|f| f.get())
                    .unwrap_or(0)
            })
        });
        if id == 0 {
            None
        } else {
            self.child_by_field_id(id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_fields_match_tree_sitter() {
        for lang in [Lang::Js, Lang::Ts, Lang::Tsx] {
            set_lang(lang);
            let tree =
                crate::extract::js::parse("const a = b?.c(d); if (x) { y(); } else z; @@@", lang)
                    .unwrap();
            let mut stack = vec![tree.root_node()];
            while let Some(n) = stack.pop() {
                assert_eq!(n.k(), n.kind(), "{lang:?}");
                for f in [
                    "object",
                    "property",
                    "function",
                    "arguments",
                    "name",
                    "value",
                    "condition",
                    "consequence",
                    "alternative",
                ] {
                    assert_eq!(n.f(f), n.child_by_field_name(f));
                }
                let mut c = n.walk();
                stack.extend(n.children(&mut c));
            }
        }
    }
}
