//! The command line end to end: exit codes, formats, explicit files,
//! baselines, stdin, determinism. Runs the real binary on fixture sites.

mod common;

use std::path::Path;

use common::*;

fn demo() -> std::path::PathBuf {
    fixtures().join("demo-site")
}

fn find<'a>(
    v: &'a serde_json::Value,
    rule: &str,
    path: &str,
    line: u64,
) -> Option<&'a serde_json::Value> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == rule && d["path"] == path && d["line"] == line)
}

#[test]
fn demo_site_reports_real_findings_and_exits_1() {
    let (v, out) = json_in(&demo(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["version"], 1);
    assert!(v["files_checked"].as_u64().unwrap() >= 5);
    // The misspelt name in the chat.js array literal, with its suggestion.
    let d = find(&v, "unknown-action", "js/chat.js", 17).expect("unknown-action in js/chat.js");
    assert_eq!(d["action"], "request-callbak");
    assert_eq!(d["suggestion"], "request-callback");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["column"], 13);
    assert_eq!(d["end_column"], 30);
    // Excluded vendor code is not checked.
    assert!(!v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["path"].as_str().unwrap().starts_with("vendor/")));
}

#[test]
fn output_is_identical_at_any_thread_count() {
    let one = run_in(&demo(), &["check", "--format", "json", "--jobs", "1"]);
    let many = run_in(&demo(), &["check", "--format", "json", "--jobs", "8"]);
    assert_eq!(one.stdout, many.stdout);
    let env = std::process::Command::new(bin())
        .args(["check", "--format", "json"])
        .current_dir(demo())
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert_eq!(one.stdout, env.stdout);
}

#[test]
fn compact_format_is_one_line_per_finding() {
    let out = run_in(&demo(), &["check", "--format", "compact"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("js/chat.js:17:13:"))
        .expect("compact line for chat.js");
    assert_eq!(line, "js/chat.js:17:13: error[unknown-action]: unknown action 'request-callbak': not in talkative-actions.yaml");
}

#[test]
fn pretty_output_has_snippet_help_and_summary() {
    let out = run_in(&demo(), &["check", "--color", "never"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("did you mean 'request-callback'?"), "{text}");
    assert!(
        text.contains("const actionToQueue") || text.contains("request-callbak"),
        "{text}"
    );
    assert!(
        text.lines().last().unwrap().contains("files checked"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes with --color never"
    );
}

#[test]
fn missing_path_is_exit_2_with_a_message() {
    let out = run_in(&demo(), &["check", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no/such/dir"), "{err}");
}

#[test]
fn unknown_format_is_exit_2() {
    let out = run_in(&demo(), &["check", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("xml"));
}

#[test]
fn bad_config_is_exit_2_with_the_span() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("action-lint.toml"),
        "actions = \"a.yaml\"\n[rules]\nunknown-acton = \"error\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.yaml"), "actions: [x]\n").unwrap();
    std::fs::write(
        dir.path().join("a.js"),
        "window.talkativeApi?.actions.triggerAction('x');\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "--color", "never"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown-acton"), "{err}");
    assert!(err.contains("action-lint.toml"), "{err}");
}

#[test]
fn missing_actions_config_is_exit_2_and_says_how_to_fix_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.js"),
        "window.talkativeApi?.actions.triggerAction('x');\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--actions"), "{err}");
    // --actions fixes it.
    std::fs::write(dir.path().join("names.json"), "[\"x\"]").unwrap();
    let out = run_in(
        dir.path(),
        &["check", "--actions", "names.json", "--format", "json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn nothing_to_check_exits_0_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# nothing\n").unwrap();
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("no files to check"), "{all}");
}

#[test]
fn explicit_files_report_only_those_with_whole_project_knowledge() {
    // index.html calls openChat (a wrapper defined in js/chat.js).
    let (v, out) = json_in(&demo(), &["index.html"]);
    assert_eq!(out.status.code(), Some(1));
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    assert!(
        diags.iter().all(|d| d["path"] == "index.html"),
        "{diags:#?}"
    );
    assert!(
        !diags.iter().any(|d| d["rule"] == "unused-action"),
        "unused-action needs a whole-root run"
    );
    assert_eq!(v["files_checked"], 1);
}

#[test]
fn explicitly_named_excluded_file_is_skipped_silently() {
    let out = run_in(
        &demo(),
        &["check", "--format", "json", "vendor/widget-shim.js"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn quiet_and_max_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("action-lint.toml"),
        "actions = \"a.yaml\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.yaml"), "actions: [x]\n").unwrap();
    // Guarded, known name, but the promise is dropped: one warning.
    std::fs::write(
        dir.path().join("a.js"),
        "window.talkativeApi?.actions.triggerAction('x');\n",
    )
    .unwrap();
    let (v, out) = json_in(dir.path(), &[]);
    assert_eq!(v["summary"]["warnings"], 1, "{v}");
    assert_eq!(out.status.code(), Some(0));
    let (_, out) = json_in(dir.path(), &["--max-warnings", "0"]);
    assert_eq!(out.status.code(), Some(1));
    let (v, _) = json_in(dir.path(), &["--quiet"]);
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 0);
}

/// The binary with `args` in the demo site, with `input` on stdin.
fn run_with_stdin(args: &[&str], input: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(bin())
        .args(args)
        .current_dir(demo())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// `check --format json --stdin-filename NAME` in the demo site, with `input` on stdin.
fn check_stdin(name: &str, input: &[u8]) -> (serde_json::Value, std::process::Output) {
    let out = run_with_stdin(
        &["check", "--format", "json", "--stdin-filename", name],
        input,
    );
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (v, out)
}

#[test]
fn stdin_document_is_reported_under_its_name() {
    let (v, _) = check_stdin("js/new.js", b"openChat('strat-chat');\n");
    let d = find(&v, "unknown-action", "js/new.js", 1).expect("wrapper call checked from stdin");
    assert_eq!(d["column"], 10);
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["path"] == "js/new.js"));
}

/// A document on stdin above `--max-file-size` is not parsed, with the
/// warning a file gets; one that mentions no word the rules need is not
/// warned about (nothing in it could be found).
#[test]
fn stdin_above_the_size_cap_is_not_parsed_and_says_so() {
    for (input, warned) in [("openChat('strat-chat');\n", true), ("var a = 1;\n", false)] {
        let args = [
            "check",
            "--stdin-filename",
            "js/new.js",
            "--max-file-size",
            "0.000001",
        ];
        let out = run_with_stdin(&args, input.as_bytes());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert_eq!(
            stderr.contains(
                "js/new.js: not analysed: 0.0 MB is above the 0.0 MB limit (--max-file-size)"
            ),
            warned,
            "{input}: {stderr}"
        );
    }
    // Under the cap, the same document has its finding.
    let (v, _) = check_stdin("js/new.js", b"openChat('strat-chat');\n");
    assert!(find(&v, "unknown-action", "js/new.js", 1).is_some());
}

/// Stdin that is not UTF-8 is analysed lossily with a warning, like a file,
/// not refused: an editor may pipe a Latin-1 buffer.
#[test]
fn stdin_that_is_not_utf8_is_analysed_with_a_warning() {
    let (v, out) = check_stdin("js/latin1.js", b"// caf\xe9\nopenChat('strat-chat');\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("js/latin1.js: not valid UTF-8; analysed with replacement characters"),
        "{stderr}"
    );
    let d = find(&v, "unknown-action", "js/latin1.js", 2).expect("finding after the bad byte");
    assert_eq!(d["column"], 10);
}

#[test]
fn baseline_round_trip_only_new_findings_fail() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("action-lint.toml"),
        "actions = \"a.yaml\"\n[rules]\nunused-action = \"off\"\n",
    )
    .unwrap();
    std::fs::write(root.join("a.yaml"), "actions: [start-chat]\n").unwrap();
    let old =
        "document.onclick = () => window.talkativeApi?.actions.triggerAction('strat-chat');\n";
    std::fs::write(root.join("a.js"), old).unwrap();
    let out = run_in(root, &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(root.join("baseline.json").is_file());
    let (v, out) = json_in(root, &["--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(0), "{v}");
    // An unrelated edit above the old finding, plus one new problem.
    let edited = format!("// a new comment\nconst x = 1;\n{old}document.onkeydown = () => window.talkativeApi?.actions.triggerAction('start-caht');\n");
    std::fs::write(root.join("a.js"), edited).unwrap();
    let (v, out) = json_in(root, &["--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(1));
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["action"], "start-caht");
}

#[test]
fn rules_explain_and_init() {
    let out = run_in(Path::new("."), &["rules"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for m in action_lint::rules::registry::ALL {
        assert!(text.contains(m.id), "rules lists {}", m.id);
    }
    let out = run_in(Path::new("."), &["explain", "missing-guard"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("## What it does")
            && text.contains("## Why is this bad?")
            && text.contains("## Example")
    );
    let out = run_in(Path::new("."), &["explain", "missing-gaurd"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean 'missing-guard'"));
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0));
    let written = std::fs::read_to_string(dir.path().join("action-lint.toml")).unwrap();
    assert!(written.contains("actions"));
    // The starter file is a valid config.
    std::fs::write(dir.path().join("talkative-actions.yaml"), "actions: [a]\n").unwrap();
    std::fs::write(dir.path().join("a.js"), "\n").unwrap();
    assert_eq!(run_in(dir.path(), &["check"]).status.code(), Some(0));
    assert_eq!(
        run_in(dir.path(), &["init"]).status.code(),
        Some(2),
        "init does not overwrite"
    );
}

#[test]
fn every_rule_has_docs_and_docs_rules_md_is_current() {
    for m in action_lint::rules::registry::ALL {
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Configuration",
        ] {
            assert!(m.docs.contains(heading), "rule {} lacks '{heading}'", m.id);
        }
    }
    let generated = action_lint::app::rules_markdown();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if on_disk != generated && std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    assert!(on_disk == generated, "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test --test cli` or `action-lint rules --markdown > docs/rules.md`");
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let always = run_in(&demo(), &["check", "--color", "always"]);
    assert!(always.stdout.contains(&0x1b), "--color always colours");
    // auto: not a terminal here, and NO_COLOR set: no colour either way.
    let auto = std::process::Command::new(bin())
        .args(["check"])
        .current_dir(demo())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!auto.stdout.contains(&0x1b));
    assert_eq!(always.status.code(), auto.status.code());
}

#[test]
fn a_correct_integration_stays_silent() {
    // Real-site patterns: the vendor snippet, guarded wrappers, TS, JSX, Vue.
    let (v, out) = json_in(&fixtures().join("ok-site"), &[]);
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 0, "{v:#}");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(v["files_checked"], 5);
}

#[test]
fn the_readme_first_command_works_from_the_repository_root() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (v, out) = json_in(root, &["fixtures/demo-site"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(diags
        .iter()
        .any(|d| d["path"] == "fixtures/demo-site/index.html" && d["rule"] == "unknown-action"));
    // The whole project (the demo site by the root config's include) adds the actions-file rules.
    let (v, _) = json_in(root, &[]);
    let rules: std::collections::BTreeSet<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    for m in action_lint::rules::registry::ALL {
        assert!(rules.contains(m.id), "the demo site shows {}", m.id);
    }
}

/// Wrapper names are learned in rounds, scripts first: here each link of the
/// chain is in the other kind of file, and none but the first mentions a
/// trigger word, so every round must go back to files of both kinds.
#[test]
fn wrapper_chains_across_pages_and_scripts_are_followed() {
    let dir = site_with(&[
        ("talkative-actions.yaml", "actions: [start-chat]\n"),
        (
            "a.html",
            "<script>function openHelp(name) { if (window.talkativeApi) talkativeApi.actions.triggerAction(name); }</script>\n",
        ),
        ("b.js", "function go(n) { openHelp(n); }\n"),
        (
            "c.html",
            "<script>function later(x) { go(x); }</script>\n<button onclick=\"later('nope')\">Chat</button>\n",
        ),
        ("d.js", "later('start-chat');\nlater('nope-either');\n"),
    ]);
    let expected = [("c.html", 2, "nope"), ("d.js", 2, "nope-either")];
    for extra in [&[][..], &["--no-prefilter"][..]] {
        let (v, out) = json_in(dir.path(), extra);
        assert_eq!(out.status.code(), Some(1), "{extra:?}");
        let found = unknown_actions(&v);
        let want: Vec<(String, u64, String)> = expected
            .iter()
            .map(|(p, l, a)| (p.to_string(), *l, a.to_string()))
            .collect();
        assert_eq!(found, want, "{extra:?}");
    }
}

/// A use inside `G` is guarded when every call of `G` is, and a call inside
/// `F` is guarded when every call of `F` is. The unguarded call of `F` is in
/// a file with no trigger word, and `F` is one letter long: the pre-filter
/// must still search for it (it once searched only for functions holding a
/// use, and for names of two letters or more).
#[test]
fn callers_of_functions_holding_a_use_are_searched_for() {
    let dir = site_with(&[
        ("talkative-actions.yaml", "actions: [start-chat]\n"),
        (
            "lib.js",
            "function G() { talkativeApi.actions.triggerAction('start-chat').catch(() => {}); }\nfunction F() { G(); }\nif (window.talkativeApi) { F(); }\n",
        ),
        ("other.js", "F();\n"),
    ]);
    assert_rules_with_and_without_prefilter(dir.path(), &["missing-guard"]);
}

/// In a script over 64 KB, an export list is walked only when it mentions
/// a word; exporting a function makes its calls not all known (guard form
/// 7 no longer applies), so the list must be walked once the function's name
/// is learned.
#[test]
fn an_export_list_in_a_large_script_counts_as_a_value_use() {
    let mut code = String::from(
        "function open() { window.talkativeApi.actions.triggerAction('start-chat').catch(() => {}); }\n\
         if (window.talkativeApi) { open(); }\n",
    );
    let mut i = 0;
    while code.len() < 70_000 {
        code.push_str(&format!("function pad{i}() {{ return {i}; }}\n"));
        i += 1;
    }
    code.push_str("export { open, pad0 };\n");
    let dir = site_with(&[
        ("talkative-actions.yaml", "actions: [start-chat]\n"),
        ("big.js", &code),
    ]);
    assert_rules_with_and_without_prefilter(dir.path(), &["missing-guard"]);
}

/// The rules of the findings in `dir`, with the pre-filter and without, are `want`.
fn assert_rules_with_and_without_prefilter(dir: &std::path::Path, want: &[&str]) {
    for extra in [&[][..], &["--no-prefilter"][..]] {
        let (v, out) = json_in(dir, extra);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {v}");
        let rules: Vec<&str> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap())
            .collect();
        assert_eq!(rules, want, "{extra:?}");
    }
}

/// The first round reads scripts while the walk lists directories (on the
/// walker's threads). Whatever is walked, named or found through the root,
/// and at any thread count, the findings and warnings must be the same as
/// without the pre-filter.
#[test]
fn scripts_read_during_the_walk_give_the_same_findings_however_the_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &[u8]| {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    w("talkative-actions.yaml", b"actions: [start-chat]\n");
    w(
        "lib/wrap.js",
        b"function openHelp(n) { if (window.talkativeApi) talkativeApi.actions.triggerAction(n); }\n",
    );
    // No trigger word: found only when `openHelp` is searched for.
    w("lib/other.js", b"function go(n) { openHelp(n); }\n");
    w("lib/zz-binary.js", b"x\0y talkativeApi");
    w(
        "lib/bad-utf8.js",
        b"\xff talkativeApi.actions.triggerAction('nope-too');\n",
    );
    w(
        "pages/p.html",
        b"<button onclick=\"go('nope')\">Chat</button>\n",
    );
    let page = ("pages/p.html".to_owned(), 1, "nope".to_owned());
    let lib = ("lib/bad-utf8.js".to_owned(), 1, "nope-too".to_owned());
    // (paths given, the unknown names expected as (file, name)).
    type Case<'a> = (&'a [&'a str], Vec<(String, u64, String)>);
    let cases: [Case; 5] = [
        (&["."], vec![lib.clone(), page.clone()]),
        (&[".", "lib"], vec![lib.clone(), page.clone()]),
        (&["pages"], vec![page.clone()]),
        (&["pages", "lib"], vec![lib.clone(), page.clone()]),
        (&["pages/p.html"], vec![page.clone()]),
    ];
    for (paths, want) in &cases {
        let mut stderrs = Vec::new();
        for extra in [&["--jobs", "1"][..], &["--jobs", "2"], &["--no-prefilter"]] {
            let args: Vec<&str> = extra.iter().chain(paths.iter()).copied().collect();
            let (v, out) = json_in(dir.path(), &args);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert_eq!(&unknown_actions(&v), want, "{args:?}");
            stderrs.push(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        assert!(
            stderrs.iter().all(|s| *s == stderrs[0]),
            "{paths:?}: {stderrs:#?}"
        );
        if paths.contains(&"lib") || paths.contains(&".") {
            assert!(
                stderrs[0].contains("lib/bad-utf8.js: not valid UTF-8"),
                "{}",
                stderrs[0]
            );
            assert!(stderrs[0].contains("1 binary file(s)"), "{}", stderrs[0]);
        }
    }
}

/// The findings of `rule` in a JSON report.
fn of_rule<'v>(v: &'v serde_json::Value, rule: &str) -> Vec<&'v serde_json::Value> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect()
}

/// The `unknown-action` findings of a JSON report as (path, line, action).
fn unknown_actions(v: &serde_json::Value) -> Vec<(String, u64, String)> {
    of_rule(v, "unknown-action")
        .into_iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The same misspelt name under two actions configs (an `[[overrides]]`
/// entry) gets each config's own suggestion and message: what is found once
/// per name is found once per name and config.
#[test]
fn the_same_unknown_name_under_two_configs_gets_each_configs_suggestion() {
    let call = "window.talkativeApi?.actions.triggerAction('strat-chat').catch(() => {});\n";
    let dir = site_with(&[
        (
            "action-lint.toml",
            "actions = \"main.yaml\"\n[[overrides]]\nfiles = [\"support/**\"]\nactions = \"support.yaml\"\n",
        ),
        ("main.yaml", "actions: [start-chat]\n"),
        ("support.yaml", "actions: [start-chart]\n"),
        ("a.js", call),
        ("support/b.js", call),
        ("c.js", call),
    ]);
    let (v, _) = json_in(dir.path(), &[]);
    let found: Vec<(String, String, String)> = of_rule(&v, "unknown-action")
        .into_iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
                d["help"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(found.len(), 3, "{v:#}");
    for (path, message, help) in &found {
        if path == "support/b.js" {
            assert!(message.ends_with("not in support.yaml"), "{message}");
            assert_eq!(help, "did you mean 'start-chart'?");
        } else {
            assert!(message.ends_with("not in main.yaml"), "{message}");
            assert_eq!(help, "did you mean 'start-chat'?");
        }
    }
}

/// A site large enough for the project index to be built on the thread pool
/// (256 files or more) and for the JSON to be printed on several threads
/// (2 048 findings or more): one thread and two give the same document,
/// and every finding resolved through a wrapper in another file is there.
#[test]
fn a_large_site_gives_the_same_document_on_one_thread_and_two() {
    const PAGES: usize = 700;
    let mut files: Vec<(String, String)> = vec![
        (
            "talkative-actions.yaml".to_owned(),
            "actions: [start-chat]\n".to_owned(),
        ),
        (
            "lib/chat.js".to_owned(),
            "function openHelp(name) {\n  if (window.talkativeApi) {\n    talkativeApi.actions.triggerAction(name).catch(() => {});\n  }\n}\n".to_owned(),
        ),
    ];
    for i in 0..PAGES {
        files.push((
            format!("pages/{:03}/p-{i}.html", i % 50),
            format!(
                "<button onclick=\"openHelp('nope-{i}-a')\">A</button>\n<button onclick=\"openHelp('nope-{i}-b')\">B</button>\n<button onclick=\"openHelp('start-chat')\">C</button>\n<button onclick=\"openHelp('nope-{i}-c')\">D</button>\n<script>talkativeApi.actions.triggerAction('start-chat').catch(() => {{}});</script>\n"
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = site_with(&refs);
    let one = run_in(dir.path(), &["check", "--format", "json", "--jobs", "1"]);
    let two = run_in(dir.path(), &["check", "--format", "json", "--jobs", "2"]);
    assert_eq!(one.status.code(), Some(1));
    assert!(one.stdout == two.stdout, "--jobs 1 and --jobs 2 differ");
    let v: serde_json::Value = serde_json::from_slice(&two.stdout).unwrap();
    let unknown = of_rule(&v, "unknown-action");
    assert_eq!(unknown.len(), 3 * PAGES);
    let mut names: Vec<&str> = unknown
        .iter()
        .map(|d| d["action"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    let mut want: Vec<String> = (0..PAGES)
        .flat_map(|i| ["a", "b", "c"].map(|s| format!("nope-{i}-{s}")))
        .collect();
    want.sort_unstable();
    assert_eq!(names, want);
    // The one unguarded call on each page.
    assert_eq!(of_rule(&v, "missing-guard").len(), PAGES);
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 4 * PAGES);
}

#[test]
fn findings_in_actions_files_sort_among_the_pages_by_path() {
    let page = "window.talkativeApi?.actions.triggerAction('strat-chat').catch(() => {});\n\
                window.talkativeApi?.actions.triggerAction('start-chat').catch(() => {});\n";
    // Each actions file has an unused action; the one in the file that sorts
    // first has the message that sorts last.
    let site = site_with(&[
        ("action-lint.toml", "actions = [\"m.yaml\", \"n.yaml\"]\n"),
        ("m.yaml", "actions: [start-chat, zz-unused]\n"),
        ("n.yaml", "actions: [start-chat, aa-unused]\n"),
        ("a.js", page),
        ("b/x.js", page),
        ("z.js", page),
    ]);
    let (v, _) = json_in(site.path(), &[]);
    let mut paths: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    paths.dedup();
    assert_eq!(
        paths,
        ["a.js", "b/x.js", "m.yaml", "n.yaml", "z.js"],
        "{v:#}"
    );
}

#[test]
fn a_config_named_from_outside_the_checked_files_gives_no_facts_of_its_directory() {
    let call = "openChat('strat-chat');\n";
    let dir = site_with(&[
        ("shared/action-lint.toml", "actions = \"a.yaml\"\n"),
        ("shared/a.yaml", "actions: [start-chat]\n"),
        // A wrapper in the config's directory, which is not checked.
        (
            "shared/lib.js",
            "function openChat(n) { window.talkativeApi?.actions.triggerAction(n).catch(() => {}); }\n",
        ),
        ("shared/pages/p.js", call),
        ("site/page.js", call),
    ]);
    let config = dir.path().join("shared/action-lint.toml");
    let site = dir.path().join("site");
    let (v, out) = json_in(&site, &["--config", config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    assert_eq!(v["diagnostics"], serde_json::json!([]), "{v:#}");
    // A page inside the config's directory, checked alone, gets the facts
    // of the whole directory: the wrapper applies.
    let inside = dir.path().join("shared/pages/p.js");
    let (v, _) = json_in(
        &site,
        &[
            "--config",
            config.to_str().unwrap(),
            inside.to_str().unwrap(),
        ],
    );
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(diags.iter().any(|d| d["rule"] == "unknown-action"), "{v:#}");
}

/// A rule's severity from `[rules]`, and from an override for the files it
/// names: each finding gets its own file's.
#[test]
fn an_override_sets_a_rules_severity_for_its_files_only() {
    let page = "talkativeApi.actions.triggerAction('strat-chat');\n";
    let dir = site_with(&[
        (
            "action-lint.toml",
            "actions = \"a.yaml\"\n[rules]\nmissing-guard = \"off\"\n\
             [[overrides]]\nfiles = [\"legacy/**\"]\nrules = { unknown-action = \"warn\", missing-guard = \"error\" }\n",
        ),
        ("a.yaml", "actions: [start-chat]\n"),
        ("page.js", page),
        ("legacy/old.js", page),
    ]);
    let (v, _) = json_in(dir.path(), &[]);
    let found: Vec<(String, String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "unknown-action" || d["rule"] == "missing-guard")
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        ("legacy/old.js", "missing-guard", "error"),
        ("legacy/old.js", "unknown-action", "warning"),
        ("page.js", "unknown-action", "error"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(p, r, s)| (p.to_string(), r.to_string(), s.to_string()))
        .collect();
    assert_eq!(found, want, "{v:#}");
}
