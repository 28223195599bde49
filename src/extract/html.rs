//! Placeholder until the HTML extractor lands.
use super::{FileKind, Region};
use crate::source::Span;

#[derive(Debug, Default)]
pub struct HtmlDoc {
    pub regions: Vec<Region>,
    pub external_scripts: Vec<(String, Span)>,
    pub attributes: Vec<(String, String, Span)>,
    pub comments: Vec<(String, Span)>,
    pub used_fallback: bool,
}

pub fn extract_html(_text: &str, _kind: FileKind, _wanted: &[String]) -> HtmlDoc {
    HtmlDoc::default()
}
