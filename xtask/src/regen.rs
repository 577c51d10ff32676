//! `cargo xtask regen [--check]`: the one command that brings every derived
//! file in line with `spec/zoom-accounts.yaml`.
//!
//! 1. normalize the spec and the webhooks document
//!    (`spec/zoom-accounts-webhooks.yaml`) in place (canonical OpenAPI 3.1,
//!    see `spec/README.md`);
//! 2. regenerate the committed, reviewable copy of the client in
//!    `generated-client/generated/` (one file per tag plus shared types: the
//!    exact files `generated-client/build.rs` writes into `OUT_DIR`);
//! 3. refresh the insta snapshots of the codegen fixtures.
//!
//! Both modes fail first when `generated-client/Cargo.toml` does not
//! declare a feature the generated code tests (a new tag is a new area
//! feature), saying what to add.
//!
//! Everything is computed in memory first; files are written only when all
//! of it succeeded, so a bad spec leaves the tree untouched. With `--check`
//! nothing is written and the command fails naming each stale file, and
//! each file no longer generated (a client file or a fixture snapshot whose
//! fixture is gone). Either way the generator's notes on the spec (what
//! lowering changed, with the line) are printed, so the person who edits
//! the spec sees them.
//!
//! The snapshots are insta's files, in insta's format, and only insta reads
//! and writes them: a snapshot is compared by the contents insta reads from
//! it, and stale ones are rewritten by running the fixture test with
//! `INSTA_UPDATE=always` (so its header is the one insta writes).

use crate::flags;
use crate::fsutil::{self, Planned};
use anyhow::{Context, Result, bail};
use insta::internals::{SnapshotContents, TextSnapshotContents};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

include!("../../generated-client/settings.rs");
include!("../../codegen/tests/fixture_settings.rs");

pub const SPEC: &str = "spec/zoom-accounts.yaml";
pub const GENERATED_DIR: &str = "generated-client/generated";
pub const FIXTURE_SPECS: &str = "codegen/tests/fixtures/specs";
pub const FIXTURE_SNAPSHOTS: &str = "codegen/tests/snapshots";

pub fn run(root: &Path, flags::Regen { check }: flags::Regen) -> Result<ExitCode> {
    let plan = plan(root)?;
    for note in &plan.notes {
        println!("note: {SPEC}: {note}");
    }
    // A new tag in the spec is a new feature the crate must declare.
    let undeclared = crate::features::undeclared(root, &plan.features)?;
    if !undeclared.is_empty() {
        for problem in &undeclared {
            eprintln!("regen: {problem}");
        }
        return Ok(ExitCode::FAILURE);
    }
    let out_of_date = out_of_date(root, &plan);
    if check {
        if out_of_date.is_empty() {
            println!(
                "regen --check: {} files up to date",
                plan.files.len() + plan.snapshots.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        for line in out_of_date.lines() {
            eprintln!("{line}");
        }
        eprintln!("run `cargo xtask regen` and commit the result");
        return Ok(ExitCode::FAILURE);
    }
    fsutil::write_all(root, &out_of_date.files)?;
    for file in &out_of_date.orphans {
        std::fs::remove_file(root.join(file))
            .with_context(|| format!("removing {}", file.display()))?;
    }
    if !out_of_date.snapshots.is_empty() {
        accept_fixture_snapshots(root)?;
        let left = stale_snapshots(root, &plan.snapshots);
        if let Some(first) = left.first() {
            bail!(
                "the fixture test did not write {} as regen computed it",
                first.path.display()
            );
        }
    }
    for line in out_of_date.report("wrote ", "removed ") {
        println!("{line}");
    }
    println!(
        "regen: {} files, {} rewritten, {} removed",
        plan.files.len() + plan.snapshots.len(),
        out_of_date.files.len() + out_of_date.snapshots.len(),
        out_of_date.orphans.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Every derived file with the content it must have, computed in memory,
/// and the notes of generating the client from the spec.
pub struct Plan {
    /// The spec and the generated client.
    pub files: Vec<Planned>,
    /// The fixture snapshots.
    pub snapshots: Vec<ExpectedSnapshot>,
    pub notes: Vec<zoom_api_codegen::Note>,
    /// The cargo features the generated client tests.
    pub features: std::collections::BTreeMap<String, zoom_api_codegen::FeatureUse>,
}

/// A fixture snapshot: its file, and the contents the fixture test asserts.
pub struct ExpectedSnapshot {
    pub path: PathBuf,
    pub contents: String,
}

/// The [`Plan`] of the workspace at `root`.
pub fn plan(root: &Path) -> Result<Plan> {
    let client = client(root)?;
    let mut files = vec![
        Planned {
            path: PathBuf::from(SPEC),
            content: client.spec,
        },
        Planned {
            path: PathBuf::from(WEBHOOKS_SPEC),
            content: client.webhooks,
        },
    ];
    for (name, content) in client.generated.files {
        files.push(Planned {
            path: Path::new(GENERATED_DIR).join(name),
            content,
        });
    }
    Ok(Plan {
        files,
        snapshots: fixture_snapshots(root)?,
        notes: client.generated.notes,
        features: client.generated.features,
    })
}

/// The canonical spec and webhooks document, and the client generated
/// from them (the part of the [`Plan`] that is not fixtures).
pub struct GeneratedClient {
    pub spec: String,
    pub webhooks: String,
    pub generated: zoom_api_codegen::Generated,
}

/// Normalizes the spec and the webhooks document of the workspace at
/// `root` and generates the client from them.
pub fn client(root: &Path) -> Result<GeneratedClient> {
    let spec_path = root.join(SPEC);
    let text = std::fs::read_to_string(&spec_path)
        .with_context(|| format!("reading {}", spec_path.display()))?;
    let spec = zoom_api_codegen::normalize_spec(&fsutil::normalize_newlines(&text))
        .map_err(|e| anyhow::anyhow!("{SPEC}: {e}"))?;
    let webhooks_path = root.join(WEBHOOKS_SPEC);
    let webhooks_text = std::fs::read_to_string(&webhooks_path)
        .with_context(|| format!("reading {}", webhooks_path.display()))?;
    let webhooks = zoom_api_codegen::normalize_spec(&fsutil::normalize_newlines(&webhooks_text))
        .map_err(|e| anyhow::anyhow!("{WEBHOOKS_SPEC}: {e}"))?;
    let generated = zoom_api_codegen::generate(&spec, &client_settings_with_webhooks(&webhooks))
        .map_err(|e| anyhow::anyhow!("{SPEC}: {e}"))?;
    Ok(GeneratedClient {
        spec,
        webhooks,
        generated,
    })
}

/// What differs from the plan on disk.
#[derive(Default)]
pub struct OutOfDate<'p> {
    /// Planned files whose content differs, or that are missing.
    pub files: Vec<&'p Planned>,
    /// Snapshots whose contents differ, or that are missing.
    pub snapshots: Vec<&'p ExpectedSnapshot>,
    /// Files no plan names any more: client files, fixture snapshots.
    pub orphans: Vec<PathBuf>,
}

impl OutOfDate<'_> {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.snapshots.is_empty() && self.orphans.is_empty()
    }

    /// One line per file, as `--check` reports them.
    pub fn lines(&self) -> Vec<String> {
        self.report("stale: ", "not generated any more: ")
    }

    fn report(&self, stale: &str, orphan: &str) -> Vec<String> {
        let paths = self
            .files
            .iter()
            .map(|f| &f.path)
            .chain(self.snapshots.iter().map(|s| &s.path));
        paths
            .map(|p| format!("{stale}{}", p.display()))
            .chain(
                self.orphans
                    .iter()
                    .map(|p| format!("{orphan}{}", p.display())),
            )
            .collect()
    }
}

/// Compares the plan with the files under `root`.
pub fn out_of_date<'p>(root: &Path, plan: &'p Plan) -> OutOfDate<'p> {
    let mut orphans = fsutil::orphans(root, Path::new(GENERATED_DIR), "rs", &plan.files);
    let snapshot_paths: Vec<Planned> = plan
        .snapshots
        .iter()
        .map(|s| Planned {
            path: s.path.clone(),
            content: String::new(),
        })
        .collect();
    orphans.extend(fsutil::orphans(
        root,
        Path::new(FIXTURE_SNAPSHOTS),
        "snap",
        &snapshot_paths,
    ));
    OutOfDate {
        files: fsutil::stale(root, &plan.files),
        snapshots: stale_snapshots(root, &plan.snapshots),
        orphans,
    }
}

/// The snapshots whose contents, as insta reads them, are not the expected
/// ones (or that insta cannot read).
fn stale_snapshots<'p>(root: &Path, expected: &'p [ExpectedSnapshot]) -> Vec<&'p ExpectedSnapshot> {
    expected
        .iter()
        .filter(|s| match insta::Snapshot::from_file(&root.join(&s.path)) {
            Ok(on_disk) => {
                let wanted: SnapshotContents =
                    TextSnapshotContents::new(s.contents.clone(), insta::TextSnapshotKind::File)
                        .into();
                *on_disk.contents() != wanted
            }
            Err(_) => true,
        })
        .collect()
}

/// Runs the fixture test with `INSTA_UPDATE=always`: insta writes every
/// snapshot it asserts, header and all.
fn accept_fixture_snapshots(root: &Path) -> Result<()> {
    println!("regen: fixture snapshots changed; running the fixture test to write them");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args([
            "test",
            "--locked",
            "--quiet",
            "-p",
            "zoom-api-codegen",
            "--test",
            "fixtures",
        ])
        .env("INSTA_UPDATE", "always")
        .status()
        .context("running the fixture test")?;
    if !status.success() {
        bail!("the fixture test failed while writing its snapshots");
    }
    Ok(())
}

/// The snapshots `codegen/tests/fixtures.rs` asserts, with the contents
/// each must have: one per fixture spec and test, named as insta names the
/// snapshots of a glob (`<test binary>__<test>@<input>.snap`).
fn fixture_snapshots(root: &Path) -> Result<Vec<ExpectedSnapshot>> {
    let dir = root.join(FIXTURE_SPECS);
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    specs.sort();
    let mut expected = Vec::new();
    for spec in specs {
        let file_name = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let input = format!("{FIXTURE_SPECS}/{file_name}");
        let text = std::fs::read_to_string(&spec).with_context(|| format!("reading {input}"))?;
        let text = fsutil::normalize_newlines(&text);
        let generated = zoom_api_codegen::generate(&text, &fixture_settings(&file_name))
            .map_err(|e| anyhow::anyhow!("{input}: {e}"))?;
        let normalized =
            zoom_api_codegen::normalize_spec(&text).map_err(|e| anyhow::anyhow!("{input}: {e}"))?;
        for (test, contents) in [
            ("generated_files_snapshot", generated.concatenated()),
            ("normalized_spec_snapshot_and_idempotence", normalized),
        ] {
            expected.push(ExpectedSnapshot {
                path: Path::new(FIXTURE_SNAPSHOTS)
                    .join(format!("fixtures__{test}@{file_name}.snap")),
                contents,
            });
        }
    }
    Ok(expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            let dir =
                std::env::temp_dir().join(format!("xtask-regen-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join(FIXTURE_SNAPSHOTS)).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn plan_of(snapshots: &[&str]) -> Plan {
        Plan {
            files: Vec::new(),
            snapshots: snapshots
                .iter()
                .map(|name| ExpectedSnapshot {
                    path: Path::new(FIXTURE_SNAPSHOTS).join(name),
                    contents: "line one\nline two".into(),
                })
                .collect(),
            notes: Vec::new(),
            features: Default::default(),
        }
    }

    fn write(root: &Path, name: &str, text: &str) {
        std::fs::write(root.join(FIXTURE_SNAPSHOTS).join(name), text).unwrap();
    }

    #[test]
    fn a_snapshot_of_no_fixture_is_reported() {
        let dir = Scratch::new("orphans");
        let header = "---\nsource: codegen/tests/fixtures.rs\nexpression: once\n---\n";
        write(
            &dir.0,
            "fixtures__a@x.yaml.snap",
            &format!("{header}line one\nline two\n"),
        );
        write(
            &dir.0,
            "fixtures__a@gone.yaml.snap",
            &format!("{header}old\n"),
        );
        let plan = plan_of(&["fixtures__a@x.yaml.snap"]);
        let out = out_of_date(&dir.0, &plan);
        assert_eq!(
            out.lines(),
            ["not generated any more: codegen/tests/snapshots/fixtures__a@gone.yaml.snap"]
        );
    }

    #[test]
    fn snapshots_compare_by_the_contents_insta_reads() {
        let dir = Scratch::new("contents");
        let plan = plan_of(&["fixtures__a@x.yaml.snap"]);
        // Another header than regen would have written (insta's own
        // fields, in its order): the same snapshot.
        write(
            &dir.0,
            "fixtures__a@x.yaml.snap",
            "---\nsource: codegen/tests/fixtures.rs\nassertion_line: 31\nexpression: generated.concatenated()\ninput_file: codegen/tests/fixtures/specs/x.yaml\nsnapshot_kind: text\n---\nline one\nline two\n",
        );
        assert!(out_of_date(&dir.0, &plan).is_empty());
        write(
            &dir.0,
            "fixtures__a@x.yaml.snap",
            "---\nsource: x\n---\nline one\nline 2\n",
        );
        assert_eq!(
            out_of_date(&dir.0, &plan).lines(),
            ["stale: codegen/tests/snapshots/fixtures__a@x.yaml.snap"]
        );
        std::fs::remove_file(
            dir.0
                .join(FIXTURE_SNAPSHOTS)
                .join("fixtures__a@x.yaml.snap"),
        )
        .unwrap();
        assert_eq!(
            out_of_date(&dir.0, &plan).snapshots.len(),
            1,
            "a missing snapshot is stale"
        );
    }
}
