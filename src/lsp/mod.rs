//! The language server (placeholder until it lands).
pub fn run() -> Result<(), miette::Report> {
    Err(miette::miette!(
        "the language server is not available in this build"
    ))
}
