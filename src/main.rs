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

/// mimalloc (v3) keeps memory it has freed committed for a second before
/// giving it back (`purge_delay`, 1 000 ms by default): a run's per-file
/// garbage (trees, texts) then stays resident through most of a run.
/// Giving it back after `PURGE_DELAY_MS` lowers peak RSS by a fifth on the
/// benchmark sites (BENCHMARKS.md, session 7).
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_t` (its 16th entry);
/// `tests::purge_delay_is_the_option_it_names` checks the number.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

unsafe extern "C" {
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Unless `MIMALLOC_PURGE_DELAY` says otherwise (mimalloc reads it itself).
fn mimalloc_gives_memory_back_soon() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: mimalloc's option setter, with a valid option number and a
    // value in its range; options may be set at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
}

fn main() -> ExitCode {
    tree_sitter_uses_mimalloc();
    mimalloc_gives_memory_back_soon();
    let cli = action_lint::cli::Cli::parse();
    match action_lint::app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is mimalloc v3's purge delay: its default is
    /// 1 000 ms (no other option's is), and setting it sets what mimalloc
    /// reads back.
    #[test]
    fn purge_delay_is_the_option_it_names() {
        // SAFETY: mimalloc's option getter and setter, as in `main`.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        unsafe {
            assert_eq!(mi_option_get(MI_OPTION_PURGE_DELAY), 1000);
            mimalloc_gives_memory_back_soon();
            assert_eq!(mi_option_get(MI_OPTION_PURGE_DELAY), PURGE_DELAY_MS);
        }
    }
}
