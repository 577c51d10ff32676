//! `cargo xtask diff [--base <rev>] [--head <rev>] [--format markdown|json] [--fail-on breaking]`:
//! the API change between two versions of `spec/zoom-accounts.yaml`, for a
//! reviewer.
//!
//! The base defaults to `HEAD`, the head to the working tree; a revision's
//! spec is read with `git show REV:spec/zoom-accounts.yaml`, and a spec
//! missing at a revision counts as an empty API (everything added). Two
//! parts, computed from the two texts:
//!
//! - [`spec_changes`]: operations, parameters, body fields, enum values,
//!   statuses, error codes, scopes and rate labels, each change classified
//!   breaking or not for a user of the Rust client;
//! - [`rust_items`]: the public items of the client `zoom_api_codegen::generate`
//!   makes of each spec (with the settings of `generated-client`), added,
//!   removed or changed.
//!
//! [`report`] renders both as Markdown or JSON. `--fail-on breaking` exits
//! non-zero when any spec change is breaking or any public Rust item is
//! removed or changed.

pub mod macro_rules;
pub mod report;
pub mod rust_items;
pub mod spec_changes;

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

use crate::flags::{Diff, Format};
use crate::regen::{SPEC, client_settings};

pub fn run(root: &Path, options: &Diff) -> Result<ExitCode> {
    let base = read_spec(root, Some(&options.base))?;
    let head = read_spec(root, options.head.as_deref())?;
    let report = compare(
        Revision {
            label: options.base.clone(),
            spec: base,
        },
        Revision {
            label: options
                .head
                .clone()
                .unwrap_or_else(|| "working tree".into()),
            spec: head,
        },
    )?;
    match options.format {
        Format::Markdown => print!("{}", report::markdown(&report)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&report::json(&report))?),
    }
    if options.fail_on_breaking
        && let Err(why) = breaking_gate(&report)
    {
        eprintln!("diff: {why}");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// `--fail-on breaking`: `Err` with the reason when any spec change is
/// breaking, any public Rust item is removed or changed, or the Rust items
/// could not be compared (a spec the generator refuses is not a pass).
pub fn breaking_gate(report: &Report) -> Result<(), String> {
    let between = format!("between {} and {}", report.base.label, report.head.label);
    let breaking = report.breaking();
    match report.rust_breaking() {
        None => Err(format!(
            "{breaking} breaking change(s), and the public Rust items could not be compared ({}), {between}",
            report.rust.as_ref().err().map(String::as_str).unwrap_or_default()
        )),
        Some(rust) if breaking > 0 || rust > 0 => Err(format!(
            "{breaking} breaking change(s), {rust} public Rust item(s) removed or changed, {between}"
        )),
        Some(_) => Ok(()),
    }
}

/// One side of the comparison.
#[derive(Debug, Clone)]
pub struct Revision {
    /// `HEAD`, `main~3`, `working tree`.
    pub label: String,
    /// The spec text; `None` when the revision has no spec.
    pub spec: Option<String>,
}

/// The whole report.
#[derive(Debug)]
pub struct Report {
    pub base: Revision,
    pub head: Revision,
    pub changes: Vec<spec_changes::Change>,
    /// `Err` when a spec cannot be generated (the spec part still stands).
    pub rust: Result<rust_items::RustChanges, String>,
}

impl Report {
    /// Breaking spec changes.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// Public Rust items removed or changed: each breaks code that uses
    /// it, also where the spec change behind it is compatible (the
    /// generator shares one type between equal schemas, so a compatible
    /// change to one of them can rename the type the other uses). `None`
    /// when they could not be compared: not known to be zero.
    pub fn rust_breaking(&self) -> Option<usize> {
        self.rust
            .as_ref()
            .ok()
            .map(|r| r.removed.len() + r.changed.len())
    }
}

/// Compares two revisions' specs: the spec changes and the Rust items.
pub fn compare(base: Revision, head: Revision) -> Result<Report> {
    let changes =
        compare_specs(base.spec.as_deref(), head.spec.as_deref()).map_err(|e| anyhow!("{e}"))?;
    let rust = compare_rust(base.spec.as_deref(), head.spec.as_deref());
    Ok(Report {
        base,
        head,
        changes,
        rust,
    })
}

/// Just the classified spec changes (what the fixture table tests).
pub fn compare_specs(base: Option<&str>, head: Option<&str>) -> Result<Vec<spec_changes::Change>> {
    let base = canonical(base).context("the base spec")?;
    let head = canonical(head).context("the head spec")?;
    Ok(spec_changes::compare(&base, &head))
}

/// The spec in canonical 3.1 form; an empty API when there is none.
fn canonical(text: Option<&str>) -> Result<Value> {
    let Some(text) = text else {
        return Ok(json!({"openapi": "3.1.1", "info": {"title": "", "version": ""}, "paths": {}}));
    };
    zoom_api_codegen::spec::read_canonical(text)
        .map(|canonical| canonical.value)
        .map_err(|e| anyhow!("{e}"))
}

/// The public Rust items each spec generates, compared.
pub fn compare_rust(
    base: Option<&str>,
    head: Option<&str>,
) -> Result<rust_items::RustChanges, String> {
    let items = |text: Option<&str>, which: &str| {
        let Some(text) = text else {
            return Ok(Default::default());
        };
        let generated = zoom_api_codegen::generate(text, &client_settings())
            .map_err(|e| format!("generating the {which} client: {e}"))?;
        rust_items::public_items(&generated.files, &generated.root)
            .map_err(|e| format!("reading the {which} client: {e}"))
    };
    let base = items(base, "base")?;
    let head = items(head, "head")?;
    Ok(rust_items::compare(&base, &head))
}

/// The spec text at `rev` (`None`: the working tree); `Ok(None)` when that
/// revision has no spec.
pub fn read_spec(root: &Path, rev: Option<&str>) -> Result<Option<String>> {
    let Some(rev) = rev else {
        return match std::fs::read_to_string(root.join(SPEC)) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {SPEC}")),
        };
    };
    let verify = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )?;
    if !verify.status.success() {
        bail!("unknown git revision {rev:?} (a shallow clone may not have it)");
    }
    let show = git(root, &["show", &format!("{rev}:{SPEC}")])?;
    if !show.status.success() {
        return Ok(None);
    }
    String::from_utf8(show.stdout)
        .map(Some)
        .map_err(|e| anyhow!("{SPEC} at {rev} is not UTF-8: {e}"))
}

fn git(root: &Path, args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .with_context(|| format!("running git {}", args.join(" ")))
}
