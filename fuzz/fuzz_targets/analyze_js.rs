//! Bytes → SourceText → per-file analysis of a JavaScript file, whole and
//! with the statements that mention no trigger word left out (as the
//! engine's pre-filter does in its first round). Any panic, hang or runaway
//! allocation is a bug.
#![no_main]

mod common;

use action_lint::analysis::{analyze_file, analyze_file_filtered};
use action_lint::extract::{FileKind, Lang};
use action_lint::source::SourceText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = SourceText::from_bytes(data);
    let kind = FileKind::Script(Lang::Js);
    let opts = common::options();
    let facts = analyze_file(&source, kind, "app.js", &opts);
    common::check_locations(&facts, source.text().len());
    let keep = |code: &str| code.contains("talkativeApi") || code.contains("triggerAction");
    if let Some(part) = analyze_file_filtered(&source, kind, "app.js", &opts, &keep, None) {
        common::check_locations(&part, source.text().len());
        // Left-out statements lie inside the file, on character boundaries
        // (the engine slices the text with them in its next round).
        for r in &part.left_out_spans {
            assert!(r.start <= r.end && r.end <= source.text().len());
            assert!(source.text().get(r.clone()).is_some());
        }
        // Nothing left out: the same facts as the whole walk.
        if !part.left_out {
            assert_eq!(part.local.len(), facts.local.len());
        }
    }
});
