//! Self-checking fixtures (STYLE.md habit 5): in `fixtures/rules/<rule>/`,
//! a line marked `expect: rule-id[, rule-id]` must produce exactly those
//! diagnostics (by start line) and unmarked lines none. Each folder is its own
//! project root with an `action-lint.toml`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

type Finding = (String, u64, String);

fn expected(dir: &Path) -> BTreeSet<Finding> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let rel = p
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // Lines end at \n, \r\n or a lone \r, as in the linter.
            let text = text
                .trim_start_matches('\u{feff}')
                .replace("\r\n", "\n")
                .replace('\r', "\n");
            for (i, line) in text.lines().enumerate() {
                let Some(at) = line.find("expect: ") else {
                    continue;
                };
                let rest = &line[at + "expect: ".len()..];
                let rest = rest
                    .split("-->")
                    .next()
                    .unwrap()
                    .split("*/")
                    .next()
                    .unwrap();
                for rule in rest.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                    out.insert((rel.clone(), i as u64 + 1, rule.to_owned()));
                }
            }
        }
    }
    out
}

fn actual(v: &serde_json::Value) -> BTreeSet<Finding> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn check_folder(name: &str) {
    let dir = fixtures().join("rules").join(name);
    let want = expected(&dir);
    let (v, out) = json_in(&dir, &[]);
    let got = actual(&v);
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "fixture {name}:\n  missing (expected, not reported): {missing:#?}\n  extra (reported, not expected): {extra:#?}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let errors = v["summary"]["errors"].as_u64().unwrap();
    assert_eq!(
        out.status.code(),
        Some(if errors > 0 { 1 } else { 0 }),
        "exit code for {name}"
    );
    // The pre-filter, the region memo and the thread count never change the result.
    let (v2, _) = json_in(&dir, &["--no-prefilter", "--no-memo", "--jobs", "1"]);
    assert_eq!(
        v["diagnostics"], v2["diagnostics"],
        "{name}: --no-prefilter --no-memo --jobs 1 differs"
    );
}

macro_rules! fixture_tests {
    ($($test:ident => $dir:literal,)*) => {
        $(#[test] fn $test() { check_folder($dir); })*

        /// Every rule has a fixture folder with at least one failing case.
        #[test]
        fn every_rule_has_a_failing_fixture() {
            let dirs = [$($dir),*];
            for m in action_lint::rules::registry::ALL {
                assert!(dirs.contains(&m.id), "rule {} has no fixture test", m.id);
                let want = expected(&fixtures().join("rules").join(m.id));
                assert!(want.iter().any(|(_, _, r)| r == m.id), "fixture {} has no failing case", m.id);
            }
        }
    };
}

fixture_tests! {
    unknown_action => "unknown-action",
    missing_guard => "missing-guard",
    call_during_interaction => "call-during-interaction",
    retrigger_on_standby => "retrigger-on-standby",
    unhandled_promise => "unhandled-promise",
    dynamic_action_name => "dynamic-action-name",
    unknown_api_member => "unknown-api-member",
    unsafe_api => "unsafe-api",
    unused_action => "unused-action",
    invalid_actions_config => "invalid-actions-config",
    legacy_api => "legacy-api",
    late_custom_config => "late-custom-config",
    duplicate_custom_config => "duplicate-custom-config",
    invalid_suppression => "invalid-suppression",
}
