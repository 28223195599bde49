//! End to end with a real editor: headless Neovim starts `action-lint lsp`
//! with its built-in client, opens a fixture file, waits for diagnostics and
//! writes `vim.diagnostic.get()` to a file that this test reads.
//!
//! Skipped (with a note) when `nvim` is not installed, except under `CI=true`,
//! where a missing editor fails the test: CI installs it (`apt-get install -y neovim`).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Works from Neovim 0.7 (Debian 12) on: `vim.lsp.start` where it exists
/// (0.8+), otherwise `start_client` + `buf_attach_client`.
const INIT_LUA: &str = r#"
local bin, file, out = os.getenv('AL_BIN'), os.getenv('AL_FILE'), os.getenv('AL_OUT')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local config = {
  name = 'action-lint',
  cmd = { bin, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':h:h'),
}
if vim.lsp.start then
  vim.lsp.start(config)
else
  local id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, id)
end
local ok = vim.wait(30000, function() return #vim.diagnostic.get(buf) >= 3 end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
  local msg = d.message:gsub('\n', ' ')
  table.insert(lines, string.format('%d:%d:%d:%d\t%s\t%s\t%s\t%s', d.lnum, d.col, d.end_lnum, d.end_col, code, d.severity, d.source or '', msg))
end
if not ok then table.insert(lines, 'TIMEOUT') end
vim.fn.writefile(lines, out)
vim.cmd('qall!')
"#;

/// `nvim --version`'s first line, when Neovim is installed.
fn nvim_version() -> Option<String> {
    let out = Command::new("nvim")
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_owned()
    })
}

#[test]
fn neovim_shows_the_diagnostics_of_a_fixture_file() {
    let Some(version) = nvim_version() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("nvim is not installed, and CI=true requires this test to run: apt-get install -y neovim");
        }
        eprintln!("skipping the Neovim end-to-end test: nvim is not installed (apt-get install -y neovim)");
        return;
    };
    eprintln!("using {version}");

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_dir(&common::fixtures().join("lsp").join("site"), &root);
    let root = root.canonicalize().unwrap();
    let file = root.join("js").join("chat.js");
    let init = dir.path().join("init.lua");
    std::fs::write(&init, INIT_LUA).unwrap();
    let out = dir.path().join("diagnostics.txt");
    let state = dir.path().join("state");

    let mut child = Command::new("nvim")
        .args(["--headless", "-n", "-i", "NONE", "-u"])
        .arg(&init)
        .env("AL_BIN", common::bin())
        .env("AL_FILE", &file)
        .env("AL_OUT", &out)
        // Keep Neovim's logs and state out of the real home.
        .env("XDG_STATE_HOME", &state)
        .env("XDG_CACHE_HOME", &state)
        .env("XDG_DATA_HOME", &state)
        .env("XDG_CONFIG_HOME", &state)
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish in time");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let text = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("nvim wrote no diagnostics ({e}); status {status}"));
    eprintln!("nvim's diagnostics:\n{text}");
    assert!(
        !text.contains("TIMEOUT"),
        "nvim saw too few diagnostics:\n{text}"
    );

    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let find = |rule: &str| {
        lines
            .iter()
            .find(|l| l[1] == rule)
            .unwrap_or_else(|| panic!("no {rule} in:\n{text}"))
    };
    // Neovim's columns are bytes: right only if the server's encoding and Neovim's agree.
    let src = std::fs::read_to_string(&file).unwrap();
    let line = src.lines().nth(1).unwrap();
    let col = |needle: &str| line.find(needle).unwrap();
    let name_col = col("'strat-chat'");
    let unknown = find("unknown-action");
    assert_eq!(
        unknown[0],
        format!("1:{}:1:{}", name_col, name_col + "'strat-chat'".len()),
        "{text}"
    );
    assert_eq!(unknown[2], "1", "error severity: {text}");
    assert_eq!(unknown[3], "action-lint");
    assert!(
        unknown[4].starts_with("unknown action 'strat-chat'"),
        "{text}"
    );
    let guard = find("missing-guard");
    assert!(
        guard[0].starts_with(&format!("1:{}:", col("talkativeApi.actions"))),
        "{text}"
    );
    let promise = find("unhandled-promise");
    assert_eq!(promise[2], "2", "warning severity: {text}");
}
