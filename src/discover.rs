//! Placeholder until discovery lands (same API).
use crate::settings::Config;
use std::path::PathBuf;

pub struct Discovery {
    pub files: Vec<PathBuf>,
    pub explicit_files: bool,
    pub covers_root: bool,
    pub notes: Vec<String>,
}
pub fn discover(paths: &[PathBuf], config: &Config, _no_ignore: bool) -> Result<Discovery, miette::Report> {
    let mut files = Vec::new();
    let mut explicit_files = false;
    let mut covers_root = false;
    let root = config.root.canonicalize().unwrap_or(config.root.clone());
    for p in paths {
        if !p.exists() {
            return Err(miette::miette!("{}: no such file or directory", p.display()));
        }
        let abs = p.canonicalize().unwrap_or(p.clone());
        if root.starts_with(&abs) {
            covers_root = true;
        }
        if p.is_file() {
            explicit_files = true;
            files.push(p.clone());
            continue;
        }
        for e in ignore::WalkBuilder::new(p).build().flatten() {
            if e.file_type().is_some_and(|t| t.is_file()) && crate::extract::FileKind::from_path(e.path()).is_some() {
                files.push(e.path().to_path_buf());
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(Discovery { files, explicit_files, covers_root, notes: vec![] })
}
