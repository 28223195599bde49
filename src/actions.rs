//! Placeholder until the actions loader lands (same API).
use crate::source::{SourceText, Span};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Action {
    pub name: String,
    pub span: Span,
    pub settings: Vec<(String, String)>,
}
#[derive(Debug, Clone)]
pub enum ProblemKind {
    Empty,
    NonString,
    Duplicate { first: Span },
}
#[derive(Debug, Clone)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Span,
    pub name: Option<String>,
}
#[derive(Debug, Clone)]
pub struct ActionsFile {
    pub path: PathBuf,
    pub source: SourceText,
    pub actions: Vec<Action>,
    pub problems: Vec<Problem>,
}
impl ActionsFile {
    pub fn contains(&self, name: &str) -> bool {
        self.actions.iter().any(|a| a.name == name)
    }
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.actions.iter().map(|a| a.name.as_str())
    }
    pub fn get(&self, name: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.name == name)
    }
}
pub fn load(path: &Path) -> Result<ActionsFile, miette::Report> {
    let text = std::fs::read_to_string(path).map_err(|e| miette::miette!("{}: {e}", path.display()))?;
    parse(path, text)
}
pub fn parse(path: &Path, text: String) -> Result<ActionsFile, miette::Report> {
    let source = SourceText::new(text);
    let mut actions = Vec::new();
    for (i, line) in source.text().lines().enumerate() {
        let t = line.trim().trim_start_matches("- ").trim();
        if !t.is_empty() && !t.ends_with(':') {
            let start = source.line_start(i) + line.find(t).unwrap_or(0);
            actions.push(Action { name: t.to_owned(), span: start..start + t.len(), settings: vec![] });
        }
    }
    Ok(ActionsFile { path: path.to_owned(), source, actions, problems: vec![] })
}
