//! Writing a set of files all-or-nothing: every file is written to a
//! temporary sibling first and renamed into place only once all of them were
//! produced, so a failure never leaves a half-written tree behind.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// A file's wanted content, relative to the workspace root.
pub struct Planned {
    pub path: PathBuf,
    pub content: String,
}

/// The planned files whose content on disk differs (or which are missing).
pub fn stale<'a>(root: &Path, planned: &'a [Planned]) -> Vec<&'a Planned> {
    planned
        .iter()
        .filter(|p| match std::fs::read_to_string(root.join(&p.path)) {
            Ok(on_disk) => normalize_newlines(&on_disk) != p.content,
            Err(_) => true,
        })
        .collect()
}

/// Files in `dir` (relative to root) with extension `ext` that no plan names.
pub fn orphans(root: &Path, dir: &Path, ext: &str, planned: &[Planned]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| dir.join(e.file_name()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .filter(|p| !planned.iter().any(|pl| &pl.path == p))
        .collect();
    found.sort();
    found
}

/// Write every stale file: all temporaries first, then the renames.
pub fn write_all(root: &Path, files: &[&Planned]) -> Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for file in files {
        let target = root.join(&file.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        let tmp = target.with_extension("xtask-tmp");
        if let Err(err) = std::fs::write(&tmp, &file.content) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            return Err(err).with_context(|| format!("writing {}", tmp.display()));
        }
        staged.push((tmp, target));
    }
    for (tmp, target) in staged {
        std::fs::rename(&tmp, &target)
            .with_context(|| format!("renaming {} to {}", tmp.display(), target.display()))?;
    }
    Ok(())
}

pub fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}
