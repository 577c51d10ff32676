//! `cargo xtask regen [--check]`: the one command that brings every derived
//! file in line with `spec/zoom-accounts.yaml`.
//!
//! 1. normalize the spec in place (canonical OpenAPI 3.1, see `spec/README.md`);
//! 2. regenerate the committed, reviewable copy of the client in
//!    `generated-client/generated/` (one file per tag plus shared types: the
//!    exact files `generated-client/build.rs` writes into `OUT_DIR`);
//! 3. refresh the insta snapshots of the codegen fixtures.
//!
//! Everything is computed in memory first; files are written only when all
//! of it succeeded, so a bad spec leaves the tree untouched. With `--check`
//! nothing is written and the command fails naming each stale file. Either
//! way the generator's notes on the spec (what lowering changed, with the
//! line) are printed, so the person who edits the spec sees them.

use crate::flags;
use crate::fsutil::{self, Planned};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

include!("../../generated-client/settings.rs");
include!("../../codegen/tests/fixture_settings.rs");

pub const SPEC: &str = "spec/zoom-accounts.yaml";
pub const GENERATED_DIR: &str = "generated-client/generated";
pub const FIXTURE_SPECS: &str = "codegen/tests/fixtures/specs";
pub const FIXTURE_SNAPSHOTS: &str = "codegen/tests/snapshots";

pub fn run(root: &Path, flags::Regen { check }: flags::Regen) -> Result<ExitCode> {
    let Plan { files: planned, notes } = plan(root)?;
    for note in &notes {
        println!("note: {SPEC}: {note}");
    }
    let stale = fsutil::stale(root, &planned);
    let orphans = fsutil::orphans(root, Path::new(GENERATED_DIR), "rs", &planned);
    if check {
        if stale.is_empty() && orphans.is_empty() {
            println!("regen --check: {} files up to date", planned.len());
            return Ok(ExitCode::SUCCESS);
        }
        for file in &stale {
            eprintln!("stale: {}", file.path.display());
        }
        for file in &orphans {
            eprintln!("not generated any more: {}", file.display());
        }
        eprintln!("run `cargo xtask regen` and commit the result");
        return Ok(ExitCode::FAILURE);
    }
    fsutil::write_all(root, &stale)?;
    for file in &orphans {
        std::fs::remove_file(root.join(file))
            .with_context(|| format!("removing {}", file.display()))?;
    }
    for file in &stale {
        println!("wrote {}", file.path.display());
    }
    for file in &orphans {
        println!("removed {}", file.display());
    }
    println!(
        "regen: {} files, {} rewritten, {} removed",
        planned.len(),
        stale.len(),
        orphans.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Every derived file with the content it must have, computed in memory,
/// and the notes of generating the client from the spec.
pub struct Plan {
    pub files: Vec<Planned>,
    pub notes: Vec<zoom_api_codegen::Note>,
}

/// The [`Plan`] of the workspace at `root`.
pub fn plan(root: &Path) -> Result<Plan> {
    let spec_path = root.join(SPEC);
    let text = std::fs::read_to_string(&spec_path)
        .with_context(|| format!("reading {}", spec_path.display()))?;
    let normalized = zoom_api_codegen::normalize_spec(&fsutil::normalize_newlines(&text))
        .map_err(|e| anyhow::anyhow!("{SPEC}: {e}"))?;
    let generated = zoom_api_codegen::generate(&normalized, &client_settings())
        .map_err(|e| anyhow::anyhow!("{SPEC}: {e}"))?;
    let mut planned = vec![Planned { path: PathBuf::from(SPEC), content: normalized }];
    for (name, content) in generated.files {
        planned.push(Planned { path: Path::new(GENERATED_DIR).join(name), content });
    }
    planned.extend(fixture_snapshots(root)?);
    Ok(Plan { files: planned, notes: generated.notes })
}

/// The insta snapshots of `codegen/tests/fixtures.rs`, written in insta's
/// format, so that one command refreshes every snapshot without running the
/// test suite (`cargo insta review` remains the interactive way).
fn fixture_snapshots(root: &Path) -> Result<Vec<Planned>> {
    let dir = root.join(FIXTURE_SPECS);
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    specs.sort();
    let mut planned = Vec::new();
    for spec in specs {
        let file_name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let input = format!("{FIXTURE_SPECS}/{file_name}");
        let text = std::fs::read_to_string(&spec).with_context(|| format!("reading {input}"))?;
        let text = fsutil::normalize_newlines(&text);
        let generated = zoom_api_codegen::generate(&text, &fixture_settings(&file_name))
            .map_err(|e| anyhow::anyhow!("{input}: {e}"))?;
        let normalized = zoom_api_codegen::normalize_spec(&text).map_err(|e| anyhow::anyhow!("{input}: {e}"))?;
        for (test, expression, content) in [
            ("generated_files_snapshot", "generated.concatenated()", generated.concatenated()),
            ("normalized_spec_snapshot_and_idempotence", "once", normalized),
        ] {
            planned.push(Planned {
                path: Path::new(FIXTURE_SNAPSHOTS).join(format!("fixtures__{test}@{file_name}.snap")),
                content: format!(
                    "---\nsource: codegen/tests/fixtures.rs\nexpression: {expression}\ninput_file: {input}\n---\n{}\n",
                    content.trim_end_matches('\n')
                ),
            });
        }
    }
    Ok(planned)
}
