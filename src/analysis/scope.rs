//! Declarations of one region, collected in a pre-pass before the main walk:
//! which identifier means what at a given offset (const initialisers, aliases,
//! parameters, loop items, functions), plus the config objects assigned to
//! `talkativeCustomConfig` and their `events` objects.
//!
//! Scoping is lexical by byte range: a lookup picks the innermost scope that
//! contains the offset. Hoisting and the temporal dead zone are ignored, which
//! only matters for code that would throw anyway.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use tree_sitter::{Node, Tree};

use crate::extract::ts::NodeExt;

use super::api;
use super::select::Skip;

/// Iterative pre-order traversal with an ancestor stack (never recursive:
/// trees can be 100 000 levels deep). `visit(Enter, …)` returns whether to
/// descend; `visit(Leave, …)` runs after a node's children.
/// Top-level statements in `skip` are not visited.
pub fn traverse<'t>(
    tree: &'t Tree,
    skip: &Skip,
    mut visit: impl FnMut(Visit, Node<'t>, &[Node<'t>]) -> bool,
) {
    let mut cursor = tree.walk();
    let mut ancestors: Vec<Node<'t>> = Vec::new();
    loop {
        let node = cursor.node();
        // Punctuation and keywords (anonymous leaves) are never visited.
        let skipped = ancestors.len() == 1 && skip.contains(node);
        if !skipped && (node.is_named() || node.child_count() > 0) {
            let descend = visit(Visit::Enter, node, &ancestors);
            if descend && cursor.goto_first_child() {
                ancestors.push(node);
                continue;
            }
            visit(Visit::Leave, node, &ancestors);
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            // Every goto_first_child pushed one ancestor and goto_parent only
            // succeeds below the root, so the stack is never empty here.
            let Some(parent) = ancestors.pop() else {
                return;
            };
            visit(Visit::Leave, parent, &ancestors);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    Enter,
    Leave,
}

/// Skip wrappers that do not change a value: parentheses, TypeScript `as`,
/// `satisfies`, `!` and `<T>x`.
pub fn unwrap_expr(mut node: Node<'_>) -> Node<'_> {
    for _ in 0..64 {
        match node.k() {
            "parenthesized_expression"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression"
            | "type_assertion" => match node.named_child(0) {
                Some(inner) => node = inner,
                None => return node,
            },
            _ => return node,
        }
    }
    node
}

pub fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "generator_function"
            | "generator_function_declaration"
            | "method_definition"
    )
}

fn is_block_scope(kind: &str) -> bool {
    matches!(
        kind,
        "program"
            | "statement_block"
            | "for_statement"
            | "for_in_statement"
            | "catch_clause"
            | "switch_body"
            | "class_body"
    ) || is_function(kind)
}

fn is_function_scope(kind: &str) -> bool {
    kind == "program" || is_function(kind)
}

/// Array methods whose callback's first parameter is an element.
const ITER_METHODS: &[&str] = &[
    "forEach",
    "map",
    "flatMap",
    "filter",
    "some",
    "every",
    "find",
    "findIndex",
    "findLast",
];

#[derive(Debug, Clone)]
pub enum DeclKind<'t> {
    /// `const x = init` (resolvable).
    Const(Node<'t>),
    /// `let`/`var` with an initialiser: not resolvable as a name, but an alias.
    Mutable(Option<Node<'t>>),
    /// A parameter of a function; `func` is the function node id.
    Param { func: usize, index: usize },
    /// A function declared in this region (index into the file's functions).
    Function(u32),
    /// An element (or a property `path` of an element) of an iterated array.
    Iter { source: Node<'t>, path: Vec<String> },
    /// `const ev = arguments[N]`.
    ArgumentsAlias(usize),
    /// `import { x } from …`: refers to a project global.
    Import,
    /// A name bound by destructuring `init` at property `path`.
    Destructured { init: Node<'t>, path: Vec<String> },
    /// Anything else that shadows globals (class, catch parameter).
    Other,
}

#[derive(Debug, Clone)]
pub struct Decl<'t> {
    pub scope: (usize, usize),
    pub at: usize,
    pub kind: DeclKind<'t>,
}

/// A named function found by the pre-pass.
#[derive(Debug, Clone)]
pub struct FnDecl<'t> {
    pub name: String,
    pub node: Node<'t>,
    /// The node that carries the name (for locations).
    pub name_node: Node<'t>,
    pub top_level: bool,
    pub params: Vec<Option<String>>,
}

#[derive(Default)]
pub struct Scopes<'t> {
    decls: HashMap<String, Vec<Decl<'t>>>,
    /// Names written to by an assignment, `++`/`--` or a mutating array method.
    mutated: HashSet<String>,
    /// Per name, the index of the enclosing declaration's scope (see `lookup`).
    parents: HashMap<String, Vec<Option<usize>>>,
    /// Named functions in source order; their index is the facts index offset.
    pub functions: Vec<FnDecl<'t>>,
    /// Function node id → index into `functions`.
    pub fn_by_node: HashMap<usize, u32>,
    /// Object literal node ids assigned to `talkativeCustomConfig`.
    pub config_objects: HashSet<usize>,
    /// Object literal node ids that are a config's `events`.
    pub events_objects: HashSet<usize>,
    block_stack: Vec<(usize, usize)>,
    fn_stack: Vec<(usize, usize)>,
    /// The region's own scope (its `program` node's bytes).
    root_scope: (usize, usize),
    /// Ancestors that are not top-level statements (0: at the top level).
    non_top: usize,
}

/// Nodes that keep a declaration at the top level of a script.
fn is_top_level_kind(kind: &str) -> bool {
    matches!(
        kind,
        "program"
            | "lexical_declaration"
            | "variable_declaration"
            | "variable_declarator"
            | "export_statement"
            | "expression_statement"
            | "assignment_expression"
    )
}

/// The source text of a node. Every read of a region's text goes through
/// here or through the walk's snippets, so the region memo knows which
/// string contents the facts depend on.
pub fn text<'a>(node: Node<'_>, src: &'a str) -> &'a str {
    super::memo::note_read(node.byte_range());
    src.get(node.byte_range()).unwrap_or("")
}

/// `window.talkativeCustomConfig`, `talkativeCustomConfig`, `self['talkativeCustomConfig']`.
pub fn is_custom_config_target(node: Node<'_>, src: &str) -> bool {
    let node = unwrap_expr(node);
    match node.k() {
        "identifier" => text(node, src) == api::CUSTOM_CONFIG,
        "member_expression" | "subscript_expression" => {
            let Some(obj) = node.f("object") else {
                return false;
            };
            let obj = unwrap_expr(obj);
            obj.k() == "identifier"
                && api::GLOBAL_OBJECTS.contains(&text(obj, src))
                && property_name(node, src).as_deref() == Some(api::CUSTOM_CONFIG)
        }
        _ => false,
    }
}

/// The static property name of `a.b` or `a['b']`.
pub fn property_name(node: Node<'_>, src: &str) -> Option<String> {
    match node.k() {
        "member_expression" => node.f("property").map(|p| text(p, src).to_owned()),
        "subscript_expression" => {
            let idx = unwrap_expr(node.f("index")?);
            string_value(idx, src)
        }
        _ => None,
    }
}

/// The value of a `string` literal, read as a value only: the region memo
/// may replay the facts for other contents, with this value replaced. The
/// caller must note the read ([`super::memo::note_value_read`] if the value
/// only becomes an action name, else [`super::memo::note_read`]).
pub fn string_literal_value(node: Node<'_>, src: &str) -> Option<String> {
    (node.k() == "string").then(|| quoted_value(src.get(node.byte_range()).unwrap_or("")))
}

/// The value of a string literal or a template literal without substitutions.
pub fn string_value(node: Node<'_>, src: &str) -> Option<String> {
    match node.k() {
        "string" => Some(quoted_value(text(node, src))),
        "template_string" => {
            let mut c = node.walk();
            if node
                .named_children(&mut c)
                .any(|n| n.k() == "template_substitution")
            {
                return None;
            }
            Some(quoted_value(text(node, src)))
        }
        _ => None,
    }
}

/// The value a quoted literal's source text spells.
fn quoted_value(raw: &str) -> String {
    if raw.len() < 2 {
        return String::new();
    }
    unescape_js(between_quotes(raw))
}

/// The body of a quoted literal: without its first and last char. Char-wise:
/// an unterminated literal (error recovery) can end inside a multi-byte
/// char, where slicing off the last byte panicked (found by fuzzing).
fn between_quotes(raw: &str) -> &str {
    let mut chars = raw.chars();
    chars.next();
    chars.next_back();
    chars.as_str()
}

/// Decode the escapes of a JS string body.
fn unescape_js(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('\r') if chars.peek() == Some(&'\n') => {
                chars.next();
            }
            Some('\n') | Some('\u{2028}') | Some('\u{2029}') => {}
            Some('x') => {
                let h: String = chars.by_ref().take(2).collect();
                match u32::from_str_radix(&h, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push_str(&h),
                }
            }
            Some('u') => {
                let hex: String = if chars.peek() == Some(&'{') {
                    chars.next();
                    chars.by_ref().take_while(|&c| c != '}').collect()
                } else {
                    chars.by_ref().take(4).collect()
                };
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push('\u{fffd}'),
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

impl<'t> Scopes<'t> {
    /// Collect the declarations of a region, leaving out the top-level
    /// statements in `skip`.
    pub fn collect(tree: &'t Tree, src: &str, skip: &Skip) -> Scopes<'t> {
        let mut s = Scopes::default();
        let root = tree.root_node();
        s.root_scope = (root.start_byte(), root.end_byte());
        let mut config_idents: Vec<(String, usize)> = Vec::new();
        let mut config_literals: Vec<Node<'t>> = Vec::new();
        traverse(tree, skip, |event, node, anc| {
            let kind = node.k();
            match event {
                Visit::Enter => {
                    s.visit(node, anc, src, &mut config_idents, &mut config_literals);
                    // Scope stacks are kept incrementally: looking them up in
                    // the ancestors would be quadratic on deep trees.
                    if is_block_scope(kind) {
                        s.block_stack.push((node.start_byte(), node.end_byte()));
                    }
                    if is_function_scope(kind) {
                        s.fn_stack.push((node.start_byte(), node.end_byte()));
                    }
                    if !is_top_level_kind(kind) {
                        s.non_top += 1;
                    }
                }
                Visit::Leave => {
                    if is_block_scope(kind) {
                        s.block_stack.pop();
                    }
                    if is_function_scope(kind) {
                        s.fn_stack.pop();
                    }
                    if !is_top_level_kind(kind) {
                        s.non_top -= 1;
                    }
                }
            }
            true
        });
        s.index();
        // Config objects: literals assigned directly, or consts assigned by name.
        for node in config_literals {
            s.config_objects.insert(node.id());
        }
        for (name, at) in config_idents {
            if let Some(Decl {
                kind: DeclKind::Const(init),
                ..
            }) = s.lookup(&name, at)
            {
                let init = unwrap_expr(*init);
                if init.k() == "object" {
                    s.config_objects.insert(init.id());
                }
            }
        }
        // Their `events` objects.
        let configs: HashSet<usize> = s.config_objects.clone();
        let mut events = Vec::new();
        if configs.is_empty() {
            return s;
        }
        traverse(tree, skip, |event, node, _| {
            if event == Visit::Enter && node.k() == "object" && configs.contains(&node.id()) {
                let mut c = node.walk();
                for prop in node.named_children(&mut c) {
                    match prop.k() {
                        "pair" => {
                            let key = prop.f("key").map(|k| key_name(k, src));
                            if key.as_deref() == Some("events") {
                                if let Some(v) = prop.f("value") {
                                    events.push((unwrap_expr(v), prop.start_byte()));
                                }
                            }
                        }
                        "shorthand_property_identifier" if text(prop, src) == "events" => {
                            events.push((prop, prop.start_byte()));
                        }
                        _ => {}
                    }
                }
            }
            true
        });
        for (v, at) in events {
            match v.k() {
                "object" => {
                    s.events_objects.insert(v.id());
                }
                "identifier" | "shorthand_property_identifier" => {
                    if let Some(Decl {
                        kind: DeclKind::Const(init),
                        ..
                    }) = s.lookup(text(v, src), at)
                    {
                        let init = unwrap_expr(*init);
                        if init.k() == "object" {
                            s.events_objects.insert(init.id());
                        }
                    }
                }
                _ => {}
            }
        }
        s
    }

    fn add(&mut self, name: &str, scope: (usize, usize), at: usize, kind: DeclKind<'t>) {
        self.decls
            .entry(name.to_owned())
            .or_default()
            .push(Decl { scope, at, kind });
    }

    /// The base identifier of an assignment target (`x`, `x.a`, `x['b']`) is
    /// written to somewhere in the region.
    fn mark_mutated(&mut self, target: Node<'t>, src: &str) {
        let mut cur = unwrap_expr(target);
        for _ in 0..64 {
            match cur.k() {
                "member_expression" | "subscript_expression" => match cur.f("object") {
                    Some(o) => cur = unwrap_expr(o),
                    None => return,
                },
                "identifier" => {
                    self.mutated.insert(text(cur, src).to_owned());
                    return;
                }
                _ => return,
            }
        }
    }

    /// `let`/`var` bindings whose name is never written to after its
    /// initialiser resolve like `const` (old snippets use `var`).
    pub fn never_reassigned(&self, name: &str) -> bool {
        !self.mutated.contains(name)
    }

    /// The declaration `name` refers to at byte offset `at`, if any: the one
    /// with the innermost scope containing `at`.
    ///
    /// Scopes of one name nest or are disjoint (they are tree nodes), so after
    /// sorting by start, the candidate is the last scope starting at or before
    /// `at`, or one of its ancestors: a binary search and a short walk up
    /// `parent` links instead of a scan over every declaration of the name
    /// (quadratic in files where thousands of functions name a parameter `e`).
    pub fn lookup(&self, name: &str, at: usize) -> Option<&Decl<'t>> {
        let list = self.decls.get(name)?;
        let parents = self.parents.get(name)?;
        let mut i = list.partition_point(|d| d.scope.0 <= at).checked_sub(1)?;
        loop {
            let d = &list[i];
            if at <= d.scope.1 {
                return Some(d);
            }
            i = parents[i]?;
        }
    }

    /// Sort each name's declarations by scope (outer first on equal starts)
    /// and link each to the nearest earlier one whose scope contains it.
    fn index(&mut self) {
        for (name, list) in self.decls.iter_mut() {
            list.sort_by(|a, b| {
                a.scope
                    .0
                    .cmp(&b.scope.0)
                    .then(b.scope.1.cmp(&a.scope.1))
                    .then(a.at.cmp(&b.at))
            });
            let mut parents: Vec<Option<usize>> = Vec::with_capacity(list.len());
            let mut stack: Vec<usize> = Vec::new();
            for (i, d) in list.iter().enumerate() {
                while let Some(&top) = stack.last() {
                    if list[top].scope.1 >= d.scope.1 && list[top].scope.0 <= d.scope.0 {
                        break;
                    }
                    stack.pop();
                }
                parents.push(stack.last().copied());
                stack.push(i);
            }
            self.parents.insert(name.clone(), parents);
        }
    }

    /// Every name bound where any top-level statement of the region can see
    /// it: declared in the region's own scope, or a top-level function
    /// (also one named by an assignment). A parameter or a local is seen
    /// only inside its own statement.
    pub fn visible_names(&self) -> impl Iterator<Item = &str> {
        self.decls
            .iter()
            .filter(|(_, ds)| {
                ds.iter()
                    .any(|d| d.scope == self.root_scope || d.scope == (0, usize::MAX))
            })
            .map(|(n, _)| n.as_str())
            .chain(
                self.functions
                    .iter()
                    .filter(|f| f.top_level)
                    .map(|f| f.name.as_str()),
            )
    }

    pub fn is_declared(&self, name: &str, at: usize) -> bool {
        self.lookup(name, at).is_some()
    }

    fn visit(
        &mut self,
        node: Node<'t>,
        anc: &[Node<'t>],
        src: &str,
        config_idents: &mut Vec<(String, usize)>,
        config_literals: &mut Vec<Node<'t>>,
    ) {
        let block_scope = self.block_stack.last().copied().unwrap_or((0, usize::MAX));
        let fn_scope = self.fn_stack.last().copied().unwrap_or((0, usize::MAX));
        let block_scope = || block_scope;
        let fn_scope = || fn_scope;
        match node.k() {
            "variable_declarator" => {
                let Some(name) = node.f("name") else {
                    return;
                };
                let value = node.f("value");
                let decl_kind = anc.last().map(|p| {
                    if p.k() == "lexical_declaration" {
                        p.child(0)
                            .map(|k| text(k, src).to_owned())
                            .unwrap_or_default()
                    } else {
                        "var".to_owned()
                    }
                });
                let is_const = decl_kind.as_deref() == Some("const");
                let scope = if decl_kind.as_deref() == Some("var") {
                    fn_scope()
                } else {
                    block_scope()
                };
                if name.k() == "identifier" {
                    let n = text(name, src);
                    let kind = match value.map(unwrap_expr) {
                        Some(v) if is_arguments_index(v, src).is_some() => {
                            DeclKind::ArgumentsAlias(is_arguments_index(v, src).unwrap_or(0))
                        }
                        Some(v) if is_function(v.k()) => {
                            let idx = self.add_function(n, v, name, src);
                            DeclKind::Function(idx)
                        }
                        Some(v) if is_const => DeclKind::Const(v),
                        v => DeclKind::Mutable(v),
                    };
                    if n == api::CUSTOM_CONFIG {
                        if let Some(v) = value.map(unwrap_expr) {
                            if v.k() == "object" {
                                config_literals.push(v);
                            }
                        }
                    }
                    self.add(n, scope, node.start_byte(), kind);
                } else {
                    // Destructuring: `const { actions } = talkativeApi` makes an alias.
                    match value {
                        Some(init) => self.add_pattern_names(name, scope, src, |path| {
                            DeclKind::Destructured { init, path }
                        }),
                        None => self.add_pattern_names(name, scope, src, |_| DeclKind::Other),
                    }
                }
            }
            "function_declaration" | "generator_function_declaration" => {
                if let Some(name) = node.f("name") {
                    let n = text(name, src).to_owned();
                    let idx = self.add_function(&n, node, name, src);
                    let scope = block_scope();
                    self.add(&n, scope, node.start_byte(), DeclKind::Function(idx));
                }
                self.visit_params(node, anc, src);
            }
            "class_declaration" => {
                if let Some(name) = node.f("name") {
                    self.add(
                        text(name, src),
                        block_scope(),
                        node.start_byte(),
                        DeclKind::Other,
                    );
                }
            }
            "augmented_assignment_expression" | "update_expression" => {
                if let Some(target) = node.f("left").or_else(|| node.f("argument")) {
                    self.mark_mutated(target, src);
                }
            }
            "call_expression" => {
                // `arr.push(…)` and friends change what a binding holds.
                if let Some(callee) = node.f("function").map(unwrap_expr) {
                    if callee.k() == "member_expression"
                        && callee.f("property").is_some_and(|p| {
                            matches!(
                                text(p, src),
                                "push"
                                    | "unshift"
                                    | "splice"
                                    | "fill"
                                    | "copyWithin"
                                    | "pop"
                                    | "shift"
                            )
                        })
                    {
                        if let Some(obj) = callee.f("object") {
                            self.mark_mutated(obj, src);
                        }
                    }
                }
            }
            "assignment_expression" => {
                let (Some(left), Some(right)) = (node.f("left"), node.f("right")) else {
                    return;
                };
                self.mark_mutated(left, src);
                let right = unwrap_expr(right);
                if is_custom_config_target(left, src) {
                    match right.k() {
                        "object" => config_literals.push(right),
                        "identifier" => {
                            config_idents.push((text(right, src).to_owned(), node.start_byte()))
                        }
                        _ => {}
                    }
                }
                // `window.openChat = function (name) { … }` names a global function.
                if is_function(right.k()) && !self.fn_by_node.contains_key(&right.id()) {
                    let left = unwrap_expr(left);
                    let target = match left.k() {
                        "identifier" => Some(left),
                        "member_expression" => {
                            let obj = left.f("object").map(unwrap_expr);
                            if obj.is_some_and(|o| {
                                o.k() == "identifier" && api::GLOBAL_OBJECTS.contains(&text(o, src))
                            }) {
                                left.f("property")
                            } else {
                                None
                            }
                        }
                        _ => None,
                    };
                    if let Some(t) = target {
                        let n = text(t, src).to_owned();
                        let idx = self.add_function(&n, right, t, src);
                        self.functions[idx as usize].top_level = true;
                    }
                }
            }
            "import_specifier" => {
                let local = node.f("alias").or_else(|| node.f("name"));
                if let Some(l) = local {
                    self.add(text(l, src), (0, usize::MAX), 0, DeclKind::Import);
                }
            }
            "namespace_import" | "import_clause" => {
                let mut c = node.walk();
                for ch in node.named_children(&mut c) {
                    if ch.k() == "identifier" {
                        self.add(text(ch, src), (0, usize::MAX), 0, DeclKind::Import);
                    }
                }
            }
            "catch_clause" => {
                if let Some(p) = node.f("parameter") {
                    let scope = (node.start_byte(), node.end_byte());
                    self.add_pattern_names(p, scope, src, |_| DeclKind::Other);
                }
            }
            "for_in_statement" => {
                let (Some(left), Some(right)) = (node.f("left"), node.f("right")) else {
                    return;
                };
                let is_of = node
                    .f("operator")
                    .map(|o| text(o, src) == "of")
                    .unwrap_or(false);
                let scope = (node.start_byte(), node.end_byte());
                if is_of {
                    self.add_pattern_names(left, scope, src, |path| DeclKind::Iter {
                        source: right,
                        path,
                    });
                } else {
                    self.add_pattern_names(left, scope, src, |_| DeclKind::Other);
                }
            }
            k if is_function(k) => self.visit_params(node, anc, src),
            _ => {}
        }
    }

    fn add_function(&mut self, name: &str, node: Node<'t>, name_node: Node<'t>, src: &str) -> u32 {
        if let Some(&i) = self.fn_by_node.get(&node.id()) {
            return i;
        }
        // Top level: no enclosing function or block other than the program.
        let top_level = self.non_top == 0;
        let params = param_nodes(node)
            .into_iter()
            .map(|p| p.map(|n| text(n, src).to_owned()))
            .collect();
        let idx = self.functions.len() as u32;
        self.functions.push(FnDecl {
            name: name.to_owned(),
            node,
            name_node,
            top_level,
            params,
        });
        self.fn_by_node.insert(node.id(), idx);
        idx
    }

    fn visit_params(&mut self, func: Node<'t>, anc: &[Node<'t>], src: &str) {
        let scope = (func.start_byte(), func.end_byte());
        // A callback of `arr.forEach(x => …)`: its first parameter is an element.
        let iter_source = anc
            .last()
            .filter(|p| p.k() == "arguments")
            .and_then(|args| {
                let first = args.named_child(0)?;
                if first.id() != func.id() {
                    return None;
                }
                let call = anc.get(anc.len().checked_sub(2)?)?;
                let callee = unwrap_expr(call.f("function")?);
                if callee.k() != "member_expression" {
                    return None;
                }
                let prop = text(callee.f("property")?, src);
                if !ITER_METHODS.contains(&prop) {
                    return None;
                }
                callee.f("object")
            });
        for (index, p) in param_patterns(func).into_iter().enumerate() {
            let simple = match p.k() {
                "identifier" => Some(p),
                "assignment_pattern" => p.f("left").filter(|l| l.k() == "identifier"),
                _ => None,
            };
            match (simple, iter_source) {
                (Some(id), None) => self.add(
                    text(id, src),
                    scope,
                    func.start_byte(),
                    DeclKind::Param {
                        func: func.id(),
                        index,
                    },
                ),
                (_, Some(source)) if index == 0 => {
                    self.add_pattern_names(p, scope, src, |path| DeclKind::Iter { source, path })
                }
                _ => self.add_pattern_names(p, scope, src, |_| DeclKind::Other),
            }
        }
    }

    /// Declare every name bound by a pattern; `kind` gets the property path
    /// from the pattern root (`{ action }` → `["action"]`).
    fn add_pattern_names(
        &mut self,
        pattern: Node<'t>,
        scope: (usize, usize),
        src: &str,
        kind: impl Fn(Vec<String>) -> DeclKind<'t>,
    ) {
        let mut stack = vec![(pattern, Vec::<String>::new())];
        let mut budget = 10_000;
        while let Some((p, path)) = stack.pop() {
            budget -= 1;
            if budget == 0 {
                break;
            }
            match p.k() {
                "identifier" | "shorthand_property_identifier_pattern" => {
                    let mut path = path;
                    if p.k() == "shorthand_property_identifier_pattern" {
                        path.push(text(p, src).to_owned());
                    }
                    self.add(text(p, src), scope, p.start_byte(), kind(path));
                }
                "lexical_declaration" | "variable_declaration" => {
                    // `for (const x of …)`: the declarator holds the pattern.
                    let mut c = p.walk();
                    for ch in p.named_children(&mut c) {
                        if let Some(n) = ch.f("name") {
                            stack.push((n, path.clone()));
                        } else {
                            stack.push((ch, path.clone()));
                        }
                    }
                }
                "pair_pattern" => {
                    let key = p.f("key").map(|k| key_name(k, src));
                    if let (Some(k), Some(v)) = (key, p.f("value")) {
                        let mut path = path.clone();
                        path.push(k);
                        stack.push((v, path));
                    }
                }
                "object_assignment_pattern" | "assignment_pattern" => {
                    if let Some(l) = p.f("left") {
                        stack.push((l, path));
                    }
                }
                "required_parameter" | "optional_parameter" => {
                    if let Some(l) = p.f("pattern") {
                        stack.push((l, path));
                    }
                }
                "object_pattern" | "array_pattern" | "rest_pattern" => {
                    let mut c = p.walk();
                    for ch in p.named_children(&mut c) {
                        // Array elements and rest lose the property path.
                        let sub = if p.k() == "object_pattern" {
                            path.clone()
                        } else {
                            vec!["\u{0}".into()]
                        };
                        stack.push((ch, sub));
                    }
                }
                _ => {}
            }
        }
    }
}

/// The name of an object key (`a`, `'a'`, `"a"`).
pub fn key_name(key: Node<'_>, src: &str) -> String {
    string_value(key, src).unwrap_or_else(|| text(key, src).to_owned())
}

/// `arguments[N]` → N.
pub fn is_arguments_index(node: Node<'_>, src: &str) -> Option<usize> {
    if node.k() != "subscript_expression" {
        return None;
    }
    let obj = node.f("object")?;
    if obj.k() != "identifier" || text(obj, src) != "arguments" {
        return None;
    }
    let idx = node.f("index")?;
    if idx.k() != "number" {
        return None;
    }
    text(idx, src).parse().ok()
}

/// The parameter patterns of a function, in order.
pub fn param_patterns(func: Node<'_>) -> Vec<Node<'_>> {
    if let Some(p) = func.f("parameter") {
        return vec![p];
    }
    let Some(params) = func.f("parameters") else {
        return Vec::new();
    };
    let mut c = params.walk();
    params
        .named_children(&mut c)
        .filter(|n| n.k() != "comment")
        .map(|n| match n.k() {
            "required_parameter" | "optional_parameter" => n.f("pattern").unwrap_or(n),
            _ => n,
        })
        .collect()
}

/// Simple identifier parameters (None for patterns).
fn param_nodes(func: Node<'_>) -> Vec<Option<Node<'_>>> {
    param_patterns(func)
        .into_iter()
        .map(|p| match p.k() {
            "identifier" => Some(p),
            "assignment_pattern" => p.f("left").filter(|l| l.k() == "identifier"),
            _ => None,
        })
        .collect()
}
