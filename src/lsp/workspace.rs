//! What the editor features need to know about a document's project: its
//! `action-lint.toml` (nearest upward from the document's folder) and the
//! actions configs that apply to it. Loaded lazily, cached, dropped on reload.
//!
//! Linting itself goes through `engine::run`, which loads these again on its
//! own: this cache only serves completion, hover, definition and the
//! include/exclude check. For completion in wrapper calls it also keeps the
//! analysed facts of the project's files that mention `triggerAction`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::documents::Document;
use crate::actions::{self, ActionsFile};
use crate::analysis::{self, AnalysisOptions};
use crate::extract::FileKind;
use crate::project::{FileEntry, Project};
use crate::settings::{self, Config};
use crate::source::SourceText;

/// Files larger than this are not analysed for wrappers (minified bundles).
const MAX_ANALYSED: usize = 4 << 20;

/// The project facts of one document.
#[derive(Clone, Default)]
pub struct DocProject {
    /// `None` when the config could not be loaded.
    pub config: Option<Rc<Config>>,
    /// The document's path relative to the root (`/` separators).
    pub rel: Option<String>,
    /// The actions configs that apply, in order; ones that fail to load are left out.
    pub actions: Vec<Rc<ActionsFile>>,
}

impl DocProject {
    /// The document is excluded by the config (or not included by it).
    pub fn excluded(&self) -> bool {
        let (Some(config), Some(rel)) = (&self.config, &self.rel) else {
            return false;
        };
        if !config.is_included(rel) || config.is_excluded(rel, false) {
            return true;
        }
        // A directory on the way may be excluded (`vendor/`).
        let mut dir = rel.as_str();
        while let Some(i) = dir.rfind('/') {
            dir = &dir[..i];
            if config.is_excluded(dir, true) {
                return true;
            }
        }
        false
    }

    /// Every configured action with the file it comes from, first occurrence of each name.
    pub fn actions(&self) -> Vec<(&actions::Action, &ActionsFile)> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for file in &self.actions {
            for a in &file.actions {
                if seen.insert(a.name.as_str()) {
                    out.push((a, file.as_ref()));
                }
            }
        }
        out
    }

    /// Where a name is configured (every file that lists it).
    pub fn lookup(&self, name: &str) -> Vec<(&actions::Action, &ActionsFile)> {
        self.actions
            .iter()
            .filter_map(|f| f.get(name).map(|a| (a, f.as_ref())))
            .collect()
    }

    /// Function names whose first argument is an action name, from the config.
    pub fn reference_functions(&self) -> &[String] {
        self.config
            .as_ref()
            .map(|c| c.reference_functions.as_slice())
            .unwrap_or(&[])
    }

    pub fn reference_attributes(&self) -> &[String] {
        self.config
            .as_ref()
            .map(|c| c.reference_attributes.as_slice())
            .unwrap_or(&[])
    }
}

/// Cached configs and actions files.
#[derive(Default)]
pub struct Workspace {
    /// By config path (or, without one, by the document's folder).
    configs: HashMap<PathBuf, Option<Rc<Config>>>,
    actions: HashMap<PathBuf, Option<Rc<ActionsFile>>>,
    /// By project root: analysed files that may define wrappers.
    code: HashMap<PathBuf, Vec<FileEntry>>,
}

impl Workspace {
    /// Forget everything (a config or actions file changed).
    pub fn reload(&mut self) {
        self.configs.clear();
        self.actions.clear();
        self.code.clear();
    }

    /// Files on disk changed: their facts are stale.
    pub fn forget_code(&mut self) {
        self.code.clear();
    }

    /// Functions whose first parameter is an action name, across the
    /// project, with the document's in-memory text standing in for its file.
    pub fn wrapper_names(&mut self, doc: &Document, project: &DocProject) -> Vec<String> {
        let (Some(config), Some(path), Some(kind)) =
            (&project.config, doc.path.as_deref(), doc.kind())
        else {
            return Vec::new();
        };
        let opts = analysis_options(config);
        let mut entries = self
            .code
            .remove(&config.root)
            .unwrap_or_else(|| scan(config, &opts));
        let rel = project
            .rel
            .clone()
            .unwrap_or_else(|| path.display().to_string());
        let on_disk = entries
            .iter()
            .position(|e| e.rel == rel)
            .map(|i| entries.swap_remove(i));
        let own = doc.source.text().len() <= MAX_ANALYSED;
        if own {
            let facts = analysis::analyze_file(
                &SourceText::new(doc.source.text().to_owned()),
                kind,
                &rel,
                &opts,
            );
            entries.push(FileEntry {
                display: rel.as_str().into(),
                rel,
                reported: false,
                facts,
            });
        }
        let p = Project::build(&entries, &config.reference_functions);
        let mut names: Vec<String> = p
            .wrappers
            .iter()
            .filter(|(_, param)| *param == 0)
            .filter_map(|((file, f), _)| {
                entries
                    .get(*file)?
                    .facts
                    .functions
                    .get(*f as usize)
                    .map(|f| f.name.to_string())
            })
            .collect();
        names.sort();
        names.dedup();
        if own {
            entries.pop();
        }
        entries.extend(on_disk);
        self.code.insert(config.root.clone(), entries);
        names
    }

    /// Config and actions files loaded so far: the files whose change means a reload.
    pub fn known_files(&self) -> BTreeSet<PathBuf> {
        let mut out: BTreeSet<PathBuf> = self.actions.keys().cloned().collect();
        for c in self.configs.values().flatten() {
            out.extend(c.path.iter().cloned());
            out.extend(c.actions.iter().cloned());
            for o in &c.overrides {
                out.extend(o.actions.iter().flatten().cloned());
            }
        }
        out
    }

    pub fn project_for(&mut self, doc: &Path) -> DocProject {
        let Some(dir) = doc.parent() else {
            return DocProject::default();
        };
        let config_path = settings::find_config(dir);
        let key = config_path.clone().unwrap_or_else(|| dir.to_path_buf());
        let config = self
            .configs
            .entry(key)
            .or_insert_with(|| match &config_path {
                Some(p) => settings::load_config(p).ok().map(Rc::new),
                None => Some(Rc::new(settings::default_config(dir.to_path_buf()))),
            })
            .clone();
        let Some(config) = config else {
            return DocProject::default();
        };
        let rel = config.rel_path(doc);
        let paths: Vec<PathBuf> = {
            let p = config.actions_for(rel.as_deref().unwrap_or(""));
            if p.is_empty() {
                config
                    .default_actions_candidates()
                    .into_iter()
                    .take(1)
                    .collect()
            } else {
                p.to_vec()
            }
        };
        let actions = paths
            .iter()
            .filter_map(|p| {
                self.actions
                    .entry(p.clone())
                    .or_insert_with(|| actions::load(p).ok().map(Rc::new))
                    .clone()
            })
            .collect();
        DocProject {
            config: Some(config),
            rel,
            actions,
        }
    }
}

fn analysis_options(config: &Config) -> AnalysisOptions {
    AnalysisOptions::from_config(config)
}

/// Analyse the project's files that can define a wrapper (they mention
/// `triggerAction` or a configured reference function).
fn scan(config: &Config, opts: &AnalysisOptions) -> Vec<FileEntry> {
    let Ok(found) = crate::discover::discover(std::slice::from_ref(&config.root), config, false)
    else {
        return Vec::new();
    };
    let mut words: Vec<&str> = vec!["triggerAction"];
    words.extend(
        config
            .reference_functions
            .iter()
            .map(|f| f.rsplit('.').next().unwrap_or(f)),
    );
    let mut out = Vec::new();
    for path in found.files {
        let Some(kind) = FileKind::from_path(&path) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if bytes.len() > MAX_ANALYSED
            || !words
                .iter()
                .any(|w| memchr::memmem::find(&bytes, w.as_bytes()).is_some())
        {
            continue;
        }
        let rel = config
            .rel_path(&path)
            .unwrap_or_else(|| path.display().to_string());
        let facts = analysis::analyze_file(&SourceText::from_bytes(&bytes), kind, &rel, opts);
        out.push(FileEntry {
            display: rel.as_str().into(),
            rel,
            reported: false,
            facts,
        });
    }
    out
}
