//! The language server driven over stdio as an editor would: Content-Length
//! frames to the real binary, against a temporary copy of `fixtures/lsp/site`.
//! Every read has a timeout, so a broken server fails a test instead of hanging it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Messages read while waiting for something else.
    seen: Vec<Value>,
    root: PathBuf,
    _dir: tempfile::TempDir,
}

fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_dir(&common::fixtures().join("lsp").join("site"), &root);
    // Canonical, so URIs the server builds match ours (macOS /tmp → /private/tmp).
    let root = root.canonicalize().unwrap();
    (dir, root)
}

fn uri(p: &Path) -> String {
    let mut s = String::from("file://");
    for b in p.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    s
}

fn frame(v: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(v).unwrap();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend(body);
    out
}

impl Client {
    fn start(dir: tempfile::TempDir, root: PathBuf) -> Client {
        let mut child = Command::new(common::bin())
            .arg("lsp")
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the action-lint binary starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("a Content-Length header")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            rx,
            next_id: 0,
            seen: Vec::new(),
            root,
            _dir: dir,
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.write(&frame(
            &json!({"jsonrpc": "2.0", "method": method, "params": params}),
        ));
    }

    /// Next message from the server; answers its requests (registrations) on the way.
    fn next(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(v) => {
                if v.get("method").is_some() && v.get("id").is_some() {
                    let reply = json!({"jsonrpc": "2.0", "id": v["id"], "result": null});
                    self.write(&frame(&reply));
                }
                v
            }
            Err(RecvTimeoutError::Timeout) => {
                panic!("timed out waiting for the server; seen: {:#?}", self.seen)
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the server closed its output; seen: {:#?}", self.seen)
            }
        }
    }

    /// Send a request and wait for its response (result or error object).
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.write(&frame(
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        ));
        self.response(id)
    }

    fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let v = self.next(deadline);
            if v.get("method").is_none() && v["id"] == json!(id) {
                return v;
            }
            self.seen.push(v);
        }
    }

    /// The result of a request that must succeed.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let v = self.call(method, params);
        assert!(v.get("error").is_none(), "{method} failed: {v}");
        v["result"].clone()
    }

    /// The first notification `method` (already seen or new) that `pred` accepts; consumed.
    fn wait(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .seen
            .iter()
            .position(|v| v["method"] == method && pred(&v["params"]))
        {
            return self.seen.remove(i)["params"].clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let v = self.next(deadline);
            if v["method"] == method && pred(&v["params"]) {
                return v["params"].clone();
            }
            self.seen.push(v);
        }
    }

    /// Diagnostics published for `uri` at document `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let p = self.wait("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == json!(version)
        });
        p["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, utf8: bool) -> Value {
        let encodings: Value = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let root = uri(&self.root);
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "workspaceFolders": [{"uri": root, "name": "site"}],
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
                    "textDocument": {"publishDiagnostics": {"relatedInformation": true}}
                }
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, rel: &str, version: i64) -> String {
        let path = self.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        self.open_text(rel, &text, version)
    }

    fn open_text(&mut self, rel: &str, text: &str, version: i64) -> String {
        let u = uri(&self.root.join(rel));
        let lang = if rel.ends_with(".html") {
            "html"
        } else {
            "javascript"
        };
        self.notify("textDocument/didOpen", json!({"textDocument": {"uri": u, "languageId": lang, "version": version, "text": text}}));
        u
    }

    /// shutdown, exit; the exit code.
    fn shutdown(mut self) -> Option<i32> {
        let r = self.call("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.stdin.take();
        self.wait_exit()
    }

    fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(utf8: bool) -> (Client, Value) {
    let (dir, root) = site();
    let mut c = Client::start(dir, root);
    let init = c.initialize(utf8);
    (c, init)
}

fn by_rule<'a>(diags: &'a [Value], rule: &str) -> Option<&'a Value> {
    diags.iter().find(|d| d["code"] == rule)
}

fn rules(diags: &[Value]) -> Vec<String> {
    let mut r: Vec<String> = diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    r.sort();
    r
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// The character of `needle` on `line` in either encoding.
fn character(line: &str, needle: &str, utf8: bool) -> u64 {
    let prefix = &line[..line.find(needle).unwrap()];
    if utf8 {
        prefix.len() as u64
    } else {
        prefix.encode_utf16().count() as u64
    }
}

/// Code actions the server offers for one diagnostic.
fn code_actions(c: &mut Client, u: &str, d: &Value) -> Vec<Value> {
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    r.as_array().unwrap().clone()
}

fn edits_of<'a>(action: &'a Value, u: &str) -> &'a Vec<Value> {
    action["edit"]["changes"][u]
        .as_array()
        .unwrap_or_else(|| panic!("no edits for {u} in {action}"))
}

#[test]
fn diagnostics_columns_follow_the_negotiated_encoding() {
    for utf8 in [false, true] {
        let (mut c, init) = start(utf8);
        let want = if utf8 { "utf-8" } else { "utf-16" };
        assert_eq!(init["capabilities"]["positionEncoding"], want);
        let u = c.open("js/chat.js", 1);
        let diags = c.diagnostics(&u, 1);
        assert_eq!(
            rules(&diags),
            ["missing-guard", "unhandled-promise", "unknown-action"],
            "{diags:#?}"
        );
        let line = std::fs::read_to_string(c.root.join("js/chat.js"))
            .unwrap()
            .lines()
            .nth(1)
            .unwrap()
            .to_owned();
        let d = by_rule(&diags, "unknown-action").unwrap();
        let start = character(&line, "'strat-chat'", utf8);
        assert_eq!(
            d["range"]["start"],
            json!({"line": 1, "character": start}),
            "{want}"
        );
        assert_eq!(
            d["range"]["end"],
            json!({"line": 1, "character": start + 12}),
            "{want}"
        );
        let g = by_rule(&diags, "missing-guard").unwrap();
        assert_eq!(
            g["range"]["start"]["character"],
            character(&line, "talkativeApi.actions", utf8)
        );
        assert_eq!(c.shutdown(), Some(0));
    }
}

#[test]
fn diagnostics_match_the_cli_and_update_on_change() {
    let (mut c, _) = start(false);
    let u = c.open("js/chat.js", 1);
    let diags = c.diagnostics(&u, 1);
    let d = by_rule(&diags, "unknown-action").unwrap();
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "action-lint");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown action 'strat-chat': not in talkative-actions.yaml"),
        "{d}"
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("did you mean 'start-chat'?"),
        "{d}"
    );
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("#unknown-action"));
    assert_eq!(d["data"]["suggestion"], "start-chat");
    let related = &d["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], u);
    assert_eq!(related["message"], "the action is triggered here");
    assert_eq!(by_rule(&diags, "unhandled-promise").unwrap()["severity"], 2);

    // Fix the name with an incremental edit: the finding goes, the others stay.
    let range = d["range"].clone();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"range": range, "text": "'start-chat'"}]}),
    );
    let diags = c.diagnostics(&u, 2);
    assert_eq!(rules(&diags), ["missing-guard", "unhandled-promise"]);

    // A whole-document change, several in a burst: one result for the last version.
    for v in 3..=6 {
        let text = format!("talkativeApi.actions.triggerAction('nope-{v}');\n");
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": v}, "contentChanges": [{"text": text}]}),
        );
    }
    let diags = c.diagnostics(&u, 6);
    assert!(by_rule(&diags, "unknown-action").unwrap()["message"]
        .as_str()
        .unwrap()
        .contains("'nope-6'"));
    // The disk copy was never read for the document.
    assert!(std::fs::read_to_string(c.root.join("js/chat.js"))
        .unwrap()
        .contains("strat-chat"));

    // Closing clears.
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    let p = c.wait("textDocument/publishDiagnostics", |p| {
        p["uri"] == u && p["diagnostics"] == json!([])
    });
    assert!(p["diagnostics"].as_array().unwrap().is_empty());
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn quick_fixes_replace_guard_and_suppress() {
    let (mut c, _) = start(false);
    let u = c.open("js/chat.js", 1);
    let diags = c.diagnostics(&u, 1);

    let d = by_rule(&diags, "unknown-action").unwrap().clone();
    let actions = code_actions(&mut c, &u, &d);
    let replace = actions
        .iter()
        .find(|a| a["title"] == "Replace with 'start-chat'")
        .expect("a replace fix");
    assert_eq!(replace["kind"], "quickfix");
    assert_eq!(replace["isPreferred"], true);
    let edits = edits_of(replace, &u);
    assert_eq!(edits.len(), 1);
    // Only the name is replaced: the quotes stay as written.
    assert_eq!(edits[0]["newText"], "start-chat");
    let mut inner = d["range"].clone();
    inner["start"]["character"] = json!(d["range"]["start"]["character"].as_u64().unwrap() + 1);
    inner["end"]["character"] = json!(d["range"]["end"]["character"].as_u64().unwrap() - 1);
    assert_eq!(edits[0]["range"], inner);

    let g = by_rule(&diags, "missing-guard").unwrap().clone();
    let actions = code_actions(&mut c, &u, &g);
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    let chain = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("?."))
        .unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(
        edits_of(chain, &u)[0]["newText"],
        "window.talkativeApi?.actions.triggerAction('strat-chat')"
    );
    let suppress = actions
        .iter()
        .find(|a| a["title"] == "Disable missing-guard for this line")
        .unwrap_or_else(|| panic!("{titles:?}"));
    let e = &edits_of(suppress, &u)[0];
    assert_eq!(
        e["newText"],
        "// action-lint-disable-next-line missing-guard\n"
    );
    assert_eq!(e["range"]["start"], pos(1, 0));

    // A statement of its own can be wrapped in a test.
    let text = "function f() {\n    talkativeApi.ui.show();\n}\n";
    let w = c.open_text("js/wrap.js", text, 1);
    let diags = c.diagnostics(&w, 1);
    let g = by_rule(&diags, "missing-guard").unwrap().clone();
    let actions = code_actions(&mut c, &w, &g);
    let wrap = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Wrap in"))
        .expect("a wrap fix");
    let e = &edits_of(wrap, &w)[0];
    assert_eq!(
        e["newText"],
        "if (window.talkativeApi) {\n      talkativeApi.ui.show();\n    }"
    );
    assert_eq!(e["range"], json!({"start": pos(1, 4), "end": pos(1, 27)}));

    // Applying the suppression silences the finding.
    let suppressed = "function f() {\n    // action-lint-disable-next-line missing-guard\n    talkativeApi.ui.show();\n}\n";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": w, "version": 2}, "contentChanges": [{"text": suppressed}]}),
    );
    let diags = c.diagnostics(&w, 2);
    assert!(by_rule(&diags, "missing-guard").is_none(), "{diags:#?}");
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn html_documents_get_diagnostics_and_fixes_in_their_own_syntax() {
    let (mut c, _) = start(false);
    let u = c.open("index.html", 1);
    let diags = c.diagnostics(&u, 1);
    assert_eq!(
        rules(&diags),
        ["missing-guard", "unhandled-promise", "unknown-action"],
        "{diags:#?}"
    );
    let html = std::fs::read_to_string(c.root.join("index.html")).unwrap();
    let lines: Vec<&str> = html.lines().collect();

    // The name inside an on* attribute, written with entities: the range
    // covers `&quot;strat-video&quot;` and the fix keeps the entities.
    let d = by_rule(&diags, "unknown-action").unwrap().clone();
    let button = lines.iter().position(|l| l.contains("onclick")).unwrap();
    let start = lines[button].find("&quot;strat").unwrap() as u64;
    assert_eq!(
        d["range"]["start"],
        json!({"line": button, "character": start})
    );
    assert_eq!(
        d["range"]["end"],
        json!({"line": button, "character": start + 23})
    );
    let actions = code_actions(&mut c, &u, &d);
    let replace = actions
        .iter()
        .find(|a| a["title"] == "Replace with 'start-video'")
        .unwrap();
    let e = &edits_of(replace, &u)[0];
    assert_eq!(e["newText"], "start-video");
    assert_eq!(e["range"]["start"]["character"], start + 6);
    // Outside a script: an HTML comment.
    let s = actions
        .iter()
        .find(|a| a["title"] == "Disable unknown-action for this line")
        .unwrap();
    assert_eq!(
        edits_of(s, &u)[0]["newText"],
        "    <!-- action-lint-disable-next-line unknown-action -->\n"
    );

    // Inside a script: a JavaScript comment.
    let g = by_rule(&diags, "missing-guard").unwrap().clone();
    let actions = code_actions(&mut c, &u, &g);
    let s = actions
        .iter()
        .find(|a| a["title"] == "Disable missing-guard for this line")
        .unwrap();
    assert_eq!(
        edits_of(s, &u)[0]["newText"],
        "      // action-lint-disable-next-line missing-guard\n"
    );
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn completion_hover_and_definition_of_action_names() {
    let (mut c, _) = start(false);
    let text = "// 😀\nwindow.talkativeApi?.actions.triggerAction('st\nshowChat(\"\");\nconst x = 'start-chat';\n";
    let u = c.open_text("js/new.js", text, 1);

    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": pos(1, 46)}),
    );
    let items = r["items"].as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["start-chat", "start-video", "open-faq"]);
    assert_eq!(items[0]["detail"], "type: start-interaction, queue: sales");
    assert_eq!(
        items[0]["textEdit"]["range"],
        json!({"start": pos(1, 44), "end": pos(1, 46)})
    );
    assert_eq!(items[0]["textEdit"]["newText"], "start-chat");

    // A wrapper defined in another file of the project (js/wrapper.js).
    let b = c.open_text(
        "js/more.js",
        "import { openChat } from './wrapper.js';\nopenChat('s');\n",
        1,
    );
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": b}, "position": pos(1, 11)}),
    );
    assert_eq!(r["items"].as_array().map(Vec::len), Some(3), "{r}");
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": b}, "position": pos(0, 30)}),
    );
    assert_eq!(r, Value::Null);

    // A function named in the config, which is reloaded when it changes.
    let at_show_chat = json!({"textDocument": {"uri": u}, "position": pos(2, 10)});
    assert_eq!(
        c.request("textDocument/completion", at_show_chat.clone()),
        Value::Null
    );
    std::fs::write(
        c.root.join("action-lint.toml"),
        "actions = \"talkative-actions.yaml\"\n[references]\nfunctions = [\"showChat\"]\n",
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&c.root.join("action-lint.toml")), "type": 2}]}),
    );
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": pos(2, 10)}),
    );
    assert_eq!(r["items"].as_array().map(Vec::len), Some(3), "{r}");

    // Not inside an action argument: nothing.
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": pos(3, 12)}),
    );
    assert_eq!(r, Value::Null);

    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(3, 14)}),
    );
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("start-chat")
            && md.contains("| queue | sales |")
            && md.contains("talkative-actions.yaml"),
        "{md}"
    );
    assert_eq!(h["range"], json!({"start": pos(3, 10), "end": pos(3, 22)}));

    let d = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": u}, "position": pos(3, 14)}),
    );
    assert_eq!(d["uri"], uri(&c.root.join("talkative-actions.yaml")));
    assert_eq!(d["range"], json!({"start": pos(1, 15), "end": pos(1, 25)}));

    // Names that are not configured get neither.
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(0, 1)}),
    );
    assert_eq!(h, Value::Null);
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn config_changes_reload_and_wrappers_come_from_other_files() {
    let (mut c, _) = start(false);
    let u = c.open("js/buttons.js", 1);
    let diags = c.diagnostics(&u, 1);
    // `openChat` is a wrapper defined in js/wrapper.js.
    let d = by_rule(&diags, "unknown-action").expect("the wrapper's call site is checked");
    assert!(d["message"].as_str().unwrap().contains("'start-vidoe'"));

    let yaml = c.root.join("talkative-actions.yaml");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    text.push_str("  - reference: start-vidoe\n");
    std::fs::write(&yaml, text).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&yaml), "type": 2}]}),
    );
    let diags = c.diagnostics(&u, 1);
    assert!(by_rule(&diags, "unknown-action").is_none(), "{diags:#?}");

    // A broken config: shown once, pointed at in the config file, and the server goes on.
    let toml = c.root.join("action-lint.toml");
    std::fs::write(&toml, "actions = \"talkative-actions.yaml\"\nbogus = 1\n").unwrap();
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&toml)}}),
    );
    let m = c.wait("window/showMessage", |_| true);
    assert_eq!(m["type"], 1);
    assert!(m["message"].as_str().unwrap().contains("bogus"), "{m}");
    let p = c.wait("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri(&toml)
    });
    assert_eq!(p["diagnostics"][0]["range"]["start"]["line"], 1, "{p}");
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(0, 0)}),
    );
    assert_eq!(r, Value::Null);

    // Fixed again: the config's diagnostic is cleared.
    std::fs::write(&toml, "actions = \"talkative-actions.yaml\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&toml), "type": 2}]}),
    );
    let p = c.wait("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri(&toml)
    });
    assert_eq!(p["diagnostics"], json!([]));
    assert_eq!(c.shutdown(), Some(0));
}

/// A document linted again after the config changes, with the same text,
/// is analysed under the new options: the server's thread keeps its region
/// memo between runs, and an entry made under the old options hid the new
/// reference function's method call here (fails without the options in the
/// memo's key: the diagnostic never comes).
#[test]
fn a_config_change_applies_to_an_unchanged_document() {
    let (mut c, _) = start(false);
    let u = c.open_text(
        "js/notify.js",
        "function later() { chat.notify('strat-chat'); }\n",
        1,
    );
    let diags = c.diagnostics(&u, 1);
    assert!(by_rule(&diags, "unknown-action").is_none(), "{diags:#?}");

    let toml = c.root.join("action-lint.toml");
    std::fs::write(
        &toml,
        "actions = \"talkative-actions.yaml\"\n[references]\nfunctions = [\"notify\"]\n",
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&toml), "type": 2}]}),
    );
    let d = c.wait("textDocument/publishDiagnostics", |p| {
        p["uri"] == u && by_rule(p["diagnostics"].as_array().unwrap(), "unknown-action").is_some()
    });
    let diags = d["diagnostics"].as_array().unwrap();
    let d = by_rule(diags, "unknown-action").unwrap();
    assert!(
        d["message"].as_str().unwrap().contains("'strat-chat'"),
        "{d}"
    );
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn watchers_are_registered_when_the_client_can() {
    let (mut c, _) = start(false);
    let reg = c.wait_request("client/registerCapability");
    let watchers = &reg["registrations"][0]["registerOptions"]["watchers"];
    assert!(
        watchers
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["globPattern"] == "**/action-lint.toml"),
        "{reg}"
    );
    assert_eq!(c.shutdown(), Some(0));
}

impl Client {
    fn wait_request(&mut self, method: &str) -> Value {
        if let Some(i) = self
            .seen
            .iter()
            .position(|v| v["method"] == method && v.get("id").is_some())
        {
            return self.seen.remove(i)["params"].clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let v = self.next(deadline);
            if v["method"] == method && v.get("id").is_some() {
                return v["params"].clone();
            }
            self.seen.push(v);
        }
    }
}

#[test]
fn a_missing_actions_config_is_shown_once_and_other_rules_still_run() {
    let (dir, root) = site();
    std::fs::remove_file(root.join("talkative-actions.yaml")).unwrap();
    std::fs::write(root.join("action-lint.toml"), "# no actions yet\n").unwrap();
    let mut c = Client::start(dir, root);
    c.initialize(false);
    let u = c.open("js/chat.js", 1);
    let diags = c.diagnostics(&u, 1);
    assert_eq!(rules(&diags), ["missing-guard", "unhandled-promise"]);
    let m = c.wait("window/showMessage", |_| true);
    assert_eq!(m["type"], 2);
    assert!(
        m["message"].as_str().unwrap().contains("no actions config"),
        "{m}"
    );
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": "talkativeApi.ui.show();\n"}]}));
    c.diagnostics(&u, 2);
    assert!(
        !c.seen.iter().any(|v| v["method"] == "window/showMessage"),
        "shown twice: {:#?}",
        c.seen
    );
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn malformed_input_and_unknown_requests_do_not_stop_the_server() {
    let (mut c, _) = start(false);
    // Not JSON, then JSON that is no message, then a stray header line.
    c.write(b"Content-Length: 9\r\n\r\n{not json");
    c.write(&frame(&json!([1, 2, 3])));
    c.write(b"X-Junk\r\n");
    let r = c.call("textDocument/formatting", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    c.notify("$/somethingUnknown", json!({"a": 1}));
    // Bad params for a known request, and requests for documents never opened.
    let r = c.call("textDocument/hover", json!({"textDocument": 5}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let nobody = uri(&c.root.join("js/none.js"));
    assert_eq!(
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": nobody}, "position": pos(0, 0)})
        ),
        Value::Null
    );
    assert_eq!(
        c.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": nobody}, "position": pos(9, 99)})
        ),
        Value::Null
    );
    assert_eq!(c.request("textDocument/codeAction", json!({"textDocument": {"uri": nobody}, "range": {"start": pos(0, 0), "end": pos(0, 0)}, "context": {"diagnostics": []}})), json!([]));
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": nobody, "version": 3}, "contentChanges": [{"range": {"start": pos(99, 0), "end": pos(0, 5)}, "text": "x"}]}));
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": nobody}}),
    );
    // Positions past the end of a line or of the document are clamped.
    let u = c.open_text("js/odd.js", "x\n", 1);
    c.diagnostics(&u, 1);
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"range": {"start": pos(50, 9), "end": pos(3, 99)}, "text": "talkativeApi.ui.show();"}]}));
    assert_eq!(rules(&c.diagnostics(&u, 2)), ["missing-guard"]);
    // A large minified document.
    let big = "var a=1;".repeat(128 * 1024) + "talkativeApi.ui.show();";
    let b = c.open_text("js/big.js", &big, 1);
    assert_eq!(rules(&c.diagnostics(&b, 1)), ["missing-guard"]);
    // A document above the size cap (8 MB) is not parsed (tree-sitter would
    // take gigabytes): no diagnostics, and the reason in the log.
    let huge = "var a=1;".repeat(1_100_000) + "talkativeApi.ui.show();";
    let h = c.open_text("js/huge.js", &huge, 1);
    assert!(c.diagnostics(&h, 1).is_empty());
    let m = c.wait("window/logMessage", |m| {
        m["message"]
            .as_str()
            .unwrap_or("")
            .contains("huge.js: not analysed")
    });
    assert!(
        m["message"]
            .as_str()
            .unwrap()
            .contains("above the 8.0 MB limit"),
        "{m}"
    );
    // Still answering.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos(0, 0)}),
    );
    assert_eq!(r, Value::Null);
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let (mut c, _) = start(false);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(), Some(1));
}

#[test]
fn requests_before_initialize_are_refused() {
    let (dir, root) = site();
    let mut c = Client::start(dir, root);
    let r = c.call("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    c.initialize(true);
    let r = c.call("shutdown", Value::Null);
    assert_eq!(r["result"], Value::Null);
    let r = c.call("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32600, "{r}");
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(), Some(0));
}

/// An edit that leaves a syntax error is linted at once from the re-parsed
/// tree (quick), then, once the client pauses, again from a fresh parse:
/// the last diagnostics of a version are what `check` gives for its text,
/// and nothing more is published after them. Here the quick re-parse reads
/// `-->` as an HTML comment that hides the call (no findings), while a fresh
/// parse reads an error and finds the unknown name and the missing guard.
#[test]
fn a_syntax_error_is_linted_quickly_then_as_check_does() {
    let (mut c, _) = start(false);
    let before = "if (window.talkativeApi) {}-->talkativeApi.actions.triggerAction('nope');\n";
    let u = c.open_text("js/edit.js", before, 1);
    assert_eq!(
        rules(&c.diagnostics(&u, 1)),
        ["missing-guard", "unknown-action"]
    );

    let broken = before.replace("'nope'", "'nope2'");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": broken}]}),
    );
    let _quick = c.diagnostics(&u, 2);
    let exact = c.diagnostics(&u, 2);

    let mut cli = Command::new(common::bin())
        .args([
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "js/edit.js",
        ])
        .current_dir(&c.root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    cli.stdin
        .take()
        .unwrap()
        .write_all(broken.as_bytes())
        .unwrap();
    let out = cli.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut want: Vec<(String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "js/edit.js")
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    want.sort();
    assert!(!want.is_empty());
    let mut got: Vec<(String, u64)> = exact
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, want);

    // Settled: the next message is the answer to a request, not a third
    // publication for version 2.
    std::thread::sleep(Duration::from_millis(1000));
    c.request("shutdown", Value::Null);
    assert!(
        !c.seen
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["version"] == json!(2)),
        "{:#?}",
        c.seen
    );
}
