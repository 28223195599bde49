//! A file's text and its line index: the only place that converts byte offsets
//! into line/column (Unicode scalar values) and UTF-16 columns.
//!
//! Inside the crate everything is a byte range into the text; lines and
//! columns exist only at the edges (diagnostics, output, LSP).

use std::ops::Range;
use std::sync::Arc;

/// Text cut from a source and kept in facts and findings, shared between
/// their copies: a site repeats the same code on many pages, and replayed
/// regions clone what they added.
pub type Text = Arc<str>;

/// A byte range into a [`SourceText`].
pub type Span = Range<usize>;

/// One end of a location, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in Unicode scalar values.
    pub column: u32,
    /// 1-based column in UTF-16 code units (SARIF, LSP).
    pub utf16_column: u32,
    /// Byte offset into the text. 32 bits, as tree-sitter's own offsets (it
    /// cannot parse a larger file): facts hold several locations per call,
    /// and at 48 bytes they were a fifth of a large site's memory.
    pub offset: u32,
}

impl Pos {
    /// [`Pos::offset`] as an index into the text.
    pub fn byte_offset(&self) -> usize {
        self.offset as usize
    }
}

/// A resolved location: start inclusive, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    pub start: Pos,
    pub end: Pos,
}

/// Text of one file with a BOM removed, and its line starts.
///
/// Line terminators are `\n`, `\r\n` and a lone `\r`, as in JavaScript and
/// in editors, so columns stay right on CRLF and old-Mac files.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: String,
    line_starts: Vec<usize>,
    /// Per [`BLOCK`] bytes of text: (chars, chars outside the BMP) before the
    /// block, so a column costs O(BLOCK), not O(line length) — on a one-line
    /// minified file, counting from the line start made every location O(n)
    /// and the whole analysis quadratic.
    /// Empty when the text is all ASCII: then a column is a byte count.
    blocks: Vec<(usize, usize)>,
    /// The bytes were not valid UTF-8 and were decoded lossily.
    pub lossy: bool,
    /// A UTF-8 BOM was removed from the front.
    pub had_bom: bool,
}

impl SourceText {
    /// Build from raw bytes: strips a UTF-8 BOM, decodes lossily when needed.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let (bytes, had_bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (rest, true),
            None => (bytes, false),
        };
        let (text, lossy) = match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_owned(), false),
            Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
        };
        let mut s = Self::new(text);
        s.lossy = lossy;
        s.had_bom = had_bom;
        s
    }

    /// [`SourceText::from_bytes`] without copying valid UTF-8; give the
    /// buffer back with [`SourceText::into_bytes`] to reuse it.
    pub fn from_vec(bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => Self::new(text),
            Err(e) => Self::from_bytes(e.as_bytes()),
        }
    }

    /// The text's buffer, for reuse.
    pub fn into_bytes(self) -> Vec<u8> {
        self.text.into_bytes()
    }

    /// Build from text already in memory (stdin, LSP). A leading BOM is removed.
    pub fn new(mut text: String) -> Self {
        let had_bom = text.starts_with('\u{feff}');
        if had_bom {
            text.drain(..3);
        }
        let line_starts = line_starts(&text);
        let blocks = if text.is_ascii() {
            Vec::new()
        } else {
            blocks(&text)
        };
        SourceText {
            text,
            line_starts,
            blocks,
            lossy: false,
            had_bom,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line.min(self.line_starts.len() - 1)]
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The text of 0-based `line` without its terminator.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = if line + 1 < self.line_starts.len() {
            self.line_starts[line + 1]
        } else {
            self.text.len()
        };
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Clamp `offset` into the text and onto a char boundary (never panics).
    pub fn clamp(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    pub fn pos(&self, offset: usize) -> Pos {
        let offset = self.clamp(offset);
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let (c0, s0) = self.counts_before(start);
        let (c1, s1) = self.counts_before(offset);
        let column = (c1 - c0) as u32 + 1;
        let utf16_column = (c1 - c0 + s1 - s0) as u32 + 1;
        Pos {
            line: line as u32 + 1,
            column,
            utf16_column,
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
        }
    }

    /// (chars, chars outside the BMP) in `text[..offset]`; `offset` is a char boundary.
    fn counts_before(&self, offset: usize) -> (usize, usize) {
        if self.blocks.is_empty() {
            return (offset, 0);
        }
        let b = offset / BLOCK;
        let (c, s) = self.blocks[b];
        let (dc, ds) = count(&self.text.as_bytes()[b * BLOCK..offset]);
        (c + dc, s + ds)
    }

    pub fn location(&self, span: &Span) -> Location {
        let start = self.pos(span.start);
        let end = self.pos(span.end.max(span.start));
        Location { start, end }
    }

    /// Byte offset of a 0-based line and a column counted in UTF-16 units
    /// (or bytes when `utf8` is true), clamped to the line.
    pub fn offset_at(&self, line: usize, character: usize, utf8: bool) -> usize {
        if line >= self.line_starts.len() {
            return self.text.len();
        }
        let start = self.line_starts[line];
        let text = self.line_text(line);
        let mut units = 0usize;
        for (i, c) in text.char_indices() {
            if units >= character {
                return start + i;
            }
            units += if utf8 { c.len_utf8() } else { c.len_utf16() };
        }
        start + text.len()
    }

    /// Text of a span, clamped.
    pub fn slice(&self, span: &Span) -> &str {
        let s = self.clamp(span.start);
        let e = self.clamp(span.end.max(span.start));
        &self.text[s..e]
    }
}

/// A text to show as the snippet of a config error, or `None` when its lines
/// around `span` are too long to show (miette pads to the column, and a column
/// past 65 535 made it panic; a 200 KB line is no help either).
///
/// Control characters other than tab and line ends become `?` (each byte of
/// a C1 control too), so the length and every span stay the same and the
/// terminal never receives raw escapes from a config file.
pub fn report_snippet(text: &str, span: &Span) -> Option<String> {
    const LONGEST: usize = 1000;
    let s = SourceText::new(text.to_owned());
    if s.text().len() != text.len() {
        return None; // a BOM: offsets would shift
    }
    let first = s.line_of(s.clamp(span.start)).saturating_sub(1);
    let last = (s.line_of(s.clamp(span.end)) + 1).min(s.line_count() - 1);
    if (first..=last).any(|l| s.line_text(l).len() > LONGEST) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Some(out)
}

const BLOCK: usize = 1024;

/// Chars (bytes that are not UTF-8 continuation bytes) and chars outside the
/// BMP (4-byte lead bytes, two UTF-16 units each) in a byte slice.
fn count(bytes: &[u8]) -> (usize, usize) {
    let chars = bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
    let astral = bytes.iter().filter(|&&b| b >= 0xF0).count();
    (chars, astral)
}

fn blocks(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(text.len() / BLOCK + 1);
    let (mut c, mut s) = (0, 0);
    out.push((0, 0));
    for chunk in text.as_bytes().chunks(BLOCK) {
        let (dc, ds) = count(chunk);
        c += dc;
        s += ds;
        out.push((c, s));
    }
    out
}

fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while let Some(j) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
        let at = i + j;
        if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            i = at + 2;
        } else {
            i = at + 1;
        }
        starts.push(i);
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lone_cr_start_lines() {
        let s = SourceText::new("a\r\nb\rc\nd".into());
        assert_eq!(s.line_count(), 4);
        assert_eq!(s.pos(3).line, 2);
        assert_eq!(s.pos(5).line, 3);
        assert_eq!(
            s.pos(7),
            Pos {
                line: 4,
                column: 1,
                utf16_column: 1,
                offset: 7
            }
        );
        assert_eq!(s.line_text(0), "a");
    }

    #[test]
    fn columns_count_chars_and_utf16_units() {
        let s = SourceText::new("x = '😀é'; y".into());
        let off = s.text().find('y').unwrap();
        let p = s.pos(off);
        assert_eq!(p.column, 11);
        assert_eq!(p.utf16_column, 12);
        assert_eq!(s.offset_at(0, 11, false), off);
    }

    #[test]
    fn bom_is_not_a_character() {
        let s = SourceText::from_bytes(b"\xEF\xBB\xBFab");
        assert!(s.had_bom);
        assert_eq!(s.pos(1).column, 2);
        assert_eq!(s.text(), "ab");
    }

    #[test]
    fn invalid_utf8_is_lossy_and_offsets_clamp() {
        let s = SourceText::from_bytes(b"a\xffb");
        assert!(s.lossy);
        assert_eq!(s.pos(2).column, 2);
        assert_eq!(s.pos(1000).byte_offset(), s.text().len());
    }

    #[test]
    fn columns_on_a_long_line_match_a_plain_count() {
        // Crosses many blocks, with 2-, 3- and 4-byte chars straddling block ends.
        let text: String = ["ab😀é€x".repeat(700), "\r\n".into(), "é😀".repeat(500)].concat();
        let s = SourceText::new(text.clone());
        for (off, _) in text.char_indices().step_by(7) {
            let line = s.line_of(off);
            let prefix = &text[s.line_start(line)..off];
            let p = s.pos(off);
            assert_eq!(p.column as usize, prefix.chars().count() + 1);
            assert_eq!(p.utf16_column as usize, prefix.encode_utf16().count() + 1);
        }
    }
}
