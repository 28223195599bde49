//! The language server (`action-lint lsp`): JSON-RPC over stdio, documents
//! kept in memory and linted through the same engine as the CLI, so editors
//! show the same findings; plus quick fixes, completion, hover and
//! go-to-definition for action names.
//!
//! `transport` frames messages, `server` runs the ordered loop, `documents`
//! holds the open texts, `convert` turns positions and findings into LSP
//! terms, `workspace` caches configs for the features, `lint` runs the
//! engine on one document, `features` answers the editor requests.
//! Must not: print to stdout (it is the protocol channel).

mod convert;
mod documents;
mod features;
mod lint;
mod server;
mod transport;
mod workspace;

/// Serve over stdin/stdout until the client sends `exit`.
pub fn run() -> Result<(), miette::Report> {
    let (connection, io) = transport::stdio()
        .map_err(|e| miette::miette!("cannot start the language server's I/O threads: {e}"))?;
    let code = server::serve(connection);
    io.join();
    if code != 0 {
        // `exit` without `shutdown` (or the client vanished): the protocol's exit code 1.
        std::process::exit(code);
    }
    Ok(())
}
