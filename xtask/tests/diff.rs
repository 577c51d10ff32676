//! `cargo xtask diff`: the classification table (one folder per case under
//! `fixtures/diff/`), the Rust item comparison, and the command against a
//! throwaway git repository.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use xtask::diff::{self, compare_specs};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn read_optional(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// Every case folder, in name order.
fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The lines of an expected-output file: trimmed, without blanks and `#`
/// comments.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn classification_table() {
    let cases = cases();
    assert!(
        cases.len() >= 20,
        "expected the whole table, found {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let base = read_optional(&case.join("base.yaml"));
        let head = read_optional(&case.join("head.yaml"));
        let expected = lines(
            &std::fs::read_to_string(case.join("expected.txt"))
                .unwrap_or_else(|_| panic!("{name}: expected.txt is missing")),
        );
        let got: Vec<String> = match compare_specs(base.as_deref(), head.as_deref()) {
            Ok(changes) => changes.iter().map(|c| c.line()).collect(),
            Err(e) => vec![format!("error: {e:#}")],
        };
        if got != expected {
            failures.push(format!(
                "{name}:\n  expected:\n    {}\n  got:\n    {}",
                expected.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_kind_of_change_is_in_the_table() {
    let mut seen = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let expected = std::fs::read_to_string(entry.unwrap().path().join("expected.txt")).unwrap();
        for line in expected.lines().filter(|l| !l.starts_with('#')) {
            if let Some(kind) = line.split_whitespace().nth(1) {
                seen.insert(kind.trim_end_matches(':').to_string());
            }
        }
    }
    for kind in [
        "operation-added",
        "operation-removed",
        "operation-id-changed",
        "parameter-added",
        "parameter-removed",
        "parameter-now-required",
        "parameter-type-changed",
        "field-added",
        "field-removed",
        "field-type-changed",
        "field-now-optional",
        "enum-value-added",
        "enum-value-removed",
        "status-added",
        "status-removed",
        "error-code-added",
        "error-code-removed",
        "scope-added",
        "scope-removed",
        "rate-limit-changed",
    ] {
        assert!(seen.contains(kind), "no fixture shows {kind}");
    }
}

/// `removed types::X.y (field)`, `changed ... : before -> after`, `added ...`.
fn rust_lines(rust: &diff::rust_items::RustChanges) -> Vec<String> {
    let mut lines = Vec::new();
    for i in &rust.removed {
        lines.push(format!("removed {} ({})", i.path, i.kind));
    }
    for (b, h) in &rust.changed {
        lines.push(format!(
            "changed {} ({}): {} -> {}",
            b.path, h.kind, b.signature, h.signature
        ));
    }
    for i in &rust.added {
        lines.push(format!("added {} ({})", i.path, i.kind));
    }
    lines
}

/// Cases with a `rust.txt`: the public Rust items the change adds, removes
/// or changes, exactly.
#[test]
fn rust_items_table() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in cases() {
        let Some(expected) = read_optional(&case.join("rust.txt")) else {
            continue;
        };
        checked += 1;
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let expected = lines(&expected);
        let base = read_optional(&case.join("base.yaml"));
        let head = read_optional(&case.join("head.yaml"));
        let got = match diff::compare_rust(base.as_deref(), head.as_deref()) {
            Ok(rust) => rust_lines(&rust),
            Err(e) => vec![format!("error: {e}")],
        };
        if got != expected {
            failures.push(format!(
                "{name}:\n  expected:\n    {}\n  got:\n    {}",
                expected.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(checked > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rust_items_of_a_removed_response_field() {
    let case = fixtures().join("response-field-removed");
    let base = read_optional(&case.join("base.yaml"));
    let head = read_optional(&case.join("head.yaml"));
    let rust = diff::compare_rust(base.as_deref(), head.as_deref()).unwrap();
    let removed: Vec<&str> = rust.removed.iter().map(|i| i.path.as_str()).collect();
    assert!(
        removed
            .iter()
            .any(|p| p.starts_with("types::") && p.ends_with(".seats")),
        "the `seats` field is gone from the response type: {removed:?}"
    );
    assert!(rust.added.iter().all(|i| !i.path.ends_with(".seats")));
}

fn report_of(case: &str) -> diff::Report {
    let case = fixtures().join(case);
    diff::compare(
        diff::Revision {
            label: "base".into(),
            spec: read_optional(&case.join("base.yaml")),
        },
        diff::Revision {
            label: "head".into(),
            spec: read_optional(&case.join("head.yaml")),
        },
    )
    .unwrap()
}

#[test]
fn the_breaking_gate_fails_when_the_head_cannot_be_generated() {
    let report = report_of("head-cannot-be-generated");
    assert_eq!(report.breaking(), 0);
    let why = diff::breaking_gate(&report).unwrap_err();
    assert!(
        why.starts_with("0 breaking change(s), and the public Rust items could not be compared (generating the head client: at /paths/"),
        "{why}"
    );
    assert_eq!(diff::breaking_gate(&report_of("response-field-added")), Ok(()));
}

#[test]
fn markdown_and_json_reports() {
    let case = fixtures().join("scope-replaced");
    let report = diff::compare(
        diff::Revision {
            label: "base".into(),
            spec: read_optional(&case.join("base.yaml")),
        },
        diff::Revision {
            label: "head".into(),
            spec: read_optional(&case.join("head.yaml")),
        },
    )
    .unwrap();
    assert_eq!(report.breaking(), 1);
    let md = diff::report::markdown(&report);
    assert!(md.contains("**1 breaking**, 1 compatible change"), "{md}");
    assert!(
        md.contains("| `GET /accounts/{accountId}` | scope `account:read:admin` removed | apps authorized with only this scope are refused |"),
        "{md}"
    );
    assert!(
        md.contains("No public item added, removed or changed."),
        "{md}"
    );
    let json = diff::report::json(&report);
    assert_eq!(json["breaking"], 1);
    assert_eq!(json["changes"][0]["kind"], "scope-removed");
    assert_eq!(json["rust"]["added"].as_array().map(Vec::len), Some(0));
}

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(root)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn command_reads_revisions_from_git_and_fails_on_breaking() {
    let root = support::TempDir::new("diff-git");
    let spec_dir = root.path().join("spec");
    std::fs::create_dir_all(&spec_dir).unwrap();
    git(root.path(), &["init", "--quiet"]);
    std::fs::write(root.path().join("README"), "no spec yet\n").unwrap();
    git(root.path(), &["add", "."]);
    git(root.path(), &["commit", "--quiet", "-m", "no spec"]);
    let case = fixtures().join("response-field-removed");
    std::fs::copy(case.join("base.yaml"), spec_dir.join("zoom-accounts.yaml")).unwrap();
    git(root.path(), &["add", "."]);
    git(root.path(), &["commit", "--quiet", "-m", "spec"]);
    std::fs::copy(case.join("head.yaml"), spec_dir.join("zoom-accounts.yaml")).unwrap();

    let args = |a: &[&str]| {
        let a: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        xtask::flags::diff(&a).unwrap()
    };
    // Working tree against HEAD: a removed response field is breaking.
    let code = diff::run(
        root.path(),
        &args(&["--format", "json", "--fail-on", "breaking"]),
    )
    .unwrap();
    assert_eq!(code, ExitCode::FAILURE);
    // Without --fail-on the report is only a report.
    assert_eq!(
        diff::run(root.path(), &args(&["--format", "json"])).unwrap(),
        ExitCode::SUCCESS
    );
    // A revision without the spec is an empty API: nothing breaks.
    let code = diff::run(
        root.path(),
        &args(&[
            "--base",
            "HEAD~1",
            "--head",
            "HEAD",
            "--fail-on",
            "breaking",
        ]),
    )
    .unwrap();
    assert_eq!(code, ExitCode::SUCCESS);
    // An unknown revision is an error, not an empty API.
    let err = diff::run(root.path(), &args(&["--base", "no-such-rev"])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown git revision \"no-such-rev\" (a shallow clone may not have it)"
    );
}
