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
//!   the [`Settings`], the build of the generator that wrote the files, a
//!   hash of each file's content, and the notes of that generation; when
//!   all of them match, code generation is skipped (and the notes are
//!   those recorded).
//!
//! The generator's build is told apart by the running executable's length
//! and modification time: cargo relinks a build script whenever its code or
//! any dependency (this crate, the settings it `include!`s) changes. When
//! the executable cannot be inspected, nothing is skipped.
//!
//! Notes are for a person: a build script prints them as `cargo:warning`
//! only when asked (see [`NOTES_ENV`]), so normal builds stay quiet.

use std::collections::BTreeMap;
use std::path::Path;

use crate::{Location, Note, Settings};

/// The stamp's file name in `OUT_DIR`.
pub const STAMP_FILE: &str = "generated.stamp";

/// The environment variable a build script reads to print the notes as
/// `cargo:warning` lines (any value but empty or `0`); it should also print
/// `cargo:rerun-if-env-changed` for it.
pub const NOTES_ENV: &str = "ZOOM_CODEGEN_NOTES";

const STAMP_HEADER: &str = "codegen out-dir stamp 2";

/// What [`generate_into`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The stamp matched: the files were left as they are.
    Skipped,
    /// The client was generated; these files (by name) had new content.
    Generated { rewritten: Vec<String> },
}

/// What [`generate_into`] did, and the notes of the generation that made
/// the files (recorded in the stamp when it was skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub outcome: Outcome,
    pub notes: Vec<Note>,
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
/// says the files there already are what this generator makes of it with
/// these settings.
pub fn generate_into(
    out_dir: &Path,
    spec_text: &str,
    settings: &Settings,
) -> Result<Written, OutDirError> {
    generate_into_with_identity(
        out_dir,
        spec_text,
        settings,
        generator_identity().as_deref(),
    )
}

/// [`generate_into`] with the generator's identity given (`None`: unknown,
/// never skip and leave no stamp).
pub fn generate_into_with_identity(
    out_dir: &Path,
    spec_text: &str,
    settings: &Settings,
    generator: Option<&str>,
) -> Result<Written, OutDirError> {
    let stamp_path = out_dir.join(STAMP_FILE);
    let inputs = generator.map(|generator| Inputs {
        generator,
        settings: format!("{settings:?}"),
        spec: spec_text,
    });
    if let Some(inputs) = &inputs
        && let Ok(old) = std::fs::read_to_string(&stamp_path)
        && let Some(notes) = current_notes(&old, inputs, out_dir)
    {
        return Ok(Written {
            outcome: Outcome::Skipped,
            notes,
        });
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
    if let Some(inputs) = &inputs {
        let stamp = render_stamp(inputs, &generated.files, &generated.notes);
        write_if_changed(&stamp_path, &stamp)?;
    }
    Ok(Written {
        outcome: Outcome::Generated { rewritten },
        notes: generated.notes,
    })
}

/// The running executable's length and modification time, or `None` when
/// they cannot be read.
fn generator_identity() -> Option<String> {
    let meta = std::env::current_exe().ok()?.metadata().ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!("{} {}", meta.len(), modified.as_nanos()))
}

/// What the files in `OUT_DIR` were made from.
struct Inputs<'a> {
    generator: &'a str,
    /// The settings' `Debug` text: compared only with a stamp written by
    /// the same build of the generator, so its exact form never matters.
    settings: String,
    spec: &'a str,
}

/// 64-bit FNV-1a: a content hash that needs no dependency. It tells a
/// damaged or edited file from the one written (the length alone does not),
/// not an attacker's file from it.
fn content_hash(content: &str) -> u64 {
    content.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The stamp: a header, the generator, the settings, each file with its
/// content hash, each note (as JSON), then the spec text the files came
/// from.
fn render_stamp(inputs: &Inputs, files: &BTreeMap<String, String>, notes: &[Note]) -> String {
    let mut out = format!(
        "{STAMP_HEADER}\ngenerator {}\nsettings {}\n",
        inputs.generator,
        inputs.settings.replace('\n', " ")
    );
    for (name, content) in files {
        out.push_str(&format!("file {:016x} {name}\n", content_hash(content)));
    }
    for note in notes {
        let entry = serde_json::json!([note.location.pointer, note.location.line, note.message]);
        out.push_str(&format!("note {entry}\n"));
    }
    out.push_str("spec\n");
    out.push_str(inputs.spec);
    out
}

/// The recorded notes, when `stamp` was written by this generator with
/// these settings for this spec and every file it lists is in `out_dir`
/// with the content it was written with; else `None`.
fn current_notes(stamp: &str, inputs: &Inputs, out_dir: &Path) -> Option<Vec<Note>> {
    let (head, old_spec) = stamp.split_once("\nspec\n")?;
    let mut lines = head.lines();
    let settings = inputs.settings.replace('\n', " ");
    if lines.next() != Some(STAMP_HEADER)
        || lines.next().and_then(|l| l.strip_prefix("generator ")) != Some(inputs.generator)
        || lines.next().and_then(|l| l.strip_prefix("settings ")) != Some(settings.as_str())
        || old_spec != inputs.spec
    {
        return None;
    }
    let mut files = 0;
    let mut notes = Vec::new();
    for line in lines {
        if let Some(entry) = line.strip_prefix("note ") {
            let (pointer, line, message): (String, Option<usize>, String) =
                serde_json::from_str(entry).ok()?;
            notes.push(Note {
                location: Location { pointer, line },
                message,
            });
            continue;
        }
        let (hash, name) = line.strip_prefix("file ")?.split_once(' ')?;
        let on_disk = std::fs::read_to_string(out_dir.join(name)).ok()?;
        if format!("{:016x}", content_hash(&on_disk)) != hash {
            return None;
        }
        files += 1;
    }
    (files > 0).then_some(notes)
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
