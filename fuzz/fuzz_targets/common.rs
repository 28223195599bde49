//! What the analysis targets share: the options they analyse with, and the
//! check every finding must pass.

use action_lint::analysis::{AnalysisOptions, FileFacts};

/// `openChat` as a reference function, `whenTalkativeReady` as a guard
/// function and `data-talkative-action` as a reference attribute.
pub fn options() -> AnalysisOptions {
    AnalysisOptions {
        reference_attributes: vec!["data-talkative-action".into()],
        reference_functions: vec!["openChat".into()],
        guard_functions: vec!["whenTalkativeReady".into()],
        ..AnalysisOptions::default()
    }
}

/// Every local finding lies inside the file.
pub fn check_locations(facts: &FileFacts, len: usize) {
    for d in &facts.local {
        assert!(d.location.start.byte_offset() <= d.location.end.byte_offset());
        assert!(d.location.end.byte_offset() <= len);
    }
}
