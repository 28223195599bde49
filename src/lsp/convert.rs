//! Conversions at the protocol's edge: file URIs ↔ paths, LSP positions (in
//! the negotiated encoding) ↔ byte offsets, and findings → LSP diagnostics.
//!
//! Column arithmetic itself stays in [`SourceText`]; this module only picks
//! the unit the client asked for.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types as lsp;
use serde_json::json;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Location, SourceText};

/// What a `character` in an LSP position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8 (negotiated).
    Utf8,
    /// UTF-16 code units (the protocol's default).
    Utf16,
}

/// The `source` of every diagnostic.
pub const SOURCE: &str = "action-lint";

/// LSP position of a byte offset.
pub fn position(src: &SourceText, offset: usize, enc: Encoding) -> lsp::Position {
    let offset = src.clamp(offset);
    let line = src.line_of(offset);
    let character = match enc {
        Encoding::Utf8 => offset - src.line_start(line),
        Encoding::Utf16 => src.pos(offset).utf16_column as usize - 1,
    };
    lsp::Position::new(line as u32, character as u32)
}

/// LSP range of a byte range.
pub fn range(src: &SourceText, start: usize, end: usize, enc: Encoding) -> lsp::Range {
    lsp::Range::new(
        position(src, start, enc),
        position(src, end.max(start), enc),
    )
}

/// Byte offset of an LSP position, clamped into the text (never panics).
pub fn offset(src: &SourceText, pos: lsp::Position, enc: Encoding) -> usize {
    src.offset_at(
        pos.line as usize,
        pos.character as usize,
        enc == Encoding::Utf8,
    )
}

/// Byte range of an LSP range, ordered.
pub fn offsets(src: &SourceText, r: lsp::Range, enc: Encoding) -> (usize, usize) {
    let a = offset(src, r.start, enc);
    let b = offset(src, r.end, enc);
    (a.min(b), a.max(b))
}

/// Range of a finding's location in `src` (the text the offsets index).
pub fn location_range(src: &SourceText, loc: &Location, enc: Encoding) -> lsp::Range {
    range(src, loc.start.byte_offset(), loc.end.byte_offset(), enc)
}

/// The local path of a `file:` URI.
pub fn uri_to_path(uri: &lsp::Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file://host/path` is not local; `file:///path` and `file://localhost/path` are.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let decoded = percent_decode(rest)?;
    // Windows: `/C:/dir` → `C:/dir`.
    let b = decoded.as_bytes();
    if cfg!(windows) && b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// A `file:` URI for a path (made absolute against the current directory).
pub fn path_to_uri(path: &Path) -> Option<lsp::Uri> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let s = abs.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b':' if cfg!(windows) => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    lsp::Uri::from_str(&out).ok()
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = if b[i] == b'%' && i + 2 < b.len() {
            std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        } else {
            None
        };
        if let Some(byte) = hex {
            out.push(byte);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// What a diagnostic carries in `data` for the quick fixes.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FixData {
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

/// A finding in the document `src` as an LSP diagnostic. `related_source`
/// gives the text and URI of a related location's file (display path → …).
pub fn diagnostic(
    d: &Diagnostic,
    src: &SourceText,
    enc: Encoding,
    related_source: &mut dyn FnMut(&str) -> Option<(lsp::Uri, SourceText)>,
    own_uri: &lsp::Uri,
    own_display: &str,
) -> lsp::Diagnostic {
    let severity = match d.severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
    };
    let code_description = crate::rules::find(d.rule)
        .and_then(|m| lsp::Uri::from_str(&m.help_uri()).ok())
        .map(|href| lsp::CodeDescription { href });
    let mut related = Vec::new();
    for r in &d.related {
        let (uri, range) = if *r.path == *own_display {
            (own_uri.clone(), location_range(src, &r.location, enc))
        } else {
            match related_source(&r.path) {
                Some((uri, text)) => {
                    let range = location_range(&text, &r.location, enc);
                    (uri, range)
                }
                None => continue,
            }
        };
        related.push(lsp::DiagnosticRelatedInformation {
            location: lsp::Location { uri, range },
            message: r.message.to_string(),
        });
    }
    let message = match &d.help {
        Some(h) => format!("{}\nhelp: {h}", d.message),
        None => d.message.to_string(),
    };
    let data = FixData {
        rule: d.rule.to_owned(),
        suggestion: d.suggestion().map(str::to_owned),
        action: d.action().map(str::to_owned),
    };
    lsp::Diagnostic {
        range: location_range(src, &d.location, enc),
        severity: Some(severity),
        code: Some(lsp::NumberOrString::String(d.rule.to_owned())),
        code_description,
        source: Some(SOURCE.to_owned()),
        message,
        related_information: if related.is_empty() {
            None
        } else {
            Some(related)
        },
        tags: None,
        data: Some(json!(data)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_both_encodings() {
        let src = SourceText::new("a\n😀é x\n".into());
        let x = src.text().find('x').unwrap();
        assert_eq!(position(&src, x, Encoding::Utf16), lsp::Position::new(1, 4));
        assert_eq!(position(&src, x, Encoding::Utf8), lsp::Position::new(1, 7));
        assert_eq!(offset(&src, lsp::Position::new(1, 4), Encoding::Utf16), x);
        assert_eq!(offset(&src, lsp::Position::new(1, 7), Encoding::Utf8), x);
        // Past the end of a line or the text: clamped.
        assert_eq!(
            offset(&src, lsp::Position::new(1, 99), Encoding::Utf16),
            x + 1
        );
        assert_eq!(
            offset(&src, lsp::Position::new(99, 0), Encoding::Utf8),
            src.text().len()
        );
    }

    #[test]
    fn file_uris_round_trip() {
        let p = Path::new("/tmp/a dir/é#x.js");
        let uri = path_to_uri(p).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20dir/%C3%A9%23x.js");
        assert_eq!(uri_to_path(&uri).unwrap(), p);
        let u = lsp::Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&u), None);
        let u = lsp::Uri::from_str("file:///bad%zz").unwrap_or(uri);
        let _ = uri_to_path(&u);
    }
}
