//! `cargo xtask package`: the crates as a user gets them, built from the
//! `.crate` files alone.
//!
//! 1. `cargo package` of the published crates together (Cargo's
//!    multi-package mode) into `target/package/`. The crates are
//!    `publish = false` until a person decides to publish, and Cargo's own
//!    verification step resolves the packages against the registry they
//!    would be published to, where these are not (and cannot be while
//!    `publish = false`); so packaging runs with `--no-verify
//!    --exclude-lockfile` and step 2 is the verification.
//! 2. Every `.crate` is extracted into a fresh directory under the system
//!    temp dir, outside the repository, next to a workspace manifest that
//!    has the extracted `zoom-accounts` as its member and `[patch.crates-io]`
//!    entries pointing at the other extracted crates (what the registry
//!    would serve), plus the repository's `Cargo.lock` (the versions CI
//!    tested) and its `[profile.*]` tables (so the shared target dir is
//!    reused). There `cargo build --offline` builds the packaged client
//!    twice, from its committed copy of the generated code (the default) and
//!    with `--features generate` (generated from the spec in the package),
//!    and `cargo test --offline --doc --features webhooks,mock` runs its doctests
//!    (the README's examples included): a file the build needs that is not in the
//!    package, such as a spec outside it, fails here.
//!
//! The temp directory is removed afterwards, also on failure.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The crates a user depends on, dependencies first. `zoom-accounts` is the
/// one built and doc-tested; the others reach it as its dependencies.
pub const PACKAGES: [&str; 4] = [
    "zoom-api-meta",
    "zoom-api-runtime",
    "zoom-api-codegen",
    "zoom-accounts",
];

/// The package built and doc-tested from its `.crate`.
const CLIENT: &str = "zoom-accounts";

pub fn run(root: &Path) -> Result<ExitCode> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root.join("target");
    let mut package = Command::new(&cargo);
    package.current_dir(root).args([
        "package",
        "--no-verify",
        "--exclude-lockfile",
        "--allow-dirty",
    ]);
    for name in PACKAGES {
        package.args(["-p", name]);
    }
    run_step("cargo package", &mut package)?;

    let scratch = Scratch::new()?;
    let mut patches = String::new();
    let mut client_dir = None;
    for name in PACKAGES {
        let file = find_crate_file(&target.join("package"), name)?;
        let status = Command::new("tar")
            .arg("-xzf")
            .arg(&file)
            .arg("-C")
            .arg(&scratch.0)
            .status()
            .context("running tar (needed to extract the .crate files)")?;
        if !status.success() {
            bail!("extracting {} failed", file.display());
        }
        let dir_name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .context("a .crate file name is not UTF-8")?
            .to_owned();
        if name == CLIENT {
            client_dir = Some(dir_name);
        } else {
            patches.push_str(&format!("{name} = {{ path = \"{dir_name}\" }}\n"));
        }
    }
    let client_dir = client_dir.context("zoom-accounts was not packaged")?;
    // A .crate stores fixed modification times, and cargo names the units
    // of a path package by its path relative to the workspace, which is the
    // same in every check workspace: without fresh times, the shared target
    // dir's artifacts of an earlier check look up to date and a changed
    // crate is not rebuilt.
    touch_tree(&scratch.0)?;
    let root_manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .context("reading the workspace Cargo.toml")?;
    let manifest = format!(
        "# Written by `cargo xtask package`: the packaged crates, as a registry would serve them.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\"{client_dir}\"]\n\n\
         [patch.crates-io]\n{patches}\n{}",
        profile_tables(&root_manifest)
    );
    std::fs::write(scratch.0.join("Cargo.toml"), manifest)
        .context("writing the check workspace")?;
    std::fs::copy(root.join("Cargo.lock"), scratch.0.join("Cargo.lock"))
        .context("copying Cargo.lock")?;

    for args in [
        // The default: the committed copy of the generated code.
        &["build", "--offline", "-p", CLIENT][..],
        // Generated in build.rs from the spec inside the package.
        &["build", "--offline", "-p", CLIENT, "--features", "generate"][..],
        // `webhooks` and `mock`: the README documents both modules too
        // (and `mock` builds the runtime's mock module and wiremock).
        &[
            "test",
            "--offline",
            "--doc",
            "-p",
            CLIENT,
            "--features",
            "webhooks,mock",
        ][..],
    ] {
        let mut step = Command::new(&cargo);
        step.current_dir(&scratch.0)
            .args(args)
            .env("CARGO_TARGET_DIR", &target);
        run_step(
            &format!("cargo {} (packaged {CLIENT})", args.join(" ")),
            &mut step,
        )?;
    }
    println!(
        "xtask package: {} packaged; {CLIENT} builds and passes its doctests from its .crate alone",
        PACKAGES.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

fn run_step(what: &str, command: &mut Command) -> Result<()> {
    println!("xtask package: {what}");
    let status = command
        .status()
        .with_context(|| format!("running {what}"))?;
    if !status.success() {
        bail!("{what} failed");
    }
    Ok(())
}

/// Sets the modification time of every file under `dir` to now.
fn touch_tree(dir: &Path) -> Result<()> {
    let now = std::time::SystemTime::now();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            touch_tree(&path)?;
        } else {
            std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|file| file.set_modified(now))
                .with_context(|| format!("setting the modification time of {}", path.display()))?;
        }
    }
    Ok(())
}

/// `dir/<name>-<version>.crate`: the one `cargo package` just wrote.
fn find_crate_file(dir: &Path, name: &str) -> Result<PathBuf> {
    let prefix = format!("{name}-");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.ends_with(".crate")
                    && n.strip_prefix(&prefix)
                        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            })
        })
        .collect();
    // Several versions after a bump: the newest file is the one just written.
    found.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    found
        .pop()
        .with_context(|| format!("no {name}-<version>.crate in {}", dir.display()))
}

/// The `[profile...]` tables of a manifest, verbatim (each runs from its
/// header to the next table header).
fn profile_tables(manifest: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in manifest.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            inside = trimmed.starts_with("[profile.");
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A fresh directory under the system temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("zoom-package-check-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_tables_are_copied_whole_and_nothing_else() {
        let manifest = "[workspace]\nmembers = [\"a\"]\n\n[profile.dev.package.syn]\nopt-level = 2\n\n[workspace.dependencies]\nx = \"1\"\n[profile.release.build-override]\nopt-level = 2\n";
        assert_eq!(
            profile_tables(manifest),
            "[profile.dev.package.syn]\nopt-level = 2\n\n[profile.release.build-override]\nopt-level = 2\n"
        );
    }
}
