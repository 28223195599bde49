//! Bytes → SourceText → per-file analysis of an HTML page. Any panic, hang
//! or runaway allocation is a bug.
#![no_main]

mod common;

use action_lint::analysis::analyze_file;
use action_lint::extract::FileKind;
use action_lint::source::SourceText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = SourceText::from_bytes(data);
    let facts = analyze_file(&source, FileKind::Html, "page.html", &common::options());
    common::check_locations(&facts, source.text().len());
});
