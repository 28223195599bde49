//! Placeholder until the output formats land (same API).
use crate::diagnostic::Report;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pretty,
    Compact,
    Json,
    Sarif,
    Github,
}
impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "pretty" => Format::Pretty,
            "compact" => Format::Compact,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "github" => Format::Github,
            _ => return None,
        })
    }
}
pub struct RenderOptions {
    pub color: bool,
    pub tool_version: &'static str,
}
pub fn summary_line(r: &Report) -> String {
    format!("{} errors, {} warnings ({} files checked)", r.errors(), r.warnings(), r.files_checked)
}
pub fn render(format: Format, report: &Report, _o: &RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let diags: Vec<_> = report
                .diagnostics
                .iter()
                .map(|d| {
                    serde_json::json!({"rule": d.rule, "severity": d.severity.as_str(), "message": d.message, "path": d.path,
                "line": d.location.start.line, "column": d.location.start.column, "end_line": d.location.end.line, "end_column": d.location.end.column,
                "action": d.action, "suggestion": d.suggestion})
                })
                .collect();
            let v = serde_json::json!({"version": 1, "files_checked": report.files_checked, "diagnostics": diags,
                "summary": {"errors": report.errors(), "warnings": report.warnings()}});
            writeln!(out, "{}", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        _ => {
            for d in &report.diagnostics {
                writeln!(out, "{}:{}:{}: {}[{}]: {}", d.path, d.location.start.line, d.location.start.column, d.severity.as_str(), d.rule, d.message)?;
                if let Some(h) = &d.help {
                    writeln!(out, "  help: {h}")?;
                }
            }
            writeln!(out, "{}", summary_line(report))
        }
    }
}
pub fn github_step_summary(_r: &Report) -> String {
    String::new()
}
