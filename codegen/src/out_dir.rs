//! Writing the generated client into a build script's `OUT_DIR`.
//!
//! [`generate_into`] is what a `build.rs` calls. It differs from calling
//! [`generate`](crate::generate) and writing the files in two ways:
//!
//! - A file is rewritten only when its content changed (through a temporary
//!   sibling and a rename, so a reader never sees half a file). An unchanged
//!   file keeps its modification time.
//! - Cargo's `rerun-if-changed` compares modification times, so a spec that
//!   is touched but not changed (a `git checkout` or `git stash` round trip)
//!   reruns the build script. A stamp in `OUT_DIR` records the spec text,
//!   the build of the generator that wrote the files, and each file's
//!   length; when all of them match, code generation is skipped.
//!
//! The generator's build is told apart by the running executable's length
//! and modification time: cargo relinks a build script whenever its code or
//! any dependency (this crate, the settings it `include!`s) changes. When
//! the executable cannot be inspected, nothing is skipped.

use std::collections::BTreeMap;
use std::path::Path;

use crate::Settings;

/// The stamp's file name in `OUT_DIR`.
pub const STAMP_FILE: &str = "generated.stamp";

const STAMP_HEADER: &str = "codegen out-dir stamp 1";

/// What [`generate_into`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The stamp matched: the files were left as they are.
    Skipped,
    /// The client was generated; these files (by name) had new content.
    Generated { rewritten: Vec<String> },
}

/// Why [`generate_into`] failed.
#[derive(Debug, thiserror::Error)]
pub enum OutDirError {
    /// The spec could not be generated from (the error points into it).
    #[error(transparent)]
    Generate(#[from] crate::Error),
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: String,
        source: std::io::Error,
    },
}

/// Generates the client for `spec_text` into `out_dir`, unless the stamp
/// says the files there already are what this generator makes of it.
pub fn generate_into(
    out_dir: &Path,
    spec_text: &str,
    settings: &Settings,
) -> Result<Outcome, OutDirError> {
    generate_into_with_identity(out_dir, spec_text, settings, generator_identity().as_deref())
}

/// [`generate_into`] with the generator's identity given (`None`: unknown,
/// never skip and leave no stamp).
pub fn generate_into_with_identity(
    out_dir: &Path,
    spec_text: &str,
    settings: &Settings,
    generator: Option<&str>,
) -> Result<Outcome, OutDirError> {
    let stamp_path = out_dir.join(STAMP_FILE);
    if let Some(generator) = generator {
        if let Ok(old) = std::fs::read_to_string(&stamp_path) {
            if stamp_is_current(&old, generator, spec_text, out_dir) {
                return Ok(Outcome::Skipped);
            }
        }
    }
    let generated = crate::generate(spec_text, settings)?;
    // A stamp that might outlive a partial write would be wrong: drop it
    // first, write the stamp last.
    remove_if_present(&stamp_path)?;
    let mut rewritten = Vec::new();
    for (name, content) in &generated.files {
        if write_if_changed(&out_dir.join(name), content)? {
            rewritten.push(name.clone());
        }
    }
    if let Some(generator) = generator {
        write_if_changed(&stamp_path, &render_stamp(generator, spec_text, &generated.files))?;
    }
    Ok(Outcome::Generated { rewritten })
}

/// The running executable's length and modification time, or `None` when
/// they cannot be read.
pub fn generator_identity() -> Option<String> {
    let meta = std::env::current_exe().ok()?.metadata().ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!("{} {}", meta.len(), modified.as_nanos()))
}

/// The stamp: a header, the generator, each file with its length, then the
/// spec text the files came from.
fn render_stamp(generator: &str, spec: &str, files: &BTreeMap<String, String>) -> String {
    let mut out = format!("{STAMP_HEADER}\ngenerator {generator}\n");
    for (name, content) in files {
        out.push_str(&format!("file {} {name}\n", content.len()));
    }
    out.push_str("spec\n");
    out.push_str(spec);
    out
}

/// Whether `stamp` was written by `generator` for `spec`, and every file it
/// lists is still in `out_dir` with its recorded length.
fn stamp_is_current(stamp: &str, generator: &str, spec: &str, out_dir: &Path) -> bool {
    let Some((head, old_spec)) = stamp.split_once("\nspec\n") else {
        return false;
    };
    let mut lines = head.lines();
    if lines.next() != Some(STAMP_HEADER)
        || lines.next().and_then(|l| l.strip_prefix("generator ")) != Some(generator)
        || old_spec != spec
    {
        return false;
    }
    let mut files = 0;
    for line in lines {
        let Some((len, name)) = line.strip_prefix("file ").and_then(|l| l.split_once(' ')) else {
            return false;
        };
        let on_disk = std::fs::metadata(out_dir.join(name)).map(|m| m.len().to_string());
        if on_disk.ok().as_deref() != Some(len) {
            return false;
        }
        files += 1;
    }
    files > 0
}

/// Writes `content` unless the file already holds it; `true` when written.
fn write_if_changed(path: &Path, content: &str) -> Result<bool, OutDirError> {
    if std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(false);
    }
    let tmp = path.with_extension("tmp");
    let io = |what, path: &Path| {
        let path = path.display().to_string();
        move |source| OutDirError::Io { what, path, source }
    };
    std::fs::write(&tmp, content).map_err(io("writing", &tmp))?;
    std::fs::rename(&tmp, path).map_err(io("renaming into", path))?;
    Ok(true)
}

fn remove_if_present(path: &Path) -> Result<(), OutDirError> {
    match std::fs::remove_file(path) {
        Err(source) if source.kind() != std::io::ErrorKind::NotFound => Err(OutDirError::Io {
            what: "removing",
            path: path.display().to_string(),
            source,
        }),
        _ => Ok(()),
    }
}
