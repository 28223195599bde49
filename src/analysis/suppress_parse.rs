//! Reads `action-lint-disable…` comments. Applying them to findings happens
//! once, after all rules ran (`crate::suppress`).

/// What a comment asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    NextLine(Option<Vec<String>>),
    Line(Option<Vec<String>>),
    Disable(Option<Vec<String>>),
    Enable(Option<Vec<String>>),
}

/// Parse the text of a comment (with or without its delimiters).
pub fn parse_directive(comment: &str) -> Option<Directive> {
    let body = comment
        .trim()
        .trim_start_matches("//")
        .trim_start_matches("/*")
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim_end_matches("*/")
        .trim();
    let rest = body.strip_prefix("action-lint-")?;
    let (word, list) = match rest.find(|c: char| c.is_whitespace()) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    // A `--` ends the rule list: `// action-lint-disable-line missing-guard -- reason`.
    let list = list.split("--").next().unwrap_or("").trim();
    let rules: Option<Vec<String>> = if list.is_empty() {
        None
    } else {
        Some(
            list.split([',', ' ', '\t'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    };
    match word {
        "disable-next-line" => Some(Directive::NextLine(rules)),
        "disable-line" => Some(Directive::Line(rules)),
        "disable" => Some(Directive::Disable(rules)),
        "enable" => Some(Directive::Enable(rules)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_forms() {
        assert_eq!(
            parse_directive("// action-lint-disable-next-line"),
            Some(Directive::NextLine(None))
        );
        assert_eq!(
            parse_directive("// action-lint-disable-line unknown-action, missing-guard"),
            Some(Directive::Line(Some(vec![
                "unknown-action".into(),
                "missing-guard".into()
            ])))
        );
        assert_eq!(
            parse_directive("/* action-lint-disable */"),
            Some(Directive::Disable(None))
        );
        assert_eq!(
            parse_directive("/* action-lint-enable */"),
            Some(Directive::Enable(None))
        );
        assert_eq!(
            parse_directive("<!-- action-lint-disable-next-line unknown-action -->"),
            Some(Directive::NextLine(Some(vec!["unknown-action".into()])))
        );
        assert_eq!(parse_directive("// eslint-disable-line"), None);
        assert_eq!(
            parse_directive("// action-lint-disable-line missing-guard -- loaded above"),
            Some(Directive::Line(Some(vec!["missing-guard".into()])))
        );
    }
}
