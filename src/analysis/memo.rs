//! Memoised region analysis: a site repeats the same code on every page (the
//! widget's config snippet, the same chat buttons, the same analytics
//! script), and a region's facts depend only on its own text. So each worker
//! keeps what a region added to its file's facts, relative to the region
//! (offsets from the region's first byte, function indexes from the region's
//! first function), keyed by the region's exact text, and replays it when
//! the same text comes again — on the same page, another page, or when a page
//! is re-analysed in a later round — instead of parsing and walking it again.
//!
//! The walk keeps no state across regions that would make a region's facts
//! depend on the regions before it, except suppression comments (a
//! `disable` in one script, `enable` in another), so regions that mention
//! `action-lint-` are never memoised.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHasher};

use super::walk::{FileAnalyzer, PageEvent};
use super::{ActionRef, ApiUse, ArgVal, CallFact, FnFact};
use crate::diagnostic::Diagnostic;
use crate::extract::{Lang, OffsetMap, Segment};
use crate::source::{Location, Pos, SourceText};

/// Regions longer than this are not memoised (big scripts rarely repeat).
const MAX_REGION: usize = 64 * 1024;
/// Per worker: past this many bytes of memoised text, the memo starts afresh.
const MAX_BYTES: usize = 8 * 1024 * 1024;

/// What one region added to a file's facts; offsets relative to the region.
struct Delta {
    lang: Lang,
    code: Box<str>,
    /// The region's text in the file, when it differs from `code` (entities).
    orig: Option<Box<str>>,
    /// The offset map, relative to the region's start (one segment unless decoded).
    segs: Box<[Segment]>,
    functions: Vec<FnFact>,
    calls: Vec<CallFact>,
    value_refs: Vec<String>,
    uses: Vec<ApiUse>,
    refs: Vec<ActionRef>,
    local: Vec<Diagnostic>,
    page: Vec<PageEvent>,
    pending_active: Vec<(u32, Location, String)>,
    active_calls: Vec<(u32, Rc<str>)>,
    fn_edges: Vec<(u32, u32)>,
}

#[derive(Default)]
struct Memo {
    by_hash: FxHashMap<u64, Vec<Rc<Delta>>>,
    bytes: usize,
}

/// Bytes of regions parsed and replayed (for `ACTION_LINT_TIMING`).
pub static PARSED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
pub static REPLAYED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
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
    code: &'s str,
    orig: &'s str,
    base: usize,
    segs: Vec<Segment>,
    hash: u64,
}

impl<'s> Key<'s> {
    /// `None` when the region cannot be memoised.
    pub(super) fn new(
        file: &'s SourceText,
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
        let mut h = FxHasher::default();
        lang.hash(&mut h);
        code.hash(&mut h);
        orig.hash(&mut h);
        for s in &segs {
            (s.code, s.orig, s.code_len, s.orig_len).hash(&mut h);
        }
        Some(Key {
            lang,
            code,
            orig,
            base,
            segs,
            hash: h.finish(),
        })
    }

    fn matches(&self, d: &Delta) -> bool {
        d.lang == self.lang
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

fn moved<T: Moved>(v: &[T], at: &dyn Fn(&mut Location), idx: &dyn Fn(u32) -> u32) -> Vec<T> {
    v.iter().map(|x| x.moved(at, idx)).collect()
}

/// Replay a memoised region into `a`. False when it is not memoised.
pub(super) fn replay(a: &mut FileAnalyzer<'_>, key: &Key<'_>) -> bool {
    let found = MEMO.with(|m| {
        let m = m.borrow();
        m.by_hash
            .get(&key.hash)
            .and_then(|v| v.iter().find(|d| key.matches(d)).cloned())
    });
    let Some(d) = found else {
        return false;
    };
    REPLAYED.fetch_add(key.code.len(), std::sync::atomic::Ordering::Relaxed);
    let base = key.base;
    let fn_base = a.facts.functions.len() as u32;
    let file = a.file;
    let at = |l: &mut Location| {
        *l = file.location(&(l.start.offset + base..l.end.offset + base));
    };
    let idx = |i: u32| i + fn_base;
    a.facts.functions.extend(moved(&d.functions, &at, &idx));
    a.facts.calls.extend(moved(&d.calls, &at, &idx));
    a.facts.value_refs.extend(d.value_refs.iter().cloned());
    a.facts.uses.extend(moved(&d.uses, &at, &idx));
    a.facts.refs.extend(moved(&d.refs, &at, &idx));
    for mut x in moved(&d.local, &at, &idx) {
        x.path = a.display.to_owned();
        x.related
            .iter_mut()
            .for_each(|r| r.path = a.display.to_owned());
        a.facts.local.push(x);
    }
    let region_index = a.region_index;
    for e in &d.page {
        let mut e = e.clone();
        at(&mut e.location);
        e.offset += base;
        e.scope = e.scope.map(|(_, node)| (region_index, node));
        a.page.push(e);
    }
    a.pending_active.extend(moved(&d.pending_active, &at, &idx));
    a.active_calls
        .extend(d.active_calls.iter().map(|(f, r)| (idx(*f), r.clone())));
    a.fn_edges
        .extend(d.fn_edges.iter().map(|(x, y)| (idx(*x), idx(*y))));
    a.region_index += 1;
    true
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

/// Keep what the region just analysed added to `a` (since `m`).
pub(super) fn record(a: &FileAnalyzer<'_>, m: &Marks, key: Key<'_>) {
    if untouched(a) != m.untouched || a.facts.incomplete {
        return;
    }
    let base = key.base;
    let fn_base = m.functions as u32;
    let rel = |l: &mut Location| {
        let p = |offset: usize| Pos {
            offset: offset - base,
            ..Pos::default()
        };
        *l = Location {
            start: p(l.start.offset),
            end: p(l.end.offset),
        };
    };
    // Indexes below the region's first function cannot occur (the walk only
    // knows the region's own functions); `unshift` would underflow, so such
    // a region is simply not memoised.
    let local_fns = |i: u32| i >= fn_base;
    if !a.facts.functions[m.functions..]
        .iter()
        .flat_map(|f| f.flows.iter())
        .all(|(_, s)| sink_fns(s).is_none_or(local_fns))
        || !a.facts.calls[m.calls..].iter().all(|c| {
            c.guard.in_fn.is_none_or(local_fns)
                && match &c.callee {
                    super::Callee::Local(i) => local_fns(*i),
                    _ => true,
                }
        })
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
            .all(|(f, _)| local_fns(*f))
        || !a.fn_edges[m.fn_edges..]
            .iter()
            .all(|(x, y)| local_fns(*x) && local_fns(*y))
    {
        return;
    }
    let unshift = |i: u32| i - fn_base;
    let (code, orig) = (key.code, key.orig);
    let d = Delta {
        lang: key.lang,
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
            .map(|(f, r)| (unshift(*f), r.clone()))
            .collect(),
        fn_edges: a.fn_edges[m.fn_edges..]
            .iter()
            .map(|(x, y)| (unshift(*x), unshift(*y)))
            .collect(),
    };
    let hash = key.hash;
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        let size = code.len() + if orig != code { orig.len() } else { 0 };
        if memo.bytes + size > MAX_BYTES {
            *memo = Memo::default();
        }
        memo.bytes += size;
        memo.by_hash.entry(hash).or_default().push(Rc::new(d));
    });
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
fn each_arg_location(v: &mut ArgVal, f: &dyn Fn(&mut Location)) {
    let mut stack: Vec<&mut ArgVal> = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            ArgVal::Names(names) => names.iter_mut().for_each(|n| f(&mut n.location)),
            ArgVal::Dynamic { location, .. } => f(location),
            ArgVal::Mixed(parts) => stack.extend(parts.iter_mut()),
            ArgVal::Param(_) | ArgVal::Absent => {}
        }
    }
}
