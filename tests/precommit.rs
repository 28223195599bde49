//! The pre-commit hook, proven with the real `pre-commit try-repo` against a
//! temporary git repository holding a bad and a good file. Skips when
//! pre-commit is not installed, except under `CI=true`, where that fails.

mod common;

use std::path::Path;
use std::process::Command;

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pre_commit_try_repo_fails_on_bad_and_passes_on_good() {
    if !have("pre-commit") {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "pre-commit is required under CI=true (pip install pre-commit)"
        );
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
        return;
    }
    let repo_root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    std::fs::write(
        site.join("action-lint.toml"),
        "actions = \"talkative-actions.yaml\"\n",
    )
    .unwrap();
    std::fs::write(
        site.join("talkative-actions.yaml"),
        "actions: [start-chat]\n",
    )
    .unwrap();
    std::fs::write(
        site.join("good.js"),
        "document.onclick = () => window.talkativeApi?.actions.triggerAction('start-chat');\n",
    )
    .unwrap();
    std::fs::write(
        site.join("bad.html"),
        "<button onclick=\"talkativeApi.actions.triggerAction('strat-chat')\">x</button>\n",
    )
    .unwrap();
    std::fs::write(site.join("notes.txt"), "not a web file\n").unwrap();
    git(site, &["init", "-q"]);
    git(site, &["add", "."]);

    let try_repo = |files: &[&str]| {
        let mut cmd = Command::new("pre-commit");
        cmd.args([
            "try-repo",
            repo_root.to_str().unwrap(),
            "action-lint",
            "--verbose",
            "--files",
        ])
        .args(files)
        .current_dir(site);
        cmd.output().unwrap()
    };
    // One try-repo run (each run builds the hook from scratch, which takes
    // minutes): the bad page fails, the good file and the text file add nothing.
    let run = try_repo(&["bad.html", "good.js", "notes.txt"]);
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!run.status.success(), "the bad file fails the hook:\n{out}");
    assert!(
        out.contains("unknown-action") && out.contains("strat-chat"),
        "{out}"
    );
    assert!(out.contains("did you mean 'start-chat'?"), "{out}");
    assert!(out.contains("bad.html"), "{out}");
    assert!(
        !out.contains("good.js:"),
        "the good file has no finding:\n{out}"
    );
    assert!(
        !out.contains("notes.txt"),
        "non-web files are not passed to the hook:\n{out}"
    );
    assert!(out.contains("in 1 file (2 files checked)"), "{out}");
}
