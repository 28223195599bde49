//! Command-line definitions (clap). Nothing else in the crate knows clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "action-lint",
    version,
    about = "Lint websites that embed the Talkative chat widget: unknown API Action names, unguarded calls, calls during an interaction",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `action-lint [PATHS…]` is `action-lint check [PATHS…]`.
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and directories (the default command)
    Check(CheckArgs),
    /// List every rule: id, default severity, summary
    Rules {
        /// Print the full docs of every rule as Markdown (docs/rules.md)
        #[arg(long)]
        markdown: bool,
    },
    /// Show a rule's full documentation with examples
    Explain {
        /// Rule id, e.g. unknown-action
        rule: String,
    },
    /// Write a commented starter action-lint.toml in the current directory
    Init {
        /// Overwrite an existing action-lint.toml
        #[arg(long)]
        force: bool,
    },
    /// Run the language server over stdio
    Lsp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args, Default)]
pub struct CheckArgs {
    /// Files or directories to check [default: .]
    pub paths: Vec<PathBuf>,
    /// Use this config file instead of discovering action-lint.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The exported actions config (YAML or JSON); overrides the config
    #[arg(long, value_name = "FILE")]
    pub actions: Option<PathBuf>,
    /// Output format, optionally to a file: FORMAT[=FILE]; repeatable.
    /// Formats: pretty, compact, json, sarif, github
    #[arg(long = "format", value_name = "FORMAT[=FILE]")]
    pub formats: Vec<String>,
    /// Fail when there are more than N warnings
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Number of worker threads [default: number of CPUs]
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Do not honour .gitignore/.ignore files
    #[arg(long)]
    pub no_ignore: bool,
    /// Read one document from stdin and report it as PATH
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Colour: auto, always, never (NO_COLOR is honoured)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Report errors only
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Fail only on findings not recorded in this baseline file
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings to this baseline file (and exit 0)
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Do not analyse files larger than this many MB (they are reported as skipped)
    #[arg(long, value_name = "MB", default_value = None)]
    pub max_file_size: Option<f64>,
    /// Also parse HTML with tree-sitter-html and cross-check the tokenizer (testing aid)
    #[arg(long, hide = true)]
    pub html_cross_check: bool,
    /// Parse every file (testing aid: the pre-filter must never change results)
    #[arg(long, hide = true)]
    pub no_prefilter: bool,
    /// Parse and walk every region, never replaying a memoised one (testing aid)
    #[arg(long, hide = true)]
    pub no_memo: bool,
}
