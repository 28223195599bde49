//! Which files to scan: walks the given paths, honouring `.gitignore`,
//! `.ignore` and `.git/info/exclude` (unless `--no-ignore`) and the config's
//! `include`/`exclude`.
//!
//! Owns: paths only. It never opens a file it returns (a FIFO would hang),
//! never follows a symlink while walking (loops and dangling links are
//! skipped), and never reads site code. What a path means for the rules
//! (which actions apply, severities) is the config's business.

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::WalkBuilder;

use crate::settings::{absolute_path, slash_path, Config, DEFAULT_EXTENSIONS};

/// The files to check and what the request covered.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Absolute, lexically normalised; sorted and deduplicated.
    pub files: Vec<PathBuf>,
    /// At least one given path was a file (not a directory): diagnostics are
    /// then reported for the named files only.
    pub explicit_files: bool,
    /// Some given path is the root or one of its ancestors: project-wide
    /// rules such as `unused-action` may run.
    pub covers_root: bool,
    /// Things the user may want to know (unreadable directory, broken link).
    pub notes: Vec<String>,
}

/// Work to do on each file as the walk finds it, on the walker's threads
/// (the engine reads scripts while directories are still being listed).
pub struct Visitor<'a> {
    /// Walker threads; 0 lets the walker choose.
    pub threads: usize,
    pub visit: &'a (dyn Fn(&Path) + Sync),
}

/// Resolve `paths` (the current directory when empty) into files to check.
/// A path that does not exist is an error; an explicitly named file that the
/// config or ignore files exclude is skipped silently.
pub fn discover(
    paths: &[PathBuf],
    config: &Config,
    no_ignore: bool,
) -> Result<Discovery, miette::Report> {
    discover_visiting(paths, config, no_ignore, None)
}

/// [`discover`], calling `visitor` on every file found by walking a
/// directory (files named on the command line are not visited).
pub fn discover_visiting(
    paths: &[PathBuf],
    config: &Config,
    no_ignore: bool,
    visitor: Option<&Visitor<'_>>,
) -> Result<Discovery, miette::Report> {
    let current = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &current[..]
    } else {
        paths
    };
    let config = Arc::new(config.clone());
    let canonical_root = config.root.canonicalize().ok();
    let mut listings = Listings::new();
    let mut out = Discovery::default();

    for given in paths {
        let abs = absolute_path(given);
        let meta = match fs::symlink_metadata(&abs) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(miette::miette!(
                    help = "check the spelling; relative paths start from the current directory",
                    "path '{}' does not exist",
                    given.display()
                ))
            }
            Err(e) => {
                return Err(miette::miette!(
                    "cannot access path '{}': {}",
                    given.display(),
                    crate::actions::describe_io_error(&e)
                ))
            }
        };
        // A symlink named on the command line is followed once, to see what
        // it names; symlinks met while walking never are.
        let meta = if meta.file_type().is_symlink() {
            match fs::metadata(&abs) {
                Ok(target) => target,
                Err(_) => {
                    out.notes.push(format!(
                        "skipping '{}': broken symbolic link",
                        given.display()
                    ));
                    continue;
                }
            }
        } else {
            meta
        };

        let rel = config.rel_path(&abs);
        let covers = rel.as_deref() == Some("")
            || config.root.starts_with(&abs)
            || match (&canonical_root, abs.canonicalize()) {
                (Some(root), Ok(canon)) => root.starts_with(canon),
                _ => false,
            };
        out.covers_root |= covers;
        // Globs are relative to the root; outside it they see the path as given.
        let match_path = rel.clone().unwrap_or_else(|| as_given(given));

        if meta.is_dir() {
            if !covers
                && explicitly_skipped(
                    &abs,
                    rel.as_deref(),
                    &match_path,
                    true,
                    &config,
                    no_ignore,
                    &mut listings,
                )
            {
                continue;
            }
            walk(
                &abs,
                &match_path,
                rel.is_some(),
                &config,
                no_ignore,
                visitor,
                &mut out,
            );
        } else {
            out.explicit_files = true;
            if !meta.is_file() {
                out.notes.push(format!(
                    "skipping '{}': not a regular file",
                    given.display()
                ));
                continue;
            }
            if explicitly_skipped(
                &abs,
                rel.as_deref(),
                &match_path,
                false,
                &config,
                no_ignore,
                &mut listings,
            ) {
                continue;
            }
            // Named files are checked when `include` matches or they have a
            // web extension (a narrow `include` is about walking); a README
            // passed by a pre-commit hook is skipped without a word.
            if config.is_included(&match_path) || has_default_extension(&abs) {
                out.files.push(abs);
            }
        }
    }
    // Byte order: `Path`'s own order compares component by component and
    // was most of the cost of sorting 14 000 paths.
    out.files
        .sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    out.files.dedup_by(|a, b| a.as_os_str() == b.as_os_str());
    Ok(out)
}

/// `path` as the user wrote it, with `/` separators and no leading `./`.
fn as_given(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.trim_end_matches('/').to_owned()
}

fn has_default_extension(path: &Path) -> bool {
    path.extension().and_then(OsStr::to_str).is_some_and(|ext| {
        DEFAULT_EXTENSIONS
            .iter()
            .any(|d| d.eq_ignore_ascii_case(ext))
    })
}

fn join_match(base: &str, sub: &str) -> String {
    match (base.is_empty(), sub.is_empty()) {
        (true, _) => sub.to_owned(),
        (_, true) => base.to_owned(),
        _ => format!("{base}/{sub}"),
    }
}

/// The walker settings shared by the walk and the explicit-path checks, so
/// both agree on what the ignore files exclude.
fn builder(dir: &Path, no_ignore: bool) -> WalkBuilder {
    let mut b = WalkBuilder::new(dir);
    b.standard_filters(!no_ignore)
        // Hidden directories are pruned by `walk` itself; dotfiles such as
        // `.eslintrc.js` are ordinary files here.
        .hidden(false)
        // Outside a git checkout (an unpacked site) .gitignore still counts.
        .require_git(false)
        .follow_links(false);
    b
}

fn walk(
    dir: &Path,
    match_base: &str,
    under_root: bool,
    config: &Arc<Config>,
    no_ignore: bool,
    visitor: Option<&Visitor<'_>>,
    out: &mut Discovery,
) {
    // What a path under `dir` is matched against: root-relative when the
    // walk is under the root (or the entry is, when walking an ancestor of
    // it), else the path as given.
    let match_path = {
        let config = Arc::clone(config);
        let dir = dir.to_path_buf();
        let base = match_base.to_owned();
        move |path: &Path| -> String {
            let sub = path.strip_prefix(&dir).map(slash_path).unwrap_or_default();
            if !under_root {
                if let Ok(rel) = path.strip_prefix(&config.root) {
                    return slash_path(rel);
                }
            }
            join_match(&base, &sub)
        }
    };
    let match_path = Arc::new(match_path);
    let mut b = builder(dir, no_ignore);
    {
        let config = Arc::clone(config);
        let match_path = Arc::clone(&match_path);
        b.filter_entry(move |entry| {
            if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            // .git, .cache, .next: tool state, not site source.
            if entry.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            !config.is_excluded(&match_path(entry.path()), true)
        });
    }
    // Walked on several threads, as ripgrep does: on a site of 14 000 files
    // the walk and the glob matching were a quarter of a run. The order of
    // arrival does not matter: files are sorted afterwards, notes here.
    let files = std::sync::Mutex::new(Vec::new());
    let notes = std::sync::Mutex::new(Vec::new());
    if let Some(v) = visitor {
        b.threads(v.threads);
    }
    b.build_parallel().run(|| {
        let (config, match_path) = (Arc::clone(config), Arc::clone(&match_path));
        let (files, notes) = (&files, &notes);
        Box::new(move |entry| {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    lock(notes).push(describe_walk_error(&e));
                    return ignore::WalkState::Continue;
                }
            };
            // Regular files only: never symlinks (not followed while walking),
            // FIFOs, sockets or devices.
            if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_file()) {
                return ignore::WalkState::Continue;
            }
            let m = match_path(entry.path());
            if !config.is_excluded(&m, false) && config.is_included(&m) {
                if let Some(v) = visitor {
                    (v.visit)(entry.path());
                }
                lock(files).push(entry.into_path());
            }
            ignore::WalkState::Continue
        })
    });
    out.files.extend(into_inner(files));
    let mut notes = into_inner(notes);
    notes.sort();
    out.notes.extend(notes);
}

/// A poisoned lock only means a walker thread panicked: its data is still whole.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn into_inner<T>(m: std::sync::Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|e| e.into_inner())
}

fn describe_walk_error(e: &ignore::Error) -> String {
    let s = e.to_string();
    let s = match s.find(" (os error") {
        Some(i) => &s[..i],
        None => &s,
    };
    let mut chars = s.chars();
    let s: String = match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("skipped while walking: {s}")
}

/// Whether a path named on the command line is excluded by the config or,
/// through itself or one of its directories up to the root, by ignore files.
fn explicitly_skipped(
    abs: &Path,
    rel: Option<&str>,
    match_path: &str,
    is_dir: bool,
    config: &Config,
    no_ignore: bool,
    listings: &mut Listings,
) -> bool {
    if config.is_excluded(match_path, is_dir) {
        return true;
    }
    if no_ignore {
        return false;
    }
    // Each step from the root down must be something a walk would list:
    // `dist/app.js` is skipped when `dist/` is ignored.
    match rel {
        Some(rel) if !rel.is_empty() => {
            let mut dir = config.root.clone();
            for part in rel.split('/') {
                if !listings.lists(&dir, OsStr::new(part)) {
                    return true;
                }
                dir.push(part);
            }
            false
        }
        _ => match (abs.parent(), abs.file_name()) {
            (Some(parent), Some(name)) => !listings.lists(parent, name),
            _ => false,
        },
    }
}

/// Directory listings as the walker sees them (ignore rules applied),
/// cached so a hook passing hundreds of files lists each directory once.
struct Listings {
    /// `None`: the directory could not be listed, so nothing is known to be ignored.
    cache: HashMap<PathBuf, Option<HashSet<OsString>>>,
}

impl Listings {
    fn new() -> Self {
        Listings {
            cache: HashMap::new(),
        }
    }

    fn lists(&mut self, dir: &Path, name: &OsStr) -> bool {
        let listing = self.cache.entry(dir.to_path_buf()).or_insert_with(|| {
            let mut names = HashSet::new();
            for entry in builder(dir, false).max_depth(Some(1)).build() {
                match entry {
                    Ok(e) if e.depth() == 1 => {
                        names.insert(e.file_name().to_owned());
                    }
                    Ok(_) => {}
                    Err(_) => return None,
                }
            }
            Some(names)
        });
        listing.as_ref().is_none_or(|names| names.contains(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{default_config, load_config, CONFIG_FILE};

    /// A project in a temp dir: `files` created (with parents), `config` as
    /// its action-lint.toml.
    fn project(config: &str, files: &[&str]) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, "x").unwrap();
        }
        let path = dir.path().join(CONFIG_FILE);
        fs::write(&path, config).unwrap();
        let config = load_config(&path).unwrap();
        (dir, config)
    }

    /// Root-relative names of the discovered files.
    fn names(c: &Config, d: &Discovery) -> Vec<String> {
        d.files.iter().map(|f| c.rel_path(f).unwrap()).collect()
    }

    fn run(c: &Config, paths: &[PathBuf], no_ignore: bool) -> Discovery {
        discover(paths, c, no_ignore).unwrap()
    }

    #[test]
    fn walks_default_extensions_sorted() {
        let (dir, c) = project(
            "",
            &[
                "b.js",
                "a/index.HTML",
                "a/App.tsx",
                "README.md",
                "style.css",
                "x.vue",
            ],
        );
        let d = run(&c, &[dir.path().to_path_buf()], false);
        assert_eq!(
            names(&c, &d),
            ["a/App.tsx", "a/index.HTML", "b.js", "x.vue"]
        );
        assert!(d.covers_root && !d.explicit_files && d.notes.is_empty());
        assert!(d.files.iter().all(|f| f.is_absolute()));
    }

    #[test]
    fn gitignore_is_honoured_without_git_and_no_ignore_turns_it_off() {
        let (dir, c) = project(
            "",
            &["a.js", "dist/b.js", "gen.js", "keep/c.js", "x/.ignore"],
        );
        fs::write(dir.path().join(".gitignore"), "dist/\ngen.js\n").unwrap();
        fs::write(dir.path().join("x/.ignore"), "").unwrap();
        fs::write(dir.path().join(".ignore"), "keep/\n").unwrap();
        let root = [dir.path().to_path_buf()];
        assert_eq!(names(&c, &run(&c, &root, false)), ["a.js"]);
        assert_eq!(
            names(&c, &run(&c, &root, true)),
            ["a.js", "dist/b.js", "gen.js", "keep/c.js"]
        );
    }

    #[test]
    fn git_info_exclude_is_honoured() {
        let (dir, c) = project("", &["a.js", "secret.js", ".git/info/exclude"]);
        fs::write(dir.path().join(".git/info/exclude"), "secret.js\n").unwrap();
        let d = run(&c, &[dir.path().to_path_buf()], false);
        assert_eq!(names(&c, &d), ["a.js"]);
    }

    #[test]
    fn config_include_and_exclude() {
        let (dir, c) = project(
            "include = [\"**/*.js\", \"**/*.php\"]\nexclude = [\"vendor/**\", \"*.min.js\"]\n",
            &[
                "a.js",
                "p.php",
                "i.html",
                "vendor/v.js",
                "lib/x.min.js",
                "lib/vendor/y.js",
            ],
        );
        let d = run(&c, &[dir.path().to_path_buf()], false);
        assert_eq!(names(&c, &d), ["a.js", "lib/vendor/y.js", "p.php"]);
    }

    #[test]
    fn hidden_directories_are_skipped_but_dotfiles_are_not() {
        let (dir, c) = project(
            "",
            &[".git/hooks/x.js", ".cache/y.js", ".eslintrc.js", "a/.b.js"],
        );
        let d = run(&c, &[dir.path().to_path_buf()], false);
        assert_eq!(names(&c, &d), [".eslintrc.js", "a/.b.js"]);
        // Named explicitly, a hidden directory is walked.
        let d = run(&c, &[dir.path().join(".cache")], false);
        assert_eq!(names(&c, &d), [".cache/y.js"]);
        assert!(!d.covers_root);
    }

    #[test]
    fn explicit_files_excluded_by_config_or_ignore_files_are_skipped_silently() {
        let (dir, c) = project(
            "include = [\"site/**\"]\nexclude = [\"vendor/**\"]\n",
            &[
                "site/a.js",
                "vendor/v.js",
                "dist/app.js",
                "ignored.js",
                "other.js",
                "README.md",
                "site/page.php",
            ],
        );
        fs::write(dir.path().join(".gitignore"), "dist/\nignored.js\n").unwrap();
        let p = |f: &str| dir.path().join(f);
        let given: Vec<PathBuf> = [
            "site/a.js",
            "vendor/v.js",
            "dist/app.js",
            "ignored.js",
            "other.js",
            "README.md",
            "site/page.php",
        ]
        .iter()
        .map(|f| p(f))
        .collect();
        let d = run(&c, &given, false);
        // other.js: outside `include`, but a web file named explicitly.
        // README.md: not a web file, matched by no include. page.php: included.
        assert_eq!(names(&c, &d), ["other.js", "site/a.js", "site/page.php"]);
        assert!(d.explicit_files && !d.covers_root && d.notes.is_empty());
        // --no-ignore lifts the ignore files, not the config's exclude.
        let d = run(&c, &given, true);
        assert_eq!(
            names(&c, &d),
            [
                "dist/app.js",
                "ignored.js",
                "other.js",
                "site/a.js",
                "site/page.php"
            ]
        );
        // An explicitly given excluded directory is skipped too.
        let d = run(&c, &[p("vendor"), p("dist")], false);
        assert!(d.files.is_empty());
    }

    #[test]
    fn nonexistent_path_is_an_error() {
        let (dir, c) = project("", &["a.js"]);
        let missing = dir.path().join("nope");
        let e = discover(&[dir.path().to_path_buf(), missing.clone()], &c, false).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("path '{}' does not exist", missing.display())
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_not_followed_while_walking() {
        use std::os::unix::fs::symlink;
        let (dir, c) = project("", &["a.js", "sub/b.js", "elsewhere/c.js"]);
        let p = |f: &str| dir.path().join(f);
        symlink(dir.path(), p("sub/loop")).unwrap();
        symlink(p("nothing-here.js"), p("dangling.js")).unwrap();
        symlink(p("a.js"), p("link.js")).unwrap();
        symlink(p("elsewhere"), p("linked-dir")).unwrap();
        let d = run(&c, &[dir.path().to_path_buf()], false);
        assert_eq!(names(&c, &d), ["a.js", "elsewhere/c.js", "sub/b.js"]);
        assert!(d.notes.is_empty(), "{:?}", d.notes);
        // Named explicitly: a link to a regular file is followed, a dangling
        // one is noted and skipped, a link to a directory is walked.
        let d = run(
            &c,
            &[p("link.js"), p("dangling.js"), p("linked-dir")],
            false,
        );
        assert_eq!(names(&c, &d), ["link.js", "linked-dir/c.js"]);
        assert_eq!(d.notes.len(), 1);
        assert!(d.notes[0].contains("broken symbolic link"), "{:?}", d.notes);
    }

    #[cfg(unix)]
    #[test]
    fn fifos_are_never_opened() {
        let (dir, c) = project("", &["a.js"]);
        let fifo = dir.path().join("pipe.js");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let d = run(&c, &[dir.path().to_path_buf()], false);
        assert_eq!(names(&c, &d), ["a.js"]);
        let d = run(&c, &[fifo], false);
        assert!(d.files.is_empty());
        assert!(d.notes[0].contains("not a regular file"), "{:?}", d.notes);
    }

    #[test]
    fn covers_root_for_the_root_or_an_ancestor_only() {
        let (dir, _) = project("", &["site/a.js", "site/sub/b.js", "top.js"]);
        let site = dir.path().join("site");
        fs::write(site.join(CONFIG_FILE), "exclude = [\"sub/**\"]\n").unwrap();
        let c = load_config(&site.join(CONFIG_FILE)).unwrap();
        let d = run(&c, &[site.join("sub")], false);
        assert!(!d.covers_root);
        // Walking an ancestor: files under the root match root-relative
        // globs, files outside match as given.
        let d = run(&c, &[dir.path().to_path_buf()], false);
        assert!(d.covers_root);
        let got: Vec<_> = d
            .files
            .iter()
            .map(|f| f.strip_prefix(dir.path()).unwrap())
            .collect();
        assert_eq!(got, [Path::new("site/a.js"), Path::new("top.js")]);
    }

    #[test]
    fn files_outside_the_root_match_globs_as_given() {
        let (dir, _) = project("", &["out/a.js", "out/a.min.js", "root/x.js"]);
        let root = dir.path().join("root");
        fs::write(root.join(CONFIG_FILE), "exclude = [\"*.min.js\"]\n").unwrap();
        let c = load_config(&root.join(CONFIG_FILE)).unwrap();
        let d = run(&c, &[dir.path().join("out")], false);
        let got: Vec<_> = d.files.iter().map(|f| f.file_name().unwrap()).collect();
        assert_eq!(got, ["a.js"]);
        let d = run(&c, &[dir.path().join("out/a.min.js")], false);
        assert!(d.files.is_empty());
    }

    #[test]
    fn empty_paths_mean_the_current_directory_and_duplicates_collapse() {
        let (dir, c) = project("", &["a.js"]);
        let d = run(
            &c,
            &[
                dir.path().to_path_buf(),
                dir.path().join("a.js"),
                dir.path().join("./a.js"),
            ],
            false,
        );
        assert_eq!(names(&c, &d), ["a.js"]);
        let cwd = default_config(PathBuf::from("."));
        let d = discover(&[], &cwd, false).unwrap();
        assert!(d.covers_root && !d.explicit_files);
    }
}
