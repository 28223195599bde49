//! CI formats through the real binary: SARIF validated against the official
//! schema, GitHub annotations with hostile file names and the step summary,
//! several reports in one run.

mod common;

use common::*;

fn hostile_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("action-lint.toml"),
        "actions = \"talkative-actions.yaml\"\n[rules]\nunused-action = \"off\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("talkative-actions.yaml"),
        "actions: [start-chat]\n",
    )
    .unwrap();
    // A comma and a colon in the name; an emoji before the finding so UTF-16 and char columns differ.
    std::fs::write(
        root.join("a,b:c.html"),
        "<p>😀<button onclick=\"window.talkativeApi?.actions.triggerAction('strat-chat').catch(() => {})\">x</button></p>\n",
    )
    .unwrap();
    dir
}

#[test]
fn sarif_file_is_valid_against_the_official_schema() {
    let dir = hostile_site();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--format",
            "sarif=out.sarif",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    // The terminal format still printed its line.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("a,b:c.html:1:"), "{stdout}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("data/sarif-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::options().build(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &doc["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), action_lint::rules::registry::ALL.len());
    assert!(rules
        .iter()
        .all(|r| r["helpUri"].is_string() && r["help"]["text"].is_string()));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "unknown-action");
    assert_eq!(result["level"], "error");
    assert!(result["partialFingerprints"]["primaryLocationLineHash"].is_string());
    let region = &result["locations"][0]["physicalLocation"]["region"];
    // `<p>😀<button onclick="window…triggerAction(` : the literal starts after 66 chars;
    // the emoji is one char but two UTF-16 units.
    let line = "<p>😀<button onclick=\"window.talkativeApi?.actions.triggerAction(";
    let chars = line.chars().count() as u64 + 1;
    let units = line.encode_utf16().count() as u64 + 1;
    assert_eq!(units, chars + 1);
    assert_eq!(region["startColumn"], units);
    assert_eq!(region["startLine"], 1);
    let (v, _) = json_in(dir.path(), &[]);
    assert_eq!(v["diagnostics"][0]["column"], chars);
}

/// Undo the workflow-command escaping of a property value.
fn unescape(s: &str) -> String {
    s.replace("%2C", ",")
        .replace("%3A", ":")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

#[test]
fn github_annotations_escape_properties_and_write_the_step_summary() {
    let dir = hostile_site();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "# earlier step\n").unwrap();
    let out = std::process::Command::new(bin())
        .args(["check", "--format", "github"])
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("::error "))
        .expect("an ::error command");
    let (props, message) = line["::error ".len()..].split_once("::").unwrap();
    let props: Vec<(&str, String)> = props
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k, unescape(v))
        })
        .collect();
    let get = |k: &str| {
        props
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("file"), "a,b:c.html");
    assert_eq!(get("line"), "1");
    assert_eq!(get("title"), "action-lint (unknown-action)");
    assert!(
        unescape(message).contains("unknown action 'strat-chat'"),
        "{message}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("# earlier step\n"), "appended, not replaced");
    assert!(
        md.contains("unknown-action") && md.contains("strat-chat"),
        "{md}"
    );
}
