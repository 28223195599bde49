//! Measures the trigger-word pre-filter on a generated site, one thread:
//! reading alone, action-lint's current matcher (aho-corasick, ASCII
//! case-insensitive, all words), and the alternative of ASCII-lowercasing
//! 64 KiB chunks into a reused buffer and running a case-sensitive
//! aho-corasick (which can use its SIMD "Teddy" searcher). Checks that both
//! matchers agree on every file. Then, for the files that match, what parsing
//! costs with the grammars action-lint uses: every matched HTML page parsed
//! whole with tree-sitter-html, and the JavaScript of its inline scripts and
//! event-handler attributes (approximated: inline script elements) and of
//! the matched JS files with tree-sitter-javascript.
//!
//!   cargo run --release --manifest-path bench/prefilter-probe/Cargo.toml -- SITE_DIR

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

// The words of src/engine.rs trigger_words() (with src/analysis/api.rs stems).
const WORDS: &[&str] = &[
    "triggerAction", "/api/ecs/v1/loader/", "action-lint-",
    "talkativ", "talaktiv", "talkitiv", "talktiv", "talkactiv", "tallkativ", "talkativ",
];
const EXTS: &[&str] = &["html", "htm", "xhtml", "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx", "vue", "svelte", "astro"];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            walk(&p, out);
        } else if ft.is_file() && p.extension().and_then(|x| x.to_str()).is_some_and(|x| EXTS.contains(&x)) {
            out.push(p);
        }
    }
}

fn read_into(p: &Path, buf: &mut Vec<u8>) {
    buf.clear();
    std::fs::File::open(p).and_then(|mut f| f.read_to_end(buf)).expect("read");
}

const CHUNK: usize = 64 * 1024;

fn lower_match(bytes: &[u8], ac: &AhoCorasick, low: &mut Vec<u8>, overlap: usize) -> bool {
    let mut start = 0;
    while start < bytes.len() {
        let end = (start + CHUNK).min(bytes.len());
        let from = start.saturating_sub(overlap);
        low.clear();
        low.extend(bytes[from..end].iter().map(|b| b.to_ascii_lowercase()));
        if ac.is_match(&low[..]) {
            return true;
        }
        start = end;
    }
    false
}

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).expect("usage: prefilter-probe SITE_DIR"));
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let ci = AhoCorasickBuilder::new().ascii_case_insensitive(true).match_kind(MatchKind::LeftmostFirst).build(WORDS).unwrap();
    let lowered: Vec<String> = WORDS.iter().map(|w| w.to_ascii_lowercase()).collect();
    let cs = AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostFirst).build(&lowered).unwrap();
    let overlap = WORDS.iter().map(|w| w.len()).max().unwrap() - 1;

    let mut buf = Vec::new();
    let mut low = Vec::with_capacity(CHUNK + overlap);
    let mut total = 0usize;
    for p in &files {
        read_into(p, &mut buf);
        total += buf.len();
    }
    let mb = total as f64 / 1e6;
    println!("{} files, {:.1} MB (single thread, page cache warm)", files.len(), mb);

    for round in 0..3 {
        let t = Instant::now();
        for p in &files {
            read_into(p, &mut buf);
        }
        let read_s = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let mut hits_ci = Vec::with_capacity(files.len());
        for p in &files {
            read_into(p, &mut buf);
            hits_ci.push(ci.is_match(&buf[..]));
        }
        let ci_s = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let mut hits_cs = Vec::with_capacity(files.len());
        for p in &files {
            read_into(p, &mut buf);
            hits_cs.push(lower_match(&buf, &cs, &mut low, overlap));
        }
        let cs_s = t.elapsed().as_secs_f64();

        let disagree = hits_ci.iter().zip(&hits_cs).filter(|(a, b)| a != b).count();
        let matched = hits_ci.iter().filter(|h| **h).count();
        // Scan throughput = bytes / (time with the scan - time reading alone).
        let scan = |s: f64| if s - read_s > 0.005 { format!("{:.0} MB/s", mb / (s - read_s)) } else { "≥ read speed".to_owned() };
        println!(
            "round {round}: read only {read_s:.3} s ({:.0} MB/s) | case-insensitive AC {ci_s:.3} s (scan {}) | lowercase chunks + case-sensitive AC {cs_s:.3} s (scan {}) | {matched} files match, {disagree} disagreements",
            mb / read_s,
            scan(ci_s),
            scan(cs_s),
        );
        if round == 2 {
            parse_cost(&files, &hits_ci, &mut buf);
        }
    }
}

fn parse_cost(files: &[PathBuf], hits: &[bool], buf: &mut Vec<u8>) {
    let mut html = tree_sitter::Parser::new();
    html.set_language(&tree_sitter_html::LANGUAGE.into()).unwrap();
    let mut js = tree_sitter::Parser::new();
    js.set_language(&tree_sitter_javascript::LANGUAGE.into()).unwrap();
    let (mut html_bytes, mut html_s, mut script_bytes, mut script_s, mut js_bytes, mut js_s) = (0usize, 0f64, 0usize, 0f64, 0usize, 0f64);
    for (p, hit) in files.iter().zip(hits) {
        if !hit {
            continue;
        }
        read_into(p, buf);
        let is_html = p.extension().is_some_and(|e| e == "html" || e == "htm");
        if is_html {
            let t = Instant::now();
            let tree = html.parse(&buf[..], None).unwrap();
            html_s += t.elapsed().as_secs_f64();
            html_bytes += buf.len();
            // Inline script elements' text, parsed as JS.
            let mut scripts = Vec::new();
            let mut cursor = tree.walk();
            let mut stack = vec![tree.root_node()];
            while let Some(n) = stack.pop() {
                if n.kind() == "raw_text" && n.parent().is_some_and(|p| p.kind() == "script_element") {
                    scripts.push(n.byte_range());
                }
                stack.extend(n.children(&mut cursor));
            }
            for r in scripts {
                let t = Instant::now();
                js.parse(&buf[r.clone()], None).unwrap();
                script_s += t.elapsed().as_secs_f64();
                script_bytes += r.len();
            }
        } else {
            let t = Instant::now();
            js.parse(&buf[..], None).unwrap();
            js_s += t.elapsed().as_secs_f64();
            js_bytes += buf.len();
        }
    }
    let rate = |b: usize, s: f64| if s > 0.0 { b as f64 / 1e6 / s } else { 0.0 };
    println!(
        "parse (matched files only, one thread): HTML pages {:.1} MB in {html_s:.3} s ({:.0} MB/s) + their inline scripts {:.1} MB in {script_s:.3} s ({:.1} MB/s); JS files {:.1} MB in {js_s:.3} s ({:.1} MB/s)",
        html_bytes as f64 / 1e6,
        rate(html_bytes, html_s),
        script_bytes as f64 / 1e6,
        rate(script_bytes, script_s),
        js_bytes as f64 / 1e6,
        rate(js_bytes, js_s),
    );
}
