//! The main walk over one region's tree: one `TreeCursor` pass that carries
//! the guard, lifecycle and interaction context down (never `Node::parent()`,
//! never recursion on tree depth), and records facts as it meets them.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::rc::Rc;
use std::sync::Arc;

use tree_sitter::{Node, Tree};

use crate::extract::ts::NodeExt;

use super::api::{self, Members};
use super::scope::{
    self, is_function, key_name, property_name, string_value, text, unwrap_expr, DeclKind, Scopes,
};
use super::select::{Selection, Skip};
use super::suppress_parse::{parse_directive, Directive};
use super::*;
use crate::diagnostic::Diagnostic;
use crate::extract::OffsetMap;
use crate::rules;
use crate::source::{SourceText, Span};

/// Longest snippet kept per fact, in bytes.
const SNIPPET_MAX: usize = 160;

/// Context that flows from a node to its children.
#[derive(Clone, Default)]
struct Ctx {
    /// Lexical proofs that the API exists (tests, lifecycle callbacks, guard functions).
    guard: Proof,
    /// Inside a `try` whose `catch` does not rethrow; does not reach closures.
    try_guard: bool,
    /// Innermost named project function (file-level index).
    in_fn: Option<u32>,
    /// Innermost function node of any kind (scope key for config ordering).
    fn_node: Option<usize>,
    /// Why an interaction is active here (handlers, tracking branches); reaches closures.
    active: Option<Arc<str>>,
    /// After another `triggerAction` in this flow; does not reach closures.
    seq_active: bool,
    /// Inside `events.enterStandby`: `Some(conditioned)`.
    standby: Option<bool>,
    /// Under a condition within the current function.
    cond: bool,
    /// Inside `customTracking`: the names holding its event argument.
    tracking: Option<Rc<Vec<String>>>,
}

impl Ctx {
    fn condition(&mut self) {
        self.cond = true;
        if self.standby.is_some() {
            self.standby = Some(true);
        }
    }
}

struct Frame<'t> {
    node: Node<'t>,
    field: Option<&'t str>,
    ctx: Ctx,
    /// Statement lists: an earlier `if (!api) return;` proves existence for later statements.
    exit_proof: Proof,
    /// Statement lists: an earlier statement contained a `triggerAction` call.
    seq_trigger: bool,
    /// Statement lists: an earlier `if (…) return;` conditions later statements.
    cond_exit: bool,
    /// This subtree contains a `triggerAction` call outside nested functions.
    contains_trigger: bool,
    /// Switch bodies: an empty active `case` falls through into the next.
    fallthrough: Option<Arc<str>>,
}

/// Statements that run unconditionally, in order ("the same straight-line block").
fn is_straight_line(kind: &str) -> bool {
    matches!(
        kind,
        "expression_statement"
            | "lexical_declaration"
            | "variable_declaration"
            | "return_statement"
    )
}

fn is_statement_list(kind: &str) -> bool {
    matches!(
        kind,
        "program" | "statement_block" | "switch_case" | "switch_default" | "class_static_block"
    )
}

/// The root a chain starts from.
#[derive(Debug, Clone)]
enum Root {
    /// Bare `talkativeApi`: a ReferenceError when undeclared.
    Bare,
    /// `window.talkativeApi` (or `globalThis`/`self`): undefined when absent.
    Window,
    /// A local alias of the API or of a part of it.
    Alias {
        path: Vec<String>,
        maybe_undefined: bool,
    },
}

#[derive(Debug, Clone)]
enum LinkKind {
    Member(String),
    DynMember,
    Call,
}

#[derive(Debug, Clone)]
struct Link<'t> {
    kind: LinkKind,
    node: Node<'t>,
    prop: Option<Node<'t>>,
    optional: bool,
}

/// A chain `base.a?.b(…)['c']` split into its base and links (base first).
fn flatten<'t>(outer: Node<'t>, src: &str) -> (Node<'t>, Vec<Link<'t>>) {
    let mut links = Vec::new();
    let mut cur = outer;
    loop {
        match cur.k() {
            "member_expression" => {
                let prop = cur.f("property");
                let name = prop.map(|p| text(p, src).to_owned()).unwrap_or_default();
                let optional = cur.f("optional_chain").is_some();
                links.push(Link {
                    kind: LinkKind::Member(name),
                    node: cur,
                    prop,
                    optional,
                });
                match cur.f("object") {
                    Some(o) => cur = o,
                    None => break,
                }
            }
            "subscript_expression" => {
                let optional = cur.f("optional_chain").is_some();
                let idx = cur.f("index");
                let kind = match idx.map(unwrap_expr).and_then(|i| string_value(i, src)) {
                    Some(s) => LinkKind::Member(s),
                    None => LinkKind::DynMember,
                };
                links.push(Link {
                    kind,
                    node: cur,
                    prop: idx,
                    optional,
                });
                match cur.f("object") {
                    Some(o) => cur = o,
                    None => break,
                }
            }
            "call_expression" => {
                let Some(f) = cur.f("function") else {
                    break;
                };
                if f.k() == "import" {
                    break;
                }
                let optional = cur.f("optional_chain").is_some();
                links.push(Link {
                    kind: LinkKind::Call,
                    node: cur,
                    prop: None,
                    optional,
                });
                cur = f;
            }
            // `(window as any).talkativeApi`, `window!.talkativeApi`: the
            // wrapper does not change the value.
            "non_null_expression"
            | "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression" => match cur.named_child(0) {
                Some(c) => cur = c,
                None => break,
            },
            _ => break,
        }
    }
    links.reverse();
    (cur, links)
}

/// Deferred page-order facts for `late-custom-config` / `duplicate-custom-config`.
#[derive(Clone)]
pub(super) struct PageEvent {
    pub(super) offset: usize,
    /// `None`: top level of the page/file; else (region, function node).
    pub(super) scope: Option<(usize, usize)>,
    pub(super) cond: bool,
    pub(super) loader: bool,
    pub(super) location: Location,
    pub(super) snippet: String,
}

/// A snippet of `text`: all of it, or its first `SNIPPET_MAX` bytes and `…`.
pub(super) fn capped(text: &str) -> String {
    if text.len() <= SNIPPET_MAX {
        return text.to_owned();
    }
    let mut end = SNIPPET_MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Builds one file's facts region by region.
pub struct FileAnalyzer<'a> {
    pub file: &'a SourceText,
    /// The file's display path, shared by its findings.
    pub display: Text,
    pub opts: &'a AnalysisOptions,
    pub facts: FileFacts,
    pub(super) page: Vec<PageEvent>,
    /// (function, trigger call location, snippet) not lexically active.
    pub(super) pending_active: Vec<(u32, Location, String)>,
    /// Functions called from an active context, with the reason: a local
    /// one, or a global name, which `finish` resolves to the file's
    /// top-level functions (a page's inline scripts share one global scope).
    pub(super) active_calls: Vec<(Callee, Arc<str>)>,
    /// Caller → callee edges from local functions (callees as above).
    pub(super) fn_edges: Vec<(u32, Callee)>,
    /// Names already in `facts.value_refs` from this region (the file's
    /// list is deduplicated in `finish`, so a region's facts do not depend
    /// on the regions before it and can be memoised).
    value_seen: HashSet<String>,
    /// `arguments` nodes of calls chained after an API root: evaluated only
    /// once the root was read successfully, so the API exists there.
    guarded_args: HashSet<usize>,
    pub(super) region_index: usize,
    /// Block suppressions still open: (start line, rules, location).
    open_blocks: Vec<(u32, Option<Vec<String>>, Location)>,
}

impl<'a> FileAnalyzer<'a> {
    pub fn new(file: &'a SourceText, display: &'a str, opts: &'a AnalysisOptions) -> Self {
        FileAnalyzer {
            file,
            display: display.into(),
            opts,
            facts: FileFacts::default(),
            page: Vec::new(),
            pending_active: Vec::new(),
            active_calls: Vec::new(),
            fn_edges: Vec::new(),
            value_seen: HashSet::default(),
            guarded_args: HashSet::default(),
            region_index: 0,
            open_blocks: Vec::new(),
        }
    }

    /// An external `<script src>` in an HTML page (loader ordering).
    pub fn external_script(&mut self, src_value: &str, span: Span) {
        if src_value.contains(api::LOADER_PATH) {
            let location = self.file.location(&span);
            self.page.push(PageEvent {
                offset: span.start,
                scope: None,
                cond: false,
                loader: true,
                location,
                snippet: self.file.slice(&span).to_owned(),
            });
        }
    }

    /// A configured reference attribute: its value is an action name.
    pub fn reference_attribute(&mut self, value: &str, span: Span) {
        let location = self.file.location(&span);
        let lit = NameLit {
            name: value.into(),
            location,
            text: self.file.slice(&span).into(),
        };
        self.facts.refs.push(ActionRef {
            name: ArgVal::Names(vec![lit]),
            call: location,
            in_fn: None,
        });
    }

    /// An HTML comment (suppressions).
    pub fn html_comment(&mut self, body: &str, span: Span) {
        self.comment(body, span);
    }

    fn comment(&mut self, body: &str, span: Span) {
        if !body.contains("action-lint-") {
            return;
        }
        let Some(d) = parse_directive(body) else {
            return;
        };
        let location = self.file.location(&span);
        let (rules, first, last) = match d {
            Directive::NextLine(r) => (r, location.end.line + 1, location.end.line + 1),
            Directive::Line(r) => (r, location.start.line, location.end.line),
            Directive::Disable(r) => {
                self.check_rule_names(&r, location);
                self.open_blocks.push((location.start.line, r, location));
                return;
            }
            Directive::Enable(_) => {
                if let Some((start, r, loc)) = self.open_blocks.pop() {
                    self.facts.suppressions.push(Suppression {
                        first_line: start,
                        last_line: location.end.line,
                        rules: r,
                        location: loc,
                    });
                }
                return;
            }
        };
        self.check_rule_names(&rules, location);
        self.facts.suppressions.push(Suppression {
            first_line: first,
            last_line: last,
            rules,
            location,
        });
    }

    fn check_rule_names(&mut self, rules: &Option<Vec<String>>, location: Location) {
        for r in rules.iter().flatten() {
            if crate::rules::find(r).is_none() {
                self.facts.bad_suppressions.push((r.clone(), location));
            }
        }
    }

    fn loc(&self, map: &OffsetMap, node: Node<'_>) -> (Location, Span) {
        let span = map.span_to_orig(&node.byte_range());
        (self.file.location(&span), span)
    }

    /// The source text of a span, for messages and baselines. Capped: an
    /// argument can be a whole callback, and facts are kept for every file
    /// until the end of the run.
    ///
    /// Not a read the region memo tracks: nothing is decided from a
    /// snippet, and every fact holding one holds its span as its location,
    /// so a replay for other string contents takes the snippets again from
    /// the new text (`memo::replay`).
    fn snippet(&self, span: &Span) -> String {
        capped(self.file.slice(span))
    }

    /// Push a finding decided in this file; `make` is the rule's constructor.
    fn local(
        &mut self,
        map: &OffsetMap,
        node: Node<'_>,
        make: impl FnOnce(&Text, Location, &str) -> Diagnostic,
    ) {
        let (location, span) = self.loc(map, node);
        let snippet = self.snippet(&span);
        let d = make(&self.display, location, &snippet);
        self.facts.local.push(d);
    }

    /// Analyse one parsed region.
    ///
    /// With `keep`, the top-level statements of a large region that mention
    /// no word it accepts, and are not tied to one that does, are left out
    /// (see [`super::select`]). The byte ranges in `src` of those left out.
    pub fn region(
        &mut self,
        src: &str,
        map: &OffsetMap,
        tree: &Tree,
        keep: Option<&dyn Fn(&str) -> bool>,
        exclude: Option<std::ops::Range<usize>>,
    ) -> Vec<std::ops::Range<usize>> {
        let region = map;
        self.guarded_args.clear();
        self.value_seen.clear();
        let excluded = exclude.as_ref().map(|w| Skip::within(tree, w));
        let with_excluded = |mut skip: Skip| {
            if let Some(x) = &excluded {
                skip.extend(x);
            }
            skip
        };
        let mut selection = keep.and_then(|k| Selection::new(tree, src, k));
        let mut skip = with_excluded(selection.as_ref().map(Selection::skip).unwrap_or_default());
        let mut scopes = Scopes::collect(tree, src, &skip);
        if let Some(sel) = selection.as_mut() {
            while sel.grow(scopes.visible_names()) {
                skip = with_excluded(sel.skip());
                scopes = Scopes::collect(tree, src, &skip);
            }
        }
        let base = self.facts.functions.len() as u32;
        for f in &scopes.functions {
            let (location, _) = self.loc(region, f.name_node);
            self.facts.functions.push(FnFact {
                name: f.name.as_str().into(),
                top_level: f.top_level,
                location,
                flows: ThinVec::new(),
                predicate: false,
                active_reason: None,
            });
        }
        let mut w = Walker {
            a: self,
            alias_cache: Default::default(),
            region,
            src,
            scopes: &scopes,
            base,
        };
        w.predicates();
        w.run(tree, &skip);
        self.region_index += 1;
        let mut left_out = selection
            .filter(|_| !skip.is_empty())
            .map(|sel| sel.left_out())
            .unwrap_or_default();
        if let Some(w) = &exclude {
            left_out.retain(|r| !(w.start <= r.start && r.end <= w.end));
        }
        left_out
    }

    /// The functions reachable from an active context, transitively within
    /// the file, each with why. A global name reaches the file's top-level
    /// functions of that name (as the project index resolves calls): in a
    /// page, one defined by another of its scripts.
    fn interaction_reasons(&self) -> HashMap<u32, Arc<str>> {
        let top = super::top_level_functions(&self.facts.functions);
        let targets = |c: &Callee| -> Vec<u32> {
            match c {
                Callee::Local(i) => vec![*i],
                Callee::Global(n) => top.get(&**n).cloned().unwrap_or_default(),
                Callee::Method(_) => Vec::new(),
            }
        };
        let mut reason: HashMap<u32, Arc<str>> = HashMap::default();
        let mut queue: Vec<u32> = Vec::new();
        for (c, r) in &self.active_calls {
            for f in targets(c) {
                if let std::collections::hash_map::Entry::Vacant(e) = reason.entry(f) {
                    let name = &self.facts.functions[f as usize].name;
                    e.insert(format!("'{name}' is called {r}").into());
                    queue.push(f);
                }
            }
        }
        let mut edges: HashMap<u32, Vec<u32>> = HashMap::default();
        for (caller, c) in &self.fn_edges {
            edges.entry(*caller).or_default().extend(targets(c));
        }
        while let Some(f) = queue.pop() {
            let r = reason[&f].clone();
            for &callee in edges.get(&f).into_iter().flatten() {
                if let std::collections::hash_map::Entry::Vacant(e) = reason.entry(callee) {
                    e.insert(r.clone());
                    queue.push(callee);
                }
            }
        }
        reason
    }

    /// Finish the file: same-file interaction through functions, page ordering rules.
    pub fn finish(mut self) -> FileFacts {
        let reason = self.interaction_reasons();
        for (f, location, snippet) in std::mem::take(&mut self.pending_active) {
            if let Some(r) = reason.get(&f) {
                self.facts
                    .local
                    .push(rules::call_during_interaction::finding(
                        &self.display,
                        location,
                        &snippet,
                        r,
                    ));
            }
        }
        for (f, r) in reason {
            self.facts.functions[f as usize].active_reason = Some(r.to_string());
        }
        // Unclosed block suppressions run to the end of the file.
        for (start, rules, location) in std::mem::take(&mut self.open_blocks) {
            self.facts.suppressions.push(Suppression {
                first_line: start,
                last_line: u32::MAX,
                rules,
                location,
            });
        }
        self.page_rules();
        let mut seen = HashSet::default();
        self.facts.value_refs.retain(|n| seen.insert(n.clone()));
        self.facts.prune_calls(&self.opts.reference_functions);
        self.facts.share_texts();
        self.facts.shrink();
        self.facts
    }

    fn page_rules(&mut self) {
        self.page.sort_by_key(|e| e.offset);
        let events = std::mem::take(&mut self.page);
        let mut first_config: HashMap<Option<(usize, usize)>, usize> = HashMap::default();
        for (i, e) in events.iter().enumerate() {
            if e.loader {
                continue;
            }
            if let Some(l) = events[..i].iter().find(|l| l.loader && l.scope == e.scope) {
                let d = rules::late_custom_config::finding(
                    &self.display,
                    e.location,
                    &e.snippet,
                    l.location,
                );
                self.facts.local.push(d);
            }
            if e.cond {
                continue;
            }
            match first_config.get(&e.scope) {
                Some(&j) => {
                    let d = rules::duplicate_custom_config::finding(
                        &self.display,
                        e.location,
                        &e.snippet,
                        events[j].location,
                    );
                    self.facts.local.push(d);
                }
                None => {
                    first_config.insert(e.scope, i);
                }
            }
        }
    }
}

struct Walker<'w, 'a, 't> {
    a: &'w mut FileAnalyzer<'a>,
    alias_cache: std::cell::RefCell<HashMap<usize, Option<Root>>>,
    region: &'w OffsetMap,
    src: &'w str,
    scopes: &'w Scopes<'t>,
    base: u32,
}

/// Parts of a resolved argument before they are folded into an [`ArgVal`].
enum Part {
    /// A name, the code it comes from, and whether that is one `string`
    /// literal spelling it (read as a value only, so far).
    Name(String, Span, bool),
    Dyn,
    Param(usize),
}

impl<'w, 'a, 't> Walker<'w, 'a, 't> {
    fn fn_index(&self, node: Node<'_>) -> Option<u32> {
        self.scopes
            .fn_by_node
            .get(&node.id())
            .map(|i| self.base + i)
    }

    /// Mark functions whose every `return` proves the API exists.
    fn predicates(&mut self) {
        for (i, f) in self.scopes.functions.iter().enumerate() {
            let Some(body) = f.node.f("body") else {
                continue;
            };
            let ok = if body.k() != "statement_block" {
                self.existence(body, 0).0.is_yes()
            } else {
                let mut returns = 0;
                let mut all = true;
                let mut stack = vec![body];
                let mut budget = 100_000;
                while let Some(n) = stack.pop() {
                    budget -= 1;
                    if budget == 0 {
                        all = false;
                        break;
                    }
                    if n.k() == "return_statement" {
                        returns += 1;
                        match n.named_child(0) {
                            Some(e) if self.existence(e, 0).0.is_yes() => {}
                            // One return that proves nothing settles it.
                            _ => {
                                all = false;
                                break;
                            }
                        }
                        continue;
                    }
                    if n.id() != body.id() && is_function(n.k()) {
                        continue;
                    }
                    let mut c = n.walk();
                    stack.extend(n.named_children(&mut c));
                }
                all && returns > 0
            };
            if ok {
                self.a.facts.functions[(self.base as usize) + i].predicate = true;
            }
        }
    }

    // ----- roots, aliases, existence tests -------------------------------------------------

    fn declared(&self, name: &str, at: usize) -> bool {
        self.scopes.is_declared(name, at)
    }

    /// Interpret a chain's base: the API root and how many links it used.
    fn root_of(&self, base: Node<'t>, links: &[Link<'t>], depth: u32) -> Option<(Root, usize)> {
        if base.k() != "identifier" && base.k() != "shorthand_property_identifier" {
            return None;
        }
        let name = text(base, self.src);
        let at = base.start_byte();
        if name == api::GLOBAL {
            return match self.scopes.lookup(name, at) {
                None => Some((Root::Bare, 0)),
                Some(d) => self.alias_memo(d, name, depth).map(|r| (r, 0)),
            };
        }
        if api::GLOBAL_OBJECTS.contains(&name) && !self.declared(name, at) {
            if let Some(Link {
                kind: LinkKind::Member(m),
                ..
            }) = links.first()
            {
                if m == api::GLOBAL {
                    return Some((Root::Window, 1));
                }
            }
            return None;
        }
        let d = self.scopes.lookup(name, at)?;
        self.alias_memo(d, name, depth).map(|r| (r, 0))
    }

    /// [`Self::alias_of`], remembered per declaration: a local is usually
    /// read many times, and its initialiser means the same each time.
    fn alias_memo(&self, d: &super::scope::Decl<'t>, name: &str, depth: u32) -> Option<Root> {
        if !matches!(
            d.kind,
            DeclKind::Const(_)
                | DeclKind::Mutable(Some(_))
                | DeclKind::Destructured { .. }
                | DeclKind::Param { .. }
        ) {
            return None;
        }
        let key = d as *const _ as usize;
        if let Some(r) = self.alias_cache.borrow().get(&key) {
            return r.clone();
        }
        let r = self.alias_of(&d.kind, name, depth);
        if depth == 0 {
            self.alias_cache.borrow_mut().insert(key, r.clone());
        }
        r
    }

    /// Is a declaration an alias of the API (or a part of it)?
    fn alias_of(&self, kind: &DeclKind<'t>, name: &str, depth: u32) -> Option<Root> {
        if depth > 8 {
            return None;
        }
        match kind {
            DeclKind::Const(init) | DeclKind::Mutable(Some(init)) => {
                let (base, links) = flatten(unwrap_expr(*init), self.src);
                let (root, start) = self.root_of(base, &links, depth + 1)?;
                let rest = &links[start..];
                let mut path = match &root {
                    Root::Alias { path, .. } => path.clone(),
                    _ => Vec::new(),
                };
                for l in rest {
                    match &l.kind {
                        LinkKind::Member(m) => path.push(m.clone()),
                        _ => return None,
                    }
                }
                let root_maybe = match root {
                    Root::Bare => false,
                    Root::Window => true,
                    Root::Alias {
                        maybe_undefined, ..
                    } => maybe_undefined,
                };
                let maybe_undefined = match rest.first() {
                    None => root_maybe,
                    Some(first) => root_maybe && first.optional || rest.iter().any(|l| l.optional),
                };
                Some(Root::Alias {
                    path,
                    maybe_undefined,
                })
            }
            DeclKind::Destructured { init, path } => {
                let (base, links) = flatten(unwrap_expr(*init), self.src);
                let (root, start) = self.root_of(base, &links, depth + 1)?;
                let mut full = match &root {
                    Root::Alias { path, .. } => path.clone(),
                    _ => Vec::new(),
                };
                for l in &links[start..] {
                    match &l.kind {
                        LinkKind::Member(m) => full.push(m.clone()),
                        _ => return None,
                    }
                }
                full.extend(path.iter().cloned());
                Some(Root::Alias {
                    path: full,
                    maybe_undefined: false,
                })
            }
            DeclKind::Param { .. } if name == api::GLOBAL => Some(Root::Alias {
                path: Vec::new(),
                maybe_undefined: false,
            }),
            _ => None,
        }
    }

    /// Does `node` evaluate the API root (truthy only when the API exists)?
    fn is_root_ref(&self, node: Node<'t>, depth: u32) -> bool {
        let node = unwrap_expr(node);
        let (base, links) = flatten(node, self.src);
        match self.root_of(base, &links, depth) {
            Some((Root::Alias { path, .. }, start)) => {
                path.is_empty()
                    || links[start..]
                        .iter()
                        .all(|l| !matches!(l.kind, LinkKind::Call))
            }
            Some((_, start)) => links[start..]
                .iter()
                .all(|l| !matches!(l.kind, LinkKind::Call)),
            None => false,
        }
    }

    /// What a test proves about the API when it is true / false.
    fn existence(&self, node: Node<'t>, depth: u32) -> (Proof, Proof) {
        let none = (Proof::No, Proof::No);
        if depth > 32 {
            return none;
        }
        let node = unwrap_expr(node);
        match node.k() {
            "unary_expression" => {
                let op = node.f("operator").map(|o| text(o, self.src));
                match (op, node.f("argument")) {
                    (Some("!"), Some(arg)) => {
                        let (t, f) = self.existence(arg, depth + 1);
                        (f, t)
                    }
                    _ => none,
                }
            }
            "binary_expression" => {
                let op = node.f("operator").map(|o| text(o, self.src)).unwrap_or("");
                let (Some(l), Some(r)) = (node.f("left"), node.f("right")) else {
                    return none;
                };
                match op {
                    "&&" => {
                        let (lt, lf) = self.existence(l, depth + 1);
                        let (rt, rf) = self.existence(r, depth + 1);
                        (lt.or(&rt), lf.and(&rf))
                    }
                    "||" => {
                        let (lt, lf) = self.existence(l, depth + 1);
                        let (rt, rf) = self.existence(r, depth + 1);
                        (lt.and(&rt), lf.or(&rf))
                    }
                    "===" | "==" | "!==" | "!=" => self.comparison(op, l, r, depth),
                    "in" => {
                        let l = unwrap_expr(l);
                        let r = unwrap_expr(r);
                        if string_value(l, self.src).as_deref() == Some(api::GLOBAL)
                            && r.k() == "identifier"
                            && api::GLOBAL_OBJECTS.contains(&text(r, self.src))
                        {
                            (Proof::Yes, Proof::No)
                        } else {
                            none
                        }
                    }
                    _ => none,
                }
            }
            "call_expression" => {
                let Some(f) = node.f("function").map(unwrap_expr) else {
                    return none;
                };
                if f.k() != "identifier" {
                    return none;
                }
                let name = text(f, self.src);
                let args = node.f("arguments");
                if name == "Boolean" && !self.declared(name, f.start_byte()) {
                    if let Some(a) = args.and_then(|a| a.named_child(0)) {
                        return self.existence(a, depth + 1);
                    }
                    return none;
                }
                match self.scopes.lookup(name, f.start_byte()).map(|d| &d.kind) {
                    None | Some(DeclKind::Function(_)) | Some(DeclKind::Import) => {
                        (Proof::Pred(thin_vec::thin_vec![name.to_owned()]), Proof::No)
                    }
                    _ => none,
                }
            }
            "identifier" | "member_expression" | "subscript_expression" => {
                if self.is_root_ref(node, depth + 1) {
                    (Proof::Yes, Proof::No)
                } else {
                    none
                }
            }
            _ => none,
        }
    }

    fn comparison(&self, op: &str, l: Node<'t>, r: Node<'t>, depth: u32) -> (Proof, Proof) {
        let positive = op.starts_with('!');
        let strict = op.len() == 3;
        let l = unwrap_expr(l);
        let r = unwrap_expr(r);
        // typeof X <op> 'undefined' | 'object' | 'function', either side.
        let typeof_arg = |n: Node<'t>| {
            (n.k() == "unary_expression"
                && n.f("operator").map(|o| text(o, self.src)) == Some("typeof"))
            .then(|| n.f("argument"))
            .flatten()
        };
        let (t, s) = match (typeof_arg(l), typeof_arg(r)) {
            (Some(a), _) => (Some(a), string_value(r, self.src)),
            (_, Some(a)) => (Some(a), string_value(l, self.src)),
            _ => (None, None),
        };
        if let (Some(arg), Some(s)) = (t, s) {
            if !self.is_root_ref(arg, depth + 1) {
                return (Proof::No, Proof::No);
            }
            let exists_when_equal = match s.as_str() {
                "undefined" => false,
                "object" | "function" => true,
                _ => return (Proof::No, Proof::No),
            };
            let exists_when_true = exists_when_equal != positive;
            return if exists_when_true {
                (Proof::Yes, Proof::No)
            } else {
                (Proof::No, Proof::Yes)
            };
        }
        // X <op> null | undefined.
        let is_nullish = |n: Node<'t>| match n.k() {
            "null" => Some(true),
            "undefined" => Some(false),
            "identifier" if text(n, self.src) == "undefined" => Some(false),
            _ => None,
        };
        let (x, lit_is_null) = match (is_nullish(l), is_nullish(r)) {
            (None, Some(null)) => (l, null),
            (Some(null), None) => (r, null),
            _ => return (Proof::No, Proof::No),
        };
        if !self.is_root_ref(x, depth + 1) {
            return (Proof::No, Proof::No);
        }
        // `=== null` says nothing about undefined; loose forms cover both.
        if strict && lit_is_null {
            return (Proof::No, Proof::No);
        }
        if positive {
            (Proof::Yes, Proof::No)
        } else {
            (Proof::No, Proof::Yes)
        }
    }

    /// Which active event a customTracking test compares its event with.
    fn tracked_event(&self, test: Node<'t>, vars: &[String], depth: u32) -> Option<String> {
        if depth > 32 {
            return None;
        }
        let test = unwrap_expr(test);
        if test.k() != "binary_expression" {
            return None;
        }
        let op = test.f("operator").map(|o| text(o, self.src))?;
        let l = test.f("left")?;
        let r = test.f("right")?;
        match op {
            "&&" | "||" => self
                .tracked_event(l, vars, depth + 1)
                .or_else(|| self.tracked_event(r, vars, depth + 1)),
            "===" | "==" => {
                let (l, r) = (unwrap_expr(l), unwrap_expr(r));
                let (id, s) = if l.k() == "identifier" {
                    (l, r)
                } else {
                    (r, l)
                };
                if id.k() != "identifier" || !self.is_event_var(id, vars) {
                    return None;
                }
                let name = string_value(s, self.src)?;
                api::ACTIVE_EVENTS.contains(&name.as_str()).then_some(name)
            }
            _ => None,
        }
    }

    fn is_event_var(&self, id: Node<'t>, vars: &[String]) -> bool {
        let name = text(id, self.src);
        if vars.iter().any(|v| v == name) {
            return true;
        }
        matches!(
            self.scopes.lookup(name, id.start_byte()).map(|d| &d.kind),
            Some(DeclKind::ArgumentsAlias(0))
        )
    }

    // ----- name resolution ----------------------------------------------------------------

    /// Resolve an argument to action names.
    fn resolve(&self, arg: Node<'t>, in_fn_node: Option<usize>) -> ArgVal {
        let mut parts = Vec::new();
        self.resolve_into(arg, in_fn_node, 0, &mut parts);
        let (arg_loc, arg_span) = self.a.loc(self.region, arg);
        let dynamic = || ArgVal::Dynamic {
            location: arg_loc,
            text: self.a.snippet(&arg_span).into(),
        };
        let mut names = Vec::new();
        let mut others = Vec::new();
        for p in parts {
            match p {
                Part::Name(name, span, literal) => {
                    let orig = self.region.span_to_orig(&span);
                    // A literal that only becomes this name is read as a
                    // value: the memo may replay the facts for another.
                    if literal {
                        memo::note_value_read(span);
                    }
                    names.push(NameLit {
                        name: name.into(),
                        location: self.a.file.location(&orig),
                        text: self.a.snippet(&orig).into(),
                    });
                }
                Part::Dyn => {
                    if !others.iter().any(|o| matches!(o, ArgVal::Dynamic { .. })) {
                        others.push(dynamic());
                    }
                }
                Part::Param(i) => {
                    if !others.contains(&ArgVal::Param(i)) {
                        others.push(ArgVal::Param(i));
                    }
                }
            }
        }
        match (names.is_empty(), others.len()) {
            (false, 0) => ArgVal::Names(names),
            (true, 1) => others.pop().unwrap_or(ArgVal::Absent),
            (true, 0) => dynamic(),
            _ => {
                let mut v = Vec::new();
                if !names.is_empty() {
                    v.push(ArgVal::Names(names));
                }
                v.extend(others);
                ArgVal::Mixed(v)
            }
        }
    }

    fn resolve_into(
        &self,
        node: Node<'t>,
        in_fn_node: Option<usize>,
        depth: u32,
        out: &mut Vec<Part>,
    ) {
        if depth > 24 || out.len() > 256 {
            out.push(Part::Dyn);
            return;
        }
        let node = unwrap_expr(node);
        if let Some(s) = scope::string_literal_value(node, self.src) {
            out.push(Part::Name(s, node.byte_range(), true));
            return;
        }
        if let Some(s) = string_value(node, self.src) {
            out.push(Part::Name(s, node.byte_range(), false));
            return;
        }
        match node.k() {
            "binary_expression" if node.f("operator").map(|o| text(o, self.src)) == Some("+") => {
                let (Some(l), Some(r)) = (node.f("left"), node.f("right")) else {
                    out.push(Part::Dyn);
                    return;
                };
                let mut lp = Vec::new();
                let mut rp = Vec::new();
                self.resolve_into(l, in_fn_node, depth + 1, &mut lp);
                self.resolve_into(r, in_fn_node, depth + 1, &mut rp);
                let all_names = |v: &Vec<Part>| v.iter().all(|p| matches!(p, Part::Name(..)));
                if !all_names(&lp) || !all_names(&rp) || lp.len() * rp.len() > 64 {
                    out.push(Part::Dyn);
                    return;
                }
                // The joined name depends on the literals' contents.
                for p in lp.iter().chain(&rp) {
                    if let Part::Name(_, span, true) = p {
                        memo::note_read(span.clone());
                    }
                }
                for a in &lp {
                    for b in &rp {
                        if let (Part::Name(x, ..), Part::Name(y, ..)) = (a, b) {
                            out.push(Part::Name(format!("{x}{y}"), node.byte_range(), false));
                        }
                    }
                }
            }
            "ternary_expression" => {
                for f in ["consequence", "alternative"] {
                    match node.f(f) {
                        Some(n) => self.resolve_into(n, in_fn_node, depth + 1, out),
                        None => out.push(Part::Dyn),
                    }
                }
            }
            "identifier" | "member_expression" | "subscript_expression" => {
                // Split `A.b['c']` into the base identifier and a property path.
                let mut props = Vec::new();
                let mut cur = node;
                loop {
                    match cur.k() {
                        "member_expression" | "subscript_expression" => {
                            let Some(p) = property_name(cur, self.src) else {
                                out.push(Part::Dyn);
                                return;
                            };
                            props.push(p);
                            match cur.f("object") {
                                Some(o) => cur = unwrap_expr(o),
                                None => {
                                    out.push(Part::Dyn);
                                    return;
                                }
                            }
                        }
                        "identifier" => break,
                        _ => {
                            out.push(Part::Dyn);
                            return;
                        }
                    }
                }
                props.reverse();
                self.resolve_ident_path(cur, props, in_fn_node, depth, out);
            }
            _ => out.push(Part::Dyn),
        }
    }

    fn resolve_ident_path(
        &self,
        ident: Node<'t>,
        props: Vec<String>,
        in_fn_node: Option<usize>,
        depth: u32,
        out: &mut Vec<Part>,
    ) {
        let name = text(ident, self.src);
        let Some(decl) = self.scopes.lookup(name, ident.start_byte()) else {
            out.push(Part::Dyn);
            return;
        };
        match &decl.kind {
            DeclKind::Const(init) => self.lookup_props(*init, &props, in_fn_node, depth + 1, out),
            DeclKind::Mutable(Some(init)) if self.scopes.never_reassigned(name) => {
                self.lookup_props(*init, &props, in_fn_node, depth + 1, out)
            }
            DeclKind::Param { func, index }
                if props.is_empty()
                    && Some(*func) == in_fn_node
                    && self.scopes.fn_by_node.contains_key(func) =>
            {
                out.push(Part::Param(*index))
            }
            DeclKind::Iter { source, path } => {
                let mut full = path.clone();
                full.extend(props);
                if full.iter().any(|p| p == "\u{0}") {
                    out.push(Part::Dyn);
                    return;
                }
                let Some(array) = self.array_of(*source) else {
                    out.push(Part::Dyn);
                    return;
                };
                let mut c = array.walk();
                let elems: Vec<Node<'t>> = array
                    .named_children(&mut c)
                    .filter(|n| n.k() != "comment")
                    .collect();
                if elems.is_empty() {
                    out.push(Part::Dyn);
                }
                for e in elems {
                    self.lookup_props(e, &full, in_fn_node, depth + 1, out);
                }
            }
            _ => out.push(Part::Dyn),
        }
    }

    /// The array literal an iterated expression stands for.
    fn array_of(&self, source: Node<'t>) -> Option<Node<'t>> {
        let mut cur = unwrap_expr(source);
        for _ in 0..8 {
            match cur.k() {
                "array" => return Some(cur),
                "identifier" => match &self
                    .scopes
                    .lookup(text(cur, self.src), cur.start_byte())?
                    .kind
                {
                    DeclKind::Const(init) => cur = unwrap_expr(*init),
                    DeclKind::Mutable(Some(init))
                        if self.scopes.never_reassigned(text(cur, self.src)) =>
                    {
                        cur = unwrap_expr(*init)
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// Follow a property path through object literals, then resolve the value.
    fn lookup_props(
        &self,
        value: Node<'t>,
        props: &[String],
        in_fn_node: Option<usize>,
        depth: u32,
        out: &mut Vec<Part>,
    ) {
        let value = unwrap_expr(value);
        let Some((first, rest)) = props.split_first() else {
            self.resolve_into(value, in_fn_node, depth + 1, out);
            return;
        };
        if depth > 24 {
            out.push(Part::Dyn);
            return;
        }
        match value.k() {
            "object" => {
                let mut c = value.walk();
                for prop in value.named_children(&mut c) {
                    match prop.k() {
                        "pair" => {
                            let key = prop.f("key").map(|k| key_name(k, self.src));
                            if key.as_deref() == Some(first.as_str()) {
                                if let Some(v) = prop.f("value") {
                                    self.lookup_props(v, rest, in_fn_node, depth + 1, out);
                                    return;
                                }
                            }
                        }
                        "shorthand_property_identifier" if text(prop, self.src) == first => {
                            self.resolve_ident_path(
                                prop,
                                rest.to_vec(),
                                in_fn_node,
                                depth + 1,
                                out,
                            );
                            return;
                        }
                        _ => {}
                    }
                }
                out.push(Part::Dyn);
            }
            "identifier" => {
                self.resolve_ident_path(value, props.to_vec(), in_fn_node, depth + 1, out)
            }
            _ => out.push(Part::Dyn),
        }
    }

    // ----- the walk -----------------------------------------------------------------------

    fn run(&mut self, tree: &'t Tree, skip: &Skip) {
        let mut cursor = tree.walk();
        let mut frames: Vec<Frame<'t>> = Vec::new();
        loop {
            let node = cursor.node();
            let leaf = node.child_count() == 0;
            // Punctuation and keywords (anonymous leaves) carry no facts.
            if (leaf && !node.is_named()) || (frames.len() == 1 && skip.contains(node)) {
                if !self.next(&mut cursor, &mut frames) {
                    return;
                }
                continue;
            }
            let field = cursor.field_name();
            let ctx = self.child_ctx(&mut frames, node, field);
            let contains_trigger = self.enter(node, field, &ctx, &frames);
            if !leaf && cursor.goto_first_child() {
                frames.push(Frame {
                    node,
                    field,
                    ctx,
                    exit_proof: Proof::No,
                    seq_trigger: false,
                    cond_exit: false,
                    contains_trigger,
                    fallthrough: None,
                });
                continue;
            }
            if !self.next(&mut cursor, &mut frames) {
                return;
            }
        }
    }

    /// Move to the next node in document order after a subtree, leaving
    /// the frames of the nodes finished on the way. False at the end.
    fn next(
        &mut self,
        cursor: &mut tree_sitter::TreeCursor<'t>,
        frames: &mut Vec<Frame<'t>>,
    ) -> bool {
        loop {
            if cursor.goto_next_sibling() {
                return true;
            }
            if !cursor.goto_parent() {
                return false;
            }
            let Some(done) = frames.pop() else {
                return false;
            };
            self.leave(done, frames);
        }
    }

    fn leave(&mut self, done: Frame<'t>, frames: &mut [Frame<'t>]) {
        let Some(parent) = frames.last_mut() else {
            return;
        };
        let kind = done.node.k();
        if done.contains_trigger && !is_function(kind) {
            parent.contains_trigger = true;
        }
        if is_statement_list(parent.node.k()) && done.node.is_named() {
            if done.contains_trigger && is_straight_line(kind) {
                parent.seq_trigger = true;
            }
            if kind == "if_statement" && done.node.f("alternative").is_none() {
                let exits = done.node.f("consequence").is_some_and(|c| match c.k() {
                    "return_statement" | "throw_statement" => true,
                    "statement_block" => {
                        let mut w = c.walk();
                        let exits = c
                            .named_children(&mut w)
                            .any(|s| matches!(s.k(), "return_statement" | "throw_statement"));
                        exits
                    }
                    _ => false,
                });
                if exits {
                    if let Some(test) = done.node.f("condition") {
                        let (_, when_false) = self.existence(test, 0);
                        parent.exit_proof = parent.exit_proof.or(&when_false);
                    }
                    parent.cond_exit = true;
                }
            }
        }
    }

    /// The context of `node`, from its parent frame.
    fn child_ctx(&self, frames: &mut [Frame<'t>], node: Node<'t>, field: Option<&'t str>) -> Ctx {
        let n = frames.len();
        if n == 0 {
            return Ctx::default();
        }
        let (pnode, mut c) = {
            let p = &frames[n - 1];
            (p.node, p.ctx.clone())
        };
        let pkind = pnode.k();
        if is_statement_list(pkind) && node.is_named() && node.k() != "comment" {
            let p = &frames[n - 1];
            if node.k() != "function_declaration" {
                c.guard = c.guard.or(&p.exit_proof);
            }
            // Only straight-line statements run "after": not the bodies of
            // later `if`s or loops, and never functions created there.
            if p.seq_trigger && is_straight_line(node.k()) {
                c.seq_active = true;
            }
            if p.cond_exit {
                c.condition();
            }
        }
        if node.k() == "arguments" && self.a.guarded_args.contains(&node.id()) {
            c.guard = Proof::Yes;
        }
        match (pkind, field) {
            ("if_statement", Some("consequence")) | ("if_statement", Some("alternative")) => {
                if let Some(test) = pnode.f("condition") {
                    let (t, f) = self.existence(test, 0);
                    let consequence = field == Some("consequence");
                    c.guard = c.guard.or(if consequence { &t } else { &f });
                    if consequence {
                        if let Some(vars) = c.tracking.clone() {
                            if let Some(ev) = self.tracked_event(test, &vars, 0) {
                                c.active = Some(
                                    rules::call_during_interaction::reason_tracking_branch(&ev)
                                        .into(),
                                );
                            }
                        }
                    }
                }
                c.condition();
            }
            ("binary_expression", Some("right")) => {
                let op = pnode.f("operator").map(|o| text(o, self.src)).unwrap_or("");
                if let Some(l) = pnode.f("left") {
                    match op {
                        "&&" => c.guard = c.guard.or(&self.existence(l, 0).0),
                        "||" => c.guard = c.guard.or(&self.existence(l, 0).1),
                        _ => {}
                    }
                }
                if matches!(op, "&&" | "||" | "??") {
                    c.condition();
                }
            }
            ("ternary_expression", Some(f @ ("consequence" | "alternative"))) => {
                if let Some(test) = pnode.f("condition") {
                    let (t, fl) = self.existence(test, 0);
                    c.guard = c.guard.or(if f == "consequence" { &t } else { &fl });
                }
                c.condition();
            }
            ("while_statement", Some("body")) | ("for_statement", Some("body")) => {
                if let Some(test) = pnode.f("condition") {
                    c.guard = c.guard.or(&self.existence(test, 0).0);
                }
                c.condition();
            }
            ("for_in_statement", Some("body")) => c.condition(),
            ("switch_body", _) if matches!(node.k(), "switch_case" | "switch_default") => {
                c.condition();
                if let Some(vars) = c.tracking.clone() {
                    let switch = frames.get(n.wrapping_sub(2)).map(|f| f.node);
                    let on_event = switch
                        .and_then(|s| s.f("value"))
                        .map(unwrap_expr)
                        .is_some_and(|v| v.k() == "identifier" && self.is_event_var(v, &vars));
                    let mut reason = frames[n - 1].fallthrough.take();
                    if on_event {
                        if let Some(ev) = node
                            .f("value")
                            .and_then(|v| string_value(unwrap_expr(v), self.src))
                        {
                            if api::ACTIVE_EVENTS.contains(&ev.as_str()) {
                                reason = Some(
                                    rules::call_during_interaction::reason_tracking_case(&ev)
                                        .into(),
                                );
                            }
                        }
                    }
                    let has_body = node.f("body").is_some();
                    if !has_body {
                        frames[n - 1].fallthrough = reason.clone();
                    }
                    if reason.is_some() {
                        c.active = reason;
                    }
                }
            }
            ("try_statement", Some("body")) => {
                if let Some(handler) = pnode.f("handler") {
                    c.try_guard = !rethrows(handler);
                }
            }
            _ => {}
        }
        if is_function(node.k()) {
            c.try_guard = false;
            c.seq_active = false;
            c.cond = false;
            c.fn_node = Some(node.id());
            if let Some(i) = self.fn_index(node) {
                c.in_fn = Some(i);
            }
            self.function_ctx(frames, node, field, &mut c);
        }
        c
    }

    /// Lifecycle callbacks, guard-function callbacks, `.then` after a trigger.
    fn function_ctx(
        &self,
        frames: &[Frame<'t>],
        func: Node<'t>,
        field: Option<&'t str>,
        c: &mut Ctx,
    ) {
        let n = frames.len();
        let parent = frames[n - 1].node;
        // The key this function is the value of, and the object holding it.
        let (key, holder) = if func.k() == "method_definition" {
            (func.f("name").map(|k| key_name(k, self.src)), Some(parent))
        } else if parent.k() == "pair" && field == Some("value") {
            (
                parent.f("key").map(|k| key_name(k, self.src)),
                frames.get(n.wrapping_sub(2)).map(|f| f.node),
            )
        } else {
            (None, None)
        };
        if let (Some(key), Some(holder)) = (key, holder) {
            if self.scopes.events_objects.contains(&holder.id())
                && api::EVENTS.contains(&key.as_str())
            {
                c.guard = Proof::Yes;
                c.standby = None;
                if api::ACTIVE_EVENTS.contains(&key.as_str()) {
                    c.active = Some(rules::call_during_interaction::reason_handler(&key).into());
                }
                if key == api::STANDBY_EVENT {
                    c.standby = Some(false);
                }
                return;
            }
            if self.scopes.config_objects.contains(&holder.id()) && key == "customTracking" {
                c.guard = Proof::Yes;
                let first = scope::param_patterns(func)
                    .first()
                    .filter(|p| p.k() == "identifier")
                    .map(|p| text(*p, self.src).to_owned());
                c.tracking = Some(Rc::new(first.into_iter().collect()));
                return;
            }
        }
        if parent.k() != "arguments" {
            return;
        }
        let Some(call) = frames.get(n.wrapping_sub(2)).map(|f| f.node) else {
            return;
        };
        let Some(callee) = call.f("function").map(unwrap_expr) else {
            return;
        };
        let callee_name = match callee.k() {
            "identifier" => Some(text(callee, self.src)),
            "member_expression" => callee.f("property").map(|p| text(p, self.src)),
            _ => None,
        };
        if let Some(name) = callee_name {
            if self.a.opts.guard_functions.iter().any(|g| {
                g == name || g.rsplit('.').next() == Some(name) && text(callee, self.src) == g
            }) {
                c.guard = Proof::Yes;
            }
            if name == "addEventListener" && c.standby.is_some() {
                c.standby = Some(true);
            }
            let first_arg = parent.named_child(0).is_some_and(|a| a.id() == func.id());
            if matches!(name, "then" | "finally") && first_arg && callee.k() == "member_expression"
            {
                if let Some(obj) = callee.f("object") {
                    if self.chain_has_trigger(obj) {
                        c.seq_active = true;
                    }
                }
            }
        }
    }

    /// Does a promise chain (`trigger(…).then(…)…`) start with a `triggerAction` call?
    fn chain_has_trigger(&self, node: Node<'t>) -> bool {
        let mut cur = unwrap_expr(node);
        for _ in 0..64 {
            let (base, links) = flatten(cur, self.src);
            if let Some((root, start)) = self.root_of(base, &links, 0) {
                let mut path = match root {
                    Root::Alias { path, .. } => path,
                    _ => Vec::new(),
                };
                for l in &links[start..] {
                    match &l.kind {
                        LinkKind::Member(m) => path.push(m.clone()),
                        LinkKind::Call => return path == ["actions", "triggerAction"],
                        LinkKind::DynMember => return false,
                    }
                }
                return false;
            }
            // `.then(…)` on something else: look into its object.
            match links.first() {
                Some(_) => return false,
                None => match cur.k() {
                    "await_expression" => match cur.named_child(0) {
                        Some(c) => cur = unwrap_expr(c),
                        None => return false,
                    },
                    _ => return false,
                },
            }
        }
        false
    }

    /// Record what `node` means. Returns true for a `triggerAction` call.
    fn enter(
        &mut self,
        node: Node<'t>,
        field: Option<&'t str>,
        ctx: &Ctx,
        frames: &[Frame<'t>],
    ) -> bool {
        match node.k() {
            "comment" => {
                let span = self.region.span_to_orig(&node.byte_range());
                let body = text(node, self.src).to_owned();
                self.a.comment(&body, span);
                false
            }
            "call_expression" => {
                self.plain_call(node, ctx);
                self.loader_call(node, ctx);
                if self.is_outermost(node, field, frames) {
                    self.chain(node, field, ctx, frames)
                } else {
                    false
                }
            }
            "member_expression"
            | "subscript_expression"
            | "identifier"
            | "shorthand_property_identifier" => {
                if node.k() == "identifier" && self.is_declaration_name(node, field, frames) {
                    return false;
                }
                if self.is_outermost(node, field, frames) {
                    self.chain(node, field, ctx, frames)
                } else {
                    false
                }
            }
            "assignment_expression" => {
                self.assignment(node, ctx);
                false
            }
            "variable_declarator" => {
                if let (Some(name), Some(_)) = (node.f("name"), node.f("value")) {
                    if name.k() == "identifier" && text(name, self.src) == api::CUSTOM_CONFIG {
                        self.page_event(node, ctx, false);
                    }
                }
                false
            }
            "export_statement" => {
                if let Some(decl) = node.f("declaration") {
                    if let Some(name) = decl.f("name") {
                        let n = text(name, self.src);
                        self.value_ref(n);
                    }
                }
                false
            }
            "pair" => {
                // `events: { enterInteraction: onEnter }`: a named handler.
                if let Some(holder) = frames.last().map(|f| f.node) {
                    if self.scopes.events_objects.contains(&holder.id()) {
                        let key = node.f("key").map(|k| key_name(k, self.src));
                        let value = node.f("value").map(unwrap_expr);
                        if let (Some(key), Some(v)) = (key, value) {
                            if v.k() == "identifier" && api::EVENTS.contains(&key.as_str()) {
                                // Declared here, or a global: in a page, a
                                // function another of its scripts defines.
                                if let Some(callee) = self.callee_of(v) {
                                    if api::ACTIVE_EVENTS.contains(&key.as_str()) {
                                        self.a.active_calls.push((
                                            callee.clone(),
                                            rules::call_during_interaction::reason_from_handler(
                                                &key,
                                            )
                                            .into(),
                                        ));
                                    }
                                    let (location, _) = self.a.loc(self.region, v);
                                    self.a.facts.calls.push(CallFact {
                                        callee,
                                        args: ThinVec::new(),
                                        guard: GuardFact {
                                            proof: Proof::Yes,
                                            in_fn: None,
                                        },
                                        location,
                                    });
                                }
                            }
                        }
                    }
                }
                false
            }
            _ => false,
        }
    }

    fn is_declaration_name(
        &self,
        _node: Node<'t>,
        field: Option<&'t str>,
        frames: &[Frame<'t>],
    ) -> bool {
        let Some(p) = frames.last() else { return false };
        match p.node.k() {
            "variable_declarator"
            | "function_declaration"
            | "generator_function_declaration"
            | "class_declaration"
            | "function_expression"
            | "function" => field == Some("name"),
            "formal_parameters" | "required_parameter" | "optional_parameter"
            | "import_specifier" | "namespace_import" | "import_clause" | "labeled_statement"
            | "break_statement" | "continue_statement" => true,
            "arrow_function" => field == Some("parameter"),
            "assignment_pattern" | "object_assignment_pattern" => field == Some("left"),
            "array_pattern" | "rest_pattern" | "pair_pattern" | "catch_clause" => true,
            "for_in_statement" => field == Some("left"),
            _ => false,
        }
    }

    /// Is this the outermost node of a member/call chain?
    fn is_outermost(&self, _node: Node<'t>, field: Option<&'t str>, frames: &[Frame<'t>]) -> bool {
        // Skip TypeScript `x!` wrappers between links.
        let mut i = frames.len();
        let mut field = field;
        while i > 0
            && matches!(
                frames[i - 1].node.k(),
                "non_null_expression"
                    | "parenthesized_expression"
                    | "as_expression"
                    | "satisfies_expression"
            )
        {
            field = frames[i - 1].field;
            i -= 1;
        }
        if i == 0 {
            return true;
        }
        let p = frames[i - 1].node.k();
        !matches!(
            (p, field),
            ("member_expression" | "subscript_expression", Some("object"))
                | ("call_expression", Some("function"))
        )
    }

    /// Analyse a whole chain from its outermost node. Returns true for a trigger call.
    fn chain(
        &mut self,
        outer: Node<'t>,
        field: Option<&'t str>,
        ctx: &Ctx,
        frames: &[Frame<'t>],
    ) -> bool {
        let (base, links) = flatten(outer, self.src);
        if base.k() != "identifier" && base.k() != "shorthand_property_identifier" {
            return false;
        }
        let name = text(base, self.src);
        let at = base.start_byte();
        // Spellings that are not the API: legacy global and near misses.
        let undeclared = !self.declared(name, at);
        if undeclared && api::GLOBAL_OBJECTS.contains(&name) {
            if let Some(Link {
                kind: LinkKind::Member(m),
                prop: Some(p),
                ..
            }) = links.first()
            {
                self.check_global_spelling(m, *p);
            }
        } else if undeclared {
            self.check_global_spelling(name, base);
        }
        let Some((root, start)) = self.root_of(base, &links, 0) else {
            if links.is_empty() && base.k() == "identifier" {
                self.maybe_value_ref(base);
            }
            // `api.actions.triggerAction(…)` on a value we cannot trace to the
            // global (a callback parameter, a function result): still an
            // action reference, so its name is checked; whether it is
            // guarded cannot be told, so it is not a `missing-guard` use.
            let is_member =
                |l: &Link<'t>, name: &str| matches!(&l.kind, LinkKind::Member(m) if m == name);
            if let Some(i) = (0..links.len().saturating_sub(2)).find(|&i| {
                is_member(&links[i], "actions")
                    && is_member(&links[i + 1], "triggerAction")
                    && matches!(links[i + 2].kind, LinkKind::Call)
            }) {
                self.trigger(links[i + 2].node, ctx, frames, outer, field);
                return true;
            }
            return false;
        };
        let rest = &links[start..];
        for l in rest {
            if matches!(l.kind, LinkKind::Call) {
                if let Some(args) = l.node.f("arguments") {
                    self.a.guarded_args.insert(args.id());
                }
            }
        }
        let prefix: Vec<String> = match &root {
            Root::Alias { path, .. } => path.clone(),
            _ => Vec::new(),
        };
        // A bare root read with no member access.
        if rest.is_empty() {
            let parent = frames.last().map(|f| f.node);
            match root {
                Root::Bare => {
                    let is_typeof = parent.is_some_and(|p| {
                        p.k() == "unary_expression"
                            && p.f("operator").map(|o| text(o, self.src)) == Some("typeof")
                    });
                    if !is_typeof {
                        self.api_use(outer, ctx, "talkativeApi", true);
                    }
                }
                Root::Window => {
                    // `const { actions } = window.talkativeApi` throws when absent.
                    let destructured = parent.is_some_and(|p| {
                        p.k() == "variable_declarator"
                            && p.f("name").is_some_and(|n| n.k() == "object_pattern")
                    });
                    if destructured {
                        self.api_use(outer, ctx, "window.talkativeApi", false);
                    }
                }
                Root::Alias { .. } => {}
            }
            return false;
        }
        // Known-API checks on the links this chain adds.
        let mut path = prefix.clone();
        let mut api_end = rest.len();
        let mut call_at: Option<usize> = None;
        for (i, l) in rest.iter().enumerate() {
            match &l.kind {
                LinkKind::Member(m) => {
                    let depth = path.len();
                    if depth == 0 {
                        if m == api::UNSAFE_NAMESPACE {
                            if let Some(p) = l.prop {
                                self.a.local(self.region, p, rules::unsafe_api::finding);
                            }
                        } else if api::namespace(m).is_none() {
                            if let Some(p) = l.prop {
                                let suggestion =
                                    api::did_you_mean_member(m, api::namespace_names());
                                self.unknown_member(
                                    p,
                                    &format!("talkativeApi.{m}"),
                                    suggestion.map(|s| format!("talkativeApi.{s}")),
                                );
                            }
                        }
                    } else if depth == 1 {
                        if let Some(Members::Only(list)) = api::namespace(&path[0]) {
                            if !list.contains(&m.as_str()) {
                                if let Some(p) = l.prop {
                                    let ns = path[0].clone();
                                    let suggestion =
                                        api::did_you_mean_member(m, list.iter().copied());
                                    self.unknown_member(
                                        p,
                                        &format!("talkativeApi.{ns}.{m}"),
                                        suggestion.map(|s| format!("talkativeApi.{ns}.{s}")),
                                    );
                                }
                            }
                        }
                    }
                    path.push(m.clone());
                }
                LinkKind::DynMember => {
                    path.push("[…]".into());
                }
                LinkKind::Call => {
                    call_at = Some(i);
                    api_end = i + 1;
                    break;
                }
            }
        }
        let use_node = rest[api_end - 1].node;
        // Does evaluating this chain throw when the widget is absent?
        let throws = match &root {
            Root::Bare => true,
            Root::Window
            | Root::Alias {
                maybe_undefined: true,
                ..
            } => !rest[0].optional,
            Root::Alias { .. } => false,
        };
        let what = format!("talkativeApi.{}", path.join("."));
        if throws {
            self.api_use(use_node, ctx, &what, matches!(root, Root::Bare));
        }
        let Some(ci) = call_at else { return false };
        let api_path: Vec<&str> = path.iter().map(String::as_str).collect();
        if api_path != ["actions", "triggerAction"] {
            return false;
        }
        self.trigger(rest[ci].node, ctx, frames, outer, field);
        true
    }

    fn check_global_spelling(&mut self, name: &str, node: Node<'t>) {
        if name == api::LEGACY_GLOBAL {
            self.a.local(self.region, node, rules::legacy_api::finding);
        } else if let Some(right) = api::near_miss_global(name) {
            self.a.local(self.region, node, |d, l, s| {
                rules::unknown_api_member::misspelt_global(d, l, s, name, right)
            });
        }
    }

    fn unknown_member(&mut self, prop: Node<'t>, what: &str, suggestion: Option<String>) {
        self.a.local(self.region, prop, |d, l, s| {
            rules::unknown_api_member::unknown_member(d, l, s, what, suggestion)
        });
    }

    fn api_use(&mut self, node: Node<'t>, ctx: &Ctx, what: &str, bare: bool) {
        if ctx.guard.is_yes() || ctx.try_guard {
            return;
        }
        let (location, span) = self.a.loc(self.region, node);
        let snippet = self.a.snippet(&span);
        self.a.facts.uses.push(ApiUse {
            location,
            guard: GuardFact {
                proof: ctx.guard.clone(),
                in_fn: ctx.in_fn,
            },
            what: what.into(),
            bare,
            snippet: snippet.into(),
        });
    }

    /// A `triggerAction(…)` call: names, interaction, standby, promise.
    fn trigger(
        &mut self,
        call: Node<'t>,
        ctx: &Ctx,
        frames: &[Frame<'t>],
        outer: Node<'t>,
        field: Option<&'t str>,
    ) {
        let (location, span) = self.a.loc(self.region, call);
        let snippet = self.a.snippet(&span);
        let in_fn_node = ctx
            .in_fn
            .map(|i| self.scopes.functions[(i - self.base) as usize].node.id());
        let name = match first_arg(call) {
            Some(arg) => self.resolve(arg, in_fn_node),
            None => ArgVal::Dynamic {
                location,
                text: snippet.as_str().into(),
            },
        };
        if let Some(f) = ctx.in_fn {
            for p in params_of(&name) {
                self.a.facts.functions[f as usize]
                    .flows
                    .push((p, Sink::Trigger));
            }
        }
        self.a.facts.refs.push(ActionRef {
            name,
            call: location,
            in_fn: ctx.in_fn,
        });
        if let Some(reason) = &ctx.active {
            self.a
                .facts
                .local
                .push(rules::call_during_interaction::finding(
                    &self.a.display,
                    location,
                    &snippet,
                    reason,
                ));
        } else if ctx.seq_active {
            self.a
                .facts
                .local
                .push(rules::call_during_interaction::finding(
                    &self.a.display,
                    location,
                    &snippet,
                    rules::call_during_interaction::REASON_SEQUENCE,
                ));
        } else if let Some(f) = ctx.in_fn {
            self.a.pending_active.push((f, location, snippet.clone()));
        }
        if ctx.standby == Some(false) {
            self.a
                .facts
                .local
                .push(rules::retrigger_on_standby::finding(
                    &self.a.display,
                    location,
                    &snippet,
                ));
        }
        // The promise: the chain continues (`.then`) or the context handles it.
        let handled = outer.id() != call.id() || self.promise_handled(frames, field);
        if !handled {
            self.a.facts.local.push(rules::unhandled_promise::finding(
                &self.a.display,
                location,
                &snippet,
            ));
        }
    }

    /// Walks up from a call (the top frame is its parent) to see whether its promise is kept.
    fn promise_handled(&self, frames: &[Frame<'t>], field: Option<&'t str>) -> bool {
        let mut i = frames.len();
        // The field of the current child within frames[i - 1]: the call's own field.
        let mut child_field: Option<&'t str> = field;
        while i > 0 {
            let p = &frames[i - 1];
            let pk = p.node.k();
            match pk {
                "parenthesized_expression"
                | "non_null_expression"
                | "as_expression"
                | "satisfies_expression"
                | "ternary_expression"
                | "array"
                | "pair"
                | "object" => {}
                "binary_expression" => {
                    let op = p
                        .node
                        .f("operator")
                        .map(|o| text(o, self.src))
                        .unwrap_or("");
                    if !matches!(op, "&&" | "||" | "??") {
                        return true;
                    }
                }
                "sequence_expression" => {}
                "await_expression"
                | "return_statement"
                | "yield_expression"
                | "variable_declarator"
                | "assignment_expression"
                | "augmented_assignment_expression" => return true,
                "arrow_function" => return child_field == Some("body"),
                "unary_expression" => {
                    let op = p.node.f("operator").map(|o| text(o, self.src));
                    return op == Some("void");
                }
                "arguments" => {
                    // Promise.all([…]) and friends keep it if their own result is kept.
                    let call = frames.get(i.wrapping_sub(2)).map(|f| f.node);
                    let combinator = call
                        .and_then(|c| c.f("function"))
                        .map(|f| text(f, self.src))
                        .is_some_and(|t| {
                            matches!(
                                t,
                                "Promise.all"
                                    | "Promise.allSettled"
                                    | "Promise.race"
                                    | "Promise.any"
                            )
                        });
                    if !combinator || i < 2 {
                        return false;
                    }
                    child_field = frames[i - 2].field;
                    i -= 2;
                    continue;
                }
                "expression_statement" | "program" | "statement_block" => return false,
                _ => return true,
            }
            child_field = p.field;
            i -= 1;
        }
        false
    }

    /// The function an identifier names where it stands: one declared in
    /// this region, or a global (undeclared or imported); `None` for any
    /// other binding (a variable, a parameter).
    fn callee_of(&self, ident: Node<'t>) -> Option<Callee> {
        let name = text(ident, self.src);
        match self
            .scopes
            .lookup(name, ident.start_byte())
            .map(|d| &d.kind)
        {
            Some(DeclKind::Function(i)) => Some(Callee::Local(self.base + i)),
            None | Some(DeclKind::Import) => Some(Callee::Global(name.into())),
            Some(_) => None,
        }
    }

    /// Calls of plain functions: wrapper calls, guard form 7, interaction through functions.
    fn plain_call(&mut self, call: Node<'t>, ctx: &Ctx) {
        let Some(f) = call.f("function").map(unwrap_expr) else {
            return;
        };
        let callee = match f.k() {
            "identifier" => match self.callee_of(f) {
                Some(c) => c,
                None => return,
            },
            "member_expression" => {
                let Some(p) = f.f("property") else {
                    return;
                };
                let name = text(p, self.src);
                // The whole callee is read only when a configured name can
                // be dotted (the memo replays regions whose unread strings differ).
                if self
                    .a
                    .opts
                    .reference_functions
                    .iter()
                    .any(|r| r == name || (r.contains('.') && r == text(f, self.src)))
                {
                    Callee::Method(name.into())
                } else {
                    return;
                }
            }
            _ => return,
        };
        let in_fn_node = ctx
            .in_fn
            .map(|i| self.scopes.functions[(i - self.base) as usize].node.id());
        let mut args = ThinVec::new();
        if let Some(list) = call.f("arguments") {
            let mut c = list.walk();
            for a in list
                .named_children(&mut c)
                .filter(|a| a.k() != "comment")
                .take(8)
            {
                args.push(self.resolve(a, in_fn_node));
            }
        }
        if let Some(caller) = ctx.in_fn {
            for (i, a) in args.iter().enumerate() {
                for p in params_of(a) {
                    self.a.facts.functions[caller as usize].flows.push((
                        p,
                        Sink::Call {
                            callee: callee.clone(),
                            arg: i,
                        },
                    ));
                }
            }
        }
        if matches!(callee, Callee::Local(_) | Callee::Global(_)) {
            if let Some(reason) = &ctx.active {
                self.a.active_calls.push((callee.clone(), reason.clone()));
            } else if ctx.seq_active {
                self.a.active_calls.push((
                    callee.clone(),
                    rules::call_during_interaction::REASON_CALLED_AFTER.into(),
                ));
            }
            if let Some(caller) = ctx.in_fn {
                self.a.fn_edges.push((caller, callee.clone()));
            }
        }
        let guard = if ctx.try_guard {
            Proof::Yes
        } else {
            ctx.guard.clone()
        };
        let (location, _) = self.a.loc(self.region, call);
        self.a.facts.calls.push(CallFact {
            callee,
            args,
            guard: GuardFact {
                proof: guard,
                in_fn: ctx.in_fn,
            },
            location,
        });
    }

    /// `import('…/api/ecs/v1/loader/…')`, `s.setAttribute('src', …)`.
    fn loader_call(&mut self, call: Node<'t>, ctx: &Ctx) {
        let Some(f) = call.f("function") else {
            return;
        };
        let is_import = f.k() == "import";
        let is_set_src = f.k() == "member_expression"
            && f.f("property").map(|p| text(p, self.src)) == Some("setAttribute")
            && first_arg(call)
                .and_then(|a| string_value(a, self.src))
                .as_deref()
                == Some("src");
        if !is_import && !is_set_src {
            return;
        }
        let url = call
            .f("arguments")
            .and_then(|a| a.named_child(if is_import { 0 } else { 1 }));
        if url.is_some_and(|u| text(u, self.src).contains(api::LOADER_PATH)) {
            self.page_event(call, ctx, true);
        }
    }

    fn assignment(&mut self, node: Node<'t>, ctx: &Ctx) {
        let (Some(left), Some(right)) = (node.f("left"), node.f("right")) else {
            return;
        };
        if scope::is_custom_config_target(left, self.src) {
            self.page_event(node, ctx, false);
            return;
        }
        let left = unwrap_expr(left);
        if left.k() == "member_expression"
            && left.f("property").map(|p| text(p, self.src)) == Some("src")
            && text(right, self.src).contains(api::LOADER_PATH)
        {
            self.page_event(node, ctx, true);
        }
    }

    fn page_event(&mut self, node: Node<'t>, ctx: &Ctx, loader: bool) {
        let (location, span) = self.a.loc(self.region, node);
        let scope = ctx.fn_node.map(|f| (self.a.region_index, f));
        let snippet = self.a.snippet(&span);
        self.a.page.push(PageEvent {
            offset: span.start,
            scope,
            cond: ctx.cond,
            loader,
            location,
            snippet,
        });
    }

    fn maybe_value_ref(&mut self, ident: Node<'t>) {
        let name = text(ident, self.src);
        match self
            .scopes
            .lookup(name, ident.start_byte())
            .map(|d| &d.kind)
        {
            Some(DeclKind::Function(_)) | Some(DeclKind::Import) | None => self.value_ref(name),
            _ => {}
        }
    }

    fn value_ref(&mut self, name: &str) {
        if !self.a.value_seen.contains(name) {
            self.a.value_seen.insert(name.to_owned());
            self.a.facts.value_refs.push(name.into());
        }
    }
}

/// Does a catch clause rethrow (a `throw` outside nested functions)?
fn rethrows(handler: Node<'_>) -> bool {
    let Some(body) = handler.f("body") else {
        return false;
    };
    let mut stack = vec![body];
    let mut budget = 100_000;
    while let Some(n) = stack.pop() {
        budget -= 1;
        if budget == 0 {
            return true;
        }
        if n.k() == "throw_statement" {
            return true;
        }
        if is_function(n.k()) {
            continue;
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}

fn first_arg(call: Node<'_>) -> Option<Node<'_>> {
    let args = call.f("arguments")?;
    let mut c = args.walk();
    let first = args.named_children(&mut c).find(|a| a.k() != "comment");
    first
}

/// Parameter indexes an argument value flows from.
fn params_of(v: &ArgVal) -> Vec<usize> {
    match v {
        ArgVal::Param(i) => vec![*i],
        ArgVal::Mixed(parts) => parts.iter().flat_map(params_of).collect(),
        _ => Vec::new(),
    }
}
