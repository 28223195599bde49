//! The server loop: initialize handshake, then one thread handling messages
//! strictly in order. Edits only mark documents dirty; once the queue is
//! empty every dirty document is linted once (the debounce: a burst of
//! keystrokes costs one run). A panic in a handler becomes an error response
//! and the server goes on.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::convert::{self, Encoding};
use super::documents::Documents;
use super::features;
use super::lint::{self, Outcome};
use super::workspace::Workspace;
use crate::settings;

/// JSON-RPC error for requests before `initialize`.
const SERVER_NOT_INITIALIZED: i32 = -32002;

/// Wait for `initialize` (answering anything else with an error). `None`
/// when the client left or sent `exit` first.
fn wait_for_initialize(conn: &Connection) -> Option<(RequestId, lsp::InitializeParams, Value)> {
    loop {
        match conn.receiver.recv().ok()? {
            Message::Request(req) if req.method == "initialize" => {
                let params = serde_json::from_value(req.params.clone()).unwrap_or_else(|e| {
                    eprintln!(
                        "action-lint lsp: initialize params not understood ({e}); using defaults"
                    );
                    lsp::InitializeParams::default()
                });
                return Some((req.id, params, req.params));
            }
            Message::Request(req) => {
                let _ = conn.sender.send(Message::Response(Response::new_err(
                    req.id,
                    SERVER_NOT_INITIALIZED,
                    "the server is not initialized".into(),
                )));
            }
            Message::Notification(n) if n.method == "exit" => return None,
            _ => {}
        }
    }
}

/// UTF-8 when the client offers it (standard `general.positionEncodings`,
/// or clangd's `offsetEncoding` extension that older clients send).
fn negotiate(caps: &lsp::ClientCapabilities, raw: &Value) -> (Encoding, bool) {
    let standard = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    if let Some(list) = standard {
        let utf8 = list.contains(&lsp::PositionEncodingKind::UTF8);
        return (
            if utf8 {
                Encoding::Utf8
            } else {
                Encoding::Utf16
            },
            false,
        );
    }
    let legacy = raw
        .pointer("/capabilities/offsetEncoding")
        .and_then(Value::as_array)
        .is_some_and(|l| l.iter().any(|e| e == "utf-8"));
    (
        if legacy {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        },
        legacy,
    )
}

fn capabilities(enc: Encoding) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(match enc {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                    lsp::SaveOptions {
                        include_text: Some(false),
                    },
                )),
                ..Default::default()
            },
        )),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["'".into(), "\"".into(), "`".into()]),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

/// Serve until `exit`; the process exit code (0 after `shutdown`, else 1).
pub fn serve(conn: Connection) -> i32 {
    let Some((id, params, raw)) = wait_for_initialize(&conn) else {
        return 1;
    };
    let (enc, legacy) = negotiate(&params.capabilities, &raw);
    let result = lsp::InitializeResult {
        capabilities: capabilities(enc),
        server_info: Some(lsp::ServerInfo {
            name: "action-lint".into(),
            version: Some(crate::app::VERSION.into()),
        }),
    };
    let mut result = serde_json::to_value(result).unwrap_or(Value::Null);
    if legacy {
        result["offsetEncoding"] = Value::from("utf-8");
    }
    let _ = conn
        .sender
        .send(Message::Response(Response::new_ok(id, result)));
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    let mut server = Server {
        conn,
        enc,
        watch,
        docs: Documents::default(),
        workspace: Workspace::default(),
        dirty: BTreeSet::new(),
        settle: BTreeSet::new(),
        shown: HashSet::new(),
        extra: BTreeMap::new(),
        error_uris: BTreeSet::new(),
        shutdown: false,
        next_id: 0,
    };
    server.main_loop()
}

/// How long the client must pause before a quick lint is redone exactly.
const SETTLE_AFTER: std::time::Duration = std::time::Duration::from_millis(300);

struct Server {
    conn: Connection,
    enc: Encoding,
    /// The client registers file watchers dynamically.
    watch: bool,
    docs: Documents,
    workspace: Workspace,
    /// Open documents to lint once the queue is empty (URI strings).
    dirty: BTreeSet<String>,
    /// Documents whose last findings came from a quick lint that re-parsed
    /// through a syntax error: linted again exactly once no message has come
    /// for [`SETTLE_AFTER`].
    settle: BTreeSet<String>,
    /// Messages already shown since the last config change.
    shown: HashSet<String>,
    /// What was last published for files that are not open documents
    /// (actions files, config files), by URI.
    extra: BTreeMap<String, (lsp::Uri, Vec<lsp::Diagnostic>)>,
    /// URIs holding a config error's diagnostic.
    error_uris: BTreeSet<String>,
    shutdown: bool,
    next_id: u32,
}

impl Server {
    fn main_loop(&mut self) -> i32 {
        loop {
            let msg = if self.settle.is_empty() || self.shutdown {
                self.conn.receiver.recv().ok()
            } else {
                match self.conn.receiver.recv_timeout(SETTLE_AFTER) {
                    Ok(msg) => Some(msg),
                    Err(e) if e.is_timeout() => {
                        // The client paused: lint the quick ones exactly.
                        self.dirty.append(&mut self.settle);
                        self.flush(false);
                        continue;
                    }
                    Err(_) => None,
                }
            };
            let Some(msg) = msg else {
                return if self.shutdown { 0 } else { 1 };
            };
            if let Some(code) = self.handle(msg) {
                return code;
            }
            // Everything already queued first: edits in a burst only mark
            // documents dirty, and each is linted once below.
            while let Ok(msg) = self.conn.receiver.try_recv() {
                if let Some(code) = self.handle(msg) {
                    return code;
                }
            }
            if !self.shutdown {
                self.flush(true);
            }
        }
    }

    fn send(&self, msg: Message) {
        let _ = self.conn.sender.send(msg);
    }

    fn notify<N: lsp::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_owned(),
            params,
        )));
    }

    fn log(&self, message: String) {
        self.notify::<lsp::notification::LogMessage>(lsp::LogMessageParams {
            typ: lsp::MessageType::LOG,
            message,
        });
    }

    /// window/showMessage, once per distinct message until the config changes.
    fn show_once(&mut self, typ: lsp::MessageType, message: String) {
        if self.shown.insert(message.clone()) {
            self.notify::<lsp::notification::ShowMessage>(lsp::ShowMessageParams {
                typ,
                message: format!("action-lint: {message}"),
            });
        }
    }

    fn publish(&self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        self.notify::<lsp::notification::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    /// Handle one message; `Some(exit code)` on `exit`.
    fn handle(&mut self, msg: Message) -> Option<i32> {
        match msg {
            Message::Request(req) => {
                if self.shutdown {
                    self.send(Message::Response(Response::new_err(
                        req.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    )));
                    return None;
                }
                if req.method == "shutdown" {
                    self.shutdown = true;
                    self.send(Message::Response(Response::new_ok(req.id, Value::Null)));
                    return None;
                }
                let id = req.id.clone();
                let method = req.method.clone();
                let response = match catch_unwind(AssertUnwindSafe(|| self.request(req))) {
                    Ok(r) => r,
                    Err(p) => {
                        let why = lint::panic_message(p.as_ref());
                        Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            format!("action-lint failed on {method}: {why}"),
                        )
                    }
                };
                self.send(Message::Response(response));
                None
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    return Some(if self.shutdown { 0 } else { 1 });
                }
                let method = n.method.clone();
                if let Err(p) = catch_unwind(AssertUnwindSafe(|| self.notification(n))) {
                    self.log(format!(
                        "action-lint failed on {method}: {}",
                        lint::panic_message(p.as_ref())
                    ));
                }
                None
            }
            // Replies to our registrations: nothing to do.
            Message::Response(_) => None,
        }
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let enc = self.enc;
        match req.method.as_str() {
            "textDocument/completion" => self.with_params(req, |s, p: lsp::CompletionParams| {
                let tdp = p.text_document_position;
                let doc = s.docs.get(&tdp.text_document.uri)?;
                let project = match &doc.path {
                    Some(p) => s.workspace.project_for(p),
                    None => Default::default(),
                };
                let workspace = &mut s.workspace;
                let mut wrappers = || workspace.wrapper_names(doc, &project);
                features::completion(doc, &project, &mut wrappers, tdp.position, enc)
            }),
            "textDocument/hover" => self.with_params(req, |s, p: lsp::HoverParams| {
                let tdp = p.text_document_position_params;
                s.with_doc(&tdp.text_document.uri, |doc, project| {
                    features::hover(doc, project, tdp.position, enc)
                })
            }),
            "textDocument/definition" => {
                self.with_params(req, |s, p: lsp::GotoDefinitionParams| {
                    let tdp = p.text_document_position_params;
                    s.with_doc(&tdp.text_document.uri, |doc, project| {
                        features::definition(doc, project, tdp.position, enc)
                    })
                })
            }
            "textDocument/codeAction" => self.with_params(req, |s, p: lsp::CodeActionParams| {
                s.with_doc(&p.text_document.uri, |doc, _| {
                    Some(features::code_actions(doc, &p, enc))
                })
                .or(Some(Vec::new()))
            }),
            "initialize" => Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is already initialized".into(),
            ),
            m => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("unknown method {m}"),
            ),
        }
    }

    /// Parse the params (InvalidParams when they do not fit) and answer with `f`'s result.
    fn with_params<P: DeserializeOwned, R: serde::Serialize>(
        &mut self,
        req: Request,
        f: impl FnOnce(&mut Self, P) -> Option<R>,
    ) -> Response {
        match serde_json::from_value::<P>(req.params) {
            Ok(p) => {
                let r = f(self, p);
                Response::new_ok(req.id, r)
            }
            Err(e) => Response::new_err(
                req.id,
                ErrorCode::InvalidParams as i32,
                format!("invalid params for {}: {e}", req.method),
            ),
        }
    }

    /// Run `f` on an open document and its project; `None` for unknown documents.
    fn with_doc<R>(
        &mut self,
        uri: &lsp::Uri,
        f: impl FnOnce(&super::documents::Document, &super::workspace::DocProject) -> Option<R>,
    ) -> Option<R> {
        let doc = self.docs.get(uri)?;
        let project = match &doc.path {
            Some(p) => self.workspace.project_for(p),
            None => Default::default(),
        };
        f(doc, &project)
    }

    fn notification(&mut self, n: Notification) {
        use lsp::notification::*;
        match n.method.as_str() {
            Initialized::METHOD => self.register_watchers(),
            DidOpenTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidOpenTextDocumentParams>(&n) {
                    self.dirty.insert(p.text_document.uri.as_str().to_owned());
                    self.docs.open(p.text_document);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidChangeTextDocumentParams>(&n) {
                    let uri = p.text_document.uri.as_str().to_owned();
                    if self.docs.change(p, self.enc) {
                        self.dirty.insert(uri);
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidSaveTextDocumentParams>(&n) {
                    match convert::uri_to_path(&p.text_document.uri) {
                        Some(path) if self.is_config_file(&path) => self.reload(),
                        // Saved code may define wrappers other documents use.
                        Some(_)
                            if self
                                .docs
                                .get(&p.text_document.uri)
                                .is_some_and(|d| d.kind().is_some()) =>
                        {
                            self.workspace.forget_code();
                            self.mark_all_dirty()
                        }
                        _ => {}
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidCloseTextDocumentParams>(&n) {
                    let uri = p.text_document.uri;
                    self.dirty.remove(uri.as_str());
                    self.settle.remove(uri.as_str());
                    if let Some(doc) = self.docs.close(&uri) {
                        if doc.kind().is_some() {
                            self.publish(uri, Vec::new(), None);
                        }
                    }
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Some(p) = params::<lsp::DidChangeWatchedFilesParams>(&n) {
                    let changed = p
                        .changes
                        .iter()
                        .filter_map(|c| convert::uri_to_path(&c.uri))
                        .any(|path| self.is_config_file(&path));
                    if changed {
                        self.reload();
                    }
                }
            }
            _ => {}
        }
    }

    /// `action-lint.toml`, a default actions file name, or an actions file in use.
    fn is_config_file(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name == settings::CONFIG_FILE
            || settings::DEFAULT_ACTIONS_FILES.contains(&name)
            || self.workspace.known_files().contains(path)
    }

    fn mark_all_dirty(&mut self) {
        for uri in self.docs.uris() {
            self.dirty.insert(uri.as_str().to_owned());
        }
    }

    /// The config changed: forget it, show its messages again, re-lint everything.
    fn reload(&mut self) {
        self.workspace.reload();
        self.shown.clear();
        self.mark_all_dirty();
    }

    fn register_watchers(&mut self) {
        if !self.watch {
            return;
        }
        let watchers = ["**/action-lint.toml", "**/*.{yaml,yml,json}"]
            .iter()
            .map(|g| lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String((*g).into()),
                kind: None,
            })
            .collect();
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = lsp::Registration {
            id: "action-lint-config-watch".into(),
            method: <lsp::notification::DidChangeWatchedFiles as lsp::notification::Notification>::METHOD.into(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.next_id += 1;
        let id = RequestId::from(format!("action-lint/{}", self.next_id));
        let method = <lsp::request::RegisterCapability as lsp::request::Request>::METHOD;
        self.send(Message::Request(Request::new(
            id,
            method.into(),
            lsp::RegistrationParams {
                registrations: vec![registration],
            },
        )));
    }

    /// Lint every dirty document once; `quick` as in [`lint::lint`] (edits),
    /// or exactly (the documents of `settle`, once the client pauses).
    fn flush(&mut self, quick: bool) {
        for key in std::mem::take(&mut self.dirty) {
            let Some(doc) = self.docs.get_by_key(&key) else {
                continue;
            };
            let uri = doc.uri.clone();
            let (Some(path), Some(_)) = (doc.path.clone(), doc.kind()) else {
                continue;
            };
            let project = self.workspace.project_for(&path);
            let Some(doc) = self.docs.get(&uri) else {
                continue;
            };
            if project.excluded() {
                self.publish(uri, Vec::new(), Some(doc.version));
                continue;
            }
            let version = doc.version;
            let outcome =
                match catch_unwind(AssertUnwindSafe(|| lint::lint(doc, &path, self.enc, quick))) {
                    Ok(o) => o,
                    Err(p) => Outcome::Failed {
                        message: format!(
                            "action-lint failed on {}: {}",
                            path.display(),
                            lint::panic_message(p.as_ref())
                        ),
                        at: None,
                    },
                };
            match outcome {
                Outcome::Report {
                    diagnostics,
                    mut others,
                    no_actions,
                    notes,
                    exact,
                } => {
                    if exact {
                        self.settle.remove(&key);
                    } else {
                        self.settle.insert(key.clone());
                    }
                    self.publish(uri, diagnostics, Some(version));
                    // Files this document's run covers: its actions configs, plus whatever it reported on.
                    let mut covered: Vec<lsp::Uri> = project
                        .actions
                        .iter()
                        .filter_map(|f| convert::path_to_uri(&f.path))
                        .collect();
                    covered.extend(
                        self.error_uris
                            .iter()
                            .filter_map(|u| self.extra.get(u).map(|e| e.0.clone())),
                    );
                    self.error_uris.clear();
                    for u in covered {
                        if !others.contains_key(u.as_str()) {
                            others.insert(u.as_str().to_owned(), (u, Vec::new()));
                        }
                    }
                    for (key, (u, ds)) in others {
                        if self.extra.get(&key).is_some_and(|(_, old)| *old == ds) {
                            continue;
                        }
                        if ds.is_empty() && !self.extra.contains_key(&key) {
                            continue;
                        }
                        self.publish(u.clone(), ds.clone(), None);
                        self.extra.insert(key, (u, ds));
                    }
                    if no_actions {
                        self.show_once(
                            lsp::MessageType::WARNING,
                            crate::engine::NO_ACTIONS_NOTE.into(),
                        );
                    }
                    for n in notes {
                        self.log(n);
                    }
                }
                Outcome::Failed { message, at } => {
                    self.settle.remove(&key);
                    self.publish(uri, Vec::new(), Some(version));
                    self.log(message.clone());
                    self.show_once(lsp::MessageType::ERROR, message);
                    if let Some((u, d)) = at.map(|b| *b) {
                        let key = u.as_str().to_owned();
                        let ds = vec![d];
                        if self.extra.get(&key).is_none_or(|(_, old)| *old != ds) {
                            self.publish(u.clone(), ds.clone(), None);
                        }
                        self.error_uris.insert(key.clone());
                        self.extra.insert(key, (u, ds));
                    }
                }
            }
        }
    }
}

/// A notification's params, or `None` (logged) when they do not fit.
fn params<P: DeserializeOwned>(n: &Notification) -> Option<P> {
    match serde_json::from_value(n.params.clone()) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("action-lint lsp: invalid params for {}: {e}", n.method);
            None
        }
    }
}
