//! Placeholder until the config loader lands (same API).
use crate::diagnostic::Severity;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "action-lint.toml";
pub const STARTER_CONFIG: &str = "# action-lint configuration\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Error,
    Warn,
    Off,
}
#[derive(Debug, Clone)]
pub struct Override {
    pub files: Vec<String>,
    pub actions: Option<Vec<PathBuf>>,
    pub rules: BTreeMap<String, RuleLevel>,
}
#[derive(Debug, Clone)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub root: PathBuf,
    pub actions: Vec<PathBuf>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub rules: BTreeMap<String, RuleLevel>,
    pub guard_functions: Vec<String>,
    pub reference_functions: Vec<String>,
    pub reference_attributes: Vec<String>,
    pub overrides: Vec<Override>,
}
pub fn find_config(start_dir: &Path) -> Option<PathBuf> {
    start_dir.ancestors().map(|d| d.join(CONFIG_FILE)).find(|p| p.is_file())
}
pub fn load_config(path: &Path) -> Result<Config, miette::Report> {
    let root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut c = default_config(root.clone());
    c.path = Some(path.to_owned());
    let text = std::fs::read_to_string(path).map_err(|e| miette::miette!("{e}"))?;
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("actions = ") {
            c.actions = vec![root.join(v.trim_matches('"'))];
        }
    }
    Ok(c)
}
pub fn default_config(root: PathBuf) -> Config {
    Config {
        path: None,
        root,
        actions: vec![],
        include: vec![],
        exclude: vec![],
        rules: BTreeMap::new(),
        guard_functions: vec![],
        reference_functions: vec![],
        reference_attributes: vec![],
        overrides: vec![],
    }
}
impl Config {
    pub fn actions_for(&self, _rel: &str) -> &[PathBuf] {
        &self.actions
    }
    pub fn severity_for(&self, rule_id: &str, _rel: &str) -> Option<Severity> {
        match self.rules.get(rule_id) {
            Some(RuleLevel::Off) => None,
            Some(RuleLevel::Error) => Some(Severity::Error),
            Some(RuleLevel::Warn) => Some(Severity::Warning),
            None => crate::rules::find(rule_id).map(|m| m.default_severity),
        }
    }
    pub fn default_actions_candidates(&self) -> Vec<PathBuf> {
        ["talkative-actions.yaml", "talkative-actions.yml", "talkative-actions.json"]
            .iter()
            .map(|n| self.root.join(n))
            .filter(|p| p.is_file())
            .collect()
    }
}
