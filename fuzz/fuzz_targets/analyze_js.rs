//! Bytes → SourceText → per-file analysis of a JavaScript file. Any panic, hang
//! or runaway allocation is a bug.
#![no_main]

use action_lint::analysis::{analyze_file, AnalysisOptions};
use action_lint::extract::{FileKind, Lang};
use action_lint::source::SourceText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = SourceText::from_bytes(data);
    let opts = AnalysisOptions {
        reference_attributes: vec!["data-talkative-action".into()],
        reference_functions: vec!["openChat".into()],
        guard_functions: vec!["whenTalkativeReady".into()],
        ..AnalysisOptions::default()
    };
    let facts = analyze_file(&source, FileKind::Script(Lang::Js), "app.js", &opts);
    let len = source.text().len();
    for d in &facts.local {
        assert!(d.location.start.offset <= d.location.end.offset);
        assert!(d.location.end.offset <= len);
    }
});
