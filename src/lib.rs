//! action-lint: a fast linter for websites that embed the Talkative chat widget.
//!
//! Data flows one way: discover → source → extract → analysis → rules →
//! diagnostics → output. [`engine`] is the library entry point.

pub mod actions;
pub mod analysis;
pub mod diagnostic;
pub mod discover;
pub mod extract;
pub mod output;
pub mod rules;
pub mod settings;
pub mod source;
