//! `cargo xtask diff [--base <rev>] [--head <rev>] [--format markdown|json]
//! [--fail-on breaking|deployment] [--check-version]`: the API change
//! between two versions of `spec/zoom-accounts.yaml`, for a reviewer, and
//! the version of `zoom-accounts` it needs.
//!
//! The base defaults to `HEAD`, the head to the working tree; a revision's
//! spec is read with `git show REV:spec/zoom-accounts.yaml` (a spec missing
//! at a revision counts as an empty API: everything added), its crate
//! version from `generated-client/Cargo.toml`. Two parts, computed from the
//! two texts:
//!
//! - [`spec_changes`]: operations, parameters, bodies, fields, enum values,
//!   statuses, error codes, deprecations, scopes, rate labels and
//!   prerequisites, each classified by the compatibility contract of the
//!   README (breaking, compatible, docs, deployment; behaviour changes
//!   marked);
//! - [`rust_items`]: the public items of the client `zoom_api_codegen::generate`
//!   makes of each spec (with the settings of `generated-client`), added,
//!   removed or changed.
//!
//! Their verdict ([`Report::verdict`]) is the version bump the change needs
//! under Cargo's rules ([`version`]). [`report`] renders it all as Markdown
//! or JSON. Gates: `--fail-on breaking` exits non-zero when any change is
//! breaking, any public Rust item is removed or changed, or the items could
//! not be compared; `--fail-on deployment` when any scope, rate-limit label
//! or prerequisite changed; `--check-version` when the working tree's crate
//! version is lower than the change needs against the base, and runs
//! cargo-semver-checks on the crate against the base revision (hand-written
//! code can break users too).

pub mod macro_rules;
pub mod report;
pub mod rust_items;
pub mod spec_changes;
pub mod version;

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

use crate::flags::{Diff, Format};
use crate::regen::{SPEC, WEBHOOKS_SPEC, client_settings, client_settings_with_webhooks};
use crate::semver_checks;
use spec_changes::{Attention, Class};
use version::{CrateVersion, Level};

/// The manifest of the generated crate, relative to the workspace root.
pub const CLIENT_MANIFEST: &str = "generated-client/Cargo.toml";

pub fn run(root: &Path, options: &Diff) -> Result<ExitCode> {
    if options.check_version && options.head.is_some() {
        bail!(
            "--check-version checks the working tree against --base (cargo-semver-checks builds the crate as it is); drop --head"
        );
    }
    let base = Revision::read(root, Some(&options.base))?;
    let head = Revision::read(root, options.head.as_deref())?;
    let report = compare(base, head)?;
    match options.format {
        Format::Markdown => print!("{}", report::markdown(&report)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&report::json(&report))?),
    }
    let mut failures = Vec::new();
    if options.fail_on_breaking
        && let Err(why) = breaking_gate(&report)
    {
        failures.push(why);
    }
    if options.fail_on_deployment
        && let Err(why) = deployment_gate(&report)
    {
        failures.push(why);
    }
    if options.check_version {
        if let Err(why) = version_gate(&report) {
            failures.push(why);
        }
        let checks = semver_checks::check_release_against(root, &options.base)?;
        if !checks.success() {
            failures.push(format!(
                "cargo-semver-checks: the crate's API changed more than version {} allows against {} (its findings above)",
                report.head.version.map(|v| v.to_string()).unwrap_or_default(),
                options.base
            ));
        }
    }
    for why in &failures {
        eprintln!("diff: {why}");
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `--fail-on breaking`: `Err` with the reason when any spec change is
/// breaking, any public Rust item is removed or changed, or the Rust items
/// could not be compared (a spec the generator refuses is not a pass).
pub fn breaking_gate(report: &Report) -> Result<(), String> {
    let between = report.between();
    let breaking = report.breaking();
    match report.rust_breaking() {
        None => Err(format!(
            "{breaking} breaking change(s), and the public Rust items could not be compared ({}), {between}",
            report
                .rust
                .as_ref()
                .err()
                .map(String::as_str)
                .unwrap_or_default()
        )),
        Some(rust) if breaking > 0 || rust > 0 => Err(format!(
            "{breaking} breaking change(s), {rust} public Rust item(s) removed or changed, {between}"
        )),
        Some(_) => Ok(()),
    }
}

/// `--fail-on deployment`: `Err` when a deployed app needs attention
/// (scopes, rate-limit label, prerequisites).
pub fn deployment_gate(report: &Report) -> Result<(), String> {
    match report.count(|c| c.attention() == Attention::Deployment) {
        0 => Ok(()),
        n => Err(format!(
            "{n} deployment change(s) (scopes, rate-limit labels, prerequisites), {}",
            report.between()
        )),
    }
}

/// `--check-version`: `Err` when the head's crate version is lower than
/// the change needs against the base's.
pub fn version_gate(report: &Report) -> Result<(), String> {
    let verdict = report.verdict();
    let (Some(needs), Some(head)) = (verdict.needs, report.head.version) else {
        return Err(format!(
            "the crate version of {} or {} is unknown ({CLIENT_MANIFEST} missing or unreadable)",
            report.base.label, report.head.label
        ));
    };
    if head < needs {
        return Err(format!(
            "zoom-accounts {head} ({}) is lower than the {needs} this change needs ({})",
            report.head.label,
            verdict.line()
        ));
    }
    if verdict.rust_error.is_some() {
        return Err("the public Rust items could not be compared, so the bump is not known".into());
    }
    Ok(())
}

/// One side of the comparison.
#[derive(Debug, Clone)]
pub struct Revision {
    /// `HEAD`, `main~3`, `working tree`.
    pub label: String,
    /// The spec text; `None` when the revision has no spec.
    pub spec: Option<String>,
    /// The webhooks document (`spec/zoom-accounts-webhooks.yaml`); `None`
    /// when the revision has none. Its events and payload types are part
    /// of the generated client, so of the Rust items compared.
    pub webhooks: Option<String>,
    /// The version in `generated-client/Cargo.toml`; `None` when the
    /// revision has no such manifest.
    pub version: Option<CrateVersion>,
}

impl Revision {
    /// The spec and crate version at `rev` (`None`: the working tree).
    pub fn read(root: &Path, rev: Option<&str>) -> Result<Self> {
        let label = rev.unwrap_or("working tree").to_string();
        let spec = read_file(root, rev, SPEC)?;
        let webhooks = read_file(root, rev, WEBHOOKS_SPEC)?;
        let version = match read_file(root, rev, CLIENT_MANIFEST)? {
            Some(text) => Some(
                version::manifest_version(&text)
                    .map_err(|e| anyhow!("{CLIENT_MANIFEST} at {label}: {e}"))?,
            ),
            None => None,
        };
        Ok(Self {
            label,
            spec,
            webhooks,
            version,
        })
    }
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

/// What the whole change needs: its level and the version that allows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub level: Level,
    /// The base's crate version.
    pub base_version: Option<CrateVersion>,
    /// The lowest version the head may have; `None` when the base version
    /// is unknown.
    pub needs: Option<CrateVersion>,
    /// Why the Rust items could not be compared (then the level is at
    /// least what the spec changes say, and may be higher).
    pub rust_error: Option<String>,
}

impl Verdict {
    /// `breaking: needs 0.2.0`, `compatible: needs 0.1.1`, `no API change`.
    pub fn line(&self) -> String {
        let needs = |what: &str| match self.needs {
            Some(v) => v.to_string(),
            None => format!("a new {what} version"),
        };
        let mut line = match self.level {
            Level::Breaking => format!("breaking: needs {}", needs("minor")),
            Level::Compatible => format!("compatible: needs {}", needs("patch")),
            Level::NoApiChange => "no API change".to_string(),
        };
        if self.rust_error.is_some() {
            line.push_str(" (at least: the Rust items could not be compared)");
        }
        line
    }
}

impl Report {
    fn between(&self) -> String {
        format!("between {} and {}", self.base.label, self.head.label)
    }

    /// How many changes `filter` accepts.
    pub fn count(&self, filter: impl Fn(&spec_changes::Change) -> bool) -> usize {
        self.changes.iter().filter(|c| filter(c)).count()
    }

    /// Breaking spec changes.
    pub fn breaking(&self) -> usize {
        self.count(|c| c.class == Class::Breaking)
    }

    /// Public Rust items removed or changed: each breaks code that uses
    /// it, also where the spec change behind it is compatible. `None` when
    /// they could not be compared: not known to be zero.
    pub fn rust_breaking(&self) -> Option<usize> {
        self.rust
            .as_ref()
            .ok()
            .map(|r| r.removed.len() + r.changed.len())
    }

    /// The level of the whole change (spec changes and Rust items, the
    /// higher of the two) and the version it needs.
    pub fn verdict(&self) -> Verdict {
        let spec_level = self
            .changes
            .iter()
            .map(|c| match c.class {
                Class::Breaking => Level::Breaking,
                // A changed scope or label changes what the crate's
                // `metadata` says and how its throttle acts: a release.
                Class::Compatible | Class::Deployment => Level::Compatible,
                Class::Docs => Level::NoApiChange,
            })
            .max()
            .unwrap_or(Level::NoApiChange);
        let rust_level = match &self.rust {
            Ok(r) if !r.removed.is_empty() || !r.changed.is_empty() => Level::Breaking,
            Ok(r) if !r.added.is_empty() => Level::Compatible,
            _ => Level::NoApiChange,
        };
        let level = spec_level.max(rust_level);
        Verdict {
            level,
            base_version: self.base.version,
            needs: self.base.version.map(|v| v.needed_for(level)),
            rust_error: self.rust.as_ref().err().cloned(),
        }
    }
}

/// Compares two revisions' specs: the spec changes and the Rust items.
pub fn compare(base: Revision, head: Revision) -> Result<Report> {
    let changes =
        compare_specs(base.spec.as_deref(), head.spec.as_deref()).map_err(|e| anyhow!("{e}"))?;
    let rust = compare_rust_with_webhooks(
        (base.spec.as_deref(), base.webhooks.as_deref()),
        (head.spec.as_deref(), head.webhooks.as_deref()),
    );
    Ok(Report {
        base,
        head,
        changes,
        rust,
    })
}

/// Just the classified spec changes.
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
    compare_rust_with_webhooks((base, None), (head, None))
}

/// [`compare_rust`] of (spec, webhooks document) pairs: with a webhooks
/// document, the `webhooks` module (an `Event` variant per event) and the
/// payload types are compared too.
pub fn compare_rust_with_webhooks(
    base: (Option<&str>, Option<&str>),
    head: (Option<&str>, Option<&str>),
) -> Result<rust_items::RustChanges, String> {
    let items = |(text, webhooks): (Option<&str>, Option<&str>), which: &str| {
        let Some(text) = text else {
            return Ok(Default::default());
        };
        let settings = match webhooks {
            Some(webhooks) => client_settings_with_webhooks(webhooks),
            None => client_settings(),
        };
        let generated = zoom_api_codegen::generate(text, &settings)
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
    read_file(root, rev, SPEC)
}

/// The text of `path` (relative to the root) at `rev`, `None`: the
/// working tree; `Ok(None)` when the file is not there.
fn read_file(root: &Path, rev: Option<&str>, path: &str) -> Result<Option<String>> {
    let Some(rev) = rev else {
        return match std::fs::read_to_string(root.join(path)) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {path}")),
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
    let show = git(root, &["show", &format!("{rev}:{path}")])?;
    if !show.status.success() {
        return Ok(None);
    }
    String::from_utf8(show.stdout)
        .map(Some)
        .map_err(|e| anyhow!("{path} at {rev} is not UTF-8: {e}"))
}

fn git(root: &Path, args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .with_context(|| format!("running git {}", args.join(" ")))
}
