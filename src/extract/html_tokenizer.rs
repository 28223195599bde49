//! A small HTML5-style tokenizer: start tags with their attributes, end tags
//! and comments, as byte spans into the text. Raw-text (`script`, `style`)
//! and RCDATA (`textarea`, `title`) content comes with its start tag.
//!
//! It exists because tree-sitter-html silently loses every later `<script>`
//! past a fixed nesting depth (see `html.rs`); it is the ground truth that
//! `html.rs` checks tree-sitter against. It owns only tokenization: it does
//! not decode entities, build a tree, or know what counts as code.
//!
//! Guarantees: linear time, no recursion, never panics on any `&str`, and
//! every span it returns starts and ends on a char boundary (all cuts are at
//! ASCII bytes or the end of the text). Constructs that are unterminated at
//! the end of the text (tags, quoted values, comments, raw text) run to EOF and
//! are still reported, so that a linter sees what a truncated file contains.

use crate::source::Span;
use memchr::memchr;

/// One attribute of a tag: the name as written and the value without quotes
/// (`None` for a bare attribute such as `<input disabled>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub name: Span,
    pub value: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// `<name attr…>`; the attributes are in the buffer given to
    /// [`Tokenizer::next_token`]. `content` is the raw text of `script`,
    /// `style`, `textarea` and `title` elements (up to their end tag or EOF).
    StartTag {
        name: Span,
        span: Span,
        self_closing: bool,
        content: Option<Span>,
    },
    EndTag {
        name: Span,
        span: Span,
    },
    /// `<!-- text -->`; `span` covers the whole comment.
    Comment {
        text: Span,
        span: Span,
    },
}

pub struct Tokenizer<'a> {
    bytes: &'a [u8],
    pos: usize,
    honour_self_closing: bool,
}

/// HTML's ASCII whitespace.
fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

/// Elements whose content is text up to their own end tag, not markup.
fn is_raw_text_element(name: &[u8]) -> bool {
    const RAW: [&[u8]; 4] = [b"script", b"style", b"textarea", b"title"];
    RAW.iter().any(|r| r.eq_ignore_ascii_case(name))
}

impl<'a> Tokenizer<'a> {
    pub fn new(text: &'a str) -> Self {
        Tokenizer {
            bytes: text.as_bytes(),
            pos: 0,
            honour_self_closing: false,
        }
    }

    /// Start tokenizing at `pos` (a char boundary), e.g. after a frontmatter
    /// block that is not markup.
    pub fn starting_at(mut self, pos: usize) -> Self {
        self.pos = pos.min(self.bytes.len());
        self
    }

    /// Treat `<script … />` as an empty element, as Vue/Svelte/Astro compilers
    /// do. In HTML the `/` is ignored and raw text follows.
    pub fn honour_self_closing(mut self, yes: bool) -> Self {
        self.honour_self_closing = yes;
        self
    }

    /// The next tag or comment; `attrs` is cleared and receives the
    /// attributes of a start tag. Text between tokens is skipped.
    pub fn next_token(&mut self, attrs: &mut Vec<Attr>) -> Option<Token> {
        attrs.clear();
        let b = self.bytes;
        let len = b.len();
        loop {
            let lt = match memchr(b'<', &b[self.pos..]) {
                Some(k) => self.pos + k,
                None => {
                    self.pos = len;
                    return None;
                }
            };
            match b.get(lt + 1).copied() {
                Some(b'!') => {
                    let rest = &b[lt + 2..];
                    if rest.starts_with(b"--") {
                        return Some(self.comment(lt));
                    }
                    if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"[CDATA[") {
                        // Only inline SVG/MathML has real CDATA; skipping to
                        // `]]>` keeps markup-looking text in it from counting.
                        self.pos = self.find_cdata_end(lt + 9);
                        continue;
                    }
                    // `<!DOCTYPE …>` and other `<!…>`: bogus comments.
                    self.pos = self.bogus_comment_end(lt + 2);
                }
                Some(b'?') => self.pos = self.bogus_comment_end(lt + 2),
                Some(b'/') => match b.get(lt + 2).copied() {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let name_end = self.tag_name_end(lt + 2);
                        // End tags may carry (ignored) attributes; parse them
                        // so a quoted `>` does not end the tag early.
                        let (end, _, _) = self.attributes(name_end, attrs);
                        attrs.clear();
                        self.pos = end;
                        return Some(Token::EndTag {
                            name: lt + 2..name_end,
                            span: lt..end,
                        });
                    }
                    Some(b'>') => self.pos = lt + 3,
                    Some(_) => self.pos = self.bogus_comment_end(lt + 2),
                    None => {
                        self.pos = len;
                        return None;
                    }
                },
                Some(c) if c.is_ascii_alphabetic() => return Some(self.start_tag(lt, attrs)),
                // A `<` that starts nothing is text.
                _ => self.pos = lt + 1,
            }
        }
    }

    fn start_tag(&mut self, lt: usize, attrs: &mut Vec<Attr>) -> Token {
        let name_end = self.tag_name_end(lt + 1);
        let name = lt + 1..name_end;
        let (end, self_closing, terminated) = self.attributes(name_end, attrs);
        self.pos = end;
        let mut content = None;
        let empty_element = self_closing && self.honour_self_closing;
        if terminated && !empty_element && is_raw_text_element(&self.bytes[name.clone()]) {
            let c = self.raw_text(end, name.clone());
            // The end tag (if any) is tokenized next, as an ordinary end tag.
            self.pos = c.end;
            content = Some(c);
        }
        Token::StartTag {
            name,
            span: lt..end,
            self_closing,
            content,
        }
    }

    /// A tag name runs to whitespace, `/` or `>`.
    fn tag_name_end(&self, from: usize) -> usize {
        let b = self.bytes;
        let mut i = from;
        while i < b.len() && !is_ws(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        i
    }

    /// Parses attributes from `i` to the end of the tag, following the HTML5
    /// tokenizer states (before/after attribute name, before value, quoted
    /// and unquoted values). Returns (end of tag, `/>`, tag was terminated).
    fn attributes(&self, mut i: usize, attrs: &mut Vec<Attr>) -> (usize, bool, bool) {
        let b = self.bytes;
        let len = b.len();
        loop {
            while i < len && is_ws(b[i]) {
                i += 1;
            }
            if i >= len {
                return (len, false, false);
            }
            match b[i] {
                b'>' => return (i + 1, false, true),
                b'/' => {
                    if b.get(i + 1) == Some(&b'>') {
                        return (i + 2, true, true);
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // The first character may be `=` (a parse error that HTML keeps
            // as part of the name).
            let name_start = i;
            i += 1;
            while i < len && !is_ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let name = name_start..i;
            while i < len && is_ws(b[i]) {
                i += 1;
            }
            if i >= len || b[i] != b'=' {
                attrs.push(Attr { name, value: None });
                continue;
            }
            i += 1;
            while i < len && is_ws(b[i]) {
                i += 1;
            }
            let value = match b.get(i).copied() {
                None => len..len,
                Some(q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    match memchr(q, &b[start..]) {
                        Some(k) => {
                            i = start + k + 1;
                            start..start + k
                        }
                        None => {
                            i = len;
                            start..len
                        }
                    }
                }
                // `a=>`: an empty value; the `>` ends the tag next round.
                Some(b'>') => i..i,
                Some(_) => {
                    let start = i;
                    while i < len && !is_ws(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    start..i
                }
            };
            attrs.push(Attr {
                name,
                value: Some(value),
            });
        }
    }

    /// `lt` is at `<!--`. Ends at `-->` or `--!>`; `<!-->` and `<!--->` are
    /// complete empty comments (HTML5); unterminated comments run to EOF.
    fn comment(&mut self, lt: usize) -> Token {
        let b = self.bytes;
        let start = lt + 4;
        let (text_end, end) = if b.get(start) == Some(&b'>') {
            (start, start + 1)
        } else if b[start..].starts_with(b"->") {
            (start, start + 2)
        } else {
            let mut from = start;
            loop {
                let Some(k) = memchr(b'-', &b[from..]) else {
                    break (b.len(), b.len());
                };
                let d = from + k;
                if b.get(d + 1) == Some(&b'-') {
                    let after = &b[d + 2..];
                    if after.starts_with(b">") {
                        break (d, d + 3);
                    }
                    if after.starts_with(b"!>") {
                        break (d, d + 4);
                    }
                }
                from = d + 1;
            }
        };
        self.pos = end;
        Token::Comment {
            text: start..text_end,
            span: lt..end,
        }
    }

    fn bogus_comment_end(&self, from: usize) -> usize {
        let from = from.min(self.bytes.len());
        match memchr(b'>', &self.bytes[from..]) {
            Some(k) => from + k + 1,
            None => self.bytes.len(),
        }
    }

    fn find_cdata_end(&self, from: usize) -> usize {
        let b = self.bytes;
        let mut i = from.min(b.len());
        while let Some(k) = memchr(b']', &b[i..]) {
            let d = i + k;
            if b[d..].starts_with(b"]]>") {
                return d + 3;
            }
            i = d + 1;
        }
        b.len()
    }

    /// Content of a raw-text element: up to `</name` followed by whitespace,
    /// `/` or `>` (ASCII case-insensitive), or to EOF.
    fn raw_text(&self, from: usize, name: Span) -> Span {
        let b = self.bytes;
        let name = &b[name];
        let mut i = from;
        while let Some(k) = memchr(b'<', &b[i..]) {
            let lt = i + k;
            let name_start = lt + 2;
            let name_end = name_start + name.len();
            if b.get(lt + 1) == Some(&b'/')
                && name_end <= b.len()
                && b[name_start..name_end].eq_ignore_ascii_case(name)
                && matches!(b.get(name_end), Some(&c) if is_ws(c) || c == b'/' || c == b'>')
            {
                return from..lt;
            }
            i = lt + 1;
        }
        from..b.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(Token, Vec<Attr>)> {
        let mut t = Tokenizer::new(text);
        let mut attrs = Vec::new();
        let mut out = Vec::new();
        while let Some(tok) = t.next_token(&mut attrs) {
            out.push((tok, attrs.clone()));
        }
        out
    }

    #[test]
    fn attribute_forms() {
        let text = r#"<a x="1>2" y='3' z=4 w v = "5"/>"#;
        let toks = tokens(text);
        assert_eq!(toks.len(), 1);
        let (
            Token::StartTag {
                self_closing, span, ..
            },
            attrs,
        ) = &toks[0]
        else {
            panic!()
        };
        assert!(*self_closing);
        assert_eq!(*span, 0..text.len());
        let got: Vec<_> = attrs
            .iter()
            .map(|a| (&text[a.name.clone()], a.value.clone().map(|v| &text[v])))
            .collect();
        assert_eq!(
            got,
            [
                ("x", Some("1>2")),
                ("y", Some("3")),
                ("z", Some("4")),
                ("w", None),
                ("v", Some("5"))
            ]
        );
    }

    #[test]
    fn raw_text_ends_only_at_its_end_tag() {
        let text = "<SCRIPT>a</scripts>b</Script ><p>";
        let toks = tokens(text);
        let Token::StartTag {
            content: Some(c), ..
        } = &toks[0].0
        else {
            panic!()
        };
        assert_eq!(&text[c.clone()], "a</scripts>b");
        assert!(matches!(toks[1].0, Token::EndTag { .. }));
        assert!(matches!(toks[2].0, Token::StartTag { .. }));
    }

    #[test]
    fn comments_follow_html5() {
        let text = "<!--><!---><!-- a --->x<!-- b --!><!-- open";
        let texts: Vec<_> = tokens(text)
            .into_iter()
            .map(|(t, _)| match t {
                Token::Comment { text: c, .. } => &text[c],
                _ => panic!(),
            })
            .collect();
        assert_eq!(texts, ["", "", " a -", " b ", " open"]);
    }

    #[test]
    fn bogus_comments_and_cdata_hide_markup() {
        let text = "<!DOCTYPE html><?xml <p>?><![CDATA[<script>]]></>< p></ x><b>";
        let toks = tokens(text);
        assert_eq!(toks.len(), 1, "{toks:?}");
        assert!(matches!(&toks[0].0, Token::StartTag { name, .. } if &text[name.clone()] == "b"));
    }
}
