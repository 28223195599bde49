//! Property tests (proptest): the per-file analysis never panics on any
//! input, every location it reports lies inside the file and agrees with
//! `SourceText::pos`, and a whole run gives the same output at any thread
//! count. Inputs are arbitrary bytes and strings, and "token soup" from a
//! small grammar of the words the rules care about. Case counts are kept
//! small so the suite stays fast in debug builds.

mod common;

use action_lint::analysis::{analyze_file, AnalysisOptions, ArgVal, FileFacts};
use action_lint::extract::{FileKind, Lang};
use action_lint::source::{Location, SourceText};
use proptest::prelude::*;

const KINDS: [FileKind; 5] = [
    FileKind::Script(Lang::Js),
    FileKind::Script(Lang::Ts),
    FileKind::Script(Lang::Tsx),
    FileKind::Html,
    FileKind::Component,
];

const TOKENS: &[&str] = &[
    "talkativeApi",
    "window.",
    "window",
    "globalThis.",
    "?.",
    ".",
    "actions",
    ".actions.triggerAction(",
    "triggerAction(",
    "triggerAction",
    "(",
    ")",
    "'start-chat'",
    "\"strat-chat\"",
    "`start-${x}`",
    "'",
    "\"",
    "`",
    "{",
    "}",
    "[",
    "]",
    "if (",
    "if",
    "else",
    "=>",
    "function f(a) {",
    "function",
    "f(",
    "a",
    "const ",
    "let ",
    "var ",
    "=",
    "!==",
    "typeof ",
    "'undefined'",
    "&&",
    "||",
    "!",
    "?",
    ":",
    ";",
    ",",
    "+",
    "<script>",
    "</script>",
    "<script type=\"module\">",
    "<script lang=\"ts\">",
    "<template>",
    "</template>",
    "<button ",
    "onclick=\"",
    "data-talkative-action=\"",
    "href=\"javascript:",
    ">",
    "<",
    "/>",
    "&quot;",
    "&#39;",
    "&amp;",
    "&",
    "😀",
    "é",
    "\r\n",
    "\n",
    "\r",
    " ",
    "\t",
    "// action-lint-disable-next-line ",
    "/* action-lint-disable unknown-action */",
    "<!-- action-lint-disable-next-line -->",
    "//",
    "/*",
    "*/",
    "<!--",
    "-->",
    "talkativeCustomConfig = {",
    "events: { ready() {",
    "enterStandby",
    "return",
    "try {",
    "} catch (e) {",
    "__unsafe",
    "TalkativeEngageApi",
    "talkativeAPI",
    "'/api/ecs/v1/loader/'",
    "src=",
    " as const",
    ".forEach(",
    "!.",
    ".then(",
    ".catch(",
    "await ",
    "async ",
    "export ",
    "import ",
    "new ",
    "\\",
    "\u{0}",
    "\u{1b}[31m",
    "\u{feff}",
    "\u{2028}",
];

/// One piece of JS-ish code: mostly whole statements of the API (so the
/// analysis has something to find), openers and closers of blocks that
/// need not balance, separators with CR/LF/emoji, and raw tokens as noise.
fn piece() -> BoxedStrategy<String> {
    let sel = |v: &'static [&'static str]| prop::sample::select(v);
    let root = sel(&[
        "talkativeApi",
        "window.talkativeApi",
        "window?.talkativeApi",
        "globalThis.talkativeApi",
        "window['talkativeApi']",
        "api",
        "talkativeAPI",
        "TalkativeEngageApi",
    ]);
    let chain = sel(&[
        ".actions",
        "?.actions",
        "['actions']",
        ".__unsafe",
        ".actons",
        "",
    ]);
    let name = sel(&[
        "'start-chat'",
        "\"strat-chat\"",
        "`start-chat`",
        "`a${b}`",
        "x",
        "'start' + '-chat'",
        "c ? 'start-chat' : 'strat-chat'",
        "ACTIONS.chat",
        "a",
        "n.action",
        "",
    ]);
    let tail = sel(&["", ".catch(() => {})", ".then(f)", "!"]);
    let test = sel(&[
        "window.talkativeApi",
        "typeof talkativeApi !== 'undefined'",
        "'talkativeApi' in window",
        "!window.talkativeApi",
        "window.talkativeApi != null",
        "isReady()",
        "a",
    ]);
    prop_oneof![
        6 => (root, chain, name, tail)
            .prop_map(|(r, c, n, t)| format!("{r}{c}.triggerAction({n}){t};")),
        2 => test.prop_map(|t| format!("if ({t}) {{")),
        1 => sel(&["if (!window.talkativeApi) return;", "if (!window.talkativeApi) throw e;"]).prop_map(String::from),
        3 => sel(&["}", "} else {", "});", "} } };"]).prop_map(String::from),
        3 => sel(&[
            "function f(a) {",
            "const w = (n) => {",
            "window.g = function (n) {",
            "function isReady() { return !!window.talkativeApi; }",
            "f('start-chat');",
            "w('strat-chat');",
            "openChat('strat-chat');",
            "whenTalkativeReady(() => {",
            "try {",
            "} catch (e) {}",
            "talkativeCustomConfig = { events: { ready() {",
            "talkativeCustomConfig = { events: { enterStandby: () => {",
            "const ACTIONS = { chat: 'start-chat' };",
            "const api = window.talkativeApi;",
            "const { actions } = talkativeApi;",
            "[{ action: 'strat-chat' }].forEach(n => {",
            "button.addEventListener('click', f);",
            "s.src = 'https://x/api/ecs/v1/loader/1.js';",
        ])
        .prop_map(String::from),
        3 => sel(&[
            " ", "\n", "\r\n", "\r", "\t", "😀", "é", "// 😀 é\n", "/* \r\n */",
            "// action-lint-disable-next-line\n", "// action-lint-disable-line no-such-rule\n",
        ])
        .prop_map(String::from),
        2 => prop::sample::select(TOKENS).prop_map(String::from),
    ]
    .boxed()
}

/// JS-ish text: a sequence of pieces.
fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|t| t.concat())
}

fn opts() -> AnalysisOptions {
    AnalysisOptions {
        guard_functions: vec!["whenTalkativeReady".into()],
        reference_functions: vec!["openChat".into()],
        reference_attributes: vec!["data-talkative-action".into()],
        ..AnalysisOptions::default()
    }
}

/// A location is inside the text, on char boundaries, ordered, and its
/// line/columns are what `SourceText::pos` says for its offsets.
fn check_location(source: &SourceText, loc: &Location, what: &str) -> Result<(), TestCaseError> {
    let text = source.text();
    let (s, e) = (loc.start.byte_offset(), loc.end.byte_offset());
    prop_assert!(
        s <= e && e <= text.len(),
        "{what}: {s}..{e} outside 0..{}",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(s) && text.is_char_boundary(e),
        "{what}: {s}..{e} not on char boundaries"
    );
    prop_assert_eq!(source.pos(s), loc.start, "{} start", what);
    prop_assert_eq!(source.pos(e), loc.end, "{} end", what);
    Ok(())
}

fn check_arg(source: &SourceText, v: &ArgVal) -> Result<(), TestCaseError> {
    match v {
        ArgVal::Names(names) => {
            for n in names {
                check_location(source, &n.location, "name literal")?;
            }
        }
        ArgVal::Dynamic { location, .. } => check_location(source, location, "dynamic name")?,
        ArgVal::Mixed(parts) => {
            for p in parts {
                check_arg(source, p)?;
            }
        }
        ArgVal::Param(_) | ArgVal::Absent => {}
    }
    Ok(())
}

fn check_facts(source: &SourceText, f: &FileFacts) -> Result<(), TestCaseError> {
    for d in &f.local {
        check_location(source, &d.location, d.rule)?;
        for r in &d.related {
            check_location(source, &r.location, "related")?;
        }
    }
    for u in &f.uses {
        check_location(source, &u.location, "api use")?;
    }
    for r in &f.refs {
        check_location(source, &r.call, "action ref")?;
        check_arg(source, &r.name)?;
    }
    for c in &f.calls {
        check_location(source, &c.location, "call")?;
        for a in &c.args {
            check_arg(source, a)?;
        }
    }
    for func in &f.functions {
        check_location(source, &func.location, "function")?;
    }
    for s in &f.suppressions {
        check_location(source, &s.location, "suppression")?;
    }
    for (_, l) in &f.bad_suppressions {
        check_location(source, l, "bad suppression")?;
    }
    Ok(())
}

fn analyse_all_kinds(source: &SourceText) -> Result<(), TestCaseError> {
    for kind in KINDS {
        let facts = analyze_file(source, kind, "file", &opts());
        if std::env::var_os("PROPERTIES_DEBUG").is_some() {
            eprintln!(
                "{kind:?} {} bytes: local={} uses={} refs={} calls={}",
                source.text().len(),
                facts.local.len(),
                facts.uses.len(),
                facts.refs.len(),
                facts.calls.len()
            );
        }
        check_facts(source, &facts)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn token_soup_never_panics_and_locations_are_inside(text in soup()) {
        analyse_all_kinds(&SourceText::new(text))?;
    }

    #[test]
    fn token_soup_inside_html_never_panics(
        code in soup(),
        wrap in 0usize..4,
    ) {
        let page = match wrap {
            0 => format!("<script>{code}</script>"),
            1 => format!("<button onclick=\"{}\">x</button>", code.replace('"', "&quot;")),
            2 => format!("<template><p/></template><script lang=\"ts\">{code}</script>"),
            _ => format!("<a href=\"javascript:{code}\">x</a><script>{code}"),
        };
        analyse_all_kinds(&SourceText::new(page))?;
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        analyse_all_kinds(&SourceText::new(text))?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        analyse_all_kinds(&SourceText::from_bytes(&bytes))?;
    }

    #[test]
    fn source_positions_round_trip(text in soup()) {
        let source = SourceText::new(text);
        let t = source.text();
        let mut prev = source.pos(0);
        for (i, c) in t.char_indices().chain([(t.len(), ' ')]) {
            let p = source.pos(i);
            prop_assert_eq!(p.byte_offset(), i);
            let line = source.line_of(i);
            let prefix = &t[source.line_start(line)..i];
            prop_assert_eq!(p.line as usize, line + 1);
            prop_assert_eq!(p.column as usize, prefix.chars().count() + 1);
            prop_assert_eq!(p.utf16_column as usize, prefix.encode_utf16().count() + 1);
            prop_assert!(p >= prev);
            prev = p;
            let _ = c;
        }
    }
}

/// A page that repeats the same snippets in several places: scripts,
/// entity-encoded handlers and `javascript:` URLs, after lines of different
/// lengths, non-ASCII text and CRLF, so memoised regions are replayed at
/// other offsets, lines and columns.
fn repeating_page() -> impl Strategy<Value = String> {
    let snippet = prop::collection::vec(piece(), 1..12).prop_map(|t| t.concat());
    let filler = prop::sample::select(vec![
        "",
        "<p>é ü 😀 text</p>\n",
        "\r\n",
        "<b>x</b>",
        "\n\n\n",
    ]);
    (
        prop::collection::vec(snippet, 1..4),
        prop::collection::vec((0usize..8, 0usize..4, filler), 1..14),
    )
        .prop_map(|(snippets, placements)| {
            let mut page = String::new();
            for (i, wrap, filler) in placements {
                let code = &snippets[i % snippets.len()];
                page.push_str(filler);
                match wrap {
                    0 => page.push_str(&format!("<script>{code}</script>")),
                    1 => page.push_str(&format!(
                        "<button onclick=\"{}\">x</button>",
                        code.replace('&', "&amp;").replace('"', "&quot;")
                    )),
                    2 => page.push_str(&format!(
                        "<a href=\"javascript:{}\">x</a>",
                        code.replace('&', "&amp;").replace('"', "&quot;")
                    )),
                    _ => page.push_str(&format!("<script type=\"module\">\n{code}\n</script>")),
                }
            }
            page
        })
}

/// `code` with data: each `§` replaced by a string content and each `#` by
/// a number, chosen by `variant` and the placeholder's index. Contents the
/// walk reads (action names, event names, `undefined`) are among the
/// choices, as are other lengths, non-ASCII text, a `"`, an escape and `&`.
fn with_data(code: &str, variant: usize) -> String {
    const STRINGS: &[&str] = &[
        "help-969",
        "",
        "x",
        "start-chat",
        "é😀",
        "a\"b",
        "undefined",
        "it\\'s",
        "a&b",
        "enterInteraction",
        "a long label with spaces",
        "strat-chat",
    ];
    const NUMBERS: &[&str] = &["8", "0", "21", "12345"];
    let mut out = String::new();
    for (k, c) in code.chars().enumerate() {
        match c {
            '§' => out.push_str(STRINGS[(variant * 7 + k) % STRINGS.len()]),
            '#' => out.push_str(NUMBERS[(variant * 3 + k) % NUMBERS.len()]),
            c => out.push(c),
        }
    }
    out
}

/// Whole statements that pages repeat with other data (`§` a string, `#`
/// a number): element ids, labels, numbers, next to action and event names.
/// Balanced, so most regions parse without errors (only those are memoised
/// for their shape).
fn data_piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "document.getElementById('§').addEventListener('click', async function () { await window.talkativeApi.actions.triggerAction('start-chat'); });",
        "var h = new Date().getHours(); if (h >= # && h < #) { talkativeApi.actions.triggerAction('§'); }",
        "const label = '§'; const delay = #; talkativeApi.actions.triggerAction(label);",
        "window.dataLayer.push({ event: '§', id: # });",
        "talkativeApi.actions.triggerAction(h < # ? 'start-chat' : 'out-of-hours');",
        "el.addEventListener('click', () => openChat('§'));",
        "if (typeof talkativeApi !== '§') talkativeApi.actions.triggerAction('leave-message');",
        "talkativeApi.events.on('§', () => { x = '§'; talkativeApi.actions.triggerAction('strat-chat'); });",
        "/* it's '§' # */",
        "s.src = '/api/ecs/v1/loader/' + # + '.js';",
        "talkativeApi.actions.triggerAction('§');",
        "talkativeApi.actions.triggerAction('§' + '-chat').catch(() => {});",
        "window.talkativeApi?.actions.triggerAction(c ? '§' : 'start-chat');",
        "f(\"§\", #, [#, '§']);",
        "function go(n) { if (n > #) window.talkativeApi?.actions.triggerAction(n); }",
        "go('§'); go(#);",
        "\n",
        "é😀 ",
    ])
    .prop_map(String::from)
}

/// A page that repeats the same snippets with other string and number data
/// in each place, so regions are replayed for their shape.
fn repeating_page_with_other_data() -> impl Strategy<Value = String> {
    let snippet = prop::collection::vec(prop_oneof![6 => data_piece(), 1 => piece()], 1..5)
        .prop_map(|t| t.concat());
    (
        prop::collection::vec(snippet, 1..3),
        prop::collection::vec((0usize..8, 0usize..4, prop::bool::ANY), 2..12),
    )
        .prop_map(|(snippets, placements)| {
            let mut page = String::new();
            for (i, variant, attribute) in placements {
                let code = with_data(&snippets[i % snippets.len()], variant);
                if attribute {
                    page.push_str(&format!(
                        "<button onclick=\"{}\">x</button>\n",
                        code.replace('&', "&amp;").replace('"', "&quot;")
                    ));
                } else {
                    page.push_str(&format!("<script>{code}</script>\né\n"));
                }
            }
            page
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Replaying a region memoised for its shape (other string and number
    /// data where the walk did not read it) gives exactly the facts that
    /// parsing and walking it gives.
    #[test]
    fn region_memo_for_other_data_never_changes_facts(page in repeating_page_with_other_data()) {
        let source = SourceText::new(page);
        let fresh = analyze_file(&source, FileKind::Html, "file", &AnalysisOptions { no_memo: true, ..opts() });
        let memo = analyze_file(&source, FileKind::Html, "file", &opts());
        prop_assert_eq!(format!("{fresh:?}"), format!("{memo:?}"));
        check_facts(&source, &memo)?;
    }

    /// Replaying memoised regions gives exactly the facts that parsing and
    /// walking them again gives (locations included).
    #[test]
    fn region_memo_never_changes_facts(page in repeating_page()) {
        let source = SourceText::new(page);
        for kind in [FileKind::Html, FileKind::Component] {
            let fresh = analyze_file(&source, kind, "file", &AnalysisOptions { no_memo: true, ..opts() });
            let memo1 = analyze_file(&source, kind, "file", &opts());
            let memo2 = analyze_file(&source, kind, "other", &opts());
            prop_assert_eq!(format!("{fresh:?}"), format!("{memo1:?}"));
            prop_assert_eq!(format!("{fresh:?}").replace("\"file\"", "\"other\""), format!("{memo2:?}"));
            check_facts(&source, &memo2)?;
        }
    }

    /// Edit after edit, parsing against the kept tree (as the language server
    /// does) gives the facts a fresh parse gives, for scripts and pages.
    #[test]
    fn incremental_parsing_never_changes_facts(texts in prop::collection::vec(soup(), 1..5)) {
        let inc = AnalysisOptions { incremental: true, no_memo: true, ..opts() };
        let fresh = AnalysisOptions { no_memo: true, ..opts() };
        for text in &texts {
            let page = SourceText::new(format!("<p onclick=\"{}\">x</p><script>{text}</script>", text.replace('"', "&quot;")));
            let script = SourceText::new(text.clone());
            for (source, kind) in [(&script, FileKind::Script(Lang::Js)), (&page, FileKind::Html), (&script, FileKind::Script(Lang::Tsx))] {
                let a = analyze_file(source, kind, "f", &inc);
                let b = analyze_file(source, kind, "f", &fresh);
                prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
            }
        }
    }
}

/// A generated site: a few files of token soup (each with one known call so
/// that most files get parsed), an actions config and a config.
fn site() -> impl Strategy<Value = Vec<(String, String)>> {
    let names = prop::sample::select(vec![
        "a.js",
        "b.js",
        "c.ts",
        "d.tsx",
        "e.html",
        "f.vue",
        "g.mjs",
        "sub/h.js",
        "sub/i.html",
        "sub/deep/j.js",
    ]);
    prop::collection::vec((names, soup()), 1..8).prop_map(|files| {
        files
            .into_iter()
            .enumerate()
            .map(|(i, (name, code))| {
                let call = format!(
                    "talkativeApi.actions.triggerAction('act-{}'); function w{i}(n) {{ openChat(n); }} w{i}('strat-chat');",
                    i % 3
                );
                let text = if name.ends_with("html") || name.ends_with("vue") {
                    format!("<script>{call}{code}</script>\n")
                } else {
                    format!("{call}\n{code}\n")
                };
                (name.to_owned(), text)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn output_is_the_same_at_any_thread_count(files in site()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("talkative-actions.yaml"),
            "actions: [act-0, act-1, start-chat]\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("action-lint.toml"),
            "[references]\nfunctions = [\"openChat\"]\n",
        )
        .unwrap();
        for (name, text) in &files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let one = common::run_in(dir.path(), &["check", "--format", "json", "--jobs", "1"]);
        let four = common::run_in(dir.path(), &["check", "--format", "json", "--jobs", "4"]);
        prop_assert!(matches!(one.status.code(), Some(0) | Some(1)), "{}", String::from_utf8_lossy(&one.stderr));
        let v: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
        prop_assert!(v["files_checked"].as_u64().unwrap() >= 1);
        prop_assert_eq!(
            String::from_utf8_lossy(&one.stdout),
            String::from_utf8_lossy(&four.stdout)
        );
        prop_assert_eq!(
            String::from_utf8_lossy(&one.stderr),
            String::from_utf8_lossy(&four.stderr)
        );
    }
}

/// One top-level statement of a large script. Names end in a digit from a
/// small range, so statements tie to each other in every way the statement
/// selection must follow: aliases, wrappers (also ones assigned to
/// `window.x`), calls without any trigger word, predicates and
/// `if (!ready()) throw` guards, guarded and value uses (guard form 7),
/// config `events` objects and the functions they call, reassigned `let`s,
/// and wrappers and guarded functions defined in the other file.
fn big_statement() -> impl Strategy<Value = String> {
    let templates = prop::sample::select(vec![
        "function f#(a) { talkativeApi.actions.triggerAction(a); }",
        "function g#() { f#('strat-chat'); }",
        "function g#() { libWrap('strat-chat'); }",
        "libWrap('strat-chat');",
        "const alias# = window.talkativeApi;",
        "const go# = alias#.actions;",
        "go#.triggerAction('strat-chat');",
        "function h#() { alias#.actions.triggerAction('start-chat'); }",
        "function h#() { go#.triggerAction(name#); }",
        "function ready#() { return !!window.talkativeApi; }",
        "function ready#() { return libReady(); }",
        "if (ready#()) { h#(); }",
        "if (!ready#()) throw new Error('no widget');",
        "function u#() { window.talkativeApi.actions.triggerAction('strat-chat'); }",
        "function u#() { libUse(); }",
        "document.querySelector('#b').addEventListener('click', u#);",
        "u#();",
        "h#();",
        "g#();",
        "if (window.talkativeApi) { u#(); }",
        "let v# = 'start-chat';",
        "v# = 'strat-chat';",
        "talkativeApi?.actions.triggerAction(v#);",
        "var name# = 'strat-chat';",
        "window.open# = function (n) { f#(n); };",
        "open#('strat-chat');",
        "openChat(name#);",
        "function relay#(x) { openChat(x); }",
        "relay#('strat-chat');",
        "window.talkativeCustomConfig = { events: ev# };",
        "const ev# = { enterInteraction() { k#(); } };",
        "function k#() { m#(); }",
        "function m#() { talkativeApi.actions.triggerAction('start-chat'); }",
        "whenReady(() => h#());",
        "// action-lint-disable-next-line unknown-action",
        "talkativeApi.actions.triggerAction('strat-chat');",
        "try { var name# = 'strat-chat'; } catch (e) { console.log(e); }",
        "for (const k of [1]) { let alias# = k; go#.triggerAction('start-chat'); }",
        "while (false) { var v# = 'start-chat'; }",
        "export { u#, h#, g# };",
        "export { f# as exported#, m# };",
        "export default u#;",
        // Property names (not mentions, nor declarations unless a global's).
        "window\n  .open# = function (n) { f#(n); };",
        "box#.open# = function (n) { f#(n); };",
        "const box# = { go: window.talkativeApi };",
        "box#.go.ui.show();",
        "el#.u# = 1; el#.h#();",
        "window.u# = u#;",
        "window.ready# = function () { return libReady(); };",
        "self .ready# = () => !!window.talkativeApi;",
        "obj#.alias# = 2;",
        // A function whose use is guarded where it stands, called after a
        // trigger in the same flow (call-during-interaction).
        "function gg#() { if (window.talkativeApi) window.talkativeApi.actions.triggerAction('start-chat'); }",
        "gg#();",
        "window.talkativeApi.actions.triggerAction('start-video').then(() => gg#());",
        // An `if` that cannot exit, and one that can.
        "if (flag#) { pad0(); }",
        "if (!ready#()) { throw new Error('no widget'); }",
        // Syntax errors: error recovery cuts statements in pieces, or glues
        // several into one, and every top-level node holding an error is
        // walked.
        "function broken#( { talkativeApi.actions.triggerAction('strat-chat'); }",
        "talkativeApi.actions.triggerAction('strat-chat'",
        "const cut# = ;",
        "if (ready#() { h#(); }",
        "}",
        "{",
        "function open#(n) { f#(n);",
        "u#(; h#();",
        "let = 'start-chat';",
        // Locals and parameters named alike in many functions tie nothing.
        "function loc#(el) { const e = el; talkativeApi.actions.triggerAction(e); }",
        "function pad#(e) { const el = e; return el; }",
        "function v#() { let el = 'strat-chat'; f#(el); }",
        "var el = 'strat-chat'; u#(el);",
        "loc#(el);",
    ]);
    (templates, 0..3u8).prop_map(|(t, n)| t.replace('#', &n.to_string()))
}

/// A script of about `size` bytes: `stmts` among unrelated functions.
fn padded_script(stmts: &[String], size: usize) -> String {
    let mut out = String::new();
    let mut i = 0;
    while out.len() < size || i < 2 {
        if let Some(s) = stmts.get(i) {
            out.push_str(s);
            out.push('\n');
        }
        out.push_str(&format!(
            "function pad{i}(e) {{\n  const el = document.querySelector('#p{i}');\n  return el && el.value;\n}}\n"
        ));
        i += 1;
    }
    for s in stmts.iter().skip(i) {
        out.push_str(s);
        out.push('\n');
    }
    out
}

/// The findings on `script`, with the pre-filter and without, from disk and
/// as the language server's document, are the same.
fn same_findings_with_selection(script: &str) -> Result<(), TestCaseError> {
    let dir = common::site_with(&[
        (
            "talkative-actions.yaml",
            "actions: [start-chat, start-video]\n",
        ),
        (
            "action-lint.toml",
            "[references]\nfunctions = [\"openChat\"]\n[guards]\nfunctions = [\"whenReady\"]\n",
        ),
        (
            "lib.js",
            "function libWrap(n) { window.talkativeApi.actions.triggerAction(n); }\n\
             function libReady() { return typeof talkativeApi !== 'undefined'; }\n\
             function libUse() { talkativeApi.actions.triggerAction('start-chat'); }\n\
             if (window.talkativeApi) { g0(); u1(); }\n\
             k2();\n",
        ),
        ("big.js", script),
    ]);
    let all = common::run_in(dir.path(), &["check", "--format", "json", "--no-prefilter"]);
    let some = common::run_in(dir.path(), &["check", "--format", "json"]);
    prop_assert!(
        matches!(all.status.code(), Some(0) | Some(1)),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
    prop_assert_eq!(
        String::from_utf8_lossy(&all.stdout),
        String::from_utf8_lossy(&some.stdout)
    );
    // The same text as a document (stdin stands for the file).
    let doc = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json", "--stdin-filename", "big.js"];
        args.extend_from_slice(extra);
        let mut child = std::process::Command::new(common::bin())
            .args(&args)
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(script.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let doc_all = doc(&["--no-prefilter"]);
    let doc_some = doc(&[]);
    prop_assert_eq!(
        String::from_utf8_lossy(&doc_all.stdout),
        String::from_utf8_lossy(&doc_some.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&doc_some.stdout).unwrap();
    prop_assert!(
        v["files_checked"].as_u64() == Some(1),
        "{}",
        String::from_utf8_lossy(&doc_some.stdout)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Leaving out the statements of a script that nothing ties to a
    /// trigger word never changes the findings, whether the script is read
    /// from disk or given as the language server's document: past the
    /// memo's 64 KiB (where page scripts are selected too) and small.
    #[test]
    fn statement_selection_never_changes_findings(
        stmts in prop::collection::vec(big_statement(), 1..40)
    ) {
        same_findings_with_selection(&padded_script(&stmts, 70_000))?;
    }

    #[test]
    fn statement_selection_in_small_scripts_never_changes_findings(
        stmts in prop::collection::vec(big_statement(), 1..40)
    ) {
        same_findings_with_selection(&padded_script(&stmts, 0))?;
    }
}
