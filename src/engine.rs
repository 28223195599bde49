//! The only rayon user: discovery (whose walker threads already read the
//! scripts for the first round) → parallel per-file pass (pre-filter, read,
//! parse, analyse) → project index → rules, one task per rule → severities
//! and suppressions → sorted, deduplicated report.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::actions::{self, ActionsFile};
use crate::analysis::{self, AnalysisOptions};
use crate::diagnostic::{Diagnostic, Report, Severity};
use crate::discover;
use crate::extract::FileKind;
use crate::project::{FileEntry, Project};
use crate::rules;
use crate::settings::{self, Config};
use crate::source::{SourceText, Text};

/// Everything a run needs besides the files themselves.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    /// `--actions`: replaces every actions config.
    pub actions: Option<PathBuf>,
    pub no_ignore: bool,
    pub jobs: Option<usize>,
    /// `--stdin-filename`: (path to report as, text).
    pub stdin: Option<(PathBuf, String)>,
    /// Hidden switch for tests: parse every file, skipping the pre-filter.
    pub no_prefilter: bool,
    /// Hidden switch for tests: never replay a memoised region.
    pub no_memo: bool,
    /// Parse the `stdin` document incrementally against the tree kept from
    /// the last run on this thread (the language server, edit after edit).
    pub incremental: bool,
    /// Also parse HTML with tree-sitter-html and compare with the tokenizer.
    pub html_cross_check: bool,
    /// Files larger than this (bytes) are not parsed; default [`DEFAULT_MAX_FILE_SIZE`].
    pub max_file_size: Option<u64>,
    /// Directory that output paths are relative to and where config discovery
    /// starts (the language server sets it to the document's folder); default: the current directory.
    pub cwd: Option<PathBuf>,
    /// The language server: with no actions config at all, go on without the
    /// name checks (and add [`NO_ACTIONS_NOTE`] to the notes) instead of failing.
    pub allow_missing_actions: bool,
    /// With `incremental`: a re-parse of the document that has syntax errors
    /// is kept as it is, not parsed afresh (the language server, on an edit;
    /// see [`crate::analysis::AnalysisOptions::quick`]).
    pub quick: bool,
    /// The process ends after this run (the command line): the files' facts,
    /// the project index and the worker pool are left to the OS rather than
    /// freed (see `let_go`), which took a third thread 10 ms of CPU while
    /// the two workers printed the findings.
    pub process_ends: bool,
}

/// The note a run with `allow_missing_actions` adds when there is no actions config.
pub const NO_ACTIONS_NOTE: &str = "no actions config: action names are not checked; export the widget's API Actions to talkative-actions.yaml beside action-lint.toml, or set `actions = \"path/to/export.yaml\"` in action-lint.toml";

/// Words any rule can fire on (ASCII case-insensitive).
fn trigger_words() -> Vec<String> {
    let mut w: Vec<String> = vec![
        "triggerAction".into(),
        crate::analysis::api::LOADER_PATH.into(),
        "action-lint-".into(),
    ];
    w.extend(
        crate::analysis::api::NEAR_MISS_STEMS
            .iter()
            .map(|s| s.to_string()),
    );
    w
}

/// The byte pre-filter: does a file mention any word a rule can fire on?
///
/// ASCII case-insensitive, but searched case-sensitively over lowercased
/// chunks: aho-corasick's SIMD search only works case-sensitively, and
/// lowercasing an 8 KiB chunk is far cheaper than a case-folding automaton.
/// A match only means "parse this file", so it may over-approximate.
struct Prefilter {
    /// Teddy (SIMD) when the CPU and the word list allow it.
    packed: Option<aho_corasick::packed::Searcher>,
    ac: AhoCorasick,
    overlap: usize,
}

const CHUNK: usize = 64 * 1024;

/// The pre-filter lowercases and searches this much at a time: most files
/// that match, match early (the widget config sits in a page's head), and
/// the rest of such a file is then never lowercased.
const FILTER_CHUNK: usize = 8 * 1024;

thread_local! {
    static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    static READ_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Prefilter {
    /// `None` if the automaton cannot be built (aho-corasick's size limits):
    /// the caller then parses every file, which is slower but never wrong.
    fn new(words: &[String]) -> Option<Prefilter> {
        let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
        let overlap = lower
            .iter()
            .map(String::len)
            .max()
            .unwrap_or(1)
            .saturating_sub(1);
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&lower)
            .ok()?;
        let packed = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&lower)
            .build();
        Some(Prefilter {
            packed,
            ac,
            overlap,
        })
    }

    fn is_match(&self, bytes: &[u8]) -> bool {
        LOWER.with(|cell| {
            let mut buf = cell.borrow_mut();
            let mut start = 0;
            while start < bytes.len() {
                let end = (start + FILTER_CHUNK + self.overlap).min(bytes.len());
                buf.clear();
                buf.extend_from_slice(&bytes[start..end]);
                buf.make_ascii_lowercase();
                let found = match &self.packed {
                    Some(p) => p.find(&buf[..]).is_some(),
                    None => self.ac.is_match(&buf[..]),
                };
                if found {
                    return true;
                }
                start += FILTER_CHUNK;
            }
            false
        })
    }
}

/// Files that match the pre-filter but are larger than this are not parsed
/// (with a warning): tree-sitter needs about 60 times a file's size in memory.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// No file above 4 GiB is parsed, whatever `--max-file-size` says:
/// tree-sitter's byte offsets, and so the facts' locations, are 32-bit.
const MAX_PARSABLE_SIZE: u64 = u32::MAX as u64;

fn max_file_size(asked: Option<u64>) -> u64 {
    asked
        .unwrap_or(DEFAULT_MAX_FILE_SIZE)
        .min(MAX_PARSABLE_SIZE)
}

/// Display path: relative to the current directory when under it, `/` separators.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let abs = absolute(path, cwd);
    match abs.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().replace('\\', "/"),
        _ => abs.to_string_lossy().replace('\\', "/"),
    }
}

/// `path` made absolute against `cwd`, normalized. The walk from `.` gives
/// `./about/page.html`: its leading `./` is dropped before the join, so
/// that the result is normal as it is (see [`is_normal`]).
fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    if path.is_absolute() {
        return normalize(path);
    }
    let mut rel = path;
    while let Ok(rest) = rel.strip_prefix(".") {
        if rest.as_os_str().is_empty() {
            break;
        }
        rel = rest;
    }
    let joined = cwd.join(rel);
    if is_normal(&joined) {
        // What `normalize` gives, without a copy.
        joined
    } else {
        normalize(&joined)
    }
}

/// Remove `.` and resolve `..` lexically (no symlinks followed).
fn normalize(p: &Path) -> PathBuf {
    if is_normal(p) {
        return p.to_path_buf();
    }
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// An absolute `/`-separated path with no empty, `.` or `..` component
/// (as the walk gives them): `normalize` would give it back unchanged, and
/// taking it apart and rebuilding it was 4-5 times per file on the main
/// thread. Any other path (relative, Windows, `a//b`) takes the slow way.
fn is_normal(p: &Path) -> bool {
    let bytes = p.as_os_str().as_encoded_bytes();
    match bytes.split_first() {
        Some((b'/', rest)) => {
            rest.is_empty()
                || (!rest.contains(&b'\\')
                    && rest
                        .split(|b| *b == b'/')
                        .all(|c| !matches!(c, b"" | b"." | b"..")))
        }
        _ => false,
    }
}

fn rel_to_root(path: &Path, root: &Path, cwd: &Path) -> String {
    let abs = absolute(path, cwd);
    let root = absolute(root, cwd);
    match abs.strip_prefix(&root) {
        Ok(r) => r.to_string_lossy().replace('\\', "/"),
        Err(_) => abs.to_string_lossy().replace('\\', "/"),
    }
}

/// The outcome of reading one file.
enum Scan {
    /// No trigger word: not parsed (may be looked at again for new words).
    Skipped,
    Binary,
    TooLarge(u64),
    Failed(String),
    Analysed(Box<FileEntry>, bool),
}

/// Read a file into this worker's reused buffer and run the pre-filter.
fn read_filtered<T>(
    path: &Path,
    filter: Option<&Prefilter>,
    max: u64,
    then: impl FnOnce(Vec<u8>) -> (T, Vec<u8>),
) -> Result<Option<T>, Scan> {
    READ_BUF.with(|cell| {
        let mut buf = cell.borrow_mut();
        buf.clear();
        let mut f = std::fs::File::open(path).map_err(|e| Scan::Failed(e.to_string()))?;
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        if len > max {
            // Above the cap: stream it through the filter instead of holding
            // it (a 1 GB file cost 1 GB of memory only to be skipped).
            return match too_large(&mut f, filter) {
                Ok(true) => Err(Scan::TooLarge(len)),
                Ok(false) => Ok(None),
                Err(e) => Err(e),
            };
        }
        read_all(&mut f, &mut buf, len).map_err(|e| Scan::Failed(e.to_string()))?;
        let head = &buf[..buf.len().min(8192)];
        if memchr::memchr(0, head).is_some() {
            return Err(Scan::Binary);
        }
        if let Some(m) = filter {
            if !m.is_match(&buf) {
                return Ok(None);
            }
        }
        if buf.len() as u64 > max {
            return Err(Scan::TooLarge(buf.len() as u64));
        }
        let (out, back) = then(std::mem::take(&mut *buf));
        // Keep the buffer for the next file, unless an unusually large file
        // made it big enough to pin memory.
        if back.capacity() <= 4 * CHUNK * 16 {
            *buf = back;
        }
        Ok(Some(out))
    })
}

/// Read a whole file whose size is known into `buf`. `read_to_end` would ask
/// the kernel for the size again (`statx` and `lseek`): two system calls per
/// file of the 14 000 a site has. A file that grew since is still read whole.
fn read_all(f: &mut std::fs::File, buf: &mut Vec<u8>, len: u64) -> std::io::Result<()> {
    use std::io::Read as _;
    // One byte more than the size, so the read that finds the end needs no growth.
    let mut filled = 0;
    buf.resize(usize::try_from(len).unwrap_or(0).saturating_add(1), 0);
    loop {
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        match f.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.clear();
                return Err(e);
            }
        }
    }
    buf.truncate(filled);
    Ok(())
}

/// Read a file above the size cap in chunks: binary (a NUL in the first
/// 8 KiB, as for other files) or a trigger word? Binary is reported as such.
fn too_large(f: &mut std::fs::File, filter: Option<&Prefilter>) -> Result<bool, Scan> {
    use std::io::Read as _;
    let overlap = filter.map_or(0, |m| m.overlap);
    let mut chunk = vec![0u8; 16 * CHUNK + overlap];
    let (mut kept, mut first) = (0usize, true);
    loop {
        let n = f
            .read(&mut chunk[kept..])
            .map_err(|e| Scan::Failed(e.to_string()))?;
        if n == 0 {
            return Ok(false);
        }
        let end = kept + n;
        if first && memchr::memchr(0, &chunk[..end.min(8192)]).is_some() {
            return Err(Scan::Binary);
        }
        first = false;
        match filter {
            None => return Ok(true),
            Some(m) if m.is_match(&chunk[..end]) => return Ok(true),
            Some(_) => {}
        }
        kept = overlap.min(end);
        chunk.copy_within(end - kept..end, 0);
    }
}

/// The warning for a file (or stdin) that is not valid UTF-8.
/// The warning for a file (or stdin) above `--max-file-size`.
fn too_large_note(display: &str, size: u64, max: u64) -> String {
    format!(
        "{display}: not analysed: {:.1} MB is above the {:.1} MB limit (--max-file-size)",
        size as f64 / 1_048_576.0,
        max as f64 / 1_048_576.0
    )
}

pub fn not_utf8_note(display: &str) -> String {
    format!("{display}: not valid UTF-8; analysed with replacement characters")
}

/// Resident and peak memory so far, for `ACTION_LINT_TIMING` (Linux only).
fn memory_now() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok())
            .map_or("?".to_owned(), |kb| format!("{} MB", kb / 1024))
    };
    format!("resident {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}

/// Where a finding's path sorts among the analysed files' paths (the
/// entries, sorted by path): (index, true, None) for the file at an index;
/// (index, false, its path) for another file (an actions file) sorting
/// just before the file at that index.
type PathRank = (usize, bool, Option<Text>);

/// Findings admitted and sorted, each with where its path sorts.
type Sorted = Vec<(PathRank, Diagnostic)>;

/// What decides whether a finding is reported, and at what severity.
struct Admission<'a> {
    config: &'a Config,
    cwd: &'a Path,
    /// The checked paths cover the project root.
    covers_root: bool,
    /// Files that could not be analysed (`unused-action` is then withheld).
    unanalysed: usize,
    /// The severity of each rule no override names, the same in every file:
    /// looked up once, not for each of 25 000 findings.
    fixed: rustc_hash::FxHashMap<&'static str, Option<Severity>>,
}

impl<'a> Admission<'a> {
    fn new(config: &'a Config, cwd: &'a Path, covers_root: bool, unanalysed: usize) -> Self {
        let fixed = rules::registry::ALL
            .iter()
            .filter(|m| !config.overrides.iter().any(|o| o.rules.contains_key(m.id)))
            .map(|m| (m.id, config.severity_for(m.id, "")))
            .collect();
        Admission {
            config,
            cwd,
            covers_root,
            unanalysed,
            fixed,
        }
    }

    /// The finding with its severity, and where its path sorts, if it is
    /// reported: its rule is on for the file, the file is reported, no
    /// suppression covers it. `file` is its index in `entries` (in path
    /// order), `None` for an actions file. The second value says whether an
    /// `unused-action` finding was withheld.
    fn admit(
        &self,
        entries: &[FileEntry],
        file: Option<usize>,
        mut d: Diagnostic,
    ) -> (Option<(PathRank, Diagnostic)>, bool) {
        let severity = self.fixed.get(d.rule).copied().unwrap_or_else(|| {
            let rel = match file {
                Some(fi) => Cow::Borrowed(entries[fi].rel.as_str()),
                None => Cow::Owned(rel_to_root(
                    Path::new(&*d.path),
                    &self.config.root,
                    self.cwd,
                )),
            };
            self.config.severity_for(d.rule, &rel)
        });
        let Some(severity) = severity else {
            return (None, false);
        };
        d.severity = severity;
        // Findings in actions files belong to whole-root runs, like
        // unused-action: a hook run on a few pages reports only those pages.
        if file.is_none() && !self.covers_root {
            return (None, false);
        }
        if d.rule == "unused-action" && self.unanalysed > 0 {
            return (None, true);
        }
        let Some(fi) = file else {
            let before = entries.partition_point(|e| *e.display < *d.path);
            return (Some(((before, false, Some(d.path.clone())), d)), false);
        };
        let e = &entries[fi];
        // The file index stands for the path in the sort.
        debug_assert_eq!(*d.path, *e.display, "a finding of file {fi}");
        if !e.reported {
            return (None, false);
        }
        let line = d.location.start.line;
        let suppressed = e.facts.suppressions.iter().any(|s| {
            s.first_line <= line
                && line <= s.last_line
                && s.rules
                    .as_ref()
                    .is_none_or(|r| r.iter().any(|x| x == d.rule))
        });
        ((!suppressed).then_some(((fi, true, None), d)), false)
    }

    /// The reported ones of `found` (see [`Admission::admit`]), sorted
    /// stably by path and [`Diagnostic::position_key`], and whether an
    /// `unused-action` finding was withheld. `found` comes from one source:
    /// the findings decided during analysis, or one rule's.
    fn sorted(
        &self,
        entries: &[FileEntry],
        found: impl Iterator<Item = (Option<usize>, Diagnostic)>,
    ) -> (Sorted, bool) {
        let mut withheld = false;
        let mut kept: Sorted = found
            .filter_map(|(file, d)| {
                let (kept, skipped) = self.admit(entries, file, d);
                withheld |= skipped;
                kept
            })
            .collect();
        kept.sort_by(place_order);
        (kept, withheld)
    }
}

/// The order of admitted findings: by where their paths sort, then by
/// [`Diagnostic::position_key`].
fn place_order(a: &(PathRank, Diagnostic), b: &(PathRank, Diagnostic)) -> std::cmp::Ordering {
    a.0.cmp(&b.0).then_with(|| a.1.position_cmp(&b.1))
}

/// The findings of `lists` (each sorted by [`Admission::sorted`]) in one
/// list, in the order of `sort_and_dedup` (path, then
/// [`Diagnostic::position_key`], equal findings in the order of the lists)
/// and without its duplicates (the first of equal findings is kept).
///
/// Each source's findings are admitted and sorted on the pool, beside the
/// project index or in their rule's task: as one list of 25 000 findings on
/// the dense benchmark site, that was 7 ms of the serial end of a run; this
/// merge is 2.5 ms (most of it the new list's first touch).
fn merged_in_order(lists: Vec<Sorted>) -> Vec<Diagnostic> {
    let mut sorted: Vec<Diagnostic> = Vec::with_capacity(lists.iter().map(Vec::len).sum());
    // Heads are looked at in place (`as_slice`), and each finding moved
    // once: through `Peekable`, a finding (176 bytes) was moved three times,
    // most of the merge's time.
    let mut heads: Vec<std::vec::IntoIter<(PathRank, Diagnostic)>> = lists
        .into_iter()
        .filter(|l| !l.is_empty())
        .map(Vec::into_iter)
        .collect();
    loop {
        // The least head; of equal ones, the first list's.
        let mut least: Option<(usize, &(PathRank, Diagnostic))> = None;
        for (i, head) in heads.iter().enumerate() {
            if let Some(h) = head.as_slice().first() {
                if least.is_none_or(|(_, l)| place_order(h, l).is_lt()) {
                    least = Some((i, h));
                }
            }
        }
        let Some(i) = least.map(|(i, _)| i) else {
            break;
        };
        let Some((_, d)) = heads[i].next() else {
            break;
        };
        if !sorted.last().is_some_and(|l| l.same_as(&d)) {
            sorted.push(d);
        }
    }
    sorted
}

/// Let go of a large structure the run no longer needs. If the process
/// ends after the run (the command line), it is left to the OS; else it is
/// freed on another thread. The facts of 8 500 pages are hundreds of
/// thousands of small allocations: freeing them took 0.02 s of the run's
/// serial end, while the filtering and the output need none of them; and a
/// worker pool whose threads ended (freeing their memory) alongside the
/// output's printing threads slowed the printing by half.
fn let_go<T: Send + 'static>(value: T, process_ends: bool) {
    if process_ends {
        std::mem::forget(value);
        return;
    }
    // If no thread can be started, the value is dropped here instead.
    let _ = std::thread::Builder::new()
        .name("action-lint-drop".into())
        .spawn(move || drop(value));
}

/// Names learned from the first round's scripts so far, and a pre-filter
/// for them (`None` until one is learned, or if it cannot be built).
#[derive(Default)]
struct Learned {
    names: FxHashSet<String>,
    filter: Option<std::sync::Arc<Prefilter>>,
}

impl Learned {
    /// Learn `names`, and the names of the functions in `entry` that call a
    /// learned name (a wrapper of a wrapper defined in another script).
    fn learn(&mut self, names: impl IntoIterator<Item = String>, entry: &FileEntry) {
        let before = self.names.len();
        self.names
            .extend(names.into_iter().filter(|n| !n.is_empty()));
        crate::project::add_callers(std::slice::from_ref(entry), &mut self.names);
        if self.names.len() > before {
            let mut words: Vec<String> = self.names.iter().cloned().collect();
            words.sort();
            self.filter = Prefilter::new(&words).map(std::sync::Arc::new);
        }
    }
}

/// A file and how many of the run's words (`words[..k]`) it was searched for.
type Searched = (PathBuf, usize);

/// A file to read in a round: as [`Searched`], and for one analysed before
/// with parts left out, the byte ranges of the statements left out (empty
/// for a page: its left-out scripts are found again from its text).
type Work<'e> = (PathBuf, usize, Option<&'e [std::ops::Range<usize>]>);

struct Loaded {
    config: Config,
    /// Loaded actions files by absolute path.
    actions: BTreeMap<PathBuf, ActionsFile>,
    /// `--actions` given: it applies to every file.
    forced: Option<PathBuf>,
}

impl Loaded {
    fn actions_for(&self, rel: &str) -> Vec<&ActionsFile> {
        let paths: Vec<PathBuf> = match &self.forced {
            Some(p) => vec![p.clone()],
            None => {
                let p = self.config.actions_for(rel);
                if p.is_empty() {
                    self.config
                        .default_actions_candidates()
                        .into_iter()
                        .take(1)
                        .collect()
                } else {
                    p.to_vec()
                }
            }
        };
        paths.iter().filter_map(|p| self.actions.get(p)).collect()
    }
}

fn load_settings(opts: &RunOptions, cwd: &Path) -> Result<Config, miette::Report> {
    let path = match &opts.config {
        Some(p) => {
            if !p.is_file() {
                return Err(miette::miette!(
                    "config file {} does not exist",
                    p.display()
                ));
            }
            Some(p.clone())
        }
        None => settings::find_config(cwd),
    };
    match path {
        Some(p) => settings::load_config(&p),
        None => Ok(settings::default_config(cwd.to_path_buf())),
    }
}

fn load_actions(
    config: &Config,
    forced: Option<&PathBuf>,
    cwd: &Path,
    allow_missing: bool,
) -> Result<BTreeMap<PathBuf, ActionsFile>, miette::Report> {
    let mut wanted: Vec<PathBuf> = Vec::new();
    match forced {
        Some(p) => wanted.push(p.clone()),
        None => {
            wanted.extend(config.actions.iter().cloned());
            for o in &config.overrides {
                wanted.extend(o.actions.iter().flatten().cloned());
            }
            if config.actions.is_empty() {
                wanted.extend(config.default_actions_candidates().into_iter().take(1));
            }
        }
    }
    if wanted.is_empty() && allow_missing {
        return Ok(BTreeMap::new());
    }
    if wanted.is_empty() {
        let where_ = match &config.path {
            Some(p) => format!("in {}", display_path(p, cwd)),
            None => "(no action-lint.toml found)".to_owned(),
        };
        return Err(miette::miette!(
            help = "export the widget's API Actions to talkative-actions.yaml beside action-lint.toml, set `actions = \"path/to/export.yaml\"` in action-lint.toml, or pass --actions FILE",
            "no actions config: action-lint needs the exported API Actions to check names {where_}"
        ));
    }
    let mut out = BTreeMap::new();
    for p in wanted {
        if out.contains_key(&p) {
            continue;
        }
        if !p.is_file() {
            return Err(miette::miette!(
                help = "check the `actions` path in action-lint.toml (relative to the config's folder) or the --actions flag",
                "actions config {} does not exist",
                display_path(&p, cwd)
            ));
        }
        let file = actions::load(&p)?;
        out.insert(p, file);
    }
    Ok(out)
}

/// Run a whole check.
pub fn run(opts: &RunOptions) -> Result<Report, miette::Report> {
    let timing = std::env::var_os("ACTION_LINT_TIMING").is_some();
    let started = std::time::Instant::now();
    let cwd = match &opts.cwd {
        Some(c) => c.clone(),
        None => std::env::current_dir()
            .map_err(|e| miette::miette!("cannot read the current directory: {e}"))?,
    };
    let config = load_settings(opts, &cwd)?;
    let forced = opts.actions.as_ref().map(|p| {
        if p.is_absolute() {
            p.clone()
        } else {
            cwd.join(p)
        }
    });
    if let Some(f) = &forced {
        if !f.is_file() {
            return Err(miette::miette!(
                "actions config {} does not exist",
                display_path(f, &cwd)
            ));
        }
    }
    let analysis_opts = AnalysisOptions {
        html_cross_check: opts.html_cross_check,
        no_memo: opts.no_memo,
        ..AnalysisOptions::from_config(&config)
    };
    let root = config.root.clone();
    let max_size = max_file_size(opts.max_file_size);
    // Canonical identity of files so the reported set and the root set merge.
    let key = |p: &Path| absolute(p, &cwd);
    let is_script = |p: &Path| matches!(FileKind::from_path(p), Some(FileKind::Script(_)));
    let mut words = trigger_words();
    words.extend(
        config
            .reference_functions
            .iter()
            .map(|f| f.rsplit('.').next().unwrap_or(f).to_owned()),
    );
    words.extend(config.reference_attributes.iter().cloned());
    // Whether a file is reported is set when its result is taken in.
    let analyse = |path: &Path,
                   source: &SourceText,
                   analysis_opts: &AnalysisOptions,
                   keep: &dyn Fn(&str) -> bool,
                   again: Option<&dyn Fn(&str) -> bool>|
     -> Option<FileEntry> {
        let kind = FileKind::from_path(path)?;
        let display = display_path(path, &cwd);
        let facts =
            analysis::analyze_file_filtered(source, kind, &display, analysis_opts, keep, again)?;
        Some(FileEntry {
            rel: rel_to_root(path, &root, &cwd),
            reported: false,
            display: display.into(),
            facts,
        })
    };
    // Read one file, filter it and analyse it, all on the calling thread.
    let scan_file = |p: &Path,
                     filter: Option<&Prefilter>,
                     keep: &dyn Fn(&str) -> bool,
                     again: Option<&dyn Fn(&str) -> bool>|
     -> Scan {
        let read = read_filtered(p, filter, max_size, |bytes| {
            let source = SourceText::from_vec(bytes);
            let lossy = source.lossy;
            let entry = analyse(p, &source, &analysis_opts, keep, again).map(|e| (e, lossy));
            (entry, source.into_bytes())
        });
        match read {
            Ok(None) | Ok(Some(None)) => Scan::Skipped,
            Ok(Some(Some((e, lossy)))) => Scan::Analysed(Box::new(e), lossy),
            Err(s) => s,
        }
    };
    // The first round reads only scripts (see `scripts_first` below), and it
    // starts while the walk is still listing directories, on the walker's
    // threads, so reading starts before the walk ends.
    let first_filter = if opts.no_prefilter || opts.stdin.is_some() {
        None
    } else {
        Prefilter::new(&words)
    };
    let prescanned: std::sync::Mutex<Vec<(PathBuf, Scan)>> = std::sync::Mutex::new(Vec::new());
    // Names the round's scripts give as they are analysed (wrappers and
    // functions holding a use, as the rounds search for): the scripts
    // analysed after keep the statements that mention them too, so fewer
    // are analysed again in the next round, when those names are words.
    // Keeping more statements never changes what is found.
    let learned: std::sync::Mutex<Learned> = std::sync::Mutex::default();
    let reference_functions = config.reference_functions.clone();
    let prescan = |p: &Path| {
        if let Some(f) = first_filter.as_ref().filter(|_| is_script(p)) {
            let extra = learned
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .filter
                .clone();
            let keep = |code: &str| {
                f.is_match(code.as_bytes())
                    || extra.as_ref().is_some_and(|x| x.is_match(code.as_bytes()))
            };
            let scan = scan_file(p, Some(f), &keep, None);
            if let Scan::Analysed(e, _) = &scan {
                let names = crate::project::names_to_search(
                    std::slice::from_ref(&**e),
                    &reference_functions,
                );
                learned
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .learn(names, e);
            }
            let mut done = prescanned.lock().unwrap_or_else(|e| e.into_inner());
            done.push((key(p), scan));
        }
    };
    let visitor = discover::Visitor {
        threads: opts.jobs.unwrap_or(0),
        visit: &prescan,
    };

    // Which files: the reported ones, and the whole root for cross-file facts.
    let mut notes = Vec::new();
    // The root's files are listed apart only when the checked paths do not
    // cover the root (explicit files, the language server's document).
    let (reported, root_files, covers_root) = match &opts.stdin {
        Some((path, _)) => {
            let root_files = if FileKind::from_path(path).is_some() {
                discover::discover(std::slice::from_ref(&config.root), &config, opts.no_ignore)
                    .map(|d| d.files)
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            (vec![path.clone()], root_files, false)
        }
        None => {
            let paths = if opts.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                opts.paths.clone()
            };
            let d = discover::discover_visiting(
                &paths,
                &config,
                opts.no_ignore,
                first_filter.is_some().then_some(&visitor),
            )?;
            notes.extend(d.notes.iter().cloned());
            // The root's files give facts to a run on part of the root. A
            // run whose files all lie outside it (a config named with
            // `--config` from elsewhere) has nothing to learn from them:
            // they would all be read, and their wrappers mixed in.
            let root_key = key(&config.root);
            let inside_root = |f: &PathBuf| key(f).starts_with(&root_key);
            let root = if d.covers_root || !d.files.iter().any(inside_root) {
                Vec::new()
            } else {
                discover::discover(std::slice::from_ref(&config.root), &config, opts.no_ignore)
                    .map(|r| r.files)
                    .unwrap_or_default()
            };
            (d.files, root, d.covers_root)
        }
    };
    if reported.is_empty() {
        return Ok(Report {
            notes,
            ..Report::default()
        });
    }
    let actions = load_actions(&config, forced.as_ref(), &cwd, opts.allow_missing_actions)?;
    if actions.is_empty() {
        notes.push(NO_ACTIONS_NOTE.to_owned());
    }
    let loaded = Loaded {
        actions,
        config,
        forced,
    };

    // Byte order, not `Path`'s component by component order, which took a
    // tenth of a run on 14 000 files; any fixed order does here. The walk's
    // lists are sorted already, so these sorts only merge sorted runs.
    // Equality by bytes too: `Path`'s compares component by component, and
    // comparing the lists that way was milliseconds on the serial path
    // between the walk and the rounds. The keys are normalised, so the two
    // equalities agree.
    let by_bytes = |a: &PathBuf, b: &PathBuf| a.as_os_str().cmp(b.as_os_str());
    let same_bytes = |a: &mut PathBuf, b: &mut PathBuf| a.as_os_str() == b.as_os_str();
    let mut reported_keys: Vec<PathBuf> = reported.iter().map(|p| key(p)).collect();
    drop(reported);
    reported_keys.sort_by(by_bytes);
    reported_keys.dedup_by(same_bytes);
    let reported_count = reported_keys.len();
    let (mut files, reported_keys): (Vec<PathBuf>, Option<Vec<PathBuf>>) = if root_files.is_empty()
    {
        (reported_keys, None)
    } else {
        let mut files: Vec<PathBuf> = root_files.iter().map(|p| key(p)).collect();
        files.extend(reported_keys.iter().cloned());
        files.sort_by(by_bytes);
        files.dedup_by(same_bytes);
        // Usually every file is reported (`check .`): then nothing is looked up.
        let some = (reported_keys.len() < files.len()).then_some(reported_keys);
        (files, some)
    };
    drop(root_files);
    let is_reported = |p: &Path| {
        reported_keys.as_ref().is_none_or(|keys| {
            keys.binary_search_by(|k| k.as_os_str().cmp(p.as_os_str()))
                .is_ok()
        })
    };
    if let Some((p, _)) = &opts.stdin {
        // The document replaces the file on disk.
        let k = key(p);
        files.retain(|f| *f != k);
    }

    if timing {
        eprintln!(
            "timing: discovery and config, {} file(s) (scripts read for the first round as found): {:.3} s",
            files.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .build()
        .map_err(|e| miette::miette!("cannot start worker threads: {e}"))?;

    // Scripts the walk has already read for the first round's words.
    // Overlapping paths (`check . lib`) walk a file twice: it is taken once.
    let mut prescanned = prescanned.into_inner().unwrap_or_else(|e| e.into_inner());
    prescanned.sort_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
    prescanned.dedup_by(|a, b| a.0.as_os_str() == b.0.as_os_str());
    let done: FxHashSet<&OsStr> = prescanned.iter().map(|(p, _)| p.as_os_str()).collect();
    // At most one entry a file: reserved up front, as a list grown by
    // doubling holds up to half again empty (untouched, it is not resident).
    let mut entries: Vec<FileEntry> = Vec::with_capacity(files.len() + 1);
    // Scripts go first when there are pages too: wrappers are mostly defined
    // in scripts, so pages are then read once with those names known instead
    // of being read again in a second round.
    let mut scripts_first = !opts.no_prefilter
        && files.iter().any(|p| is_script(p))
        && files.iter().any(|p| !is_script(p));
    // Files not analysed yet, each with how many of `words` it was searched
    // for (the list's paths moved, not copied).
    let mut pending: Vec<Searched> = files
        .into_iter()
        .filter(|p| !done.contains(p.as_os_str()))
        .map(|p| (p, 0))
        .collect();
    drop(done);
    let mut binary = 0usize;
    // Files that were not analysed (too large, unreadable): their references
    // are unknown, so `unused-action` cannot be trusted.
    let mut unanalysed = 0usize;
    // Analysed pages with regions left out, by path → (index into `entries`,
    // how many of `words` their left-out regions were searched for).
    let mut partial: FxHashMap<OsString, (usize, usize)> = FxHashMap::default();
    // The document (`--stdin-filename`, the language server) is analysed
    // first, from its text. Statements of it left out are looked at again,
    // from the text too, when new words are found: (index into `entries`,
    // how many of `words` it was searched for).
    let doc_opts = AnalysisOptions {
        incremental: opts.incremental,
        quick: opts.quick,
        ..analysis_opts.clone()
    };
    let mut doc_partial: Option<(usize, usize)> = None;
    // A document above the size cap is not parsed either (an editor may
    // open a 50 MB bundle: tree-sitter would take gigabytes); it is warned
    // about only if it mentions a word, as a file is.
    let doc_size = opts.stdin.as_ref().map_or(0, |(_, t)| t.len() as u64);
    if let Some((p, text)) = opts.stdin.as_ref().filter(|_| doc_size > max_size) {
        let mentions =
            opts.no_prefilter || Prefilter::new(&words).is_none_or(|f| f.is_match(text.as_bytes()));
        if mentions {
            unanalysed += 1;
            notes.push(too_large_note(&display_path(p, &cwd), doc_size, max_size));
        }
    }
    let analyse_doc = |words: &[String], k: usize| -> Option<FileEntry> {
        let (p, text) = opts.stdin.as_ref().filter(|_| doc_size <= max_size)?;
        let all = (!opts.no_prefilter)
            .then(|| Prefilter::new(words))
            .flatten();
        let new = (!opts.no_prefilter && k > 0)
            .then(|| Prefilter::new(&words[k..]))
            .flatten();
        let keep = |code: &str| all.as_ref().is_none_or(|f| f.is_match(code.as_bytes()));
        let new_word = |code: &str| new.as_ref().is_none_or(|f| f.is_match(code.as_bytes()));
        let again = (k > 0).then_some(&new_word as &dyn Fn(&str) -> bool);
        let e = analyse(
            &key(p),
            &SourceText::new(text.clone()),
            &doc_opts,
            &keep,
            again,
        )?;
        Some(FileEntry {
            reported: true,
            ..e
        })
    };
    if let Some(e) = analyse_doc(&words, 0) {
        if e.facts.left_out {
            doc_partial = Some((entries.len(), words.len()));
        }
        entries.push(e);
    }
    // Rounds: the trigger words first, then names of wrappers and guarded
    // functions found so far, until no file is left that was not searched
    // for every word. Each file is read, filtered and analysed in one pass on
    // one worker, so only one file's text and tree are alive per worker.
    loop {
        let round_start = std::time::Instant::now();
        let n = words.len();
        let (scan_list, rest): (Vec<Searched>, Vec<Searched>) = std::mem::take(&mut pending)
            .into_iter()
            .partition(|(p, k)| *k < n && (!scripts_first || is_script(p)));
        pending = rest;
        // The document, if new words may tie more of it to the rest.
        let doc_again = match doc_partial {
            Some((idx, k)) if k < n => {
                if let Some(e) = analyse_doc(&words, k) {
                    doc_partial = e.facts.left_out.then_some((idx, n));
                    entries[idx] = e;
                } else {
                    doc_partial = Some((idx, n));
                }
                true
            }
            _ => false,
        };
        // With the ranges of a script's statements left out: only a new
        // word there can change its facts.
        let pages_again: Vec<Work<'_>> = partial
            .iter()
            .filter(|(_, (_, k))| *k < n)
            .map(|(p, (idx, k))| {
                let spans = &entries[*idx].facts.left_out_spans[..];
                (PathBuf::from(p), *k, Some(spans))
            })
            .collect();
        if scan_list.is_empty() && pages_again.is_empty() && prescanned.is_empty() && !doc_again {
            if scripts_first {
                scripts_first = false;
                continue;
            }
            break;
        }
        scripts_first = false;
        // One pre-filter per set of words not searched yet: `words[k..]`.
        let mut filters: HashMap<usize, Option<Prefilter>> = HashMap::new();
        for k in scan_list
            .iter()
            .map(|(_, k)| k)
            .chain(pages_again.iter().map(|(_, k, _)| k))
        {
            filters
                .entry(*k)
                .or_insert_with(|| Prefilter::new(&words[*k..n]));
        }
        // Regions of a page are parsed only if they mention a word known so
        // far; pages with regions left out are looked at again for new words.
        let region_filter = Prefilter::new(&words[..n]);
        let use_filter = !opts.no_prefilter;
        let keep = |code: &str| {
            !use_filter
                || region_filter
                    .as_ref()
                    .is_none_or(|f| f.is_match(code.as_bytes()))
        };
        let (scanned, again_count) = (scan_list.len() + prescanned.len(), pages_again.len());
        let work: Vec<Work<'_>> = scan_list
            .into_iter()
            .map(|(p, k)| (p, k, None))
            .chain(pages_again)
            .collect();
        let mut results: Vec<(PathBuf, Scan)> = pool.install(|| {
            // Split down to a few files per task: rayon otherwise splits a
            // list into a task per thread and halves it only when stolen, so
            // the last quarter (scripts looked at again, costlier than
            // pages) ran on one thread while the other idled, 30-100 ms.
            work.par_iter()
                .with_max_len(8)
                .map(|(p, k, seen)| {
                    let filter = filters.get(k).and_then(Option::as_ref);
                    // A page seen before is analysed again only if a region
                    // left out then mentions a word it was not searched for;
                    // a script, only if a statement left out then does.
                    let new_word = |code: &str| {
                        !use_filter || filter.is_none_or(|f| f.is_match(code.as_bytes()))
                    };
                    let spans = seen.unwrap_or_default();
                    let in_left_out = |code: &str| {
                        if spans.is_empty() {
                            new_word(code)
                        } else {
                            spans
                                .iter()
                                .any(|r| code.get(r.clone()).is_none_or(&new_word))
                        }
                    };
                    let again = seen.map(|_| &in_left_out as &dyn Fn(&str) -> bool);
                    let scan = scan_file(p, filter.filter(|_| use_filter), &keep, again);
                    (p.clone(), scan)
                })
                .collect()
        });
        // The walk finds files in no fixed order: notes follow the path order.
        results.append(&mut prescanned);
        results.sort_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
        let mut reanalysed = 0usize;
        for (p, mut r) in results {
            let reported = is_reported(&p);
            if let Scan::Analysed(e, _) = &mut r {
                e.reported = reported;
            }
            if let Some((idx, k)) = partial.get_mut(p.as_os_str()) {
                // A page seen before: replace its facts if it mentions a new word.
                *k = n;
                if let Scan::Analysed(e, _) = r {
                    reanalysed += 1;
                    let still_partial = e.facts.left_out;
                    entries[*idx] = *e;
                    if !still_partial {
                        partial.remove(p.as_os_str());
                    }
                }
                continue;
            }
            match r {
                Scan::Skipped => pending.push((p, n)),
                Scan::Binary => {
                    if reported {
                        binary += 1;
                    }
                }
                Scan::TooLarge(size) => {
                    unanalysed += 1;
                    if reported {
                        notes.push(too_large_note(&display_path(&p, &cwd), size, max_size));
                    }
                }
                Scan::Failed(e) => {
                    unanalysed += 1;
                    if reported {
                        notes.push(format!("{}: cannot be read: {e}", display_path(&p, &cwd)));
                    }
                }
                Scan::Analysed(e, lossy) => {
                    if lossy && reported {
                        notes.push(not_utf8_note(&e.display));
                    }
                    if e.facts.left_out {
                        partial.insert(p.clone().into_os_string(), (entries.len(), n));
                    }
                    entries.push(*e);
                }
            }
        }
        let before = words.len();
        let mut found: Vec<String> = pool
            .install(|| {
                crate::project::names_to_search(&entries, &loaded.config.reference_functions)
            })
            .into_iter()
            .filter(|w| !w.is_empty() && !words.contains(w))
            .collect();
        found.sort();
        words.extend(found);
        if timing {
            eprintln!(
                "timing: round: {:.3} s, {scanned} file(s) read, {again_count} partly analysed page(s) looked at again and {reanalysed} analysed again; {} file(s) analysed so far, {} left; new words: {}",
                round_start.elapsed().as_secs_f64(),
                entries.len(),
                pending.len(),
                words[before..].join(", ")
            );
        }
    }
    if binary > 0 {
        notes.push(format!(
            "{binary} binary file(s) with a web extension skipped"
        ));
    }
    // The list grew by doubling: up to half of it is empty, and it is held
    // to the end of the run (5 MB of 20 000 pages' 129 MB peak heap).
    entries.shrink_to_fit();
    // In path order: a finding's file index is then its path's rank.
    entries.sort_by(|a, b| a.display.cmp(&b.display));
    let approximate = entries.iter().any(|e| e.facts.approximate);
    // A parse given up at the time limit leaves a file's references unknown too.
    unanalysed += entries.iter().filter(|e| e.facts.incomplete).count();
    for e in &mut entries {
        if e.reported {
            notes.extend(std::mem::take(&mut e.facts.notes));
        }
    }
    let admission = Admission::new(&loaded.config, &cwd, covers_root, unanalysed);
    // The findings decided during analysis, file by file, are admitted
    // while the index is built.
    let local: Vec<thin_vec::ThinVec<Diagnostic>> = entries
        .iter_mut()
        .map(|e| std::mem::take(&mut e.facts.local))
        .collect();
    let (project, (local, local_withheld)) = pool.install(|| {
        Project::build_releasing(
            &mut entries,
            &loaded.config.reference_functions,
            |entries| {
                let found = local
                    .into_iter()
                    .enumerate()
                    .flat_map(|(fi, l)| l.into_iter().map(move |d| (Some(fi), d)));
                admission.sorted(entries, found)
            },
        )
    });
    if timing {
        use std::sync::atomic::Ordering::Relaxed;
        eprintln!(
            "timing: rounds and project index: {:.3} s; {:.1} MB of code parsed, {:.1} MB replayed from the memo; {}",
            started.elapsed().as_secs_f64(),
            analysis::memo::PARSED.load(Relaxed) as f64 / 1e6,
            analysis::memo::REPLAYED.load(Relaxed) as f64 / 1e6,
            memory_now()
        );
    }

    // Rules over the facts.
    // The rules only read the facts, so each runs as its own task, and
    // admits and sorts its findings there; they are merged after the
    // analysis's, in registry order, as if the rules ran one by one.
    let actions_for_file = |fi: usize| loaded.actions_for(&entries[fi].rel);
    let all_actions: Vec<&ActionsFile> = loaded.actions.values().collect();
    let found: Vec<(Sorted, bool)> = pool.install(|| {
        rules::registry::RULES
            .par_iter()
            .map(|rule| {
                let mut ctx = rules::Context {
                    files: &entries,
                    project: &project,
                    actions_for: &actions_for_file,
                    all_actions: all_actions.clone(),
                    whole_root: covers_root,
                    cwd: &cwd,
                    out: Vec::new(),
                    messages: Default::default(),
                };
                rule.check(&mut ctx);
                admission.sorted(&entries, ctx.out.into_iter())
            })
            .collect()
    });
    let_go(project, opts.process_ends);
    let unused_skipped = local_withheld || found.iter().any(|(_, withheld)| *withheld);
    let final_diags = merged_in_order(
        std::iter::once(local)
            .chain(found.into_iter().map(|(l, _)| l))
            .collect(),
    );
    let_go(entries, opts.process_ends);
    if unused_skipped {
        notes.push(format!(
            "unused-action not reported: {unanalysed} file(s) could not be analysed, so a name may be referenced there"
        ));
    }
    if timing {
        eprintln!(
            "timing: rules, {} finding(s): {:.3} s; {}",
            final_diags.len(),
            started.elapsed().as_secs_f64(),
            memory_now()
        );
    }

    let_go(pool, opts.process_ends);
    let mut sources = crate::diagnostic::Sources::from_disk(cwd.clone());
    if let Some((p, t)) = &opts.stdin {
        sources.insert(
            display_path(&key(p), &cwd),
            SourceText::new(t.clone()).text(),
        );
    }
    Ok(Report {
        diagnostics: final_diags,
        files_checked: reported_count,
        notes,
        sources,
        approximate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_sources_give_the_order_of_one_sort_and_keep_the_first_of_equals() {
        use crate::diagnostic::sort_and_dedup;
        // The analysed files in path order, and actions files between them.
        let files = ["a/page-1.html", "a/page-10.html", "a/page-2.html", "b.js"];
        let others = ["a/page-1.yaml", "a/z.yaml", "a/y.yaml", "c.yaml"];
        let rank = |path: &str| -> PathRank {
            match files.iter().position(|f| *f == path) {
                Some(fi) => (fi, true, None),
                None => (
                    files.partition_point(|f| *f < path),
                    false,
                    Some(path.into()),
                ),
            }
        };
        let paths: Vec<&str> = files.iter().chain(&others).copied().collect();
        // Ties on every part of the key, within a source and across sources.
        let mut lists: Vec<Sorted> = vec![Vec::new(); 4];
        let found = crate::diagnostic::tying_findings(&paths, 600, 11);
        for (i, d) in found.into_iter().enumerate() {
            lists[(i * 7 + i / 3) % 4].push((rank(&d.path), d));
        }
        let mut want: Vec<Diagnostic> = lists.iter().flatten().map(|(_, d)| d.clone()).collect();
        sort_and_dedup(&mut want);
        for list in &mut lists {
            list.sort_by(place_order);
        }
        lists.insert(2, Vec::new());
        let got = merged_in_order(lists);
        assert!(
            want.len() < 300,
            "the sample has duplicates: {}",
            want.len()
        );
        assert_eq!(got, want);
    }

    #[test]
    fn the_prefilter_finds_a_word_across_its_chunks_in_any_case() {
        let f = Prefilter::new(&["triggerAction".to_owned(), "x".repeat(30)]).unwrap();
        let word = "TriggerACTION";
        // Every position where the word straddles, starts or ends a chunk.
        for chunks in 1..3 {
            let edge = chunks * FILTER_CHUNK;
            for at in edge - word.len()..=edge {
                let mut text = "a".repeat(edge + 100);
                text.replace_range(at..at + word.len(), word);
                assert!(f.is_match(text.as_bytes()), "word at {at}");
            }
        }
        assert!(!f.is_match("a".repeat(3 * FILTER_CHUNK).as_bytes()));
    }

    #[test]
    fn the_file_size_cap_never_passes_what_tree_sitter_can_address() {
        assert_eq!(max_file_size(None), DEFAULT_MAX_FILE_SIZE);
        assert_eq!(max_file_size(Some(1000)), 1000);
        assert_eq!(max_file_size(Some(u64::MAX)), u64::from(u32::MAX));
    }

    #[test]
    fn absolute_paths_are_normal() {
        let cwd = Path::new("/site");
        for (given, want) in [
            ("./a/b.js", "/site/a/b.js"),
            ("././a/b.js", "/site/a/b.js"),
            ("a/./b.js", "/site/a/b.js"),
            ("../x/b.js", "/x/b.js"),
            (".", "/site"),
            ("./.hidden/b.js", "/site/.hidden/b.js"),
            ("/abs/./b.js", "/abs/b.js"),
        ] {
            let got = absolute(Path::new(given), cwd);
            assert_eq!(got, Path::new(want), "{given}");
            assert!(is_normal(&got), "{given}");
        }
    }

    #[test]
    fn normalize_keeps_normal_paths_and_cleans_the_others() {
        for (given, want) in [
            ("/", "/"),
            ("/a/b.js", "/a/b.js"),
            ("/a/./b.js", "/a/b.js"),
            ("/a/../b.js", "/b.js"),
            ("/a//b.js", "/a/b.js"),
            ("/a/b/", "/a/b"),
            ("/a/b/.", "/a/b"),
            ("/a/b/..", "/a"),
            ("/a/.b/..c/b.js", "/a/.b/..c/b.js"),
            ("a/./b.js", "a/b.js"),
        ] {
            assert_eq!(normalize(Path::new(given)), Path::new(want), "{given}");
            assert_eq!(
                is_normal(Path::new(given)),
                given == want && given.starts_with('/'),
                "{given}"
            );
        }
    }

    #[test]
    fn read_all_reads_the_whole_file_whatever_size_it_was_told() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.js");
        let text: Vec<u8> = (0..100_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        // The size from `metadata`, a stale smaller one (the file grew), a
        // larger one (it shrank), and none.
        for told in [100_000, 10, 1_000_000, 0] {
            let mut buf = b"left over from the last file".to_vec();
            let mut f = std::fs::File::open(&path).unwrap();
            read_all(&mut f, &mut buf, told).unwrap();
            assert_eq!(buf.len(), text.len(), "told {told}");
            assert!(buf == text, "told {told}");
        }
    }
}
