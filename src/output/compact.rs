//! `compact`: one finding per line, `path:line:col: severity[rule]: message`,
//! the shape editors' errorformat and problem matchers expect.
//!
//! Nothing else is written (no help, no summary), so every line parses the
//! same way. Paths and messages have control characters and line breaks
//! escaped: one finding can never become two lines or recolour a terminal.

use std::io::Write;

use super::escape_controls;
use crate::diagnostic::{Diagnostic, Report};

pub(super) fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for d in &report.diagnostics {
        writeln!(out, "{}", line(d))?;
    }
    Ok(())
}

fn line(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}[{}]: {}",
        escape_controls(&d.path),
        d.location.start.line,
        d.location.start.column,
        d.severity.as_str(),
        d.rule,
        escape_controls(&d.message)
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{render_to_string, sample_report};
    use super::super::Format;

    #[test]
    fn one_exact_line_per_finding() {
        let out = render_to_string(Format::Compact, &sample_report(), false);
        let expected = [
            "site/a,b:c.html:3:10: error[missing-guard]: talkativeApi is used before the widget has loaded",
            "site/a,b:c.html:3:45: error[unknown-action]: unknown action 'strat-chat'",
            "src/😀 app.js:2:35: warning[unknown-api-member]: 100% \\x1b[31mred\\x1b[0m\\nsecond line",
        ];
        assert_eq!(out, expected.join("\n") + "\n");
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn empty_report_writes_nothing() {
        let out = render_to_string(Format::Compact, &Default::default(), false);
        assert_eq!(out, "");
    }
}
