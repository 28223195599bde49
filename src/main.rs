//! Parse arguments, run, map the outcome to exit code 0/1/2 — nothing else.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: most of a run's allocations are small and short-lived (tree-sitter's
/// parse stacks, facts), where it beats the system allocator (see Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = action_lint::cli::Cli::parse();
    match action_lint::app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}
