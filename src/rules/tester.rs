//! The shared tester behind each rule file's `pass`/`fail` tables (as oxc's
//! `Tester`): runs extraction, analysis, the project index and every rule on
//! in-memory files, with suppressions applied, and returns what one rule
//! reported. No files are read or written.
//!
//! Compiled only for tests (`#[cfg(test)]` in `rules/mod.rs`): its two
//! `expect`s are on fixed test inputs and can only fail a test, never a run.

use std::path::Path;

use crate::actions::{self, ActionsFile};
use crate::analysis::{self, AnalysisOptions};
use crate::extract::FileKind;
use crate::project::{FileEntry, Project};
use crate::source::SourceText;

/// The actions config every case is checked against.
pub const ACTIONS: &str = "actions: [start-chat, start-video, request-callback]\n";

/// Findings of `rule` on `files` (path, text): `(path, line)` of each.
pub fn findings(rule: &str, files: &[(&str, &str)]) -> Vec<(String, u32)> {
    let opts = AnalysisOptions {
        guard_functions: vec!["whenTalkativeReady".into()],
        ..AnalysisOptions::default()
    };
    let entries: Vec<FileEntry> = files
        .iter()
        .map(|(path, text)| {
            let kind = FileKind::from_path(Path::new(path)).expect("a web file name");
            let source = SourceText::new((*text).to_owned());
            FileEntry {
                display: (*path).into(),
                rel: (*path).to_owned(),
                reported: true,
                facts: analysis::analyze_file(&source, kind, path, &opts),
            }
        })
        .collect();
    let actions: ActionsFile =
        actions::parse(Path::new("talkative-actions.yaml"), ACTIONS.to_owned())
            .expect("the test actions parse");
    let project = Project::build(&entries, &[]);
    let actions_for = |_: usize| vec![&actions];
    let mut ctx = super::Context {
        files: &entries,
        project: &project,
        actions_for: &actions_for,
        all_actions: vec![&actions],
        whole_root: false,
        cwd: Path::new("/"),
        out: Vec::new(),
        messages: Default::default(),
    };
    super::registry::check_all(&mut ctx);
    ctx.out
        .into_iter()
        .filter(|(_, d)| d.rule == rule)
        .filter(|(file, d)| {
            let Some(fi) = file else { return true };
            let line = d.location.start.line;
            !entries[*fi].facts.suppressions.iter().any(|s| {
                s.first_line <= line
                    && line <= s.last_line
                    && s.rules
                        .as_ref()
                        .is_none_or(|r| r.iter().any(|x| x == d.rule))
            })
        })
        .map(|(_, d)| (d.path.to_string(), d.location.start.line))
        .collect()
}

/// Assert that every `pass` case is silent and every `fail` case reports
/// `rule` at least once. Cases are one JavaScript file each.
pub fn test_rule(rule: &str, pass: &[&str], fail: &[&str]) {
    for code in pass {
        let got = findings(rule, &[("case.js", code)]);
        assert!(
            got.is_empty(),
            "{rule} must not fire on:\n{code}\ngot {got:?}"
        );
    }
    for code in fail {
        let got = findings(rule, &[("case.js", code)]);
        assert!(!got.is_empty(), "{rule} must fire on:\n{code}");
    }
}
