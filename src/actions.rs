//! The exported actions config: the model (every API Action name with the byte
//! span where the file spells it, plus its other settings) and the loader for
//! the YAML and JSON shapes of SPEC §4.
//!
//! Owns: reading one actions file, telling its shape apart, and collecting the
//! names, keeping empty, non-string and duplicate names as [`Problem`]s (data
//! the `invalid-actions-config` rule turns into diagnostics). Anything else
//! that is wrong with the file is an `Err` with a pointed miette report.
//! Must not: look at site code, know about rules or severities, or print.
//!
//! Both formats go through yaml-rust2's event parser (JSON is YAML 1.2), pulled
//! one event at a time into a flat arena with an explicit stack: no recursion
//! on the input's depth, and aliases are never expanded, so a hostile file
//! costs time and memory linear in its size.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use miette::{LabeledSpan, NamedSource};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::TScalarStyle;

use crate::source::{SourceText, Span};

/// Keys that hold an action's name in the list-of-objects shape, by priority:
/// an export may carry both `apiReference` and a display `name`, and the
/// reference is what `triggerAction` takes.
pub const NAME_KEYS: [&str; 4] = ["reference", "apiReference", "api_reference", "name"];

/// Deeper than any real export; stops a hostile file before it costs anything.
const MAX_DEPTH: usize = 64;
/// Nodes (scalars, aliases, collections) in one file.
const MAX_NODES: usize = 1_000_000;
/// Rendered settings values are for hover text: keep them short.
const MAX_RENDER: usize = 120;

const SHAPES_HELP: &str = "an actions file is `actions:` followed by a list of objects \
(`- reference: start-chat`), a list of names (`[start-chat, start-video]`) or a mapping of \
name to settings (`start-chat: {type: start-interaction}`); a bare top-level list of names \
or objects is accepted too";

/// One loaded actions file.
#[derive(Debug, Clone)]
pub struct ActionsFile {
    pub path: PathBuf,
    pub source: SourceText,
    /// Valid names, first occurrence only, in file order.
    pub actions: Vec<Action>,
    /// Empty, non-string and duplicate names, in file order.
    pub problems: Vec<Problem>,
}

/// One configured API Action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub name: String,
    /// Byte span of the name scalar in `source.text()`, without quotes.
    pub span: Span,
    /// The entry's other keys, values rendered as short text (hover, explain).
    pub settings: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// `""` or whitespace only.
    Empty,
    /// A number, boolean, null, alias, list or mapping where a name belongs.
    NonString,
    /// A name already listed; `first` is the span of its first occurrence.
    Duplicate { first: Span },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// Where to point: the later occurrence for duplicates, the quotes of an
    /// empty string, the scalar (or the first line of a collection) otherwise.
    pub span: Span,
    /// The name as written, when there is one to show.
    pub name: Option<String>,
}

impl ActionsFile {
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Valid names in file order (the order "did you mean" ties follow).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.actions.iter().map(|a| a.name.as_str())
    }

    pub fn get(&self, name: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.name == name)
    }
}

/// Read and parse an actions file.
pub fn load(path: &Path) -> Result<ActionsFile, miette::Report> {
    if path.is_dir() {
        return Err(miette::miette!(
            help = "point `actions` (or `--actions`) at the exported YAML or JSON file",
            "cannot read actions file '{}': it is a directory",
            path.display()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        miette::miette!(
            help = "point `actions` in action-lint.toml (or `--actions`) at the exported actions config",
            "cannot read actions file '{}': {}",
            path.display(),
            describe_io_error(&e)
        )
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => parse(path, text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let help = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                "it looks like UTF-16: save the export as UTF-8"
            } else {
                "save the export as UTF-8"
            };
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            // The valid prefix is unchanged by lossy decoding, so `at` still
            // points at the first bad byte (now a 3-byte U+FFFD).
            let fail = Fail {
                message: format!("actions file '{}' is not valid UTF-8", path.display()),
                label: "invalid UTF-8 here".into(),
                span: at..(at + 3).min(lossy.len()),
                help: help.into(),
            };
            Err(fail.into_report(path, lossy))
        }
    }
}

/// Parse an actions file already in memory (LSP, tests). A BOM is removed.
pub fn parse(path: &Path, text: String) -> Result<ActionsFile, miette::Report> {
    let source = SourceText::new(text);
    match parse_text(path, source.text()) {
        Ok((actions, problems)) => Ok(ActionsFile {
            path: path.to_path_buf(),
            source,
            actions,
            problems,
        }),
        Err(fail) => Err(fail.into_report(path, source.text().to_owned())),
    }
}

/// A short, lowercase reason for an I/O failure ("no such file or directory").
pub(crate) fn describe_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            let s = match s.find(" (os error") {
                Some(i) => &s[..i],
                None => &s,
            };
            let mut chars = s.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => String::new(),
            }
        }
    }
}

/// Why a file was rejected, before it is tied to a path and a source.
struct Fail {
    message: String,
    label: String,
    span: Span,
    help: String,
}

impl Fail {
    fn shape(path: &Path, label: String, span: Span) -> Fail {
        Fail {
            message: format!("unexpected shape of actions file '{}'", path.display()),
            label,
            span,
            help: SHAPES_HELP.into(),
        }
    }

    fn into_report(self, path: &Path, text: String) -> miette::Report {
        let Some(shown) = crate::source::report_snippet(&text, &self.span) else {
            let at = SourceText::new(text).pos(self.span.start);
            return miette::miette!(
                help = self.help,
                "{}\n  at {}:{}:{}: {}",
                self.message,
                path.display(),
                at.line,
                at.column,
                crate::rules::printable(&self.label)
            );
        };
        let label = LabeledSpan::new_with_span(Some(self.label), self.span);
        miette::miette!(labels = vec![label], help = self.help, "{}", self.message)
            .with_source_code(NamedSource::new(path.display().to_string(), shown))
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Yaml,
    Json,
}

fn parse_text(path: &Path, text: &str) -> Result<(Vec<Action>, Vec<Problem>), Fail> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = match ext.as_deref() {
        Some("json") => {
            check_json(path, text)?;
            Format::Json
        }
        Some("yaml" | "yml") => Format::Yaml,
        // Unknown extension: JSON when it looks like it and is valid JSON,
        // else YAML (a YAML flow list also starts with `[`).
        _ if text.trim_start().starts_with(['{', '[']) && check_json(path, text).is_ok() => {
            Format::Json
        }
        _ => Format::Yaml,
    };
    // A tab outside a string is JSON whitespace but confuses YAML's
    // indentation rules; inside a JSON string it is invalid anyway (serde_json
    // rejected it above). Same byte length, so spans are unchanged.
    let input: Cow<str> = if format == Format::Json && text.contains('\t') {
        Cow::Owned(text.replace('\t', " "))
    } else {
        Cow::Borrowed(text)
    };
    let tree = Tree::build(path, text, &input)?;
    Collect::new(path, text, &tree).run()
}

/// Validate JSON with serde_json first so syntax errors carry its exact
/// line and column (yaml-rust2 would report them in YAML terms).
fn check_json(path: &Path, text: &str) -> Result<(), Fail> {
    let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) else {
        return Ok(());
    };
    // serde_json counts lines by '\n' and columns in bytes, 1-based.
    let line_start = if e.line() <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(e.line() - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let mut at = (line_start + e.column().saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let full = e.to_string();
    let label = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    };
    Err(Fail {
        message: format!("invalid JSON in actions file '{}': {label}", path.display()),
        label,
        span: at_or_before_eof(text, at),
        help: SHAPES_HELP.into(),
    })
}

/// Converts yaml-rust2 marker indices (chars) into byte offsets. Markers come
/// nearly in order, so a cursor that walks both ways is linear overall.
struct CharToByte<'a> {
    text: &'a str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'a> CharToByte<'a> {
    fn new(text: &'a str) -> Self {
        CharToByte {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, index: usize) -> usize {
        if self.ascii {
            return index.min(self.text.len());
        }
        while self.chars < index {
            match self.text[self.bytes..].chars().next() {
                Some(c) => {
                    self.bytes += c.len_utf8();
                    self.chars += 1;
                }
                None => return self.bytes,
            }
        }
        while self.chars > index {
            match self.text[..self.bytes].chars().next_back() {
                Some(c) => {
                    self.bytes -= c.len_utf8();
                    self.chars -= 1;
                }
                None => break,
            }
        }
        self.bytes
    }
}

enum Kind {
    Scalar {
        value: String,
        style: TScalarStyle,
        tag: Option<Tag>,
    },
    Alias,
    /// Children in order.
    Seq(Vec<usize>),
    /// Keys and values alternating.
    Map(Vec<usize>),
}

struct Node {
    kind: Kind,
    /// Scalars: the content without quotes. Collections: start to end.
    span: Span,
    /// Scalars: the whole token, quotes included.
    outer: Span,
}

/// The document as a flat arena: dropping it never recurses.
struct Tree {
    nodes: Vec<Node>,
    root: Option<usize>,
}

impl Tree {
    fn build(path: &Path, text: &str, input: &str) -> Result<Tree, Fail> {
        let mut parser = Parser::new_from_str(input);
        let mut conv = CharToByte::new(text);
        let mut nodes: Vec<Node> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut root = None;
        let mut documents = 0;
        loop {
            let (event, mark) = parser.next_token().map_err(|e| {
                let at = conv.byte(e.marker().index());
                Fail {
                    message: format!(
                        "invalid YAML in actions file '{}': {}",
                        path.display(),
                        e.info()
                    ),
                    label: e.info().to_owned(),
                    span: at_or_before_eof(text, at),
                    help: SHAPES_HELP.into(),
                }
            })?;
            let at = conv.byte(mark.index());
            let new_node = match event {
                Event::StreamEnd => break,
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        let end = if text[at..].starts_with("---") {
                            at + 3
                        } else {
                            at
                        };
                        return Err(Fail {
                            message: format!(
                                "actions file '{}' holds more than one YAML document",
                                path.display()
                            ),
                            label: "a second document starts here".into(),
                            span: at..end,
                            help: "keep one document: merge the lists under one `actions:` key"
                                .into(),
                        });
                    }
                    None
                }
                Event::Scalar(value, style, _anchor, tag) => {
                    let (span, outer) = scalar_spans(text, at, style, &value);
                    Some(Node {
                        kind: Kind::Scalar { value, style, tag },
                        span,
                        outer,
                    })
                }
                Event::Alias(_) => {
                    let span = alias_span(text, at);
                    Some(Node {
                        kind: Kind::Alias,
                        outer: span.clone(),
                        span,
                    })
                }
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(Fail {
                            message: format!(
                                "actions file '{}' is nested too deeply",
                                path.display()
                            ),
                            label: format!("more than {MAX_DEPTH} levels deep here"),
                            span: at..next_char_end(text, at),
                            help: SHAPES_HELP.into(),
                        });
                    }
                    let kind = if matches!(event, Event::SequenceStart(..)) {
                        Kind::Seq(Vec::new())
                    } else {
                        Kind::Map(Vec::new())
                    };
                    Some(Node {
                        kind,
                        span: at..at,
                        outer: at..at,
                    })
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    if let Some(idx) = stack.pop() {
                        let (first, last) = match &nodes[idx].kind {
                            Kind::Seq(c) | Kind::Map(c) => (c.first().copied(), c.last().copied()),
                            _ => (None, None),
                        };
                        let mut span = nodes[idx].span.clone();
                        // A block mapping's start marker sits at its first
                        // `:`; its first key starts earlier.
                        if let Some(f) = first {
                            span.start = span.start.min(nodes[f].outer.start);
                        }
                        span.end = if text[at..].starts_with([']', '}']) {
                            at + 1
                        } else {
                            last.map_or(span.start, |l| nodes[l].outer.end.max(span.start))
                        };
                        nodes[idx].outer = span.clone();
                        nodes[idx].span = span;
                    }
                    None
                }
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => None,
            };
            let Some(node) = new_node else { continue };
            if nodes.len() >= MAX_NODES {
                return Err(Fail {
                    message: format!("actions file '{}' is too large", path.display()),
                    label: format!("more than {MAX_NODES} values by here"),
                    span: at..next_char_end(text, at),
                    help: SHAPES_HELP.into(),
                });
            }
            let is_collection = matches!(node.kind, Kind::Seq(_) | Kind::Map(_));
            let idx = nodes.len();
            nodes.push(node);
            match stack.last() {
                Some(&parent) => match &mut nodes[parent].kind {
                    Kind::Seq(c) | Kind::Map(c) => c.push(idx),
                    _ => {}
                },
                None => root = root.or(Some(idx)),
            }
            if is_collection {
                stack.push(idx);
            }
        }
        Ok(Tree { nodes, root })
    }
}

/// One character at `at`; at the end of the file (an unclosed list), the
/// last visible character instead, so the label has something to underline.
fn at_or_before_eof(text: &str, at: usize) -> Span {
    let end = next_char_end(text, at);
    if end > at && !text[at..end].trim().is_empty() {
        return at..end;
    }
    if text[at..].trim().is_empty() {
        let before = text[..at].trim_end();
        if let Some(c) = before.chars().next_back() {
            return before.len() - c.len_utf8()..before.len();
        }
    }
    at..end
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|s| s.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

/// The content span (no quotes) and the whole token of a scalar whose token
/// starts at byte `at`. yaml-rust2 gives only the start, so the end is found
/// in the text: plain scalars are verbatim, quoted ones end at the closing
/// quote, block scalars point at their first content line.
fn scalar_spans(text: &str, at: usize, style: TScalarStyle, value: &str) -> (Span, Span) {
    let rest = &text[at..];
    match style {
        TScalarStyle::Plain => {
            let len = if rest.starts_with(value) {
                value.len()
            } else {
                // A plain scalar folded over several lines: its first line.
                let line = rest.split(['\n', '\r']).next().unwrap_or("");
                line.trim_end().len()
            };
            (at..at + len, at..at + len)
        }
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
            let quote = if style == TScalarStyle::SingleQuoted {
                b'\''
            } else {
                b'"'
            };
            let bytes = rest.as_bytes();
            let mut i = 1;
            while i < bytes.len() {
                // `''` inside single quotes and `\x` inside double quotes are
                // escapes, not the closing quote.
                let escaped = if quote == b'\'' {
                    bytes[i] == b'\'' && bytes.get(i + 1) == Some(&b'\'')
                } else {
                    bytes[i] == b'\\'
                };
                if escaped {
                    i += 2;
                } else if bytes[i] == quote {
                    break;
                } else {
                    i += 1;
                }
            }
            let close = (at + i).min(text.len());
            ((at + 1).min(close)..close, at..(close + 1).min(text.len()))
        }
        TScalarStyle::Literal | TScalarStyle::Folded => {
            let header = rest.find('\n').map_or(rest.len(), |i| i + 1);
            let mut pos = at + header;
            for line in text[pos..].split_inclusive('\n') {
                let trimmed = line.trim();
                if !trimmed.is_empty() {
                    let start = pos + (line.len() - line.trim_start().len());
                    return (start..start + trimmed.len(), at..start + trimmed.len());
                }
                pos += line.len();
            }
            let end = next_char_end(text, at);
            (at..end, at..end)
        }
    }
}

/// `*name` up to whitespace or a flow indicator.
fn alias_span(text: &str, at: usize) -> Span {
    let rest = &text[at..];
    let len = rest
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
        .map_or(rest.len(), |(i, _)| i);
    at..at + len
}

/// What a plain scalar is under the YAML 1.2 core schema, which is also how
/// JSON literals read: only strings are names.
fn plain_is_string(value: &str) -> bool {
    let v = value;
    let is_null = matches!(v, "" | "~" | "null" | "Null" | "NULL");
    let is_bool = matches!(v, "true" | "True" | "TRUE" | "false" | "False" | "FALSE");
    let unsigned = v.strip_prefix(['-', '+']).unwrap_or(v);
    let is_int = (!unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()))
        || v.strip_prefix("0o")
            .is_some_and(|r| !r.is_empty() && r.bytes().all(|b| (b'0'..=b'7').contains(&b)))
        || v.strip_prefix("0x")
            .is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_hexdigit()));
    let is_special_float =
        matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(v, ".nan" | ".NaN" | ".NAN");
    !(is_null || is_bool || is_int || is_special_float || is_float(unsigned))
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, sign already removed.
fn is_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// Walks the tree's top levels (never deeper than the shape needs) and
/// collects actions and problems.
struct Collect<'a> {
    path: &'a Path,
    text: &'a str,
    tree: &'a Tree,
    actions: Vec<Action>,
    problems: Vec<Problem>,
    seen: HashMap<String, Span>,
}

impl<'a> Collect<'a> {
    fn new(path: &'a Path, text: &'a str, tree: &'a Tree) -> Self {
        Collect {
            path,
            text,
            tree,
            actions: Vec::new(),
            problems: Vec::new(),
            seen: HashMap::new(),
        }
    }

    fn run(mut self) -> Result<(Vec<Action>, Vec<Problem>), Fail> {
        let tree = self.tree;
        let Some(root) = tree.root else {
            return Err(Fail {
                message: format!("actions file '{}' is empty", self.path.display()),
                label: "no actions here".into(),
                span: 0..0,
                help: SHAPES_HELP.into(),
            });
        };
        match &tree.nodes[root].kind {
            Kind::Map(pairs) => {
                let Some((key, value)) = self.lookup(pairs, "actions") else {
                    return Err(Fail::shape(
                        self.path,
                        "expected an `actions` key in this mapping".into(),
                        self.first_line(root),
                    ));
                };
                match &tree.nodes[value].kind {
                    Kind::Seq(items) => self.list(items)?,
                    Kind::Map(pairs) => self.mapping(pairs),
                    _ => {
                        return Err(Fail::shape(
                            self.path,
                            format!(
                                "expected a list or a mapping of actions, found {}",
                                self.describe(value)
                            ),
                            match tree.nodes[value].span.is_empty() {
                                true => tree.nodes[key].span.clone(),
                                false => tree.nodes[value].span.clone(),
                            },
                        ))
                    }
                }
            }
            Kind::Seq(items) => self.list(items)?,
            _ => {
                return Err(Fail::shape(
                    self.path,
                    format!(
                        "expected a list of actions or a mapping with an `actions` key, found {}",
                        self.describe(root)
                    ),
                    self.visible(self.tree.nodes[root].span.clone()),
                ))
            }
        }
        Ok((self.actions, self.problems))
    }

    /// Shape 1 and 2: a list of names and/or objects with a name key.
    fn list(&mut self, items: &[usize]) -> Result<(), Fail> {
        let tree = self.tree;
        for &item in items {
            let Kind::Map(pairs) = &tree.nodes[item].kind else {
                self.name(item, None, Vec::new());
                continue;
            };
            let found = NAME_KEYS.iter().find_map(|key| {
                pairs
                    .chunks(2)
                    .position(|kv| self.string_value(kv[0]) == Some(*key))
            });
            let Some(pos) = found else {
                return Err(Fail::shape(
                    self.path,
                    "this action has no `reference`, `apiReference`, `api_reference` or `name` key"
                        .into(),
                    self.first_line(item),
                ));
            };
            let settings = pairs
                .chunks(2)
                .enumerate()
                .filter(|&(i, kv)| i != pos && kv.len() == 2)
                .map(|(_, kv)| (self.render(kv[0]), self.render(kv[1])))
                .collect();
            let key = pairs[pos * 2];
            let value = pairs.get(pos * 2 + 1).copied().unwrap_or(key);
            let key_span = tree.nodes[key].span.clone();
            self.name(value, Some(key_span), settings);
        }
        Ok(())
    }

    /// Shape 3: a mapping of name to settings.
    fn mapping(&mut self, pairs: &[usize]) {
        let tree = self.tree;
        for kv in pairs.chunks(2) {
            let settings = match kv.get(1).map(|&v| (v, &tree.nodes[v].kind)) {
                Some((_, Kind::Map(inner))) => inner
                    .chunks(2)
                    .filter(|p| p.len() == 2)
                    .map(|p| (self.render(p[0]), self.render(p[1])))
                    .collect(),
                Some((v, Kind::Scalar { .. })) if self.is_null(v) => Vec::new(),
                Some((v, _)) => vec![("value".to_owned(), self.render(v))],
                None => Vec::new(),
            };
            self.name(kv[0], None, settings);
        }
    }

    /// Record `node` as a name, or as a problem. `fallback` is where to point
    /// when the node has no text of its own (`reference:` with no value).
    fn name(&mut self, node: usize, fallback: Option<Span>, settings: Vec<(String, String)>) {
        let tree = self.tree;
        let n = &tree.nodes[node];
        let non_string = |this: &Self, name: Option<String>| {
            let span = if n.span.is_empty() {
                fallback
                    .clone()
                    .unwrap_or_else(|| this.visible(n.span.clone()))
            } else {
                match n.kind {
                    Kind::Seq(_) | Kind::Map(_) => this.first_line(node),
                    _ => n.span.clone(),
                }
            };
            Problem {
                kind: ProblemKind::NonString,
                span,
                name,
            }
        };
        let problem = match &n.kind {
            Kind::Scalar { value, .. } if self.is_string(node) => {
                if value.trim().is_empty() {
                    Problem {
                        kind: ProblemKind::Empty,
                        span: self.visible(n.outer.clone()),
                        name: Some(value.clone()),
                    }
                } else if let Some(first) = self.seen.get(value) {
                    Problem {
                        kind: ProblemKind::Duplicate {
                            first: first.clone(),
                        },
                        span: n.span.clone(),
                        name: Some(value.clone()),
                    }
                } else {
                    self.seen.insert(value.clone(), n.span.clone());
                    self.actions.push(Action {
                        name: value.clone(),
                        span: n.span.clone(),
                        settings,
                    });
                    return;
                }
            }
            Kind::Scalar { .. } | Kind::Alias => {
                let written = &self.text[n.span.clone()];
                let shown = (!written.is_empty()).then(|| written.to_owned());
                non_string(self, shown)
            }
            Kind::Seq(_) | Kind::Map(_) => non_string(self, None),
        };
        self.problems.push(problem);
    }

    fn is_string(&self, node: usize) -> bool {
        let Kind::Scalar { value, style, tag } = &self.tree.nodes[node].kind else {
            return false;
        };
        if let Some(tag) = tag {
            if tag.handle == "tag:yaml.org,2002:" {
                return tag.suffix == "str";
            }
        }
        *style != TScalarStyle::Plain || plain_is_string(value)
    }

    fn is_null(&self, node: usize) -> bool {
        match &self.tree.nodes[node].kind {
            Kind::Scalar {
                value,
                style: TScalarStyle::Plain,
                tag: None,
            } => matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"),
            _ => false,
        }
    }

    /// The value of a string scalar.
    fn string_value(&self, node: usize) -> Option<&str> {
        match &self.tree.nodes[node].kind {
            Kind::Scalar { value, .. } if self.is_string(node) => Some(value),
            _ => None,
        }
    }

    /// The key and value nodes of string key `key` in a mapping (first occurrence).
    fn lookup(&self, pairs: &[usize], key: &str) -> Option<(usize, usize)> {
        pairs
            .chunks(2)
            .find(|kv| kv.len() == 2 && self.string_value(kv[0]) == Some(key))
            .map(|kv| (kv[0], kv[1]))
    }

    fn describe(&self, node: usize) -> &'static str {
        match &self.tree.nodes[node].kind {
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
            Kind::Alias => "an alias",
            Kind::Scalar { value, .. } if self.is_string(node) => {
                if value.is_empty() {
                    "an empty string"
                } else {
                    "a string"
                }
            }
            Kind::Scalar { .. } if self.is_null(node) => "null",
            Kind::Scalar { value, .. } => {
                if matches!(
                    value.as_str(),
                    "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
                ) {
                    "a boolean"
                } else {
                    "a number"
                }
            }
        }
    }

    /// The first line of a node: collections can span many lines, a label
    /// on their opening line is what a reader needs.
    fn first_line(&self, node: usize) -> Span {
        let span = self.tree.nodes[node].span.clone();
        let slice = &self.text[span.clone()];
        let line = slice.split(['\n', '\r']).next().unwrap_or("");
        let span = span.start..span.start + line.trim_end().len();
        self.visible(span)
    }

    /// A non-empty span for an empty one (a missing value): the nearest
    /// character before it (the `-` or `:` that introduced it), else the
    /// character at it.
    fn visible(&self, span: Span) -> Span {
        if !span.is_empty() {
            return span;
        }
        let before = self.text[..span.start].trim_end();
        if let Some(c) = before.chars().next_back() {
            return before.len() - c.len_utf8()..before.len();
        }
        match self.text[span.start..].chars().next() {
            Some(c) if !matches!(c, '\n' | '\r') => span.start..span.start + c.len_utf8(),
            _ => span,
        }
    }

    /// A settings value as one short line: scalars as their value, aliases as
    /// written (`*name`, never expanded), collections in flow style.
    fn render(&self, node: usize) -> String {
        enum Work {
            Node(usize),
            Lit(&'static str),
        }
        let mut out = String::new();
        let mut work = vec![Work::Node(node)];
        while let Some(item) = work.pop() {
            if out.len() > MAX_RENDER {
                break;
            }
            let n = match item {
                Work::Lit(s) => {
                    out.push_str(s);
                    continue;
                }
                Work::Node(n) => n,
            };
            let node = &self.tree.nodes[n];
            match &node.kind {
                Kind::Scalar { value, .. } => {
                    out.extend(value.chars().take(MAX_RENDER + 1).map(|c| {
                        if c.is_control() {
                            ' '
                        } else {
                            c
                        }
                    }))
                }
                Kind::Alias => out.push_str(&self.text[node.span.clone()]),
                Kind::Seq(items) => {
                    out.push('[');
                    work.push(Work::Lit("]"));
                    for (i, &c) in items.iter().enumerate().rev() {
                        work.push(Work::Node(c));
                        if i > 0 {
                            work.push(Work::Lit(", "));
                        }
                    }
                }
                Kind::Map(items) => {
                    out.push('{');
                    work.push(Work::Lit("}"));
                    for (i, kv) in items.chunks(2).enumerate().rev() {
                        if let [k, v] = kv {
                            work.push(Work::Node(*v));
                            work.push(Work::Lit(": "));
                            work.push(Work::Node(*k));
                        }
                        if i > 0 {
                            work.push(Work::Lit(", "));
                        }
                    }
                }
            }
        }
        if out.len() > MAX_RENDER {
            let mut cut = MAX_RENDER;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push('…');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(file: &str, text: &str) -> ActionsFile {
        match parse(Path::new(file), text.to_owned()) {
            Ok(f) => f,
            Err(e) => panic!("{}", render(&e)),
        }
    }

    fn err(file: &str, text: &str) -> String {
        match parse(Path::new(file), text.to_owned()) {
            Ok(f) => panic!("expected an error, got {:?}", f.actions),
            Err(e) => render(&e),
        }
    }

    fn render(e: &miette::Report) -> String {
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(200)
            .render_report(&mut out, e.as_ref())
            .unwrap();
        out
    }

    /// The text of the first label of a report, and the label's message.
    fn label(file: &str, text: &str) -> (String, String) {
        let Err(e) = parse(Path::new(file), text.to_owned()) else {
            panic!("expected an error")
        };
        let l = e.labels().expect("labels").next().expect("a label");
        let src = SourceText::new(text.to_owned());
        let slice = src.text()[l.offset()..l.offset() + l.len()].to_owned();
        (slice, l.label().unwrap_or_default().to_owned())
    }

    fn names(f: &ActionsFile) -> Vec<&str> {
        f.names().collect()
    }

    /// Every name's span covers exactly the name as written.
    fn assert_spans(f: &ActionsFile) {
        for a in &f.actions {
            assert_eq!(
                &f.source.text()[a.span.clone()],
                a.name,
                "span of {}",
                a.name
            );
        }
    }

    #[test]
    fn yaml_list_of_objects_with_every_name_key() {
        let f = ok(
            "a.yaml",
            "actions:\n  - reference: start-chat\n    type: start-interaction\n    queue: \"a6adeebf\"\n  - apiReference: 'start-video'\n  - api_reference: \"open-faq\"\n  - name: close\n",
        );
        assert_eq!(
            names(&f),
            ["start-chat", "start-video", "open-faq", "close"]
        );
        assert_spans(&f);
        let t = f.source.text();
        assert_eq!(&t[f.get("start-chat").unwrap().span.clone()], "start-chat");
        assert_eq!(
            f.get("start-chat").unwrap().settings,
            [
                ("type".to_owned(), "start-interaction".to_owned()),
                ("queue".to_owned(), "a6adeebf".to_owned())
            ]
        );
        assert!(f.problems.is_empty());
    }

    #[test]
    fn name_keys_have_a_priority_order() {
        let f = ok(
            "a.yml",
            "actions:\n  - name: Start chat\n    apiReference: start-chat\n",
        );
        assert_eq!(names(&f), ["start-chat"]);
        assert_eq!(
            f.actions[0].settings,
            [("name".to_owned(), "Start chat".to_owned())]
        );
        assert_spans(&f);
    }

    #[test]
    fn yaml_list_of_strings_flow_and_block() {
        let f = ok(
            "a.yaml",
            "actions: [start-chat, \"start-video\", 'it''s']\n",
        );
        assert_eq!(names(&f), ["start-chat", "start-video", "it's"]);
        let t = f.source.text();
        assert_eq!(&t[f.actions[1].span.clone()], "start-video");
        assert_eq!(&t[f.actions[2].span.clone()], "it''s");
        let f = ok("a.yaml", "actions:\n- start-chat\n- start-video\n");
        assert_eq!(names(&f), ["start-chat", "start-video"]);
        assert_spans(&f);
    }

    #[test]
    fn yaml_bare_top_level_list() {
        let f = ok("a.yaml", "- start-chat\n- reference: start-video\n");
        assert_eq!(names(&f), ["start-chat", "start-video"]);
        assert_spans(&f);
    }

    #[test]
    fn yaml_mapping_of_name_to_settings() {
        let f = ok(
            "a.yaml",
            "actions:\n  start-chat: { type: start-interaction, tags: [a, b] }\n  \"start-video\":\n    type: video\n  close:\n",
        );
        assert_eq!(names(&f), ["start-chat", "start-video", "close"]);
        assert_spans(&f);
        assert_eq!(
            f.actions[0].settings,
            [
                ("type".to_owned(), "start-interaction".to_owned()),
                ("tags".to_owned(), "[a, b]".to_owned())
            ]
        );
        assert!(f.actions[2].settings.is_empty());
    }

    #[test]
    fn other_top_level_keys_are_ignored() {
        let f = ok(
            "a.yaml",
            "version: 2\nactions:\n  - start-chat\nexportedAt: today\n",
        );
        assert_eq!(names(&f), ["start-chat"]);
    }

    #[test]
    fn json_shapes() {
        let f = ok(
            "a.json",
            "{\"actions\": [{\"reference\": \"start-chat\", \"type\": \"start-interaction\"}, {\"reference\": \"start-video\"}]}",
        );
        assert_eq!(names(&f), ["start-chat", "start-video"]);
        assert_spans(&f);
        let f = ok("a.json", "{\"actions\": [\"start-chat\", \"start-video\"]}");
        assert_eq!(names(&f), ["start-chat", "start-video"]);
        assert_spans(&f);
        let f = ok(
            "a.json",
            "{\"actions\": {\"start-chat\": {\"type\": \"x\"}, \"b\": {}}}",
        );
        assert_eq!(names(&f), ["start-chat", "b"]);
        assert_spans(&f);
        // A saved getActions() result: a top-level array of strings or objects.
        let f = ok("a.json", "[\"start-chat\",\"start-video\"]");
        assert_eq!(names(&f), ["start-chat", "start-video"]);
        assert_spans(&f);
        let f = ok(
            "a.json",
            "[\n\t{\n\t\t\"apiReference\": \"start-chat\",\n\t\t\"name\": \"Start chat\"\n\t}\n]\n",
        );
        assert_eq!(names(&f), ["start-chat"]);
        assert_spans(&f);
        assert_eq!(
            f.actions[0].settings,
            [("name".to_owned(), "Start chat".to_owned())]
        );
    }

    #[test]
    fn json_escapes_keep_the_span_on_the_written_text() {
        let f = ok("a.json", "[\"a\\\"b\", \"\\u00e9t\\u00e9\", \"x\\/y\"]");
        assert_eq!(names(&f), ["a\"b", "été", "x/y"]);
        let t = f.source.text();
        assert_eq!(&t[f.actions[0].span.clone()], "a\\\"b");
        assert_eq!(&t[f.actions[1].span.clone()], "\\u00e9t\\u00e9");
    }

    #[test]
    fn unknown_extension_sniffs_json_then_yaml() {
        let f = ok("actions.txt", "[\"start-chat\"]");
        assert_eq!(names(&f), ["start-chat"]);
        // Not JSON (bare words) but valid YAML flow.
        let f = ok("actions", "[start-chat, start-video]");
        assert_eq!(names(&f), ["start-chat", "start-video"]);
        let f = ok("actions.conf", "actions:\n  - start-chat\n");
        assert_eq!(names(&f), ["start-chat"]);
    }

    #[test]
    fn non_ascii_text_keeps_byte_spans() {
        let f = ok(
            "a.yaml",
            "# café ☕\nactions: [ünï, \"日本\", start-chat]\n",
        );
        assert_eq!(names(&f), ["ünï", "日本", "start-chat"]);
        assert_spans(&f);
    }

    #[test]
    fn crlf_and_bom() {
        let f = ok(
            "a.yaml",
            "\u{feff}actions:\r\n  - reference: start-chat\r\n    type: x\r\n  - start-video\r\n",
        );
        assert_eq!(names(&f), ["start-chat", "start-video"]);
        assert_spans(&f);
        assert!(f.source.had_bom);
        let p = f.source.pos(f.actions[0].span.start);
        assert_eq!((p.line, p.column), (2, 16));
        assert_eq!(f.actions[0].settings, [("type".to_owned(), "x".to_owned())]);
        let f = ok("a.json", "\u{feff}[\"start-chat\"]\r\n");
        assert_eq!(f.source.pos(f.actions[0].span.start).column, 3);
    }

    #[test]
    fn empty_names_are_problems() {
        let f = ok("a.yaml", "actions: [\"\", '  ', ok]\n");
        assert_eq!(names(&f), ["ok"]);
        let t = f.source.text();
        assert_eq!(f.problems.len(), 2);
        assert_eq!(f.problems[0].kind, ProblemKind::Empty);
        assert_eq!(&t[f.problems[0].span.clone()], "\"\"");
        assert_eq!(&t[f.problems[1].span.clone()], "'  '");
        assert_eq!(f.problems[1].name.as_deref(), Some("  "));
    }

    #[test]
    fn non_string_names_are_problems() {
        let f = ok(
            "a.yaml",
            "actions:\n  - reference: 123\n  - reference: true\n  - reference: null\n  - reference:\n  - reference: {a: 1}\n  - [x]\n  - 1.5e3\n  - \"123\"\n  - !!str 456\n",
        );
        assert_eq!(names(&f), ["123", "456"]);
        let t = f.source.text();
        let got: Vec<(&ProblemKind, &str)> = f
            .problems
            .iter()
            .map(|p| (&p.kind, &t[p.span.clone()]))
            .collect();
        let ns = &ProblemKind::NonString;
        assert_eq!(
            got,
            [
                (ns, "123"),
                (ns, "true"),
                (ns, "null"),
                (ns, "reference"),
                (ns, "{a: 1}"),
                (ns, "[x]"),
                (ns, "1.5e3")
            ]
        );
        assert_eq!(f.problems[0].name.as_deref(), Some("123"));
        assert_eq!(f.problems[3].name, None);
    }

    #[test]
    fn non_string_names_in_json_and_mapping_shape() {
        let f = ok("a.json", "[1, true, null, {\"name\": 2}, [\"x\"], \"ok\"]");
        assert_eq!(names(&f), ["ok"]);
        let t = f.source.text();
        let got: Vec<&str> = f.problems.iter().map(|p| &t[p.span.clone()]).collect();
        assert_eq!(got, ["1", "true", "null", "2", "[\"x\"]"]);
        assert!(f.problems.iter().all(|p| p.kind == ProblemKind::NonString));
        let f = ok("a.yaml", "actions:\n  404: {}\n  ok: {}\n");
        assert_eq!(names(&f), ["ok"]);
        assert_eq!(&f.source.text()[f.problems[0].span.clone()], "404");
    }

    #[test]
    fn duplicates_point_at_each_later_occurrence() {
        let f = ok(
            "a.yaml",
            "actions:\n  - reference: start-chat\n  - start-video\n  - reference: \"start-chat\"\n  - start-chat\n",
        );
        assert_eq!(names(&f), ["start-chat", "start-video"]);
        assert_eq!(f.problems.len(), 2);
        let first = f.actions[0].span.clone();
        for p in &f.problems {
            assert_eq!(
                p.kind,
                ProblemKind::Duplicate {
                    first: first.clone()
                }
            );
            assert_eq!(&f.source.text()[p.span.clone()], "start-chat");
            assert_eq!(p.name.as_deref(), Some("start-chat"));
            assert!(p.span.start > first.start);
        }
        assert_ne!(f.problems[0].span, f.problems[1].span);
        let f = ok("a.json", "{\"actions\": {\"a\": {}, \"a\": {}}}");
        assert_eq!(f.problems.len(), 1);
    }

    #[test]
    fn wrong_shapes_are_errors_with_a_pointed_label() {
        let (at, msg) = label("a.yaml", "actions: 5\n");
        assert_eq!(at, "5");
        assert!(msg.contains("found a number"), "{msg}");
        let (at, msg) = label("a.yaml", "start-chat\n");
        assert_eq!(at, "start-chat");
        assert!(msg.contains("found a string"), "{msg}");
        let (at, _) = label("a.yaml", "queue: x\ntype: y\n");
        assert_eq!(at, "queue: x");
        let (at, msg) = label("a.yaml", "actions:\n  - type: start-interaction\n");
        assert_eq!(at, "type: start-interaction");
        assert!(msg.contains("no `reference`"), "{msg}");
        let (_, msg) = label("a.json", "\"x\"");
        assert!(msg.contains("found a string"), "{msg}");
        let (at, msg) = label("a.yaml", "actions:\n");
        assert_eq!(at, "actions");
        assert!(msg.contains("found null"), "{msg}");
        let out = err("dir/a.yaml", "actions: 5\n");
        assert!(
            out.contains("unexpected shape of actions file 'dir/a.yaml'"),
            "{out}"
        );
        assert!(out.contains("dir/a.yaml:1:10"), "{out}");
        assert!(out.contains("help: an actions file is `actions:`"), "{out}");
    }

    #[test]
    fn empty_file_and_several_documents_are_errors() {
        assert!(err("a.yaml", "").contains("actions file 'a.yaml' is empty"));
        assert!(err("a.yaml", "# only a comment\n").contains("is empty"));
        let (at, msg) = label("a.yaml", "- a\n---\n- b\n");
        assert_eq!(at, "---");
        assert!(msg.contains("second document"));
    }

    #[test]
    fn bad_yaml_points_at_the_error() {
        let out = err("a.yaml", "actions: [a, b\n");
        assert!(
            out.contains("invalid YAML in actions file 'a.yaml'"),
            "{out}"
        );
        let (_, msg) = label("a.yaml", "actions:\n  - a\n - b\n");
        assert!(!msg.is_empty());
    }

    #[test]
    fn bad_json_carries_serde_json_position() {
        let text = "{\n  \"actions\": [\"a\",]\n}";
        let e = parse(Path::new("a.json"), text.to_owned()).unwrap_err();
        let l = e.labels().unwrap().next().unwrap();
        // serde_json: expected value at line 2 column 19, the `]`.
        assert_eq!(&text[l.offset()..l.offset() + l.len()], "]");
        assert_eq!(l.label(), Some("expected value"));
        let out = render(&e);
        assert!(
            out.contains("invalid JSON in actions file 'a.json'"),
            "{out}"
        );
        assert!(out.contains("a.json:2:19"), "{out}");
        // Valid YAML is still invalid JSON when the extension says JSON.
        assert!(err("a.json", "actions: [a]").contains("invalid JSON"));
    }

    #[test]
    fn aliases_are_never_expanded() {
        // A billion-laughs file: expanding it would take minutes and gigabytes.
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        text.push_str("actions:\n  - *a9\n  - reference: start-chat\n    bomb: *a9\n");
        let start = std::time::Instant::now();
        let f = ok("bomb.yaml", &text);
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(names(&f), ["start-chat"]);
        assert_eq!(f.problems.len(), 1);
        assert_eq!(f.problems[0].kind, ProblemKind::NonString);
        assert_eq!(f.problems[0].name.as_deref(), Some("*a9"));
        assert_eq!(
            f.actions[0].settings,
            [("bomb".to_owned(), "*a9".to_owned())]
        );
    }

    #[test]
    fn anchored_and_tagged_names_keep_their_span() {
        let f = ok(
            "a.yaml",
            "actions:\n  - &x start-chat\n  - !!str start-video\n",
        );
        assert_eq!(names(&f), ["start-chat", "start-video"]);
        assert_spans(&f);
    }

    #[test]
    fn long_settings_are_truncated() {
        let long = "x".repeat(500);
        let f = ok(
            "a.yaml",
            &format!("actions:\n  a: {{ v: [{long}, {long}] }}\n"),
        );
        let v = &f.actions[0].settings[0].1;
        assert!(
            v.ends_with('…') && v.chars().count() <= MAX_RENDER + 1,
            "{v}"
        );
    }

    /// Runs `f` on a thread with a small stack: recursion on input depth
    /// would overflow it.
    fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .expect("no stack overflow")
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        for file in ["deep.yaml", "deep.json", "deep"] {
            let text = deep.clone();
            let res = small_stack(move || {
                parse(Path::new(file), text)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            });
            assert!(res.is_err(), "{file}");
        }
        // Block nesting is not bounded by the YAML scanner; ours stops it.
        let mut block = String::from("actions:\n");
        for i in 0..10_000 {
            block.push_str(&" ".repeat(i * 2 + 2));
            block.push_str("-\n");
        }
        let res = small_stack(move || {
            parse(Path::new("deep.yaml"), block)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
        assert!(res.unwrap_err().contains("nested too deeply"));
        let deep_map = format!("actions: [{}]", "{a: ".repeat(200) + &"}".repeat(200));
        let res = small_stack(move || parse(Path::new("deep.yaml"), deep_map).map(|_| ()));
        assert!(res.is_err());
    }

    #[test]
    fn fixtures_load_the_same_names_in_every_shape() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config");
        for file in [
            "talkative-actions.yaml",
            "talkative-actions.json",
            "actions-mapping.yaml",
        ] {
            let f = load(&dir.join(file)).unwrap();
            assert_eq!(
                names(&f),
                ["start-chat", "start-video", "open-faq"],
                "{file}"
            );
            assert!(f.problems.is_empty(), "{file}");
            assert_spans(&f);
        }
        let f = load(&dir.join("invalid-actions.yaml")).unwrap();
        assert_eq!(names(&f), ["start-chat"]);
        let kinds: Vec<_> = f.problems.iter().map(|p| &p.kind).collect();
        let first = f.actions[0].span.clone();
        assert_eq!(
            kinds,
            [
                &ProblemKind::Empty,
                &ProblemKind::NonString,
                &ProblemKind::NonString,
                &ProblemKind::NonString,
                &ProblemKind::NonString,
                &ProblemKind::Duplicate { first }
            ]
        );
    }

    #[test]
    fn load_reports_missing_files_and_bad_encodings() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.yaml");
        let e = load(&missing).unwrap_err().to_string();
        assert!(
            e.contains("cannot read actions file") && e.contains("no such file"),
            "{e}"
        );
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("is a directory"), "{e}");
        let bad = dir.path().join("bad.yaml");
        std::fs::write(&bad, b"actions: [a, \xff]\n").unwrap();
        let e = load(&bad).unwrap_err();
        assert!(e.to_string().contains("is not valid UTF-8"));
        assert_eq!(e.labels().unwrap().next().unwrap().offset(), 13);
        let utf16 = dir.path().join("u16.json");
        std::fs::write(&utf16, b"\xFF\xFE[\x00]\x00").unwrap();
        let out = render(&load(&utf16).unwrap_err());
        assert!(out.contains("UTF-16"), "{out}");
        let good = dir.path().join("good.yml");
        std::fs::write(&good, "\u{feff}actions: [start-chat]\n").unwrap();
        let f = load(&good).unwrap();
        assert!(f.contains("start-chat") && !f.contains("start"));
        assert_eq!(f.path, good);
    }
}
