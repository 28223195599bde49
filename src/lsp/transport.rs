//! JSON-RPC over stdio with Content-Length framing, forgiving of bad input.
//!
//! `lsp-server`'s own stdio transport ends its reader thread on the first
//! malformed payload, which leaves the server deaf. This one logs and skips a
//! bad frame, answers a request it cannot parse with `InvalidRequest` when it
//! can still find its id, and reads into an unbounded channel so messages
//! queue up while the server lints (that queue is what the debounce drains).
//! Must not: interpret messages beyond framing.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};

/// The reader and writer threads of a stdio connection.
pub struct IoThreads {
    reader: thread::JoinHandle<()>,
    writer: thread::JoinHandle<()>,
}

impl IoThreads {
    /// Wait for the writer to flush everything the server sent. The reader
    /// may still be blocked on stdin (a client that never closes it), so it
    /// is only joined when it has already finished.
    pub fn join(self) {
        let _ = self.writer.join();
        if self.reader.is_finished() {
            let _ = self.reader.join();
        }
    }
}

/// A connection over this process's stdin and stdout.
/// Fails only if the OS refuses to start a thread.
pub fn stdio() -> io::Result<(Connection, IoThreads)> {
    // `memory()` is a pair of unbounded channels: the server keeps one end,
    // the two threads below play the client's part on the other.
    let (server, client) = Connection::memory();
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = client;
    let writer = thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            for msg in from_server {
                if msg.write(&mut out).is_err() {
                    break;
                }
            }
            let _ = out.flush();
        })?;
    let replies = server.sender.clone();
    let reader = thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            read_loop(&mut input, &|m| to_server.send(m).is_ok(), &|m| {
                let _ = replies.send(m);
            });
        })?;
    Ok((server, IoThreads { reader, writer }))
}

/// Read frames until EOF or `exit`, forwarding every valid message
/// (`deliver` returns false when the server is gone).
pub fn read_loop(
    input: &mut dyn BufRead,
    deliver: &dyn Fn(Message) -> bool,
    reply: &dyn Fn(Message),
) {
    loop {
        let body = match read_frame(input) {
            Ok(Some(body)) => body,
            Ok(None) => return,
            Err(e) => {
                eprintln!("action-lint lsp: cannot read from the client: {e}");
                return;
            }
        };
        match parse_message(&body) {
            Ok(msg) => {
                let is_exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if !deliver(msg) || is_exit {
                    return;
                }
            }
            Err((id, why)) => {
                eprintln!("action-lint lsp: ignoring a malformed message: {why}");
                if let Some(id) = id {
                    reply(Message::Response(Response::new_err(
                        id,
                        ErrorCode::InvalidRequest as i32,
                        why,
                    )));
                }
            }
        }
    }
}

/// A message, or why it is not one (with the request id when one is readable).
fn parse_message(body: &[u8]) -> Result<Message, (Option<RequestId>, String)> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| (None, format!("not JSON: {e}")))?;
    let id = match value.get("id") {
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(RequestId::from),
        Some(serde_json::Value::String(s)) => Some(RequestId::from(s.clone())),
        _ => None,
    };
    let has_method = value.get("method").is_some_and(|m| m.is_string());
    if !value.is_object() || (!has_method && id.is_none()) {
        return Err((None, "not a JSON-RPC message".into()));
    }
    serde_json::from_value::<Message>(value).map_err(|e| {
        (
            if has_method { id } else { None },
            format!("not a valid JSON-RPC message: {e}"),
        )
    })
}

/// One frame's body; `Ok(None)` at the end of the input. Header lines that
/// are not headers are skipped, so a frame with a wrong length or a stray
/// line costs that frame only.
fn read_frame(input: &mut dyn BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length: Option<u64> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.take(64 * 1024).read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        // A body without a final newline runs into the next header.
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.find("content-length:") {
            let value = text[at + "content-length:".len()..].trim();
            length = value.parse::<u64>().ok();
            if length.is_none() {
                eprintln!("action-lint lsp: bad Content-Length {value:?}");
            }
        }
    }
    let length = length.unwrap_or(0);
    let mut body = Vec::new();
    // `take` grows the buffer as bytes arrive: a huge announced length costs
    // nothing until the client really sends that much.
    input.take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Ok(None);
    }
    Ok(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(parts: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        for p in parts {
            out.extend_from_slice(format!("Content-Length: {}\r\n\r\n{p}", p.len()).as_bytes());
        }
        out
    }

    fn run(input: &[u8]) -> (Vec<Message>, Vec<Message>) {
        let msgs = std::cell::RefCell::new(Vec::new());
        let replies = std::cell::RefCell::new(Vec::new());
        read_loop(
            &mut io::Cursor::new(input.to_vec()),
            &|m| {
                msgs.borrow_mut().push(m);
                true
            },
            &|m| replies.borrow_mut().push(m),
        );
        (msgs.into_inner(), replies.into_inner())
    }

    #[test]
    fn malformed_frames_are_skipped() {
        let mut input = frames(&["{not json", r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#]);
        input.extend_from_slice(b"garbage line\r\n");
        input.extend(frames(&[
            r#"{"jsonrpc":"2.0","method":"b"}"#,
            r#"[1,2]"#,
            r#"{"jsonrpc":"2.0","id":2,"method":"c","params":null}"#,
        ]));
        let (msgs, replies) = run(&input);
        let methods: Vec<String> = msgs
            .iter()
            .map(|m| match m {
                Message::Request(r) => r.method.clone(),
                Message::Notification(n) => n.method.clone(),
                Message::Response(_) => "response".into(),
            })
            .collect();
        assert_eq!(methods, ["a", "b", "c"]);
        assert!(replies.is_empty());
    }

    #[test]
    fn a_truncated_body_ends_the_input() {
        let (msgs, _) = run(b"Content-Length: 999999999999\r\n\r\n{}");
        assert!(msgs.is_empty());
    }

    #[test]
    fn exit_stops_reading() {
        let (msgs, _) = run(&frames(&[
            r#"{"jsonrpc":"2.0","method":"exit"}"#,
            r#"{"jsonrpc":"2.0","method":"b"}"#,
        ]));
        assert_eq!(msgs.len(), 1);
    }
}
