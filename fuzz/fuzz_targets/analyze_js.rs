//! Bytes → SourceText → per-file analysis of a JavaScript file. Any panic, hang
//! or runaway allocation is a bug.
#![no_main]

mod common;

use action_lint::analysis::analyze_file;
use action_lint::extract::{FileKind, Lang};
use action_lint::source::SourceText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = SourceText::from_bytes(data);
    let facts = analyze_file(&source, FileKind::Script(Lang::Js), "app.js", &common::options());
    common::check_locations(&facts, source.text().len());
});
