//! The cross-file index built after the parallel pass: which functions are
//! wrappers (transitively, across files), which are existence predicates,
//! which are only ever called guarded (guard form 7), and every resolved
//! action reference. Project-level rules read it; it does no I/O.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::analysis::{is_configured, ArgVal, Callee, FileFacts, GuardFact, NameLit, Proof, Sink};
use crate::source::Location;

/// One analysed file, as the project sees it.
pub struct FileEntry {
    /// Display path (relative to the current directory, `/` separators).
    /// Shared by the file's findings (one allocation per file, not per finding).
    pub display: crate::source::Text,
    /// Path relative to the project root, for overrides.
    pub rel: String,
    /// Diagnostics are reported for this file (explicit-files mode reports only the named ones).
    pub reported: bool,
    pub facts: FileFacts,
}

/// (file index, function index within the file).
pub type FnId = (usize, u32);

/// A resolved action reference: one name (or a dynamic argument) at one site.
///
/// Owned (its texts are shared): the facts it comes from are freed once the
/// index is built (see [`FileFacts::release_indexed`]).
#[derive(Debug, Clone)]
pub enum Reference {
    Name {
        file: usize,
        lit: NameLit,
        call: Location,
    },
    Dynamic {
        file: usize,
        location: Location,
        text: crate::source::Text,
    },
}

pub struct Project {
    /// Function parameters that are action sinks.
    pub wrappers: HashSet<(FnId, usize)>,
    /// Functions whose every call is guarded and never used as a value.
    pub guarded_fns: HashSet<FnId>,
    /// Names of functions whose returns prove the API exists.
    pub predicates: HashSet<String>,
    /// Every reference, by file (one list per file in file order: joining
    /// them had held a second copy at the index's peak).
    references: Vec<Vec<Reference>>,
}

/// Top-level functions by name across the project, each name's in file
/// order: a file's own are a run of them (no map per file, which had cost
/// a map for each of thousands of pages).
struct Names<'a> {
    all: HashMap<&'a str, Vec<FnId>>,
}

impl<'a> Names<'a> {
    fn new(files: &'a [FileEntry]) -> Names<'a> {
        let mut all: HashMap<&str, Vec<FnId>> = HashMap::default();
        for (fi, f) in files.iter().enumerate() {
            for (i, func) in f.facts.functions.iter().enumerate() {
                if func.top_level {
                    all.entry(&*func.name).or_default().push((fi, i as u32));
                }
            }
        }
        Names { all }
    }

    /// The functions a call may reach: a local declaration, else a top-level
    /// function of the same file, else any project top-level function of that name.
    ///
    /// Borrowed when it can be: a name defined in every page (`gtag`) has
    /// thousands of definitions, and copying them for each call was most of
    /// the project index's time on the dense benchmark site.
    fn resolve(&self, file: usize, callee: &Callee) -> Cow<'_, [FnId]> {
        match callee {
            Callee::Local(i) => Cow::Owned(vec![(file, *i)]),
            Callee::Global(name) => {
                let Some(all) = self.all.get(&**name) else {
                    return Cow::Borrowed(&[]);
                };
                let from = all.partition_point(|(f, _)| *f < file);
                let to = from + all[from..].partition_point(|(f, _)| *f == file);
                Cow::Borrowed(if from < to { &all[from..to] } else { all })
            }
            Callee::Method(_) => Cow::Borrowed(&[]),
        }
    }
}

/// From this many files on, the per-file parts of the index run on the
/// caller's rayon pool (the engine's `install`): on the dense benchmark
/// site they were 20-30 ms on one thread while the other idled. Fewer, or
/// called outside a pool, they run on the calling thread.
const PARALLEL_FROM: usize = 256;

/// Whether the per-file parts for this many files run on the pool.
fn on_pool(files: usize) -> bool {
    // Outside a pool (the language server's workspace index, a walker
    // thread), parallel iterators would start rayon's global pool, and keep
    // its threads for the life of the process.
    files >= PARALLEL_FROM && rayon::current_thread_index().is_some()
}

/// `f` over each file and its index, results in file order.
fn per_file<'a, T: Send>(
    files: &'a [FileEntry],
    f: impl Fn(usize, &'a FileEntry) -> T + Sync + Send,
) -> Vec<T> {
    if !on_pool(files.len()) {
        files.iter().enumerate().map(|(fi, e)| f(fi, e)).collect()
    } else {
        files
            .par_iter()
            .enumerate()
            .with_min_len(64)
            .map(|(fi, e)| f(fi, e))
            .collect()
    }
}

/// [`per_file`] with each file's entry to change.
fn per_file_mut<T: Send>(
    files: &mut [FileEntry],
    f: impl Fn(usize, &mut FileEntry) -> T + Sync + Send,
) -> Vec<T> {
    if !on_pool(files.len()) {
        files
            .iter_mut()
            .enumerate()
            .map(|(fi, e)| f(fi, e))
            .collect()
    } else {
        files
            .par_iter_mut()
            .enumerate()
            .with_min_len(64)
            .map(|(fi, e)| f(fi, e))
            .collect()
    }
}

fn callee_name<'a>(files: &'a [FileEntry], file: usize, callee: &'a Callee) -> &'a str {
    match callee {
        Callee::Local(i) => &files[file].facts.functions[*i as usize].name,
        Callee::Global(n) | Callee::Method(n) => n,
    }
}

/// Function parameters that are action sinks, to a fixpoint (a wrapper
/// calling a wrapper).
fn find_wrappers(
    files: &[FileEntry],
    names: &Names<'_>,
    reference_functions: &[String],
) -> HashSet<(FnId, usize)> {
    let mut wrappers: HashSet<(FnId, usize)> = HashSet::default();
    loop {
        let mut changed = false;
        for (fi, f) in files.iter().enumerate() {
            for (i, func) in f.facts.functions.iter().enumerate() {
                let id = (fi, i as u32);
                for (param, sink) in &func.flows {
                    if wrappers.contains(&(id, *param)) {
                        continue;
                    }
                    let is_sink = match sink {
                        Sink::Trigger => true,
                        Sink::Call { callee, arg } => {
                            (*arg == 0
                                && is_configured(
                                    reference_functions,
                                    callee_name(files, fi, callee),
                                ))
                                || names
                                    .resolve(fi, callee)
                                    .iter()
                                    .any(|t| wrappers.contains(&(*t, *arg)))
                        }
                    };
                    if is_sink {
                        wrappers.insert((id, *param));
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            return wrappers;
        }
    }
}

/// Between the rounds of the parallel pass only the names to look for in
/// files not analysed yet are needed, not the whole index: wrappers, and
/// the functions whose calls decide whether a use is guarded (guard form 7):
/// those that contain a use, and those that call one of them, transitively
/// (a call inside a function is guarded when all calls of that function
/// are, so an unguarded call of the caller in another file matters too).
pub fn names_to_search(files: &[FileEntry], reference_functions: &[String]) -> HashSet<String> {
    let wrappers = find_wrappers(files, &Names::new(files), reference_functions);
    let mut out: HashSet<String> = HashSet::default();
    for ((fi, i), _) in &wrappers {
        out.insert(files[*fi].facts.functions[*i as usize].name.to_string());
    }
    let mut guard_names: HashSet<String> = HashSet::default();
    for f in files {
        for u in &f.facts.uses {
            if let Some(i) = u.guard.in_fn {
                guard_names.insert(f.facts.functions[i as usize].name.to_string());
            }
        }
    }
    add_callers(files, &mut guard_names);
    out.extend(guard_names);
    out
}

/// Add to `names`, to a fixpoint, the names of the functions in `files`
/// that call one of them. By name: an over-approximation only makes more
/// files read.
pub fn add_callers(files: &[FileEntry], names: &mut HashSet<String>) {
    loop {
        let before = names.len();
        let found = per_file(files, |fi, f| {
            let mut found: Vec<&str> = Vec::new();
            for c in &f.facts.calls {
                let Some(caller) = c.guard.in_fn else {
                    continue;
                };
                let caller = &f.facts.functions[caller as usize].name;
                if !names.contains(&**caller) && names.contains(callee_name(files, fi, &c.callee)) {
                    found.push(caller);
                }
            }
            found
        });
        names.extend(found.into_iter().flatten().map(str::to_owned));
        if names.len() == before {
            break;
        }
    }
}

/// The calls of each file whose arguments are action names: (call index,
/// argument positions).
type Sites = Vec<Vec<(usize, Vec<usize>)>>;

impl Project {
    /// The index of `files`, which are left as they are.
    pub fn build(files: &[FileEntry], reference_functions: &[String]) -> Project {
        let (mut project, sites) = Project::index(files, reference_functions);
        project.references = per_file(files, |fi, f| {
            let facts = &f.facts;
            let refs = facts.refs.iter().map(|r| (r.name.clone(), r.call));
            collect_references(fi, refs, &sites[fi], |ci, p| {
                let c = &facts.calls[ci];
                (c.args[p].clone(), c.location)
            })
        });
        project
    }

    /// The index of `files`, freeing the facts only the index reads as it
    /// goes (see [`FileFacts::release_indexed`]): the references are moved
    /// out of them, not copied. On a large site the facts and a copy of
    /// their references had made the run's peak memory.
    ///
    /// `beside` reads the files while the index is built, on the pool's
    /// other thread when the index's per-file parts run on the pool (see
    /// `on_pool`), else after it on the calling thread: the index's serial
    /// parts leave a thread idle.
    pub fn build_releasing<R: Send>(
        files: &mut [FileEntry],
        reference_functions: &[String],
        beside: impl FnOnce(&[FileEntry]) -> R + Send,
    ) -> (Project, R) {
        let shared: &[FileEntry] = files;
        let index = || Project::index(shared, reference_functions);
        let ((mut project, sites), beside) = if on_pool(shared.len()) {
            rayon::join(index, || beside(shared))
        } else {
            (index(), beside(shared))
        };
        project.references = per_file_mut(files, |fi, f| {
            let facts = &mut f.facts;
            let refs = std::mem::take(&mut facts.refs).into_iter();
            let references =
                collect_references(fi, refs.map(|r| (r.name, r.call)), &sites[fi], |ci, p| {
                    let c = &mut facts.calls[ci];
                    (
                        std::mem::replace(&mut c.args[p], ArgVal::Absent),
                        c.location,
                    )
                });
            facts.release_indexed();
            references
        });
        (project, beside)
    }

    /// Everything but the references, and where they are.
    fn index(files: &[FileEntry], reference_functions: &[String]) -> (Project, Sites) {
        let names = Names::new(files);
        let wrappers = find_wrappers(files, &names, reference_functions);

        // Predicates and value uses are matched by name across the project.
        let predicates: HashSet<String> = files
            .iter()
            .flat_map(|f| {
                f.facts
                    .functions
                    .iter()
                    .filter(|f| f.predicate)
                    .map(|f| f.name.to_string())
            })
            .collect();
        let value_used: HashSet<&str> = files
            .iter()
            .flat_map(|f| f.facts.value_refs.iter().map(|v| &**v))
            .collect();
        let proof_ok = |p: &Proof| match p {
            Proof::Yes => true,
            Proof::Pred(names) => names.iter().any(|n| predicates.contains(n)),
            Proof::No => false,
        };

        // Calls of each function.
        let resolved = per_file(files, |fi, f| {
            let mut calls: Vec<(FnId, &GuardFact)> = Vec::new();
            for c in &f.facts.calls {
                for t in names.resolve(fi, &c.callee).iter() {
                    calls.push((*t, &c.guard));
                }
            }
            calls
        });
        let mut calls_of: HashMap<FnId, Vec<(usize, &GuardFact)>> = HashMap::default();
        for (fi, calls) in resolved.into_iter().enumerate() {
            for (t, g) in calls {
                calls_of.entry(t).or_default().push((fi, g));
            }
        }
        // Guard form 7: the greatest set of functions whose calls are all guarded.
        let mut guarded_fns: HashSet<FnId> = calls_of
            .keys()
            .copied()
            .filter(|id| !value_used.contains(&*files[id.0].facts.functions[id.1 as usize].name))
            .collect();
        loop {
            let before = guarded_fns.len();
            let snapshot = guarded_fns.clone();
            guarded_fns.retain(|id| {
                calls_of[id].iter().all(|(fi, g)| {
                    proof_ok(&g.proof) || g.in_fn.is_some_and(|f| snapshot.contains(&(*fi, f)))
                })
            });
            if guarded_fns.len() == before {
                break;
            }
        }
        drop(calls_of);

        // Every reference: direct ones, then wrapper and configured-function call sites.
        let mut sink_params: HashMap<FnId, Vec<usize>> = HashMap::default();
        for (w, p) in &wrappers {
            sink_params.entry(*w).or_default().push(*p);
        }
        let sites = per_file(files, |fi, f| {
            let mut sites = Vec::new();
            for (ci, c) in f.facts.calls.iter().enumerate() {
                let mut params: Vec<usize> = if sink_params.is_empty() {
                    Vec::new()
                } else {
                    names
                        .resolve(fi, &c.callee)
                        .iter()
                        .filter_map(|t| sink_params.get(t))
                        .flatten()
                        .copied()
                        .collect()
                };
                if is_configured(reference_functions, callee_name(files, fi, &c.callee)) {
                    params.push(0);
                }
                params.sort();
                params.dedup();
                params.retain(|p| *p < c.args.len());
                if !params.is_empty() {
                    sites.push((ci, params));
                }
            }
            sites
        });

        let project = Project {
            wrappers,
            guarded_fns,
            predicates,
            references: Vec::new(),
        };
        (project, sites)
    }

    /// Every resolved action reference, in file order.
    pub fn references(&self) -> impl Iterator<Item = &Reference> {
        self.references.iter().flatten()
    }

    /// Is a use with this guard fact guarded?
    pub fn is_guarded(&self, file: usize, g: &GuardFact) -> bool {
        let proof = match &g.proof {
            Proof::Yes => true,
            Proof::Pred(names) => names.iter().any(|n| self.predicates.contains(n)),
            Proof::No => false,
        };
        proof
            || g.in_fn
                .is_some_and(|f| self.guarded_fns.contains(&(file, f)))
    }
}

/// A file's references: its direct ones (`refs`, each value with its call),
/// then the arguments at its reference sites, which `arg` gives by (call
/// index, position) — copied or moved out of the facts.
fn collect_references(
    file: usize,
    refs: impl Iterator<Item = (ArgVal, Location)>,
    sites: &[(usize, Vec<usize>)],
    mut arg: impl FnMut(usize, usize) -> (ArgVal, Location),
) -> Vec<Reference> {
    let mut out = Vec::new();
    for (v, call) in refs {
        push_refs(&mut out, file, v, call);
    }
    for (ci, params) in sites {
        for p in params {
            let (v, call) = arg(*ci, *p);
            push_refs(&mut out, file, v, call);
        }
    }
    out.shrink_to_fit();
    out
}

fn push_refs(out: &mut Vec<Reference>, file: usize, v: ArgVal, call: Location) {
    match v {
        ArgVal::Names(names) => {
            for lit in names {
                out.push(Reference::Name { file, lit, call });
            }
        }
        ArgVal::Dynamic { location, text } => out.push(Reference::Dynamic {
            file,
            location,
            text,
        }),
        ArgVal::Mixed(parts) => {
            for p in parts {
                push_refs(out, file, p, call);
            }
        }
        ArgVal::Param(_) | ArgVal::Absent => {}
    }
}

#[cfg(test)]
mod tests {
    use super::{per_file, FileEntry, Project, PARALLEL_FROM};
    use crate::analysis::{analyze_file, AnalysisOptions};
    use crate::extract::{FileKind, Lang};
    use crate::source::SourceText;

    /// Moving the references out of the facts finds what copying them does,
    /// and leaves only what the rules read.
    #[test]
    fn the_releasing_index_finds_the_same_references() {
        let opts = AnalysisOptions {
            reference_functions: vec!["openChat".into()],
            ..AnalysisOptions::default()
        };
        let files = [
            "function w(a, b) { talkativeApi.actions.triggerAction(b ? a : 'x'); }",
            "w(el.value, 'p'); w('q', 1); openChat('start-chat'); openChat(n);\ntalkativeApi.actions.triggerAction(c ? 'a' : d);",
            "function v(n) { w(n, 2); } v('r'); talkativeApi.actions.triggerAction(`t`);",
        ];
        let entries = || -> Vec<FileEntry> {
            files
                .iter()
                .enumerate()
                .map(|(i, code)| FileEntry {
                    display: format!("{i}.js").into(),
                    rel: format!("{i}.js"),
                    reported: true,
                    facts: analyze_file(
                        &SourceText::new((*code).to_owned()),
                        FileKind::Script(Lang::Js),
                        &format!("{i}.js"),
                        &opts,
                    ),
                })
                .collect()
        };
        let kept = entries();
        let copied = Project::build(&kept, &opts.reference_functions);
        let mut released = entries();
        let (moved, ()) =
            Project::build_releasing(&mut released, &opts.reference_functions, |_| ());
        let show = |p: &Project| p.references().map(|r| format!("{r:?}")).collect::<Vec<_>>();
        assert_eq!(show(&moved), show(&copied));
        // The wrapper's two call sites (a name, a dynamic value), `v`'s
        // forwarding call, the configured function's two, the direct ones.
        assert!(show(&copied).len() >= 8, "{:#?}", show(&copied));
        assert_eq!(
            (&moved.wrappers, &moved.guarded_fns),
            (&copied.wrappers, &copied.guarded_fns)
        );
        for (k, r) in kept.iter().zip(&released) {
            assert!(
                r.facts.calls.is_empty() && r.facts.refs.is_empty() && r.facts.functions.is_empty()
            );
            assert_eq!(k.facts.uses, r.facts.uses);
        }
    }

    /// Results are used by position as file indices: on the pool too, they
    /// come back in file order.
    #[test]
    fn per_file_keeps_the_file_order_on_a_pool() {
        let files: Vec<FileEntry> = (0..4 * PARALLEL_FROM)
            .map(|i| FileEntry {
                display: i.to_string().into(),
                rel: String::new(),
                reported: true,
                facts: Default::default(),
            })
            .collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let on_pool = |fi, f: &FileEntry| (fi, f.display.clone(), rayon::current_thread_index());
        let got = pool.install(|| per_file(&files, on_pool));
        assert_eq!(got.len(), files.len());
        for (i, (fi, display, worker)) in got.into_iter().enumerate() {
            assert_eq!((fi, &*display), (i, &*i.to_string()));
            assert!(worker.is_some());
        }
        // Outside a pool, on the calling thread: no global pool is started.
        let got = per_file(&files, on_pool);
        assert!(got.iter().all(|(_, _, worker)| worker.is_none()));
        assert_eq!(got.len(), files.len());
    }
}
