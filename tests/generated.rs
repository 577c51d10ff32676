//! The committed, reviewable outputs are what `cargo xtask regen` would
//! write now: the spec is in canonical form and `generated-client/generated/`
//! is exactly the code `generated-client/build.rs` generates (same spec,
//! same settings file), so its compiling as the `zoom-accounts` crate is
//! the proof that the committed copy compiles.

use zoom_accounts_tests::{read_repo_text, repo_path};

include!("../generated-client/settings.rs");

const SPEC: &str = "spec/zoom-accounts.yaml";
const GENERATED_DIR: &str = "generated-client/generated";
const REFRESH: &str = "run `cargo xtask regen` and commit the result";

fn spec_text() -> String {
    read_repo_text(SPEC).unwrap_or_else(|| panic!("{SPEC} is missing"))
}

/// The first line where two texts differ, for a message a reviewer can act on.
fn first_difference(expected: &str, actual: &str) -> String {
    let (mut e, mut a) = (expected.lines(), actual.lines());
    for number in 1.. {
        match (e.next(), a.next()) {
            (None, None) => break,
            (want, got) if want != got => {
                return format!("line {number}: expected {want:?}, found {got:?}");
            }
            _ => {}
        }
    }
    "only line endings differ".into()
}

#[test]
fn spec_is_in_canonical_form() {
    let text = spec_text();
    let canonical =
        zoom_api_codegen::normalize_spec(&text).unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    assert!(
        canonical == text,
        "{SPEC} is not in canonical form ({}); {REFRESH}",
        first_difference(&canonical, &text)
    );
}

#[test]
fn webhooks_spec_is_in_canonical_form() {
    let text =
        read_repo_text(WEBHOOKS_SPEC).unwrap_or_else(|| panic!("{WEBHOOKS_SPEC} is missing"));
    let canonical =
        zoom_api_codegen::normalize_spec(&text).unwrap_or_else(|e| panic!("{WEBHOOKS_SPEC}: {e}"));
    assert!(
        canonical == text,
        "{WEBHOOKS_SPEC} is not in canonical form ({}); {REFRESH}",
        first_difference(&canonical, &text)
    );
}

#[test]
fn committed_generated_copy_is_fresh() {
    let webhooks =
        read_repo_text(WEBHOOKS_SPEC).unwrap_or_else(|| panic!("{WEBHOOKS_SPEC} is missing"));
    let settings = client_settings_with_webhooks(&webhooks);
    let generated = zoom_api_codegen::generate(&spec_text(), &settings)
        .unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    let mut stale = Vec::new();
    for (name, content) in &generated.files {
        let path = format!("{GENERATED_DIR}/{name}");
        match read_repo_text(&path) {
            None => stale.push(format!("{path} is missing")),
            Some(committed) if committed != *content => {
                stale.push(format!(
                    "{path} is stale ({})",
                    first_difference(content, &committed)
                ));
            }
            Some(_) => {}
        }
    }
    let dir = std::fs::read_dir(repo_path(GENERATED_DIR)).expect("generated copy directory");
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !generated.files.contains_key(&name) {
            stale.push(format!("{GENERATED_DIR}/{name} is no longer generated"));
        }
    }
    assert!(stale.is_empty(), "{}\n{REFRESH}", stale.join("\n"));
}

#[test]
fn staleness_is_detected_and_names_the_refresh_command() {
    let committed = "line one\nline two\n";
    let fresh = "line one\nline 2\n";
    assert_eq!(
        first_difference(fresh, committed),
        "line 2: expected Some(\"line 2\"), found Some(\"line two\")"
    );
    assert!(REFRESH.contains("cargo xtask regen"));
}
