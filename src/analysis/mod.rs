//! What the code means: action references, name resolution, guard and
//! lifecycle context, wrappers. Input: one file's regions (from `extract`);
//! output: [`FileFacts`], plain data with resolved locations and no tree.
//!
//! Facts that depend on other files (is this call a wrapper call? are all
//! calls of this function guarded?) stay symbolic here and are resolved in
//! `project`. Nothing here reads files or knows about output formats.

pub mod api;
pub mod memo;
pub mod scope;
pub mod select;
pub mod suppress_parse;
pub mod walk;

use crate::diagnostic::Diagnostic;
use crate::source::Location;
use crate::source::Text;

/// Options that change what the analysis looks for (from `action-lint.toml`).
#[derive(Debug, Clone, Default)]
pub struct AnalysisOptions {
    /// `[guards] functions`: callbacks passed to these run after load.
    pub guard_functions: Vec<String>,
    /// `[references] functions`: extra wrappers whose first argument is an action name.
    pub reference_functions: Vec<String>,
    /// `[references] attributes`: HTML attributes whose value is an action name (lowercase).
    pub reference_attributes: Vec<String>,
    /// Also parse HTML with tree-sitter-html and compare (slower; same result).
    pub html_cross_check: bool,
    /// Never replay a memoised region (tests compare both ways).
    pub no_memo: bool,
    /// Parse incrementally against the tree kept from the last parse of the
    /// same script (the language server, on each edit of a document).
    pub incremental: bool,
    /// With `incremental`: keep a re-parse that has syntax errors as it is
    /// instead of parsing afresh ([`extract::js::parse_incremental`]); the
    /// facts then say they may be [`FileFacts::approximate`].
    pub quick: bool,
    /// With `quick`: how long a script's whole re-parse may take before the
    /// edited statements are parsed alone; `None`: [`extract::js::QUICK_BUDGET`].
    pub quick_budget: Option<std::time::Duration>,
}

impl AnalysisOptions {
    /// The options a config asks for (attribute names are case-insensitive).
    pub fn from_config(config: &crate::settings::Config) -> AnalysisOptions {
        AnalysisOptions {
            guard_functions: config.guard_functions.clone(),
            reference_functions: config.reference_functions.clone(),
            reference_attributes: config
                .reference_attributes
                .iter()
                .map(|a| a.to_ascii_lowercase())
                .collect(),
            html_cross_check: false,
            no_memo: false,
            incremental: false,
            quick: false,
            quick_budget: None,
        }
    }
}

/// Is a use guarded? Decided locally when possible, else symbolic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Proof {
    /// Nothing proves the API exists here.
    #[default]
    No,
    /// Proven (a test, a lifecycle callback, a guard function, a try, …).
    Yes,
    /// Proven if any of these project functions returns an existence test.
    Pred(ThinVec<String>),
}

impl Proof {
    /// Either proof suffices.
    pub fn or(&self, other: &Proof) -> Proof {
        match (self, other) {
            (Proof::Yes, _) | (_, Proof::Yes) => Proof::Yes,
            (Proof::Pred(a), Proof::Pred(b)) => {
                let mut v = a.clone();
                v.extend(b.iter().cloned());
                v.sort();
                v.dedup();
                Proof::Pred(v)
            }
            (Proof::Pred(a), Proof::No) | (Proof::No, Proof::Pred(a)) => Proof::Pred(a.clone()),
            (Proof::No, Proof::No) => Proof::No,
        }
    }

    /// Both are needed.
    pub fn and(&self, other: &Proof) -> Proof {
        match (self, other) {
            (Proof::Yes, Proof::Yes) => Proof::Yes,
            (Proof::Yes, Proof::Pred(a)) | (Proof::Pred(a), Proof::Yes) => Proof::Pred(a.clone()),
            _ => Proof::No,
        }
    }

    pub fn is_yes(&self) -> bool {
        matches!(self, Proof::Yes)
    }
}

/// The guard situation of a use or call site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct GuardFact {
    pub proof: Proof,
    /// Innermost named project function containing the site (guard form 7).
    pub in_fn: Option<u32>,
}

/// A string literal (or constant expression) that spells an action name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameLit {
    pub name: Text,
    pub location: Location,
    /// Source text of the literal (for baselines and fixes).
    pub text: Text,
}

/// What an argument resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgVal {
    /// Every name it can take (several for `c ? 'a' : 'b'`).
    Names(Vec<NameLit>),
    /// Cannot be resolved statically; the argument expression.
    Dynamic { location: Location, text: Text },
    /// The parameter at this index of the enclosing named function (wrapper flow).
    Param(usize),
    /// Resolves to names in some branches and is dynamic or a parameter in others.
    Mixed(Vec<ArgVal>),
    /// No argument at that position.
    Absent,
}

/// How a call's callee was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Callee {
    /// A function declared in this file (index into `FileFacts::functions`).
    Local(u32),
    /// An undeclared or imported name: a project-wide global.
    Global(Text),
    /// `obj.name(…)`: only matched against configured wrapper functions.
    Method(Text),
}

impl Callee {
    /// The callee's name when the call holds it as a text (not a local
    /// function's index), to change.
    pub(super) fn text_mut(&mut self) -> Option<&mut Text> {
        match self {
            Callee::Global(t) | Callee::Method(t) => Some(t),
            Callee::Local(_) => None,
        }
    }
}

/// Is `name` (a function's or a method's) a configured reference function
/// (`openChat`, or the last part of `chat.open`)?
pub fn is_configured(reference_functions: &[String], name: &str) -> bool {
    reference_functions
        .iter()
        .any(|r| r == name || r.rsplit('.').next() == Some(name))
}

/// Where a function parameter flows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// Directly into `triggerAction`'s first argument.
    Trigger,
    /// Into argument `arg` of a call (a wrapper if that callee is one).
    Call { callee: Callee, arg: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnFact {
    pub name: Text,
    /// Declared at the top level of a script (visible to other scripts/files).
    pub top_level: bool,
    pub location: Location,
    /// `(param index, sink)` for each parameter passed on as an action name.
    pub flows: ThinVec<(usize, Sink)>,
    /// Every `return` proves the API exists (`return !!window.talkativeApi`).
    pub predicate: bool,
    /// Called (lexically) from an active-interaction context in this file.
    pub active_reason: Option<String>,
}

/// A call of a plain function (wrapper calls, guard form 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFact {
    pub callee: Callee,
    pub args: ThinVec<ArgVal>,
    pub guard: GuardFact,
    pub location: Location,
}

/// A use of a `talkativeApi` member that throws when the widget is absent,
/// whose guard verdict is not decided yet (decided-guarded uses are dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiUse {
    pub location: Location,
    pub guard: GuardFact,
    /// How the use reaches the API (for the message): `talkativeApi.actions.triggerAction`.
    pub what: Text,
    /// The use is a bare-global read (ReferenceError) rather than a member of `window.talkativeApi` (TypeError).
    pub bare: bool,
    pub snippet: Text,
}

/// A direct action reference: a `triggerAction` call or a configured attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRef {
    pub name: ArgVal,
    /// The call (or attribute) carrying the name.
    pub call: Location,
    /// Innermost named function: a `Param` name belongs to it.
    pub in_fn: Option<u32>,
}

/// Suppression comment, with 1-based line ranges it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub first_line: u32,
    pub last_line: u32,
    /// `None` = all rules.
    pub rules: Option<Vec<String>>,
    pub location: Location,
}

/// Everything one file contributes.
///
/// The lists are `ThinVec`s (one pointer; an empty one allocates nothing):
/// a run holds every file's facts to its end, and most of a page's lists
/// are empty.
#[derive(Debug, Clone, Default)]
pub struct FileFacts {
    pub functions: ThinVec<FnFact>,
    pub calls: ThinVec<CallFact>,
    /// Names of functions used as values (listener, export, …): form 7 excluded.
    pub value_refs: ThinVec<Text>,
    pub uses: ThinVec<ApiUse>,
    pub refs: ThinVec<ActionRef>,
    /// Findings decided within the file (default severities).
    pub local: ThinVec<Diagnostic>,
    pub suppressions: ThinVec<Suppression>,
    /// Suppression comments naming rules that do not exist.
    pub bad_suppressions: ThinVec<(String, Location)>,
    /// Parse or extraction notes (e.g. the HTML fallback tokenizer was used).
    pub notes: ThinVec<String>,
    /// A parse was given up at the time limit: the file's facts are incomplete.
    pub incomplete: bool,
    /// Some code regions were not parsed, or some top-level statements of a
    /// large one not walked, because they mention no word any rule needs
    /// (see [`analyze_file_filtered`]).
    pub left_out: bool,
    /// In a script file: the byte ranges of the statements left out. Only
    /// a new word in one of them can change the facts.
    pub left_out_spans: ThinVec<std::ops::Range<usize>>,
    /// A script was re-parsed incrementally through a syntax error (see
    /// [`AnalysisOptions::quick`]): the facts may differ from those of a
    /// fresh parse, which `check` does.
    pub approximate: bool,
}

use crate::extract::{self, FileKind, OffsetMap};
use crate::source::SourceText;
use thin_vec::ThinVec;

/// Texts up to this long are shared between files ([`FileFacts::share_texts`]).
const SHARED_MAX_LEN: usize = 256;
/// Past this many texts, a thread's shared set starts afresh (it is a cache:
/// a text not in it is only kept as it is).
const SHARED_MAX_COUNT: usize = 8192;

/// The short texts the files analysed on a thread had.
#[derive(Default)]
struct SharedTexts(rustc_hash::FxHashSet<Text>);

impl SharedTexts {
    fn share(&mut self, t: &mut Text) {
        if t.len() > SHARED_MAX_LEN {
            return;
        }
        match self.0.get(t) {
            Some(s) => *t = s.clone(),
            None => {
                if self.0.len() >= SHARED_MAX_COUNT {
                    self.0.clear();
                }
                self.0.insert(t.clone());
            }
        }
    }
}

thread_local! {
    static SHARED: std::cell::RefCell<SharedTexts> = std::cell::RefCell::default();
}

/// A file's top-level functions by name (indexes into its functions): a
/// global name called in the file resolves to these alone when it has any,
/// as in the project index (`project::Names::resolve`).
pub(super) fn top_level_functions(functions: &[FnFact]) -> rustc_hash::FxHashMap<&str, Vec<u32>> {
    let mut top: rustc_hash::FxHashMap<&str, Vec<u32>> = Default::default();
    for (i, f) in functions.iter().enumerate() {
        if f.top_level {
            top.entry(&*f.name).or_default().push(i as u32);
        }
    }
    top
}

/// Each text of these facts, to change: function names, callees and
/// arguments of calls, value uses, API uses (how and snippet), action
/// names. The facts' findings, and a function's flows, are the caller's.
pub(super) fn each_fact_text(
    functions: &mut [FnFact],
    calls: &mut [CallFact],
    value_refs: &mut [Text],
    uses: &mut [ApiUse],
    refs: &mut [ActionRef],
    f: &mut impl FnMut(&mut Text),
) {
    for func in functions {
        f(&mut func.name);
    }
    for c in calls {
        if let Some(t) = c.callee.text_mut() {
            f(t);
        }
        c.args.iter_mut().for_each(|a| each_arg_text(a, f));
    }
    value_refs.iter_mut().for_each(&mut *f);
    for u in uses {
        f(&mut u.what);
        f(&mut u.snippet);
    }
    for r in refs {
        each_arg_text(&mut r.name, f);
    }
}

/// Each text of an argument value, to change.
fn each_arg_text(v: &mut ArgVal, f: &mut impl FnMut(&mut Text)) {
    let mut stack: Vec<&mut ArgVal> = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            ArgVal::Names(names) => {
                for n in names {
                    f(&mut n.name);
                    f(&mut n.text);
                }
            }
            ArgVal::Dynamic { text, .. } => f(text),
            ArgVal::Mixed(parts) => stack.extend(parts.iter_mut()),
            ArgVal::Param(_) | ArgVal::Absent => {}
        }
    }
}

impl FileFacts {
    /// Drop what the project index can never read from this file's calls.
    ///
    /// A call's arguments matter only at the positions where its callee can
    /// take an action name: the parameters that flow somewhere (a wrapper's,
    /// found by the index from `flows`) and the first one of a configured
    /// reference function. When the callee resolves within the file (a
    /// local function, or a global name the file declares at the top level:
    /// the index resolves it to those alone, see `project::Names::resolve`)
    /// those positions are known here, and the arguments past them are
    /// dropped. A call left with no arguments serves only guard form 7 (and
    /// the search for callers), which read its callee and guard fact, so
    /// one such call per callee and guard fact is kept.
    ///
    /// On a site whose every page calls `gtag('config', …)` this was most of
    /// the memory the facts of a page hold.
    pub fn prune_calls(&mut self, reference_functions: &[String]) {
        let top = top_level_functions(&self.functions);
        let functions = &self.functions;
        // How many leading arguments a call to these functions can need.
        let needed = |name: &str, targets: &[u32]| {
            let flows = targets
                .iter()
                .flat_map(|t| &functions[*t as usize].flows)
                .map(|(p, _)| p + 1)
                .max()
                .unwrap_or(0);
            flows.max(usize::from(is_configured(reference_functions, name)))
        };
        for c in &mut self.calls {
            let keep = match &c.callee {
                Callee::Local(i) => needed(&functions[*i as usize].name, &[*i]),
                Callee::Global(n) => match top.get(&**n) {
                    Some(targets) => needed(n, targets),
                    // Any project function of that name: unknown here.
                    None => continue,
                },
                Callee::Method(_) => continue,
            };
            c.args.truncate(keep);
        }
        let mut seen: rustc_hash::FxHashSet<(Callee, GuardFact)> = Default::default();
        self.calls
            .retain(|c| !c.args.is_empty() || seen.insert((c.callee.clone(), c.guard.clone())));
    }

    /// Free the facts only the project index reads (functions, calls,
    /// value uses, action references), once it is built: the rules read
    /// the rest, and the index owns what it keeps of these. On a large site
    /// they were a third of a run's peak memory.
    pub fn release_indexed(&mut self) {
        self.functions = ThinVec::new();
        self.calls = ThinVec::new();
        self.value_refs = ThinVec::new();
        self.refs = ThinVec::new();
    }

    /// Make the file's short texts (names, snippets, messages) copies of
    /// equal ones an earlier file on this thread had, so they share one
    /// allocation. Pages repeat the same few: at 20 000 dense benchmark
    /// pages the 118 000 action-name texts were 98 000 allocations of 60
    /// distinct texts, as a region replayed for other literal data gets new
    /// ones.
    pub fn share_texts(&mut self) {
        SHARED.with_borrow_mut(|shared| {
            let mut share = |t: &mut Text| shared.share(t);
            each_fact_text(
                &mut self.functions,
                &mut self.calls,
                &mut self.value_refs,
                &mut self.uses,
                &mut self.refs,
                &mut share,
            );
            for d in &mut self.local {
                share(&mut d.message);
                share(&mut d.snippet);
            }
        });
    }

    /// Give back the slack of every list and string. A run holds each file's
    /// facts until its end, and lists grown by doubling (a `Vec` starts at
    /// four elements) had left about half of that memory empty.
    pub fn shrink(&mut self) {
        fn proof(p: &mut Proof) {
            if let Proof::Pred(v) = p {
                v.shrink_to_fit();
            }
        }
        // Nesting of `Mixed` is bounded by the walk, but a stack costs nothing.
        fn arg(v: &mut ArgVal) {
            let mut stack: Vec<&mut ArgVal> = vec![v];
            while let Some(v) = stack.pop() {
                match v {
                    ArgVal::Names(names) => names.shrink_to_fit(),
                    ArgVal::Dynamic { .. } => {}
                    ArgVal::Mixed(parts) => {
                        parts.shrink_to_fit();
                        stack.extend(parts.iter_mut());
                    }
                    ArgVal::Param(_) | ArgVal::Absent => {}
                }
            }
        }
        self.functions.shrink_to_fit();
        for f in &mut self.functions {
            f.flows.shrink_to_fit();
        }
        self.calls.shrink_to_fit();
        for c in &mut self.calls {
            c.args.shrink_to_fit();
            c.args.iter_mut().for_each(arg);
            proof(&mut c.guard.proof);
        }
        self.value_refs.shrink_to_fit();
        self.uses.shrink_to_fit();
        for u in &mut self.uses {
            proof(&mut u.guard.proof);
        }
        self.refs.shrink_to_fit();
        for r in &mut self.refs {
            arg(&mut r.name);
        }
        self.local.shrink_to_fit();
        for d in &mut self.local {
            d.related.shrink_to_fit();
        }
        self.suppressions.shrink_to_fit();
        self.bad_suppressions.shrink_to_fit();
        self.notes.shrink_to_fit();
        self.left_out_spans.shrink_to_fit();
    }
}

/// Regions up to this many bytes are analysed whatever words they mention.
const ALWAYS_ANALYSED: usize = 256;

/// Analyse one region: replayed from the memo when the same region was seen
/// before, else parsed and walked (and memoised). False when the parse was
/// given up at the time limit.
///
/// In a region too large to memoise, top-level statements that mention no
/// word `keep` accepts may be left out ([`select`]); the facts then say so.
fn analyse_region(
    a: &mut walk::FileAnalyzer<'_>,
    code: &str,
    map: &OffsetMap,
    lang: extract::Lang,
    keep: &dyn Fn(&str) -> bool,
    whole_file: bool,
) -> bool {
    let key = if a.opts.no_memo {
        None
    } else {
        memo::Key::new(a.file, a.opts, lang, code, map)
    };
    if let Some(k) = &key {
        if memo::replay(a, k) {
            return true;
        }
    }
    memo::PARSED.fetch_add(code.len(), std::sync::atomic::Ordering::Relaxed);
    extract::ts::set_lang(lang);
    // Statement selection: page regions are seldom worth it below the
    // memo's size limit (most repeat from page to page); a script file is,
    // at any size.
    let select = (whole_file || code.len() > memo::MAX_REGION).then_some(keep);
    let tree = if !a.opts.incremental {
        extract::js::parse(code, lang).map(|t| (t, true))
    } else if whole_file {
        match extract::js::parse_incremental_split(
            code,
            lang,
            a.region_index,
            a.opts.quick,
            a.opts.quick_budget.unwrap_or(extract::js::QUICK_BUDGET),
        ) {
            Some(extract::js::Parsed::Whole(tree, exact)) => Some((tree, exact)),
            Some(extract::js::Parsed::Split { rest, window, part }) => {
                analyse_split(a, code, map, select, &rest, window, &part);
                return true;
            }
            None => None,
        }
    } else {
        extract::js::parse_incremental(code, lang, a.region_index, a.opts.quick)
    };
    let Some((tree, exact)) = tree else {
        return false;
    };
    a.facts.approximate |= !exact;
    let marks = memo::marks(a);
    // Strings the tree shows to be plain literals may differ in a replay,
    // unless the walk reads them: track its reads. Which strings those are
    // is found only if the region is recorded (below).
    if key.is_some() {
        memo::start_reads();
    }
    // What is left out depends on the words known, which the memo's keys
    // do not include: a region with statements left out is not recorded.
    let spans = a.region(code, map, &tree, select, None);
    let left_out = !spans.is_empty();
    a.facts.left_out |= left_out;
    if whole_file {
        a.facts.left_out_spans = spans.into();
    }
    let reads = memo::take_reads();
    // Facts of a quick re-parse may not be a fresh parse's: never replayed.
    if let Some(k) = key.filter(|_| !left_out && exact) {
        let plain = k.literals().and_then(|l| memo::plain_literals(&tree, l));
        memo::record(a, &marks, k, plain.map(|p| (p, reads)));
    }
    true
}

/// A whole script's quick re-parse that was split ([`extract::js::Parsed::Split`]):
/// the old tree outside `window`, then the window's own tree, as two
/// regions. Approximate: the two do not see each other's local names.
/// `map` is the whole file's (a script's code is its text).
fn analyse_split(
    a: &mut walk::FileAnalyzer<'_>,
    code: &str,
    map: &OffsetMap,
    select: Option<&dyn Fn(&str) -> bool>,
    rest: &tree_sitter::Tree,
    window: std::ops::Range<usize>,
    part: &tree_sitter::Tree,
) {
    a.facts.approximate = true;
    let spans = a.region(code, map, rest, select, Some(window.clone()));
    a.facts.left_out |= !spans.is_empty();
    a.facts.left_out_spans = spans.into();
    a.region(
        &code[window.clone()],
        &OffsetMap::identity(window.start, window.len()),
        part,
        None,
        None,
    );
}

/// Analyse one file's text: extract its code regions, parse and walk each.
pub fn analyze_file(
    source: &SourceText,
    kind: FileKind,
    display: &str,
    opts: &AnalysisOptions,
) -> FileFacts {
    analyze_file_filtered(source, kind, display, opts, &|_| true, None).unwrap_or_default()
}

/// [`analyze_file`], parsing only the HTML regions `keep` accepts (the engine
/// passes its pre-filter: a page's other scripts cannot hold anything a rule
/// needs yet). `FileFacts::left_out` says whether any was left out, so
/// the engine can look again when it learns new words.
///
/// `again` is for that second look at a page: `None` is returned, and
/// nothing parsed, unless a region that `keep` could have left out the first
/// time (one longer than the always-analysed size) mentions a new word.
pub fn analyze_file_filtered(
    source: &SourceText,
    kind: FileKind,
    display: &str,
    opts: &AnalysisOptions,
    keep: &dyn Fn(&str) -> bool,
    again: Option<&dyn Fn(&str) -> bool>,
) -> Option<FileFacts> {
    let mut a = walk::FileAnalyzer::new(source, display, opts);
    match kind {
        FileKind::Script(lang) => {
            let text = source.text();
            // A script with statements left out is analysed again only if
            // it mentions a new word.
            if again.is_some_and(|new_word| !new_word(text)) {
                return None;
            }
            if !analyse_region(
                &mut a,
                text,
                &OffsetMap::identity(0, text.len()),
                lang,
                keep,
                true,
            ) {
                a.facts.incomplete = true;
                a.facts.notes.push(format!(
                    "{display}: not analysed: parsing took longer than {} s",
                    extract::js::PARSE_TIME_LIMIT.as_secs()
                ));
            }
        }
        FileKind::Html | FileKind::Component => {
            let doc = if opts.html_cross_check {
                extract::html::extract_html(source.text(), kind, &opts.reference_attributes)
            } else {
                extract::html::extract_html_tokens(source.text(), kind, &opts.reference_attributes)
            };
            if let Some(new_word) = again {
                let more = doc
                    .regions
                    .iter()
                    .any(|r| r.code.len() > ALWAYS_ANALYSED && new_word(&r.code));
                if !more {
                    return None;
                }
            }
            if doc.used_fallback {
                a.facts.notes.push(format!(
                    "{display}: tree-sitter-html lost part of the page (deep nesting?); the tokenizer's reading was used"
                ));
            }
            // Page order matters for the config rules: comments, external
            // scripts and regions are all fed in document order by offset.
            for (body, span) in &doc.comments {
                a.html_comment(body, span.clone());
            }
            for (src, span) in &doc.external_scripts {
                a.external_script(src, span.clone());
            }
            for (_, value, span) in &doc.attributes {
                a.reference_attribute(value, span.clone());
            }
            for region in &doc.regions {
                // Short regions (handlers, one-line scripts) are analysed
                // anyway: they are cheap, mostly memoised, and a page with
                // none left out need not be read again for new words.
                if region.code.len() > ALWAYS_ANALYSED && !keep(&region.code) {
                    a.facts.left_out = true;
                    continue;
                }
                if !analyse_region(&mut a, &region.code, &region.map, region.lang, keep, false) {
                    a.facts.incomplete = true;
                    a.facts.notes.push(format!(
                        "{display}: a script was not analysed: parsing took longer than {} s",
                        extract::js::PARSE_TIME_LIMIT.as_secs()
                    ));
                }
            }
        }
    }
    Some(a.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo never replays a region analysed under other options (the
    /// language server lints the same document again after the config
    /// changes, on the same thread).
    #[test]
    fn the_memo_is_not_shared_between_options() {
        let page = SourceText::new(
            "<script>openChat('strat-chat'); guard(() => talkativeApi.actions.triggerAction('x'));</script>".to_owned(),
        );
        let before = AnalysisOptions::default();
        let after = AnalysisOptions {
            reference_functions: vec!["openChat".into()],
            guard_functions: vec!["guard".into()],
            ..AnalysisOptions::default()
        };
        let fresh = analyze_file(
            &page,
            FileKind::Html,
            "p.html",
            &AnalysisOptions {
                no_memo: true,
                ..after.clone()
            },
        );
        let _ = analyze_file(&page, FileKind::Html, "p.html", &before);
        let memo = analyze_file(&page, FileKind::Html, "p.html", &after);
        assert_eq!(format!("{fresh:?}"), format!("{memo:?}"));
        assert_ne!(
            format!("{fresh:?}"),
            format!(
                "{:?}",
                analyze_file(&page, FileKind::Html, "p.html", &before)
            )
        );
    }

    /// The facts of a file are held to the end of a run: no list keeps the
    /// slack it grew with.
    /// Arguments are kept where the project index can read them (a
    /// wrapper's flowing parameters, a configured function's first, any
    /// call of a name declared elsewhere), and dropped elsewhere; calls left
    /// without arguments are kept once per callee and guard fact.
    #[test]
    fn calls_keep_only_the_arguments_the_index_can_read() {
        let code = r#"
            function gtag() { dataLayer.push(arguments); }
            gtag('js', new Date());
            gtag('config', 'G-1');
            if (window.talkativeApi) { gtag('event', 'x'); }
            function w(a, b) { talkativeApi.actions.triggerAction(b).catch(() => {}); }
            w('p', 'q', 'r');
            function openChat() { show(); }
            openChat('start-chat', 2);
            elsewhere('a', 'b');
            toggleMenu(this);
            toggleMenu(this);
        "#;
        let source = SourceText::new(code.to_owned());
        let opts = AnalysisOptions {
            reference_functions: vec!["openChat".into()],
            ..AnalysisOptions::default()
        };
        let f = analyze_file(&source, FileKind::Script(extract::Lang::Js), "a.js", &opts);
        let calls = |name: &str| -> Vec<&CallFact> {
            f.calls
                .iter()
                .filter(|c| match &c.callee {
                    Callee::Local(i) => &*f.functions[*i as usize].name == name,
                    Callee::Global(n) | Callee::Method(n) => &**n == name,
                })
                .collect()
        };
        // Not a wrapper, not configured: no arguments, one call per guard fact.
        let gtag = calls("gtag");
        assert_eq!(gtag.len(), 2, "{gtag:?}");
        assert!(gtag.iter().all(|c| c.args.is_empty()));
        assert_ne!(gtag[0].guard, gtag[1].guard);
        // A wrapper of its second parameter: two arguments.
        assert_eq!(calls("w")[0].args.len(), 2);
        // Configured: its first argument.
        let open = calls("openChat");
        assert_eq!(open[0].args.len(), 1);
        assert!(matches!(&open[0].args[0], ArgVal::Names(n) if &*n[0].name == "start-chat"));
        // Declared in another file, maybe a wrapper: every argument, every call.
        assert_eq!(calls("elsewhere")[0].args.len(), 2);
        assert_eq!(calls("toggleMenu").len(), 2);

        // In a page, a global name another of its scripts declares resolves
        // to that declaration alone.
        let page = SourceText::new(
            r#"<script>function gtag() { dataLayer.push(arguments); }
               function w(a) { talkativeApi.actions.triggerAction(a).catch(() => {}); }</script>
               <script>gtag('js', new Date()); w('x', 'y');</script>
               <button onclick="gtag('event', 'click')">Go</button>"#
                .to_owned(),
        );
        let f = analyze_file(&page, FileKind::Html, "p.html", &opts);
        let args: Vec<(&str, usize)> = f
            .calls
            .iter()
            .map(|c| match &c.callee {
                Callee::Global(n) => (&**n, c.args.len()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(args, [("gtag", 0), ("w", 1)]);
    }

    /// Once the index is built, only what the rules read is kept.
    #[test]
    fn released_facts_keep_what_the_rules_read() {
        let code = "function w(n) { talkativeApi.actions.triggerAction(n); } // action-lint-disable-line\nw('a'); talkativeApi.actions.triggerAction(x);\n// action-lint-disable-next-line no-such-rule\n";
        let source = SourceText::new(code.to_owned());
        let mut f = analyze_file(
            &source,
            FileKind::Script(extract::Lang::Js),
            "a.js",
            &AnalysisOptions::default(),
        );
        assert!(
            !f.functions.is_empty() && !f.calls.is_empty() && !f.refs.is_empty(),
            "{f:?}"
        );
        let (uses, local, sup, bad) = (
            f.uses.clone(),
            f.local.clone(),
            f.suppressions.len(),
            f.bad_suppressions.len(),
        );
        assert!(
            !uses.is_empty() && !local.is_empty() && sup > 0 && bad > 0,
            "{f:?}"
        );
        f.release_indexed();
        assert!(
            f.functions.is_empty()
                && f.calls.is_empty()
                && f.refs.is_empty()
                && f.value_refs.is_empty()
        );
        assert_eq!(
            (
                f.uses,
                f.local,
                f.suppressions.len(),
                f.bad_suppressions.len()
            ),
            (uses, local, sup, bad)
        );
    }

    /// Equal short texts of files analysed on one thread share one
    /// allocation, with or without the memo.
    #[test]
    fn files_share_their_equal_texts() {
        let opts = AnalysisOptions {
            no_memo: true,
            ..AnalysisOptions::default()
        };
        let facts = |code: &str| {
            analyze_file(
                &SourceText::new(code.to_owned()),
                FileKind::Script(extract::Lang::Js),
                "a.js",
                &opts,
            )
        };
        let a = facts("function gtag() {} talkativeApi.actions.triggerAction('start-chat');");
        let b = facts(
            "let x = 1;\nfunction gtag() {}\ntalkativeApi.actions.triggerAction('start-chat');",
        );
        let name = |f: &FileFacts| match &f.refs[0].name {
            ArgVal::Names(n) => (n[0].name.clone(), n[0].text.clone()),
            other => panic!("{other:?}"),
        };
        let ((an, at), (bn, bt)) = (name(&a), name(&b));
        assert_eq!((&*an, &*at), ("start-chat", "'start-chat'"));
        assert!(Text::ptr_eq(&an, &bn) && Text::ptr_eq(&at, &bt));
        assert!(Text::ptr_eq(&a.functions[0].name, &b.functions[0].name));
        assert!(
            Text::ptr_eq(&a.local[0].message, &b.local[0].message),
            "{:?}",
            a.local
        );
    }

    /// A file's findings share one path text, replayed regions' too.
    #[test]
    fn a_files_findings_share_one_path() {
        let script = "<script>talkativeApi.actions.triggerAction('a');</script>";
        let page = SourceText::new(format!(
            "{script}\n{script}\n<script>talkativeApi.actions.triggerAction('b');</script>"
        ));
        let f = analyze_file(&page, FileKind::Html, "p.html", &AnalysisOptions::default());
        let paths: Vec<&Text> = f.local.iter().map(|d| &d.path).collect();
        assert!(paths.len() >= 3, "{:?}", f.local);
        assert!(paths
            .iter()
            .all(|p| &***p == "p.html" && Text::ptr_eq(p, paths[0])));
    }

    #[test]
    fn facts_are_shrunk_to_their_length() {
        let mut code = String::new();
        for i in 0..9 {
            code.push_str(&format!(
                "function w{i}(a, b) {{ talkativeApi.actions.triggerAction(a ? 'x{i}' : b); }}\nw{i}('p', 'q'); go{i}(1, 2, 3);\n"
            ));
        }
        let source = SourceText::new(code);
        let opts = AnalysisOptions::default();
        let f = analyze_file(&source, FileKind::Script(extract::Lang::Js), "a.js", &opts);
        assert!(
            f.calls.len() >= 9 && f.refs.len() >= 9 && f.uses.len() >= 9,
            "{f:?}"
        );
        assert_eq!(f.functions.capacity(), f.functions.len());
        assert_eq!(f.calls.capacity(), f.calls.len());
        assert_eq!(f.refs.capacity(), f.refs.len());
        assert_eq!(f.uses.capacity(), f.uses.len());
        assert_eq!(f.local.capacity(), f.local.len());
        for c in &f.calls {
            assert_eq!(c.args.capacity(), c.args.len());
        }
        // `a ? 'x0' : b` is a mix of a name and a parameter.
        assert!(f.refs.iter().map(|r| names(&r.name)).sum::<usize>() >= 9);
    }

    /// A quick re-parse over its budget parses the edited statement alone
    /// and takes the rest from the old tree: every call is still found, at
    /// its place in the new text, and the facts say they are approximate.
    /// A parse that is not quick then gives the fresh parse's facts.
    #[test]
    fn an_edit_past_the_quick_budget_splits_the_script() {
        let mut code = String::new();
        for i in 0..300 {
            code.push_str(&format!("function h{i}(e) {{\n  e.x({i});\n}}\n"));
        }
        code.push_str("function go() {\n  talkativeApi.actions.triggerAction('near');\n}\n");
        let tail = "talkativeApi.actions.triggerAction('far');\n";
        let opts = |quick| AnalysisOptions {
            incremental: true,
            quick,
            quick_budget: Some(std::time::Duration::ZERO),
            // A replay would leave no tree to re-parse from.
            no_memo: true,
            ..AnalysisOptions::default()
        };
        let js = FileKind::Script(extract::Lang::Js);
        let run = |text: &str, quick| {
            std::thread::scope(|s| {
                s.spawn(|| {
                    let src = SourceText::new(text.to_owned());
                    let first = format!("{code}{tail}");
                    let _ = analyze_file(&SourceText::new(first), js, "a.js", &opts(false));
                    analyze_file(&src, js, "a.js", &opts(quick))
                })
                .join()
                .unwrap()
            })
        };
        let names = |f: &FileFacts, text: &str| -> Vec<(String, usize)> {
            let mut out: Vec<(String, usize)> = f
                .refs
                .iter()
                .flat_map(|r| match &r.name {
                    ArgVal::Names(n) => n.clone(),
                    _ => Vec::new(),
                })
                .map(|n| (n.name.to_string(), n.location.start.byte_offset()))
                .collect();
            out.sort();
            for (name, at) in &out {
                assert_eq!(&text[*at + 1..*at + 1 + name.len()], name, "{name} at {at}");
            }
            out
        };
        // Broken inside `go` (its call stays), and far before it.
        for broken in [
            code.replace("'near');", "'near'); (((").to_string() + tail,
            code.replace("e.x(7);", "e.x((((7);") + tail,
        ] {
            let quick = run(&broken, true);
            assert!(quick.approximate, "{broken:.40}");
            let found = names(&quick, &broken);
            assert_eq!(found.len(), 2, "{found:?}");
            let exact = run(&broken, false);
            assert!(!exact.approximate);
            let fresh = analyze_file(
                &SourceText::new(broken.clone()),
                js,
                "a.js",
                &AnalysisOptions::default(),
            );
            assert_eq!(format!("{:?}", exact.refs), format!("{:?}", fresh.refs));
        }
    }

    /// The names in an argument value, checking every list on the way.
    fn names(v: &ArgVal) -> usize {
        match v {
            ArgVal::Names(n) => {
                assert_eq!(n.capacity(), n.len());
                n.len()
            }
            ArgVal::Mixed(p) => {
                assert_eq!(p.capacity(), p.len());
                p.iter().map(names).sum()
            }
            _ => 0,
        }
    }
}
