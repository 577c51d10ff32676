//! `cargo xtask semver-audit [--case <name>]...`: checks the diff report's
//! verdicts against an independent oracle, cargo-semver-checks (pinned, see
//! [`semver_checks`]).
//!
//! For every case of the diff fixture table (`xtask/tests/fixtures/diff/`)
//! the base and the head spec are generated with the settings of
//! `generated-client` into one scratch crate that is `zoom-accounts` but
//! for its build script (the hand-written `src/` copied, the dependencies
//! as `cargo metadata` resolves them, the workspace's `Cargo.lock`), its
//! rustdoc JSON is built (one target directory for every case, under
//! `target/semver-audit/`; identical generated code is built once), and
//! cargo-semver-checks compares the two. Its verdict (a lint that needs a
//! new major version, or none) is compared with the report's (breaking or
//! not):
//!
//! - **agree**: both breaking, or neither;
//! - **explained**: the report says breaking and cargo-semver-checks finds
//!   nothing, and every reason the report has is one it cannot see: a
//!   changed type (a field's, a parameter's `TryInto` bound, the output of
//!   `send()`: its lints compare items, not types), a change of behaviour
//!   (a call that compiles and fails at `send()`), or a derived impl that
//!   goes (`Default`, when a field becomes required or a required field
//!   is added to a type whose fields were all optional: 0.51 does not see
//!   it).
//!   The README's "Updating the spec" says so;
//! - **disagree**: anything else, in particular cargo-semver-checks finding
//!   a break the report calls compatible. The command fails.
//!
//! The table goes to standard output, with the time each step took.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;

use crate::diff::spec_changes::{Change, ChangeKind};
use crate::diff::version::{CrateVersion, Level};
use crate::diff::{self, Report, Revision};
use crate::flags::SemverAudit;
use crate::regen::client_settings;
use crate::semver_checks::{self, Findings};

/// The diff fixture table, relative to the workspace root.
pub const CASES: &str = "xtask/tests/fixtures/diff";

/// Spec changes cargo-semver-checks cannot see: the types of fields,
/// parameters and outputs (it compares which items exist, not their
/// types), whatever the spec change behind them.
const TYPE_CHANGES: [ChangeKind; 5] = [
    ChangeKind::FieldTypeChanged,
    ChangeKind::FieldNowOptional,
    ChangeKind::FieldNowRequired,
    ChangeKind::ParameterTypeChanged,
    ChangeKind::SuccessBodyChanged,
];

/// How one case came out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Agree,
    /// A spec of the case cannot be generated (the report says so, and
    /// its gate fails): there is no crate to check.
    NotApplicable(String),
    /// The report is breaking for reasons cargo-semver-checks cannot see.
    Explained(String),
    Disagree(String),
}

pub fn run(root: &Path, options: &SemverAudit) -> Result<ExitCode> {
    let started = Instant::now();
    semver_checks::ensure_pinned()?;
    let mut cases = fixture_cases(root)?;
    if !options.cases.is_empty() {
        for wanted in &options.cases {
            if !cases.iter().any(|(name, _)| name == wanted) {
                bail!("no diff fixture case {wanted:?} in {CASES}");
            }
        }
        cases.retain(|(name, _)| options.cases.contains(name));
    }
    let scratch = ScratchCrate::create(root)?;
    let mut table = String::from(
        "| case | report | cargo-semver-checks | outcome |\n| --- | --- | --- | --- |\n",
    );
    let mut disagreements = 0;
    let mut docs_seconds = 0.0;
    let mut checks_seconds = 0.0;
    for (name, dir) in &cases {
        let report = report_of(dir)?;
        let t = Instant::now();
        let sides = (
            scratch.rustdoc(report.base.spec.as_deref()),
            scratch.rustdoc(report.head.spec.as_deref()),
        );
        docs_seconds += t.elapsed().as_secs_f64();
        let (outcome, findings) = match sides {
            (Ok(Some(base)), Ok(Some(head))) => {
                let t = Instant::now();
                let findings = semver_checks::check_rustdoc(&base, &head)
                    .with_context(|| format!("case {name}"))?;
                checks_seconds += t.elapsed().as_secs_f64();
                (judge(&report, &findings), describe(&findings))
            }
            (Err(e), _) | (_, Err(e)) => return Err(e.context(format!("case {name}"))),
            (Ok(None), _) | (Ok(_), Ok(None)) => (
                Outcome::NotApplicable(report.rust.as_ref().err().cloned().unwrap_or_default()),
                "not run".to_string(),
            ),
        };
        let shown = match &outcome {
            Outcome::Agree => "agree".to_string(),
            Outcome::NotApplicable(why) => format!("n/a: {why}"),
            Outcome::Explained(why) => format!("explained: {why}"),
            Outcome::Disagree(why) => {
                disagreements += 1;
                format!("**disagree**: {why}")
            }
        };
        let _ = writeln!(
            table,
            "| `{name}` | {} | {findings} | {} |",
            report.verdict().level.as_str(),
            shown.replace('|', "\\|")
        );
        eprintln!("semver-audit: {name}: {shown}");
    }
    println!("{table}");
    println!(
        "{} cases, {disagreements} disagreeing; rustdoc JSON {docs_seconds:.0} s ({} crates built), cargo-semver-checks {checks_seconds:.0} s, {:.0} s in all",
        cases.len(),
        scratch.built(),
        started.elapsed().as_secs_f64()
    );
    Ok(if disagreements == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn describe(findings: &Findings) -> String {
    let list = |ids: &[String]| {
        ids.iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (findings.major.is_empty(), findings.minor.is_empty()) {
        (true, true) => "no finding".into(),
        (false, true) => format!("major: {}", list(&findings.major)),
        (true, false) => format!("minor: {}", list(&findings.minor)),
        (false, false) => format!(
            "major: {}; minor: {}",
            list(&findings.major),
            list(&findings.minor)
        ),
    }
}

/// The report's verdict against cargo-semver-checks' (see the module docs).
pub fn judge(report: &Report, findings: &Findings) -> Outcome {
    let verdict = report.verdict();
    if let Some(error) = &verdict.rust_error {
        return Outcome::Disagree(format!("the report could not compare Rust items: {error}"));
    }
    let ours = verdict.level == Level::Breaking;
    match (ours, findings.breaking()) {
        (true, true) | (false, false) => Outcome::Agree,
        (false, true) => Outcome::Disagree(format!(
            "the report says {}, cargo-semver-checks finds {}",
            verdict.level.as_str(),
            findings.major.join(", ")
        )),
        (true, false) => {
            let breaking: Vec<&Change> = report.changes.iter().filter(|c| c.breaking()).collect();
            let rust = report.rust.as_ref().ok();
            // Removed items it lints, but a derived impl that goes (such
            // as `Default` when a field becomes required) it does not see
            // in 0.51.
            let removed: Vec<_> = rust.map(|r| r.removed.iter().collect()).unwrap_or_default();
            let removed_items = removed.iter().filter(|i| i.kind != "impl").count();
            let removed_impls = removed.len() - removed_items;
            // A required field added to a type whose fields were all
            // optional takes its derived `Default` (the `new(..)` that
            // replaces it is an addition); to a type with `new(..)`, it
            // changes that method's parameters, which it does see.
            let unseen: Vec<&&Change> = breaking
                .iter()
                .filter(|c| !c.behaviour && !TYPE_CHANGES.contains(&c.kind))
                .filter(|c| !(c.kind == ChangeKind::FieldAdded && removed_impls > 0))
                .collect();
            if removed_items > 0 || !unseen.is_empty() {
                let mut why: Vec<String> = unseen.iter().map(|c| c.line()).collect();
                if removed_items > 0 {
                    why.push(format!("{removed_items} public item(s) removed"));
                }
                return Outcome::Disagree(format!(
                    "cargo-semver-checks finds no break, the report has {}",
                    why.join("; ")
                ));
            }
            let mut reasons = Vec::new();
            if breaking.iter().any(|c| c.behaviour) {
                reasons.push("behaviour");
            }
            let changed_items = rust.map_or(0, |r| r.changed.len());
            if breaking
                .iter()
                .any(|c| !c.behaviour && TYPE_CHANGES.contains(&c.kind))
                || changed_items > 0
            {
                reasons.push("type change");
            }
            if removed_impls > 0 {
                reasons.push("derived impl removed");
            }
            Outcome::Explained(reasons.join(", "))
        }
    }
}

/// `(name, folder)` of every case, in name order.
fn fixture_cases(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let dir = root.join(CASES);
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .map(|p| {
            (
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                p,
            )
        })
        .collect();
    cases.sort();
    Ok(cases)
}

/// The diff report of a case (crate version 0.1.0 on both sides, as the
/// fixture table has it).
fn report_of(dir: &Path) -> Result<Report> {
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).ok();
    let side = |label: &str, file: &str| Revision {
        label: label.into(),
        spec: read(file),
        webhooks: None,
        version: Some(CrateVersion::new(0, 1, 0)),
    };
    diff::compare(side("base", "base.yaml"), side("head", "head.yaml"))
}

/// An empty API, for a side without a spec.
const EMPTY_SPEC: &str = "openapi: 3.1.1\ninfo:\n  title: ''\n  version: ''\npaths: {}\n";

/// `zoom-accounts` without its build script: `generated/` holds the
/// generated files a small build script copies into `OUT_DIR`.
struct ScratchCrate {
    dir: PathBuf,
    target: PathBuf,
    /// Rustdoc JSON by the hash of the generated files.
    json: PathBuf,
    built: std::cell::Cell<usize>,
}

impl ScratchCrate {
    fn create(root: &Path) -> Result<Self> {
        let target_root = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target"));
        let base = target_root.join("semver-audit");
        let dir = base.join("zoom-accounts");
        let json = base.join("rustdoc");
        std::fs::create_dir_all(dir.join("generated"))?;
        std::fs::create_dir_all(&json)?;
        let manifest = scratch_manifest(root)?;
        write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
        write_if_changed(&dir.join("build.rs"), COPY_GENERATED)?;
        // The workspace's versions (cargo drops what the crate does not use).
        let lock = root.join("Cargo.lock");
        let lock = std::fs::read_to_string(&lock)
            .with_context(|| format!("reading {}", lock.display()))?;
        write_if_changed(&dir.join("Cargo.lock"), &lock)?;
        let src = root.join("generated-client/src");
        copy_dir(&src, &dir.join("src"))?;
        Ok(Self {
            dir,
            target: base.join("target"),
            json,
            built: std::cell::Cell::new(0),
        })
    }

    fn built(&self) -> usize {
        self.built.get()
    }

    /// The rustdoc JSON of the crate generated from `spec` (an empty API
    /// when `None`); `Ok(None)` when the generator refuses the spec.
    fn rustdoc(&self, spec: Option<&str>) -> Result<Option<PathBuf>> {
        let Ok(generated) =
            zoom_api_codegen::generate(spec.unwrap_or(EMPTY_SPEC), &client_settings())
        else {
            return Ok(None);
        };
        let mut hasher = Fnv::default();
        for (name, text) in &generated.files {
            hasher.write(name.as_bytes());
            hasher.write(text.as_bytes());
        }
        for file in ["Cargo.toml", "build.rs", "src/lib.rs"] {
            hasher.write(&std::fs::read(self.dir.join(file)).unwrap_or_default());
        }
        let cached = self.json.join(format!("{:016x}.json", hasher.0));
        if cached.is_file() {
            return Ok(Some(cached));
        }
        let out = self.dir.join("generated");
        for entry in std::fs::read_dir(&out)? {
            std::fs::remove_file(entry?.path())?;
        }
        for (name, text) in &generated.files {
            std::fs::write(out.join(name), text)?;
        }
        let json = semver_checks::rustdoc_json(
            &self.dir.join("Cargo.toml"),
            &self.target,
            "zoom_accounts",
        )?;
        std::fs::copy(&json, &cached)?;
        self.built.set(self.built.get() + 1);
        Ok(Some(cached))
    }
}

/// The scratch crate's build script: the generated files into `OUT_DIR`,
/// where `src/lib.rs` includes them from.
const COPY_GENERATED: &str = r#"// Written by `cargo xtask semver-audit`.
fn main() {
    println!("cargo:rerun-if-changed=generated");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for entry in std::fs::read_dir("generated").expect("semver-audit wrote generated/") {
        let path = entry.expect("a readable directory entry").path();
        let name = path.file_name().expect("a file name");
        std::fs::copy(&path, out.join(name)).expect("copying into OUT_DIR");
    }
}
"#;

/// The manifest of `zoom-accounts` as `cargo metadata` resolves it (no
/// workspace inheritance left), for a crate of its own: normal
/// dependencies, features, no build dependencies (the scratch build script
/// only copies files).
fn scratch_manifest(root: &Path) -> Result<String> {
    let metadata: Value = crate::cargo_metadata(root)?;
    let package = metadata["packages"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "zoom-accounts"))
        .ok_or_else(|| anyhow!("cargo metadata lists no zoom-accounts package"))?;
    let quote = |v: &str| Value::String(v.to_string()).to_string();
    let mut toml = String::from(
        "# Written by `cargo xtask semver-audit`: zoom-accounts without its build script.\n\
         [package]\nname = \"zoom-accounts\"\nversion = \"0.1.0\"\n",
    );
    let _ = writeln!(
        toml,
        "edition = {}\nbuild = \"build.rs\"\npublish = false\n\n[lib]\nname = \"zoom_accounts\"\npath = \"src/lib.rs\"\n\n[workspace]\n\n[features]",
        quote(package["edition"].as_str().unwrap_or("2024"))
    );
    let features: BTreeMap<String, Vec<String>> =
        serde_json::from_value(package["features"].clone()).unwrap_or_default();
    // A feature enabling a build dependency (`generate` =
    // `dep:zoom-api-codegen`) keeps its name and loses that entry: the
    // scratch crate has no build dependencies.
    let normal_deps: Vec<&str> = package["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|dep| dep["kind"].is_null())
        .filter_map(|dep| dep["rename"].as_str().or(dep["name"].as_str()))
        .collect();
    for (name, enables) in features {
        let list: Vec<String> = enables
            .iter()
            .filter(|e| {
                e.strip_prefix("dep:")
                    .is_none_or(|dep| normal_deps.contains(&dep))
            })
            .map(|e| quote(e))
            .collect();
        let _ = writeln!(toml, "{} = [{}]", quote(&name), list.join(", "));
    }
    toml.push_str("\n[dependencies]\n");
    for dep in package["dependencies"].as_array().into_iter().flatten() {
        if !dep["kind"].is_null() {
            continue;
        }
        let name = dep["name"].as_str().unwrap_or_default();
        let key = dep["rename"].as_str().unwrap_or(name);
        let mut fields = vec![];
        if key != name {
            fields.push(format!("package = {}", quote(name)));
        }
        match dep["path"].as_str() {
            Some(path) => fields.push(format!("path = {}", quote(path))),
            None => fields.push(format!(
                "version = {}",
                quote(dep["req"].as_str().unwrap_or("*"))
            )),
        }
        if dep["uses_default_features"] == Value::Bool(false) {
            fields.push("default-features = false".into());
        }
        if dep["optional"] == Value::Bool(true) {
            fields.push("optional = true".into());
        }
        let features: Vec<String> = dep["features"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(quote)
            .collect();
        if !features.is_empty() {
            fields.push(format!("features = [{}]", features.join(", ")));
        }
        let _ = writeln!(toml, "{} = {{ {} }}", quote(key), fields.join(", "));
    }
    Ok(toml)
}

fn write_if_changed(path: &Path, content: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(content) {
        std::fs::write(path, content).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            let text = std::fs::read_to_string(entry.path())?;
            write_if_changed(&target, &text)?;
        }
    }
    Ok(())
}

/// FNV-1a, 64 bits: a content key that is the same from run to run (the
/// standard hasher's is not promised to be).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
}
