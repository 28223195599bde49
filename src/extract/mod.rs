//! The only tree-sitter user: turns a file into JavaScript regions with offset
//! maps back into the original file (`html`), and parses them (`js`).
//!
//! Nothing here knows about rules; it only says where code is.

pub mod html;
pub mod html_tokenizer;
pub mod js;
pub mod ts;

use crate::source::Span;

/// Which grammar parses a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// JavaScript, including JSX.
    Js,
    Ts,
    Tsx,
}

/// The kind of file, decided from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Script(Lang),
    Html,
    /// `.vue`, `.svelte`, `.astro`: only their `<script>` blocks are code.
    Component,
}

impl FileKind {
    pub fn from_path(path: &std::path::Path) -> Option<FileKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "js" | "mjs" | "cjs" | "jsx" => FileKind::Script(Lang::Js),
            "ts" | "mts" | "cts" => FileKind::Script(Lang::Ts),
            "tsx" => FileKind::Script(Lang::Tsx),
            "html" | "htm" | "xhtml" => FileKind::Html,
            "vue" | "svelte" | "astro" => FileKind::Component,
            _ => return None,
        })
    }
}

/// Where a region's code comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionKind {
    /// The whole file is code.
    File,
    /// An inline `<script>` element; `module` for `type="module"`.
    Script { module: bool },
    /// An `on*` attribute (name lowercased), entity-decoded.
    EventHandler { attribute: String },
    /// The code of an `href="javascript:…"` URL, entity-decoded.
    JavascriptUrl,
}

/// One stretch of code, possibly decoded, with the map back to the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub kind: RegionKind,
    pub lang: Lang,
    /// The code as the JS engine sees it (after entity decoding).
    pub code: String,
    pub map: OffsetMap,
}

/// Maps byte offsets in a region's code to byte offsets in the original file.
///
/// `segments` is sorted by `code`; each says "from this code offset on, code
/// bytes map 1:1 to the file starting at `orig`", except `atomic` segments
/// (a decoded entity) whose inner offsets all map to the entity start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub code: usize,
    pub orig: usize,
    /// Length in the code; for a decoded entity, the decoded char's length.
    pub code_len: usize,
    /// Length in the original file (the entity's length for decoded ones).
    pub orig_len: usize,
}

impl OffsetMap {
    /// Code is an exact copy of the file starting at `base`.
    pub fn identity(base: usize, len: usize) -> Self {
        OffsetMap {
            segments: vec![Segment {
                code: 0,
                orig: base,
                code_len: len,
                orig_len: len,
            }],
        }
    }

    /// Original offset for a code offset (end offsets map to segment ends).
    pub fn to_orig(&self, code: usize) -> usize {
        let segs = &self.segments;
        if segs.is_empty() {
            return code;
        }
        let i = match segs.binary_search_by(|s| s.code.cmp(&code)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        let s = segs[i];
        let rel = code.saturating_sub(s.code);
        if s.code_len == s.orig_len {
            s.orig + rel.min(s.orig_len)
        } else if rel == 0 {
            s.orig
        } else if rel >= s.code_len {
            s.orig + s.orig_len
        } else {
            s.orig
        }
    }

    pub fn span_to_orig(&self, span: &Span) -> Span {
        let start = self.to_orig(span.start);
        let end = if span.end > span.start {
            // Map the last byte, then extend to the end of its segment piece.
            let last = self.to_orig_end(span.end);
            last.max(start)
        } else {
            start
        };
        start..end
    }

    fn to_orig_end(&self, code_end: usize) -> usize {
        let segs = &self.segments;
        if segs.is_empty() {
            return code_end;
        }
        // An end offset belongs to the segment that contains code_end - 1.
        let probe = code_end - 1;
        let i = match segs.binary_search_by(|s| s.code.cmp(&probe)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        let s = segs[i];
        let rel = code_end - s.code;
        if s.code_len == s.orig_len {
            s.orig + rel.min(s.orig_len)
        } else {
            s.orig + s.orig_len
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_segments_map_both_ends() {
        // file: a&quot;b  code: a"b
        let map = OffsetMap {
            segments: vec![
                Segment {
                    code: 0,
                    orig: 10,
                    code_len: 1,
                    orig_len: 1,
                },
                Segment {
                    code: 1,
                    orig: 11,
                    code_len: 1,
                    orig_len: 6,
                },
                Segment {
                    code: 2,
                    orig: 17,
                    code_len: 1,
                    orig_len: 1,
                },
            ],
        };
        assert_eq!(map.to_orig(0), 10);
        assert_eq!(map.to_orig(1), 11);
        assert_eq!(map.to_orig(2), 17);
        assert_eq!(map.span_to_orig(&(1..2)), 11..17);
        assert_eq!(map.span_to_orig(&(0..3)), 10..18);
    }
}
