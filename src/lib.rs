//! action-lint: a fast linter for websites that embed the Talkative chat widget.
//!
//! Data flows one way: discover → source → extract → analysis → rules →
//! diagnostics → output. [`engine`] is the library entry point.

pub mod actions;
pub mod analysis;
pub mod app;
pub mod cli;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod extract;
pub mod lsp;
pub mod output;
pub mod project;
pub mod rules;
pub mod settings;
pub mod source;
