//! Project automation, run as `cargo xtask <command>` (alias in
//! `.cargo/config.toml`), in the style of rust-analyzer's xtask: one module per
//! subcommand, paths from the workspace root, few dependencies.
//!
//! The commands live in this library so that `xtask/tests/` can drive them
//! against a temporary workspace root; `main.rs` only dispatches.

pub mod bench;
pub mod check_spec;
pub mod diff;
pub mod features;
pub mod flags;
pub mod fsutil;
pub mod import;
pub mod package;
pub mod regen;
pub mod semver_audit;
pub mod semver_checks;
pub mod test;

use std::path::PathBuf;

/// The workspace root: xtask's manifest sits one level below it.
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// `cargo metadata --no-deps` of the workspace at `root`, as JSON (the
/// manifests as cargo reads them: packages, features, targets).
pub fn cargo_metadata(root: &std::path::Path) -> anyhow::Result<serde_json::Value> {
    use anyhow::Context;
    let output =
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .current_dir(root)
            .args([
                "metadata",
                "--no-deps",
                "--format-version",
                "1",
                "--offline",
            ])
            .output()
            .context("running cargo metadata")?;
    if !output.status.success() {
        anyhow::bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    serde_json::from_slice(&output.stdout).context("reading cargo metadata's output")
}
