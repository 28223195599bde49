//! The open documents: their in-memory text (what the user sees, never the
//! disk copy), version, and path; incremental changes applied in order.

use std::collections::BTreeMap;
use std::path::PathBuf;

use lsp_types as lsp;

use super::convert::{self, Encoding};
use crate::extract::FileKind;
use crate::source::SourceText;

#[derive(Debug)]
pub struct Document {
    pub uri: lsp::Uri,
    /// Local path for `file:` URIs.
    pub path: Option<PathBuf>,
    pub version: i32,
    /// The text with a BOM removed: offsets of findings index it.
    pub source: SourceText,
}

impl Document {
    /// The file is one action-lint checks (by extension, as the CLI decides).
    pub fn kind(&self) -> Option<FileKind> {
        FileKind::from_path(self.path.as_deref()?)
    }
}

/// Open documents by URI.
#[derive(Debug, Default)]
pub struct Documents {
    docs: BTreeMap<String, Document>,
}

impl Documents {
    pub fn open(&mut self, item: lsp::TextDocumentItem) {
        let path = convert::uri_to_path(&item.uri);
        let key = item.uri.as_str().to_owned();
        self.docs.insert(
            key,
            Document {
                uri: item.uri,
                path,
                version: item.version,
                source: SourceText::new(item.text),
            },
        );
    }

    pub fn close(&mut self, uri: &lsp::Uri) -> Option<Document> {
        self.docs.remove(uri.as_str())
    }

    pub fn get(&self, uri: &lsp::Uri) -> Option<&Document> {
        self.docs.get(uri.as_str())
    }

    pub fn get_by_key(&self, uri: &str) -> Option<&Document> {
        self.docs.get(uri)
    }

    pub fn uris(&self) -> Vec<lsp::Uri> {
        self.docs.values().map(|d| d.uri.clone()).collect()
    }

    /// Apply a didChange; `false` when the document is not open.
    pub fn change(&mut self, params: lsp::DidChangeTextDocumentParams, enc: Encoding) -> bool {
        let Some(doc) = self.docs.get_mut(params.text_document.uri.as_str()) else {
            return false;
        };
        for change in params.content_changes {
            let text = match change.range {
                None => change.text,
                Some(r) => {
                    let (start, end) = convert::offsets(&doc.source, r, enc);
                    let old = doc.source.text();
                    let mut text =
                        String::with_capacity(old.len() - (end - start) + change.text.len());
                    text.push_str(&old[..start]);
                    text.push_str(&change.text);
                    text.push_str(&old[end..]);
                    text
                }
            };
            doc.source = SourceText::new(text);
        }
        doc.version = params.text_document.version;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn change(line: u32, a: u32, b: u32, text: &str) -> lsp::TextDocumentContentChangeEvent {
        lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range::new(
                lsp::Position::new(line, a),
                lsp::Position::new(line, b),
            )),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn incremental_changes_apply_in_order_in_either_encoding() {
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            let uri = lsp::Uri::from_str("file:///x/a.js").unwrap();
            let mut docs = Documents::default();
            docs.open(lsp::TextDocumentItem {
                uri: uri.clone(),
                language_id: "javascript".into(),
                version: 1,
                text: "// 😀\nf('strat');\n".into(),
            });
            let emoji = if enc == Encoding::Utf8 { 4 } else { 2 };
            let changes = vec![
                change(1, 3, 8, "start"),
                change(0, 3, 3 + emoji, "ok"),
                change(2, 0, 0, "g();"),
            ];
            let ok = docs.change(
                lsp::DidChangeTextDocumentParams {
                    text_document: lsp::VersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version: 2,
                    },
                    content_changes: changes,
                },
                enc,
            );
            assert!(ok);
            let d = docs.get(&uri).unwrap();
            assert_eq!(d.source.text(), "// ok\nf('start');\ng();");
            assert_eq!(d.version, 2);
            assert_eq!(d.path.as_deref(), Some(std::path::Path::new("/x/a.js")));
        }
    }

    #[test]
    fn changes_to_unopened_documents_are_ignored() {
        let mut docs = Documents::default();
        let uri = lsp::Uri::from_str("file:///nope.js").unwrap();
        let p = lsp::DidChangeTextDocumentParams {
            text_document: lsp::VersionedTextDocumentIdentifier { uri, version: 1 },
            content_changes: vec![change(5, 0, 9, "x")],
        };
        assert!(!docs.change(p, Encoding::Utf16));
    }
}
