//! cargo-semver-checks, the independent check of the diff's verdicts
//! (pinned: [`PINNED`]): run on the crate against a git revision
//! (`cargo xtask diff --check-version`), and on rustdoc JSON files
//! (`cargo xtask semver-audit`).
//!
//! The binary is `cargo-semver-checks` from `PATH`, or the one
//! `CARGO_SEMVER_CHECKS` names. It needs rustdoc JSON, an unstable rustdoc
//! output; it sets `RUSTC_BOOTSTRAP` for that itself, and so does
//! [`rustdoc_json`] (see there).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output};

use anyhow::{Context, Result, bail};

/// The version every run uses: lints differ between releases.
pub const PINNED: &str = "0.51.0";

/// How to get it.
pub const INSTALL: &str = "cargo install cargo-semver-checks --version 0.51.0 --locked";

fn program() -> PathBuf {
    std::env::var_os("CARGO_SEMVER_CHECKS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("cargo-semver-checks"))
}

/// The pinned cargo-semver-checks, or an error saying how to install it.
pub fn ensure_pinned() -> Result<()> {
    let output = Command::new(program())
        .args(["semver-checks", "--version"])
        .output();
    let version = match output {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => bail!(
            "cargo-semver-checks {PINNED} is not installed (or set CARGO_SEMVER_CHECKS to its binary): {INSTALL}"
        ),
    };
    if version != format!("cargo-semver-checks {PINNED}") {
        bail!("found {version}, the checks are pinned to {PINNED}: {INSTALL}");
    }
    Ok(())
}

/// `cargo semver-checks check-release -p zoom-accounts --baseline-rev REV`
/// in the workspace: the crate as it is (generated code and hand-written
/// code) against the crate at `rev`, with the versions of both manifests.
/// Its findings go to the terminal; the status says whether the version
/// allows them.
pub fn check_release_against(root: &Path, rev: &str) -> Result<ExitStatus> {
    ensure_pinned()?;
    Command::new(program())
        .current_dir(root)
        .args([
            "semver-checks",
            "check-release",
            "--package",
            "zoom-accounts",
            "--baseline-rev",
            rev,
        ])
        .status()
        .context("running cargo-semver-checks")
}

/// What cargo-semver-checks found between two rustdoc JSON files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Findings {
    /// Lints that require a new major version (a breaking change), by id.
    pub major: Vec<String>,
    /// Lints that require a new minor version (in 0.x: a compatible change
    /// it can see, such as a deprecation).
    pub minor: Vec<String>,
}

impl Findings {
    pub fn breaking(&self) -> bool {
        !self.major.is_empty()
    }
}

/// Runs the lints of `current` against `baseline` (rustdoc JSON files).
/// Its output names failing lints but not their level, so it runs twice:
/// as for a minor release (only lints that need a major version fail) and
/// as for a patch release (all fail).
pub fn check_rustdoc(baseline: &Path, current: &Path) -> Result<Findings> {
    let run = |release: &str| -> Result<Vec<String>> {
        let output = Command::new(program())
            .args(["semver-checks", "check-release", "--baseline-rustdoc"])
            .arg(baseline)
            .arg("--current-rustdoc")
            .arg(current)
            .args(["--release-type", release, "--color", "never"])
            .output()
            .context("running cargo-semver-checks")?;
        failed_lints(&output)
    };
    let major = run("minor")?;
    let minor = run("patch")?
        .into_iter()
        .filter(|id| !major.contains(id))
        .collect();
    Ok(Findings { major, minor })
}

/// The lint ids of the `--- failure <id>: <description> ---` headers; an
/// error when the run ended without its summary line.
fn failed_lints(output: &Output) -> Result<Vec<String>> {
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = text.lines().any(|l| {
        let l = l.trim();
        l.starts_with("Summary no semver update required")
            || l.starts_with("Summary semver requires")
    });
    if !summary {
        bail!(
            "cargo-semver-checks failed without a summary:\n{}",
            text.trim()
        );
    }
    let mut ids: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--- failure "))
        .map(|rest| rest.split(':').next().unwrap_or(rest).trim().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// `cargo rustdoc --lib` of the package at `manifest`, as JSON, into
/// `target_dir`; the path of the JSON file. rustdoc JSON is unstable
/// output: `RUSTC_BOOTSTRAP=1` lets the stable toolchain write it (what
/// cargo-semver-checks does too), and its format version must be one the
/// pinned cargo-semver-checks reads.
pub fn rustdoc_json(manifest: &Path, target_dir: &Path, crate_name: &str) -> Result<PathBuf> {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", target_dir)
        .arg("rustdoc")
        .arg("--manifest-path")
        .arg(manifest)
        .args(["--lib", "--quiet", "--offline", "--"])
        .args(["-Z", "unstable-options", "--output-format", "json"])
        .output()
        .context("running cargo rustdoc")?;
    if !output.status.success() {
        bail!(
            "cargo rustdoc {} failed:\n{}",
            manifest.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let json = target_dir.join("doc").join(format!("{crate_name}.json"));
    if !json.is_file() {
        bail!("cargo rustdoc wrote no {}", json.display());
    }
    Ok(json)
}
