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
