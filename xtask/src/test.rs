//! `cargo xtask test`: every test of the project, from a fresh machine.
//!
//! Installs the npm tools the tests drive (pinned by `package-lock.json`)
//! when they are missing or out of date, checks the formatting (`cargo fmt
//! --check`) and that every derived file is
//! fresh (as `regen --check` does), then runs the whole cargo test suite with
//! a locked dependency graph, then `cargo doc` of the published crates with
//! rustdoc warnings as errors, then `cargo xtask check-features` (the client
//! with each feature alone) and `cargo xtask package` (the published
//! crates built from their `.crate` files). `.ci/run` calls exactly this
//! command.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::{Command, ExitCode};

pub fn run(root: &Path) -> Result<ExitCode> {
    install_npm_tools(root)?;
    if fmt_check(root)? != ExitCode::SUCCESS {
        return Ok(ExitCode::FAILURE);
    }
    if crate::regen::run(root, crate::flags::Regen { check: true })? != ExitCode::SUCCESS {
        return Ok(ExitCode::FAILURE);
    }
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["test", "--workspace", "--locked"])
        // Snapshots are reviewed, never accepted, by a test run.
        .env("INSTA_UPDATE", "no")
        .status()
        .context("running cargo test")?;
    if !status.success() {
        return Ok(ExitCode::FAILURE);
    }
    if docs(root)? != ExitCode::SUCCESS {
        return Ok(ExitCode::FAILURE);
    }
    if crate::features::run(root)? != ExitCode::SUCCESS {
        return Ok(ExitCode::FAILURE);
    }
    crate::package::run(root)
}

/// `cargo fmt --all --check`: the hand-written sources as rustfmt lays
/// them out (the generated copy is pulled in with `include!`, which rustfmt
/// does not follow; prettyplease lays it out).
fn fmt_check(root: &Path) -> Result<ExitCode> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["fmt", "--all", "--check"])
        .status()
        .context("running cargo fmt (is the rustfmt component installed? `rustup component add rustfmt`)")?;
    if status.success() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("xtask test: not formatted; run `cargo fmt --all` and commit the result");
    Ok(ExitCode::FAILURE)
}

/// `cargo doc --no-deps` of the published crates with every feature, as
/// docs.rs builds them; any rustdoc warning (a broken intra-doc link, a
/// bare URL) fails the run.
fn docs(root: &Path) -> Result<ExitCode> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(root)
        .args(["doc", "--no-deps", "--all-features", "--locked"])
        .env("RUSTDOCFLAGS", "-D warnings");
    for name in crate::package::PACKAGES {
        command.args(["-p", name]);
    }
    let status = command.status().context("running cargo doc")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `npm ci` when `node_modules` does not match `package-lock.json`.
fn install_npm_tools(root: &Path) -> Result<()> {
    let lock = root.join("package-lock.json");
    if !lock.exists() {
        return Ok(());
    }
    // npm records the tree it installed in node_modules/.package-lock.json;
    // when that matches the lockfile's packages the install is current.
    let installed = root.join("node_modules/.package-lock.json");
    if is_current(&lock, &installed) {
        return Ok(());
    }
    println!("xtask test: installing npm tools from package-lock.json");
    let status = Command::new("npm")
        .current_dir(root)
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .status()
        .context("running npm ci (is Node.js installed?)")?;
    if !status.success() {
        bail!("npm ci failed");
    }
    Ok(())
}

fn is_current(lock: &Path, installed: &Path) -> bool {
    let (Ok(lock), Ok(installed)) = (std::fs::metadata(lock), std::fs::metadata(installed)) else {
        return false;
    };
    match (lock.modified(), installed.modified()) {
        (Ok(l), Ok(i)) => i >= l,
        _ => false,
    }
}
