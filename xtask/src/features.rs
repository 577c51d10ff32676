//! `cargo xtask check-features`: the generated client compiles, without a
//! warning, with each of its features alone, with none, and with all.
//!
//! The features are the ones the generated code tests (one per API area,
//! the webhooks module; see `zoom_api_codegen::Generated::features`). Each
//! combination is a `cargo rustc --profile check` of the `zoom-accounts`
//! library with `-D warnings` (so a type left ungated that an area needs
//! fails, and so does an item gated off that nothing else compiles without
//! a warning); `rustls` stays on in every combination, so the dependencies
//! are checked once and shared by all runs in the one target dir.
//!
//! [`undeclared`] is the other half, run by `regen`: every such feature is
//! declared in `generated-client/Cargo.toml`, and every area is on by
//! default.

use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, ExitCode};

use zoom_api_codegen::FeatureUse;

/// The package whose features are checked.
const CLIENT: &str = "zoom-accounts";

/// The feature that turns every area on (when the crate declares one).
const ALL_AREAS: &str = "all-areas";

/// Always on: the TLS provider of the default build (not an area).
const BASE_FEATURE: &str = "rustls";

pub fn run(root: &Path) -> Result<ExitCode> {
    let features = crate::regen::client(root)?.generated.features;
    let problems = undeclared(root, &features)?;
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("check-features: {p}");
        }
        return Ok(ExitCode::FAILURE);
    }
    let names: Vec<&str> = features.keys().map(String::as_str).collect();
    let mut combinations: Vec<Vec<&str>> = vec![Vec::new()];
    combinations.extend(names.iter().map(|f| vec![*f]));
    if names.len() > 1 {
        combinations.push(names.clone());
    }
    let mut failed = Vec::new();
    for combination in &combinations {
        let label = match combination.as_slice() {
            [] => "no feature".to_owned(),
            [one] => format!("`{one}` alone"),
            _ => "all features".to_owned(),
        };
        let features: Vec<&str> = std::iter::once(BASE_FEATURE)
            .chain(combination.iter().copied())
            .collect();
        println!(
            "check-features: {CLIENT} with {label} ({})",
            features.join(",")
        );
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .args([
                "rustc",
                "--locked",
                "--lib",
                "--profile",
                "check",
                "-p",
                CLIENT,
            ])
            .args(["--no-default-features", "--features", &features.join(",")])
            .args(["--", "-D", "warnings"])
            .status()
            .context("running cargo rustc")?;
        if !status.success() {
            failed.push(label);
        }
    }
    if failed.is_empty() {
        println!(
            "check-features: {} combinations compile without warnings",
            combinations.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("check-features: failed with {}", failed.join("; "));
        Ok(ExitCode::FAILURE)
    }
}

/// What is wrong with how `generated-client/Cargo.toml` declares the
/// features the generated code tests: each one missing, and each area
/// that is not on by default (the message says what to add).
pub fn undeclared(root: &Path, features: &BTreeMap<String, FeatureUse>) -> Result<Vec<String>> {
    let declared = declared_features(root)?;
    let default = enabled_by(&declared, "default");
    let all_areas = declared
        .contains_key(ALL_AREAS)
        .then(|| enabled_by(&declared, ALL_AREAS));
    let mut problems = Vec::new();
    for (name, usage) in features {
        if !declared.contains_key(name) {
            problems.push(format!(
                "the generated code has `{name}` as the feature of {}, which generated-client/Cargo.toml does not declare: add `{name} = []` to [features]{}",
                usage.what,
                if usage.default { " and to `all-areas`" } else { "" }
            ));
        } else if usage.default
            && let Some(all) = &all_areas
            && !all.contains(name)
        {
            problems.push(format!(
                "`{name}` (the feature of {}) is not in generated-client/Cargo.toml's `{ALL_AREAS}`: add it there",
                usage.what
            ));
        } else if usage.default && !default.contains(name) {
            problems.push(format!(
                "`{name}` (the feature of {}) is not turned on by generated-client/Cargo.toml's `default` (directly or through `all-areas`): every area is on by default",
                usage.what
            ));
        }
    }
    Ok(problems)
}

/// The features `feature` turns on, itself included, transitively
/// (`dep:` and `crate/feature` entries are not features of this crate).
fn enabled_by(declared: &BTreeMap<String, Vec<String>>, feature: &str) -> BTreeSet<String> {
    let mut on = BTreeSet::new();
    let mut todo = vec![feature.to_owned()];
    while let Some(f) = todo.pop() {
        if declared.contains_key(&f) && on.insert(f.clone()) {
            todo.extend(declared[&f].iter().cloned());
        }
    }
    on
}

/// Feature name -> what it enables, as cargo reads the client's manifest.
fn declared_features(root: &Path) -> Result<BTreeMap<String, Vec<String>>> {
    let metadata = crate::cargo_metadata(root)?;
    let package = metadata["packages"]
        .as_array()
        .and_then(|packages| packages.iter().find(|p| p["name"] == CLIENT))
        .with_context(|| format!("cargo metadata lists no package {CLIENT}"))?;
    serde_json::from_value(package["features"].clone())
        .context("reading the features of cargo metadata's output")
}
