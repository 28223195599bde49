//! Memoised region analysis: a site repeats the same code on every page (the
//! widget's config snippet, the same chat buttons, the same analytics
//! script), and a region's facts depend only on its own text. So the workers
//! share what a region added to its file's facts, relative to the region
//! (offsets from the region's first byte, function indexes from the region's
//! first function), keyed by the region's exact text, and replays it when
//! the same text comes again — on the same page, another page, or when a page
//! is re-analysed in a later round — instead of parsing and walking it again.
//!
//! The walk keeps no state across regions that would make a region's facts
//! depend on the regions before it, except suppression comments (a
//! `disable` in one script, `enable` in another), so regions that mention
//! `action-lint-` are never memoised.
//!
//! Pages also repeat the same code with other data (an element id, a
//! tracking label, opening hours). A second key ignores the contents of
//! plain string literals and decimal numbers: a region whose text equals a
//! memoised one outside those contents is replayed when every literal the
//! walk read (through [`note_read`]) is the same too, with offsets moved by
//! the other literals' length differences. Only spans that were whole
//! `string` or `number` literals in a tree without errors may differ, and a
//! new content must be plain as well (no quote, backslash, line break, `&`
//! or control character; digits without a leading zero), so the two texts
//! have the same tree and the walk takes the same decisions.
//!
//! Both keys include the analysis options: the memo is shared by a run's
//! workers behind a lock and outlives the run (the language server's next
//! run, after a config change, must not replay facts made under the old
//! options).

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, LazyLock, RwLock};

use rustc_hash::{FxHashMap, FxHasher};
use tree_sitter::Tree;

use super::walk::{FileAnalyzer, PageEvent};
use super::{ActionRef, AnalysisOptions, ApiUse, ArgVal, CallFact, FnFact};
use crate::diagnostic::Diagnostic;
use crate::extract::{Lang, OffsetMap, Segment};
use crate::source::{Location, Pos, SourceText, Text};

/// Regions longer than this are not memoised (big scripts rarely repeat).
pub(super) const MAX_REGION: usize = 64 * 1024;
/// Past about this many bytes of memoised text and facts, the memo starts
/// afresh.
const MAX_BYTES: usize = 32 * 1024 * 1024;

/// What one region added to a file's facts; offsets relative to the region.
#[derive(Clone)]
struct Delta {
    lang: Lang,
    opts: u64,
    code: Box<str>,
    /// The region's text in the file, when it differs from `code` (entities).
    orig: Option<Box<str>>,
    /// The offset map, relative to the region's start (one segment unless decoded).
    segs: Box<[Segment]>,
    functions: Vec<FnFact>,
    calls: Vec<CallFact>,
    value_refs: Vec<Text>,
    uses: Vec<ApiUse>,
    refs: Vec<ActionRef>,
    local: Vec<Diagnostic>,
    page: Vec<PageEvent>,
    pending_active: Vec<(u32, Location, String)>,
    active_calls: Vec<(super::Callee, Arc<str>)>,
    fn_edges: Vec<(u32, super::Callee)>,
    /// The region's literals, when it can be replayed for other literal data.
    literals: Option<Box<[Kept]>>,
}

impl Delta {
    /// A copy whose texts are allocated anew, not shared with `self`.
    fn copy(&self) -> Delta {
        let mut d = self.clone();
        d.each_text(&mut |t| *t = Text::from(&**t));
        d
    }

    /// Each text of the entry's facts, to change.
    fn each_text(&mut self, f: &mut impl FnMut(&mut Text)) {
        super::each_fact_text(
            &mut self.functions,
            &mut self.calls,
            &mut self.value_refs,
            &mut self.uses,
            &mut self.refs,
            f,
        );
        for (_, sink) in self.functions.iter_mut().flat_map(|func| &mut func.flows) {
            if let super::Sink::Call { callee: c, .. } = sink {
                if let Some(t) = c.text_mut() {
                    f(t);
                }
            }
        }
        for x in &mut self.local {
            x.texts_mut(f);
        }
        for (c, reason) in &mut self.active_calls {
            if let Some(t) = c.text_mut() {
                f(t);
            }
            f(reason);
        }
        for (_, c) in &mut self.fn_edges {
            if let Some(t) = c.text_mut() {
                f(t);
            }
        }
    }

    /// About how many bytes the entry holds: its texts, its lists, and a
    /// fixed allowance for the texts inside each fact (names, snippets,
    /// messages are short and often shared).
    fn weight(&self) -> usize {
        fn list<T>(v: &[T]) -> usize {
            v.len() * (std::mem::size_of::<T>() + 48)
        }
        std::mem::size_of::<Delta>()
            + self.code.len()
            + self.orig.as_ref().map_or(0, |o| o.len())
            + list(&self.segs)
            + list(&self.functions)
            + list(&self.calls)
            + list(&self.value_refs)
            + list(&self.uses)
            + list(&self.refs)
            + list(&self.local)
            + list(&self.page)
            + list(&self.pending_active)
            + list(&self.active_calls)
            + list(&self.fn_edges)
            + self.literals.as_ref().map_or(0, |l| list(l))
    }
}

/// A literal of a memoised region: its content's range, and whether a
/// replay needs the same content (the walk read it, or it is not a whole
/// plain literal).
#[derive(Clone)]
struct Kept {
    span: Range<u32>,
    number: bool,
    fixed: bool,
    /// Not fixed, and read only as the value of action names: a replay for
    /// other content puts the new content in those names.
    value: bool,
}

#[derive(Default)]
struct Memo {
    by_hash: FxHashMap<u64, Vec<Arc<Delta>>>,
    /// Keyed by the text outside plain literal contents.
    by_shape: FxHashMap<u64, Vec<Arc<Delta>>>,
    bytes: usize,
    /// How many times the memo started afresh: an entry's address is then
    /// free for a new one (see [`Copies`]).
    generation: u64,
}

/// A worker's own copies of the memo's entries it replays, their texts
/// allocated anew. A replay clones the facts' texts: clones of a shared
/// entry's texts had two workers count the same counters up and down, and
/// `replay` took 60 % more time on two threads than on one (the counters'
/// cache lines moving between the cores).
#[derive(Default)]
struct Copies {
    /// The memo's generation the copies were made in.
    generation: u64,
    /// By the address of the memo's entry.
    of: FxHashMap<usize, std::rc::Rc<Delta>>,
    /// Those replayed for the same text, by its hash: found again without
    /// the memo's lock, whose counter the workers also shared.
    by_hash: FxHashMap<u64, Vec<std::rc::Rc<Delta>>>,
    bytes: usize,
}

thread_local! {
    static COPIES: RefCell<Copies> = RefCell::default();
}

/// This thread's copy of `d`, an entry of the memo (whose lock the caller
/// holds, so that `d` and `generation` go together); `exact`: the entry
/// was found for the same text, whose hash this is.
fn own_copy(d: &Arc<Delta>, generation: u64, exact: Option<u64>) -> std::rc::Rc<Delta> {
    COPIES.with_borrow_mut(|c| {
        // At most a quarter of the memo's size a thread.
        if c.generation != generation || c.bytes > MAX_BYTES / 4 {
            *c = Copies {
                generation,
                ..Copies::default()
            };
        }
        let at = Arc::as_ptr(d) as usize;
        let x = match c.of.get(&at) {
            Some(x) => x.clone(),
            None => {
                let x = std::rc::Rc::new(d.copy());
                c.bytes += d.weight();
                c.of.insert(at, x.clone());
                x
            }
        };
        if let Some(hash) = exact {
            c.by_hash.entry(hash).or_default().push(x.clone());
        }
        x
    })
}

/// Bytes of regions parsed and replayed (for `ACTION_LINT_TIMING`).
pub static PARSED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
pub static REPLAYED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The memo, shared by the workers of a run (and kept between the language
/// server's runs: entries are keyed by the options too).
static MEMO: LazyLock<RwLock<Memo>> = LazyLock::new(Default::default);

thread_local! {
    /// The ranges of the region's code the walk read, while it is tracked.
    static READS: RefCell<Option<Reads>> = const { RefCell::new(None) };
    /// Whether `READS` is tracking: a plain flag, cheap to test on every read.
    static TRACKING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// What a walk read of its region's code.
pub(super) struct Reads {
    ranges: Vec<Range<usize>>,
    /// String literals read only to become an action name (`NameLit`).
    values: Vec<Range<usize>>,
}

/// The walk read this range of the region's code (its text decides facts).
pub(crate) fn note_read(range: Range<usize>) {
    if !TRACKING.get() {
        return;
    }
    READS.with(|r| {
        if let Some(r) = r.borrow_mut().as_mut() {
            r.ranges.push(range);
        }
    });
}

/// The walk read a `string` literal (this range of the region's code, its
/// quotes included) only to make it the name of a `NameLit`, and nothing
/// else it decides depends on the content.
pub(crate) fn note_value_read(range: Range<usize>) {
    if !TRACKING.get() {
        return;
    }
    READS.with(|r| {
        if let Some(r) = r.borrow_mut().as_mut() {
            r.values.push(range);
        }
    });
}

/// A literal in a region's code: the range of a quoted string's content
/// (without the quotes) or of a run of digits, and whether it is plain: a
/// string content with no backslash, line break, `&`, control character or
/// U+2028/U+2029 (it could be a whole `string_fragment`), or digits with no
/// leading zero (they could be a whole decimal `number`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Literal {
    content: Range<usize>,
    plain: bool,
    number: bool,
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// The literals of `code`, by a plain scan for quotes and digits. The scan
/// knows nothing of comments, regexes or templates: a quote or a digit
/// inside one gives a span that is no literal, which [`plain_literals`]
/// later finds against the tree. A line break ends a quoted span (it cannot
/// be inside a plain string); digits inside a name are no span.
fn literals(code: &str) -> Vec<Literal> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let in_name = start > 0 && is_ident_byte(b[start - 1])
                || b.get(i).is_some_and(|&c| is_ident_byte(c));
            if !in_name {
                out.push(Literal {
                    content: start..i,
                    plain: b[start] != b'0' || i - start == 1,
                    number: true,
                });
            }
            continue;
        }
        if is_ident_byte(c) {
            // Skip the rest of a name: its digits are no number.
            while i < b.len() && is_ident_byte(b[i]) {
                i += 1;
            }
            continue;
        }
        if c != b'\'' && c != b'"' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut k = start;
        let mut plain = true;
        let end = loop {
            match b.get(k) {
                None => {
                    plain = false;
                    break b.len();
                }
                Some(&x) if x == c => break k,
                Some(b'\\') => {
                    plain = false;
                    k += 2;
                }
                Some(b'\n' | b'\r') => {
                    plain = false;
                    break k;
                }
                // `&` starts a character reference in a JSX string, and
                // tree-sitter's lexer reads a NUL as the end of the input
                // (found by the `memo_html` fuzz target): no control char.
                Some(&c) if c == b'&' || c < 0x20 || c == 0x7F => {
                    plain = false;
                    k += 1;
                }
                // U+2028 and U+2029 (E2 80 A8/A9).
                Some(0xE2)
                    if b.get(k + 1) == Some(&0x80) && matches!(b.get(k + 2), Some(0xA8 | 0xA9)) =>
                {
                    plain = false;
                    k += 3;
                }
                Some(_) => k += 1,
            }
        };
        let end = end.min(b.len());
        out.push(Literal {
            content: start.min(end)..end,
            plain,
            number: false,
        });
        i = end + 1;
    }
    out
}

/// The region's text with its literals' contents cut out, for the shape
/// key: the pieces between plain contents (other contents stay in).
fn shape_hash(lang: (Lang, u64), code: &str, literals: &[Literal]) -> u64 {
    let mut h = FxHasher::default();
    lang.hash(&mut h);
    let mut at = 0;
    for q in literals.iter().filter(|q| q.plain) {
        code[at..q.content.start].hash(&mut h);
        at = q.content.end;
    }
    code[at..].hash(&mut h);
    h.finish()
}

/// Which literal spans are a whole `string` literal's content (empty ones
/// included) or a whole `number` in `tree`. `None` when the tree has an
/// error: error recovery weighs skipped bytes, so other lengths could parse
/// otherwise.
pub(super) fn plain_literals(tree: &Tree, literals: &[Literal]) -> Option<Vec<bool>> {
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    Some(
        literals
            .iter()
            .map(|l| {
                if !l.plain || l.content.start == 0 {
                    return false;
                }
                let (s, e, kind) = if l.number {
                    (l.content.start, l.content.end, "number")
                } else {
                    (l.content.start - 1, l.content.end + 1, "string")
                };
                root.descendant_for_byte_range(s, e).is_some_and(|n| {
                    n.kind() == kind
                        && n.start_byte() == s
                        && n.end_byte() == e
                        && (l.number
                            || n.named_child_count()
                                == usize::from(l.content.start < l.content.end))
                })
            })
            .collect(),
    )
}

/// The options a region's facts depend on: a memo entry made under other
/// options is never replayed (the language server keeps its thread, and
/// its memo, while the config changes).
fn options_hash(opts: &AnalysisOptions) -> u64 {
    let mut h = FxHasher::default();
    (
        &opts.guard_functions,
        &opts.reference_functions,
        &opts.reference_attributes,
        opts.html_cross_check,
    )
        .hash(&mut h);
    h.finish()
}

/// Where a region's facts start in its file's lists.
pub(super) struct Marks {
    functions: usize,
    calls: usize,
    value_refs: usize,
    uses: usize,
    refs: usize,
    local: usize,
    page: usize,
    pending_active: usize,
    active_calls: usize,
    fn_edges: usize,
    /// Lists a memoised region must leave alone.
    untouched: (usize, usize, usize),
}

/// A region as the memo knows it: its code, its text in the file, and its
/// offset map, all relative to where it starts in the file.
pub(super) struct Key<'s> {
    lang: Lang,
    /// The options that decide facts (see [`options_hash`]).
    opts: u64,
    code: &'s str,
    orig: &'s str,
    base: usize,
    segs: Vec<Segment>,
    hash: u64,
    /// The region's literals and its shape key, when the region is
    /// the file's text itself (no entities decoded); found on first use
    /// (a region replayed for its exact text never needs them).
    shape: std::cell::OnceCell<Option<(Vec<Literal>, u64)>>,
}

impl<'s> Key<'s> {
    /// `None` when the region cannot be memoised.
    pub(super) fn new(
        file: &'s SourceText,
        opts: &AnalysisOptions,
        lang: Lang,
        code: &'s str,
        map: &OffsetMap,
    ) -> Option<Key<'s>> {
        if code.len() > MAX_REGION || code.contains("action-lint-") {
            return None;
        }
        let first = map.segments.first()?;
        let last = map.segments.last()?;
        let base = first.orig;
        let orig = file.text().get(base..last.orig + last.orig_len)?;
        let segs: Vec<Segment> = map
            .segments
            .iter()
            .map(|s| Segment {
                orig: s.orig - base,
                ..*s
            })
            .collect();
        let opts = options_hash(opts);
        let mut h = FxHasher::default();
        (lang, opts).hash(&mut h);
        code.hash(&mut h);
        orig.hash(&mut h);
        for s in &segs {
            (s.code, s.orig, s.code_len, s.orig_len).hash(&mut h);
        }
        Some(Key {
            lang,
            opts,
            code,
            orig,
            base,
            segs,
            hash: h.finish(),
            shape: std::cell::OnceCell::new(),
        })
    }

    fn shape(&self) -> Option<&(Vec<Literal>, u64)> {
        self.shape
            .get_or_init(|| {
                (self.orig == self.code && self.segs.len() == 1)
                    .then(|| literals(self.code))
                    .filter(|l| l.iter().any(|l| l.plain))
                    .map(|l| {
                        let h = shape_hash((self.lang, self.opts), self.code, &l);
                        (l, h)
                    })
            })
            .as_ref()
    }

    /// The region's literals, when they can differ in a replay.
    pub(super) fn literals(&self) -> Option<&[Literal]> {
        self.shape().map(|(l, _)| &l[..])
    }

    /// `d`'s text with other contents in strings it did not read: how
    /// offsets move from `d`'s text to this one.
    fn same_shape(&self, d: &Delta) -> Option<Shift> {
        let (new, _) = self.shape()?;
        let kept = d.literals.as_ref()?;
        if d.lang != self.lang || d.opts != self.opts || d.orig.is_some() || kept.len() != new.len()
        {
            return None;
        }
        let (old_code, new_code) = (d.code.as_bytes(), self.code.as_bytes());
        let mut moves = Vec::new();
        let mut names = Vec::new();
        let mut changed = Vec::new();
        let (mut at_old, mut at_new) = (0, 0);
        for (k, q) in kept.iter().zip(new) {
            let old = k.span.start as usize..k.span.end as usize;
            let piece = old_code.get(at_old..old.start)?;
            if piece != new_code.get(at_new..q.content.start)? {
                return None;
            }
            let (a, b) = (old_code.get(old.clone())?, new_code.get(q.content.clone())?);
            if k.number != q.number || (k.fixed && a != b) || (!k.fixed && !q.plain) {
                return None;
            }
            if a.len() != b.len() {
                moves.push((old.clone(), q.content.clone()));
            }
            if a != b {
                changed.push(q.content.clone());
                if k.value {
                    names.push(q.content.clone());
                }
            }
            (at_old, at_new) = (old.end, q.content.end);
        }
        if old_code.get(at_old..)? != new_code.get(at_new..)? {
            return None;
        }
        Some(Shift {
            moves,
            changed,
            names,
        })
    }

    fn matches(&self, d: &Delta) -> bool {
        d.lang == self.lang
            && d.opts == self.opts
            && &*d.code == self.code
            && d.orig.as_deref().unwrap_or(&d.code) == self.orig
            && *d.segs == *self.segs
    }
}

/// A fact moved to another place: its locations through `at`, its
/// function indexes through `idx` (both ways: into the memo and out of it).
trait Moved: Clone {
    fn moved(&self, at: &dyn Fn(&mut Location), idx: &dyn Fn(u32) -> u32) -> Self;
}

impl Moved for FnFact {
    fn moved(&self, at: &dyn Fn(&mut Location), idx: &dyn Fn(u32) -> u32) -> Self {
        let mut f = self.clone();
        at(&mut f.location);
        for (_, sink) in &mut f.flows {
            if let super::Sink::Call {
                callee: super::Callee::Local(i),
                ..
            } = sink
            {
                *i = idx(*i);
            }
        }
        f
    }
}

impl Moved for CallFact {
    fn moved(&self, at: &dyn Fn(&mut Location), idx: &dyn Fn(u32) -> u32) -> Self {
        let mut c = self.clone();
        at(&mut c.location);
        c.args.iter_mut().for_each(|v| each_arg_location(v, at));
        c.guard.in_fn = c.guard.in_fn.map(idx);
        if let super::Callee::Local(i) = &mut c.callee {
            *i = idx(*i);
        }
        c
    }
}

impl Moved for ApiUse {
    fn moved(&self, at: &dyn Fn(&mut Location), idx: &dyn Fn(u32) -> u32) -> Self {
        let mut u = self.clone();
        at(&mut u.location);
        u.guard.in_fn = u.guard.in_fn.map(idx);
        u
    }
}

impl Moved for ActionRef {
    fn moved(&self, at: &dyn Fn(&mut Location), idx: &dyn Fn(u32) -> u32) -> Self {
        let mut r = self.clone();
        at(&mut r.call);
        each_arg_location(&mut r.name, at);
        r.in_fn = r.in_fn.map(idx);
        r
    }
}

impl Moved for Diagnostic {
    fn moved(&self, at: &dyn Fn(&mut Location), _: &dyn Fn(u32) -> u32) -> Self {
        let mut x = self.clone();
        at(&mut x.location);
        x.related.iter_mut().for_each(|r| at(&mut r.location));
        x
    }
}

impl Moved for (u32, Location, String) {
    fn moved(&self, at: &dyn Fn(&mut Location), idx: &dyn Fn(u32) -> u32) -> Self {
        let mut l = self.1;
        at(&mut l);
        (idx(self.0), l, self.2.clone())
    }
}

/// A callee with its function index (if local) moved by `idx`.
fn moved_callee(c: &super::Callee, idx: &dyn Fn(u32) -> u32) -> super::Callee {
    match c {
        super::Callee::Local(i) => super::Callee::Local(idx(*i)),
        other => other.clone(),
    }
}

fn moved<T: Moved>(v: &[T], at: &dyn Fn(&mut Location), idx: &dyn Fn(u32) -> u32) -> Vec<T> {
    v.iter().map(|x| x.moved(at, idx)).collect()
}

/// How offsets move from a memoised text to one with other string
/// contents: each changed content's range in the old and the new text.
struct Shift {
    moves: Vec<(Range<usize>, Range<usize>)>,
    /// The ranges of the new code whose contents differ.
    changed: Vec<Range<usize>>,
    /// The new contents of literals read as action names (ranges in the
    /// new code, quotes excluded).
    names: Vec<Range<usize>>,
}

impl Shift {
    /// Where an offset of the old text is in the new one. An offset inside
    /// a changed content (the walk kept none: it did not read it) stays
    /// inside it.
    fn map(&self, o: usize) -> usize {
        let k = self.moves.partition_point(|(old, _)| old.end <= o);
        match self.moves.get(k) {
            Some((old, new)) if old.start < o => (new.start + (o - old.start)).min(new.end),
            _ => match k.checked_sub(1).and_then(|i| self.moves.get(i)) {
                Some((old, new)) => o + new.end - old.end,
                None => o,
            },
        }
    }
}

/// Replay a memoised region into `a`: one with the same text, or one with
/// the same shape and the same strings wherever the walk read them. False
/// when there is none.
pub(super) fn replay(a: &mut FileAnalyzer<'_>, key: &Key<'_>) -> bool {
    let copied = COPIES.with_borrow(|c| {
        c.by_hash
            .get(&key.hash)
            .and_then(|v| v.iter().find(|d| key.matches(d)).cloned())
    });
    let found = copied.map(|d| (d, None)).or_else(|| {
        let memo = MEMO.read().unwrap_or_else(|e| e.into_inner());
        let exact = memo
            .by_hash
            .get(&key.hash)
            .and_then(|v| v.iter().find(|d| key.matches(d)));
        match exact {
            Some(d) => Some((own_copy(d, memo.generation, Some(key.hash)), None)),
            None => key.shape().and_then(|(_, shape)| {
                memo.by_shape.get(shape)?.iter().find_map(|d| {
                    let shift = key.same_shape(d)?;
                    Some((own_copy(d, memo.generation, None), Some(shift)))
                })
            }),
        }
    });
    let Some((d, shift)) = found else {
        return false;
    };
    REPLAYED.fetch_add(key.code.len(), std::sync::atomic::Ordering::Relaxed);
    let marks = marks(a);
    let base = key.base;
    let fn_base = a.facts.functions.len() as u32;
    let file = a.file;
    let to = |o: usize| shift.as_ref().map_or(o, |s| s.map(o)) + base;
    let at = |l: &mut Location| {
        *l = file.location(&(to(l.start.byte_offset())..to(l.end.byte_offset())));
    };
    let idx = |i: u32| i + fn_base;
    a.facts.functions.extend(moved(&d.functions, &at, &idx));
    a.facts.calls.extend(moved(&d.calls, &at, &idx));
    a.facts.value_refs.extend(d.value_refs.iter().cloned());
    a.facts.uses.extend(moved(&d.uses, &at, &idx));
    a.facts.refs.extend(moved(&d.refs, &at, &idx));
    if !d.local.is_empty() {
        for mut x in moved(&d.local, &at, &idx) {
            x.path = a.display.clone();
            x.related
                .iter_mut()
                .for_each(|r| r.path = a.display.clone());
            a.facts.local.push(x);
        }
    }
    let region_index = a.region_index;
    for e in &d.page {
        let mut e = e.clone();
        at(&mut e.location);
        e.offset = to(e.offset);
        e.scope = e.scope.map(|(_, node)| (region_index, node));
        a.page.push(e);
    }
    a.pending_active.extend(moved(&d.pending_active, &at, &idx));
    a.active_calls.extend(
        d.active_calls
            .iter()
            .map(|(c, r)| (moved_callee(c, &idx), r.clone())),
    );
    a.fn_edges.extend(
        d.fn_edges
            .iter()
            .map(|(x, c)| (idx(*x), moved_callee(c, &idx))),
    );
    a.region_index += 1;
    if let Some(s) = shift.as_ref().filter(|s| !s.changed.is_empty()) {
        other_contents(a, &marks, s, base, key.code);
    }
    true
}

/// After a replay for other string contents (`s`): the snippets that hold
/// a changed content are taken again from the new text, and names spelt by
/// a literal read only as a name get its new content. The facts since `m`
/// are the replayed ones; `base` is where the region starts in the file.
fn other_contents(a: &mut FileAnalyzer<'_>, m: &Marks, s: &Shift, base: usize, code: &str) {
    let file = a.file;
    let changed: Vec<Range<usize>> = s
        .changed
        .iter()
        .map(|c| c.start + base..c.end + base)
        .collect();
    // Changed contents do not overlap and are in order.
    let touches = |l: &Location| {
        let k = changed.partition_point(|c| c.end <= l.start.byte_offset());
        changed
            .get(k)
            .is_some_and(|c| c.start < l.end.byte_offset())
    };
    let snippet = |l: &Location| {
        super::walk::capped(file.slice(&(l.start.byte_offset()..l.end.byte_offset())))
    };
    let names: FxHashMap<usize, Range<usize>> = s
        .names
        .iter()
        .map(|c| (c.start - 1 + base, c.clone()))
        .collect();
    let mut redo = |v: &mut ArgVal| {
        each_leaf(v, &mut |leaf| match leaf {
            ArgVal::Names(lits) => {
                for lit in lits {
                    if touches(&lit.location) {
                        lit.text = snippet(&lit.location).into();
                    }
                    if let Some(c) = names.get(&lit.location.start.byte_offset()) {
                        if lit.location.end.byte_offset() == c.end + 1 + base {
                            lit.name = code.get(c.clone()).unwrap_or("").into();
                        }
                    }
                }
            }
            ArgVal::Dynamic { location, text } if touches(location) => {
                *text = snippet(location).into();
            }
            _ => {}
        })
    };
    for c in &mut a.facts.calls[m.calls..] {
        c.args.iter_mut().for_each(&mut redo);
    }
    for r in &mut a.facts.refs[m.refs..] {
        redo(&mut r.name);
    }
    for u in &mut a.facts.uses[m.uses..] {
        if touches(&u.location) {
            u.snippet = snippet(&u.location).into();
        }
    }
    for d in &mut a.facts.local[m.local..] {
        if !d.snippet.is_empty() && touches(&d.location) {
            d.snippet = snippet(&d.location).into();
        }
    }
    for e in &mut a.page[m.page..] {
        if touches(&e.location) {
            e.snippet = snippet(&e.location);
        }
    }
    for (_, l, text) in &mut a.pending_active[m.pending_active..] {
        if touches(l) {
            *text = snippet(l);
        }
    }
}

pub(super) fn marks(a: &FileAnalyzer<'_>) -> Marks {
    Marks {
        functions: a.facts.functions.len(),
        calls: a.facts.calls.len(),
        value_refs: a.facts.value_refs.len(),
        uses: a.facts.uses.len(),
        refs: a.facts.refs.len(),
        local: a.facts.local.len(),
        page: a.page.len(),
        pending_active: a.pending_active.len(),
        active_calls: a.active_calls.len(),
        fn_edges: a.fn_edges.len(),
        untouched: untouched(a),
    }
}

fn untouched(a: &FileAnalyzer<'_>) -> (usize, usize, usize) {
    (
        a.facts.suppressions.len(),
        a.facts.bad_suppressions.len(),
        a.facts.notes.len(),
    )
}

/// Track what the walk reads from now on.
pub(super) fn start_reads() {
    TRACKING.set(true);
    READS.with(|r| {
        *r.borrow_mut() = Some(Reads {
            ranges: Vec::new(),
            values: Vec::new(),
        })
    });
}

/// What the walk read since [`start_reads`], and what it read as values
/// only (nothing when it was not tracking). Stops tracking.
pub(super) fn take_reads() -> Reads {
    TRACKING.set(false);
    READS.with(|r| r.borrow_mut().take()).unwrap_or(Reads {
        ranges: Vec::new(),
        values: Vec::new(),
    })
}

/// The literals as a memo entry keeps them: a replay needs the same content
/// for those that are not whole plain literals (`plain`, from
/// [`plain_literals`]) and those the walk read (a string with its quotes);
/// a string read only as a name (`reads.values`) may differ, and the names
/// take the new content.
fn kept_literals(literals: &[Literal], plain: &[bool], reads: Reads) -> Box<[Kept]> {
    let Reads {
        ranges: mut reads,
        values,
    } = reads;
    let mut values: Vec<(usize, usize)> = values.into_iter().map(|r| (r.start, r.end)).collect();
    values.sort_unstable();
    reads.sort_unstable_by_key(|r| r.start);
    let mut max_end = Vec::with_capacity(reads.len());
    let mut m = 0;
    for r in &reads {
        m = m.max(r.end);
        max_end.push(m);
    }
    literals
        .iter()
        .zip(plain)
        .map(|(l, &plain)| {
            let (s, e) = if l.number {
                (l.content.start, l.content.end)
            } else {
                (l.content.start.saturating_sub(1), l.content.end + 1)
            };
            let before = reads.partition_point(|r| r.start < e);
            let fixed = !plain || (before > 0 && max_end[before - 1] > s);
            Kept {
                span: l.content.start as u32..l.content.end as u32,
                number: l.number,
                fixed,
                value: !fixed && !l.number && values.binary_search(&(s, e)).is_ok(),
            }
        })
        .collect()
}

/// Keep what the region just analysed added to `a` (since `m`). `plain`:
/// which of the key's literals are whole plain literals in the tree, and
/// what the walk read (`None`: the region is kept for its exact text only).
pub(super) fn record(
    a: &FileAnalyzer<'_>,
    m: &Marks,
    key: Key<'_>,
    plain: Option<(Vec<bool>, Reads)>,
) {
    let literals = match (key.literals(), plain) {
        (Some(l), Some((plain, reads))) => Some(kept_literals(l, &plain, reads)),
        _ => None,
    };
    if untouched(a) != m.untouched || a.facts.incomplete {
        return;
    }
    let base = key.base;
    let fn_base = m.functions as u32;
    let rel = |l: &mut Location| {
        let p = |offset: usize| Pos {
            offset: u32::try_from(offset - base).unwrap_or(u32::MAX),
            ..Pos::default()
        };
        *l = Location {
            start: p(l.start.byte_offset()),
            end: p(l.end.byte_offset()),
        };
    };
    // Indexes below the region's first function cannot occur (the walk only
    // knows the region's own functions); `unshift` would underflow, so such
    // a region is simply not memoised.
    let local_fns = |i: u32| i >= fn_base;
    let callee_fns = |c: &super::Callee| match c {
        super::Callee::Local(i) => local_fns(*i),
        _ => true,
    };
    if !a.facts.functions[m.functions..]
        .iter()
        .flat_map(|f| f.flows.iter())
        .all(|(_, s)| sink_fns(s).is_none_or(local_fns))
        || !a.facts.calls[m.calls..]
            .iter()
            .all(|c| c.guard.in_fn.is_none_or(local_fns) && callee_fns(&c.callee))
        || !a.facts.uses[m.uses..]
            .iter()
            .all(|u| u.guard.in_fn.is_none_or(local_fns))
        || !a.facts.refs[m.refs..]
            .iter()
            .all(|r| r.in_fn.is_none_or(local_fns))
        || !a.pending_active[m.pending_active..]
            .iter()
            .all(|(f, _, _)| local_fns(*f))
        || !a.active_calls[m.active_calls..]
            .iter()
            .all(|(c, _)| callee_fns(c))
        || !a.fn_edges[m.fn_edges..]
            .iter()
            .all(|(x, c)| local_fns(*x) && callee_fns(c))
    {
        return;
    }
    let unshift = |i: u32| i - fn_base;
    let (code, orig) = (key.code, key.orig);
    let shape = key.shape().map(|(_, h)| *h);
    let d = Delta {
        lang: key.lang,
        opts: key.opts,
        code: code.into(),
        orig: (orig != code).then(|| orig.into()),
        segs: key.segs.into(),
        functions: moved(&a.facts.functions[m.functions..], &rel, &unshift),
        calls: moved(&a.facts.calls[m.calls..], &rel, &unshift),
        value_refs: a.facts.value_refs[m.value_refs..].to_vec(),
        uses: moved(&a.facts.uses[m.uses..], &rel, &unshift),
        refs: moved(&a.facts.refs[m.refs..], &rel, &unshift),
        local: moved(&a.facts.local[m.local..], &rel, &unshift),
        page: a.page[m.page..]
            .iter()
            .map(|e| {
                let mut e = e.clone();
                rel(&mut e.location);
                e.offset -= base;
                e
            })
            .collect(),
        pending_active: moved(&a.pending_active[m.pending_active..], &rel, &unshift),
        active_calls: a.active_calls[m.active_calls..]
            .iter()
            .map(|(c, r)| (moved_callee(c, &unshift), r.clone()))
            .collect(),
        fn_edges: a.fn_edges[m.fn_edges..]
            .iter()
            .map(|(x, c)| (unshift(*x), moved_callee(c, &unshift)))
            .collect(),
        // Worth a shape entry only when some literal may differ.
        literals: literals.filter(|l| l.iter().any(|k| !k.fixed)),
    };
    let hash = key.hash;
    let size = d.weight();
    let d = Arc::new(d);
    let mut memo = MEMO.write().unwrap_or_else(|e| e.into_inner());
    if memo.bytes + size > MAX_BYTES {
        *memo = Memo {
            generation: memo.generation + 1,
            ..Memo::default()
        };
    }
    memo.bytes += size;
    if let (Some(shape), Some(_)) = (shape, &d.literals) {
        memo.by_shape.entry(shape).or_default().push(d.clone());
    }
    memo.by_hash.entry(hash).or_default().push(d);
}

fn sink_fns(s: &super::Sink) -> Option<u32> {
    match s {
        super::Sink::Call {
            callee: super::Callee::Local(i),
            ..
        } => Some(*i),
        _ => None,
    }
}

/// Every location inside an argument value (nesting is bounded by the
/// walk's own caps, and `Mixed` is flattened there, so this stays shallow).
/// Every `Names` and `Dynamic` part of a value (`Mixed` is looked through).
fn each_leaf(v: &mut ArgVal, f: &mut dyn FnMut(&mut ArgVal)) {
    let mut stack: Vec<&mut ArgVal> = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            ArgVal::Mixed(parts) => stack.extend(parts.iter_mut()),
            leaf => f(leaf),
        }
    }
}

fn each_arg_location(v: &mut ArgVal, f: &dyn Fn(&mut Location)) {
    each_leaf(v, &mut |leaf| match leaf {
        ArgVal::Names(names) => names.iter_mut().for_each(|n| f(&mut n.location)),
        ArgVal::Dynamic { location, .. } => f(location),
        _ => {}
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(code: &str) -> Vec<(&str, bool, bool)> {
        literals(code)
            .into_iter()
            .map(|l| (&code[l.content], l.plain, l.number))
            .collect()
    }

    #[test]
    fn literals_are_quoted_contents_and_digits_outside_names() {
        assert_eq!(
            spans(r#"f('a', "b c", 12, x1, 1e5, 0.5, 07, '', 'd\'e', '&amp;')"#),
            vec![
                ("a", true, false),
                ("b c", true, false),
                ("12", true, true),
                ("0", true, true),
                ("5", true, true),
                ("07", false, true),
                ("", true, false),
                ("d\\'e", false, false),
                ("&amp;", false, false),
            ]
        );
        // A line break ends a quoted span (a quote in a comment, say).
        assert_eq!(
            spans("// it's\nf('x')"),
            vec![("s", false, false), ("x", true, false)]
        );
        assert_eq!(spans("'open"), vec![("open", false, false)]);
        assert_eq!(
            spans("'a\0b' 'a\tb'"),
            vec![("a\0b", false, false), ("a\tb", false, false)]
        );
        assert_eq!(spans("'a\u{2028}b'"), vec![("a\u{2028}b", false, false)]);
    }

    #[test]
    fn a_worker_copies_an_entry_once_with_texts_of_its_own() {
        use crate::analysis::{analyze_file, AnalysisOptions};
        let code = "function openChatNow(n) { talkativeApi.actions.triggerAction(n); }\n\
                    openChatNow('start-chat');\n\
                    talkativeApi.actions.triggerAction('x' + y);\n\
                    talkativeCustomConfig = { events: { enterInteraction() { onEnter(); } } };\n\
                    function later() { onEnter(); }\n";
        let opts = AnalysisOptions::default();
        let kind = crate::extract::FileKind::Script(Lang::Js);
        let _ = analyze_file(&SourceText::new(code.to_owned()), kind, "a.js", &opts);
        let entry = MEMO
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .by_hash
            .values()
            .flatten()
            .find(|d| d.code.contains("openChatNow('start-chat')"))
            .cloned()
            .expect("the script is memoised");
        let texts = |mut d: Delta| {
            let mut all: Vec<Text> = Vec::new();
            d.each_text(&mut |t| all.push(t.clone()));
            all
        };
        let (shared, copied) = (texts((*entry).clone()), texts(entry.copy()));
        // Callees held apart from the calls: from an interaction handler,
        // and from one function to another.
        let callee_texts = |d: &Delta| -> Vec<Text> {
            let active = d.active_calls.iter().map(|(c, _)| c);
            let edges = d.fn_edges.iter().map(|(_, c)| c);
            active
                .chain(edges)
                .filter_map(|c| c.clone().text_mut().cloned())
                .collect()
        };
        let held_apart = callee_texts(&entry);
        assert!(held_apart.len() >= 2, "{held_apart:?}");
        for (a, b) in held_apart.iter().zip(&callee_texts(&entry.copy())) {
            assert!(!Arc::ptr_eq(a, b), "{a} is shared");
        }
        // A function name, calls' names and callees, uses, a finding.
        assert!(shared.len() >= 6, "{shared:?}");
        assert_eq!(shared, copied);
        for (a, b) in shared.iter().zip(&copied) {
            assert!(!Arc::ptr_eq(a, b), "{a} is shared");
        }
        // Copied once a generation of the memo.
        let first = own_copy(&entry, 7, None);
        assert!(std::rc::Rc::ptr_eq(&first, &own_copy(&entry, 7, None)));
        assert!(!std::rc::Rc::ptr_eq(&first, &own_copy(&entry, 8, None)));
    }

    fn plain(code: &str) -> Option<Vec<bool>> {
        let tree = crate::extract::js::parse(code, Lang::Js)?;
        plain_literals(&tree, &literals(code))
    }

    #[test]
    fn only_whole_string_and_number_literals_may_differ() {
        assert_eq!(plain("f('a', 21, '')"), Some(vec![true, true, true]));
        // In a comment, a regex, a template, a name or a decimal: no literal.
        // A quote in a comment puts the scan out of step: nothing after it
        // may differ.
        assert_eq!(
            plain("/* it's 'x' */ f('y')"),
            Some(vec![false, false, false])
        );
        assert_eq!(plain("/* 'x' */ f('y')"), Some(vec![false, true]));
        assert_eq!(plain("f(/'a'/, 'b')").map(|v| v[0]), Some(false));
        assert_eq!(plain("f(`'a'`)"), Some(vec![false]));
        assert_eq!(plain("f(1.5)"), Some(vec![false, false]));
        // A tree with an error is kept for its exact text only.
        assert_eq!(plain("f('a'"), None);
    }

    /// Found by the `memo_html` fuzz target: a NUL in a string ends
    /// tree-sitter's input there, so a string with one has another tree.
    #[test]
    fn a_string_with_a_control_char_is_not_replayed_for_its_shape() {
        use crate::analysis::{analyze_file, AnalysisOptions};
        use crate::extract::FileKind;
        let page = |s: &str| {
            SourceText::new(format!(
                "<button onclick=\"window.talkativeApi?.actions.trigger('{s}')\">x</button>"
            ))
        };
        let opts = AnalysisOptions::default();
        let _ = analyze_file(&page("x"), FileKind::Html, "a.html", &opts);
        let odd = page("!\0start-chat");
        let memo = analyze_file(&odd, FileKind::Html, "b.html", &opts);
        let fresh = analyze_file(
            &odd,
            FileKind::Html,
            "b.html",
            &AnalysisOptions {
                no_memo: true,
                ..AnalysisOptions::default()
            },
        );
        assert_eq!(format!("{memo:?}"), format!("{fresh:?}"));
    }

    /// A trigger call whose name literal the walk reads only as the name is
    /// replayed for another name: the names and the snippets holding them
    /// are taken from the new text, and the facts are a fresh walk's.
    #[test]
    fn a_literal_read_only_as_a_name_is_replayed_for_another() {
        use crate::analysis::walk::FileAnalyzer;
        use crate::analysis::{analyze_file, AnalysisOptions};
        use crate::extract::FileKind;
        // Options no other test uses: their memo entries are this test's own.
        let opts = AnalysisOptions {
            reference_functions: vec!["memoNameTestOnly".into()],
            ..AnalysisOptions::default()
        };
        let script = |name: &str| {
            SourceText::new(format!(
                "document.title = 'x';\ntalkativeApi.actions.triggerAction('{name}');\nmemoNameTestOnly(c ? '{name}' : 'b', '{name}');\n"
            ))
        };
        let kind = FileKind::Script(Lang::Js);
        let _ = analyze_file(&script("book-demo"), kind, "a.js", &opts);
        let b = script("start-chat-now");
        let mut a = FileAnalyzer::new(&b, "b.js", &opts);
        let map = OffsetMap::identity(0, b.text().len());
        let key = Key::new(&b, &opts, Lang::Js, b.text(), &map).expect("memoisable");
        assert!(replay(&mut a, &key), "replayed for its shape");
        let memo = a.finish();
        let fresh = analyze_file(
            &b,
            kind,
            "b.js",
            &AnalysisOptions {
                no_memo: true,
                ..opts.clone()
            },
        );
        let text = format!("{memo:?}");
        assert_eq!(text, format!("{fresh:?}"));
        assert!(text.contains("start-chat-now") && !text.contains("book-demo"));
    }

    #[test]
    fn offsets_move_by_the_changed_lengths_before_them() {
        // 'ab' at 3..5 became 'abcd' at 3..7; '1' at 9..10 became '' at 11..11.
        let s = Shift {
            moves: vec![(3..5, 3..7), (9..10, 11..11)],
            changed: Vec::new(),
            names: Vec::new(),
        };
        let moved: Vec<usize> = [0, 3, 4, 5, 8, 9, 10, 12]
            .iter()
            .map(|&o| s.map(o))
            .collect();
        assert_eq!(moved, vec![0, 3, 4, 7, 10, 11, 11, 13]);
    }
}
