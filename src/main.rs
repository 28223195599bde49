//! Parse arguments, run, map the outcome to exit code 0/1/2 — nothing else.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: most of a run's allocations are small and short-lived (tree-sitter's
/// parse stacks, facts), where it beats the system allocator (see Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// tree-sitter's C core allocates through glibc's malloc unless told
/// otherwise: parse stacks and subtrees are most of a run's allocations.
fn tree_sitter_uses_mimalloc() {
    use std::ffi::c_void;
    /// `calloc` from `mi_zalloc`; null on overflow, as `calloc` does.
    unsafe extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
        match count.checked_mul(size) {
            // SAFETY: a plain allocation of a size that did not overflow.
            Some(total) => unsafe { libmimalloc_sys::mi_zalloc(total) },
            None => std::ptr::null_mut(),
        }
    }
    let allocator = tree_sitter::Allocator {
        malloc: libmimalloc_sys::mi_malloc,
        calloc,
        realloc: libmimalloc_sys::mi_realloc,
        free: libmimalloc_sys::mi_free,
    };
    // SAFETY: the four functions are one allocator family (mimalloc's), with
    // malloc's alignment; this runs first in `main`, on one thread, before
    // any tree-sitter object exists, and never again.
    unsafe { tree_sitter::set_allocator(Some(allocator)) };
}

fn main() -> ExitCode {
    tree_sitter_uses_mimalloc();
    let cli = action_lint::cli::Cli::parse();
    match action_lint::app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}
