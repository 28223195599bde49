//! Bytes → an HTML page analysed twice: with the region memo (which keeps
//! what earlier inputs taught it) and without. The facts must be equal: a
//! replayed region, for its exact text or for its shape with other
//! literals, gives what parsing and walking it gives.
#![no_main]

mod common;

use action_lint::analysis::{analyze_file, AnalysisOptions};
use action_lint::extract::FileKind;
use action_lint::source::SourceText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = SourceText::from_bytes(data);
    let opts = common::options();
    let memo = analyze_file(&source, FileKind::Html, "page.html", &opts);
    let fresh = analyze_file(
        &source,
        FileKind::Html,
        "page.html",
        &AnalysisOptions {
            no_memo: true,
            ..opts.clone()
        },
    );
    assert_eq!(format!("{memo:?}"), format!("{fresh:?}"));
    common::check_locations(&memo, source.text().len());
});
