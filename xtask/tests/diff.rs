//! `cargo xtask diff`: the classification table (one folder per case under
//! `fixtures/diff/`), the Rust item comparison, and the command against a
//! throwaway git repository.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use xtask::diff;

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

/// The crate version both sides of a fixture case have.
const FIXTURE_VERSION: diff::version::CrateVersion = diff::version::CrateVersion::new(0, 1, 0);

fn report_of_dir(case: &Path) -> diff::Report {
    diff::compare(
        diff::Revision {
            label: "base".into(),
            spec: read_optional(&case.join("base.yaml")),
            webhooks: None,
            version: Some(FIXTURE_VERSION),
        },
        diff::Revision {
            label: "head".into(),
            spec: read_optional(&case.join("head.yaml")),
            webhooks: None,
            version: Some(FIXTURE_VERSION),
        },
    )
    .unwrap_or_else(|e| panic!("{}: {e:#}", case.display()))
}

fn report_of(case: &str) -> diff::Report {
    report_of_dir(&fixtures().join(case))
}

/// Each case's `expected.txt`: the verdict line (`verdict: ...`), then the
/// classified changes in report order.
#[test]
fn classification_table() {
    let cases = cases();
    assert!(
        cases.len() >= 45,
        "expected the whole table, found {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let expected = lines(
            &std::fs::read_to_string(case.join("expected.txt"))
                .unwrap_or_else(|_| panic!("{name}: expected.txt is missing")),
        );
        let report = report_of_dir(case);
        let mut got = vec![format!("verdict: {}", report.verdict().line())];
        got.extend(report.changes.iter().map(|c| c.line()));
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
    for case in cases() {
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        for line in lines(&expected) {
            if let Some(kind) = line.split_whitespace().nth(1) {
                seen.insert(kind.trim_end_matches(':').to_string());
            }
        }
    }
    for kind in diff::spec_changes::ChangeKind::ALL {
        assert!(seen.contains(kind.as_str()), "no fixture shows {kind}");
    }
}

/// `removed types::X.y (field)`, `changed ... : before -> after`: what
/// breaks (added items are left out: they are many and break nothing).
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
    lines
}

/// Cases with a `rust.txt`: the public Rust items the change removes or
/// changes, exactly.
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

#[test]
fn the_breaking_gate_fails_when_the_head_cannot_be_generated() {
    let report = report_of("head-cannot-be-generated");
    assert_eq!(report.breaking(), 0);
    let why = diff::breaking_gate(&report).unwrap_err();
    assert!(
        why.starts_with("0 breaking change(s), and the public Rust items could not be compared (generating the head client: at /paths/"),
        "{why}"
    );
    assert_eq!(
        diff::breaking_gate(&report_of("response-field-added")),
        Ok(())
    );
}

#[test]
fn markdown_report() {
    let md = diff::report::markdown(&report_of("scope-replaced"));
    assert!(
        md.starts_with("compatible: needs 0.1.1\n\n# API changes: `base` → `head`\n"),
        "{md}"
    );
    assert!(
        md.contains("**0 breaking** (0 at run time), 0 compatible (0 behaviour changes), 0 docs only; 2 deployment changes; 0 deprecations."),
        "{md}"
    );
    assert!(
        md.contains("| `GET /accounts/{accountId}` | scope `account:read:admin` removed | add scope `account:read:master` to your app if it holds `account:read:admin` for this call |"),
        "{md}"
    );
    assert!(!md.contains("## API changes by operation"), "{md}");
    assert!(
        md.contains("No public item added, removed or changed."),
        "{md}"
    );

    let md = diff::report::markdown(&report_of("parameter-removed"));
    assert!(md.starts_with("breaking: needs 0.2.0\n"), "{md}");
    assert!(
        md.contains("<details open><summary><code>GET /accounts/{accountId}</code> (<code>getAccount</code>): 1 breaking</summary>"),
        "{md}"
    );
    let md = diff::report::markdown(&report_of("response-enum-value-added"));
    assert!(
        md.contains("<details><summary><code>GET /accounts/{accountId}</code> (<code>getAccount</code>): 1 compatible</summary>"),
        "{md}"
    );
    assert!(md.contains("| compatible, behaviour change | response 200 field `status`: enum value `suspended` added |"), "{md}");
    // The verdict says why when only the Rust items make it breaking.
    let md = diff::report::markdown(&report_of("oneof-alternative-field-added"));
    assert!(md.starts_with("breaking: needs 0.2.0\n"), "{md}");
    assert!(
        md.contains("Breaking although no spec change is: 2 public Rust items of the generated client are removed or changed (see Public Rust items)."),
        "{md}"
    );
    assert!(
        !diff::report::markdown(&report_of("parameter-removed")).contains("although"),
        "only where no spec change is breaking"
    );
    assert!(
        report_of("response-integer-enum-value-removed")
            .verdict()
            .line()
            == "no API change"
    );
}

/// The JSON report of every fixture case follows
/// `xtask/diff-report.schema.json`, which closes every object: a field
/// added to the report without its documentation fails here.
#[test]
fn json_reports_follow_their_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("diff-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for case in cases() {
        let json = diff::report::json(&report_of_dir(&case));
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {}",
            case.display(),
            errors.join("; ")
        );
    }
    // Every kind and class the report can print is documented.
    let text = std::fs::read_to_string(&schema_path).unwrap();
    for kind in diff::spec_changes::ChangeKind::ALL {
        assert!(
            text.contains(&format!("\"{}\"", kind.as_str())),
            "{kind} undocumented"
        );
    }
    let json = diff::report::json(&report_of("scope-replaced"));
    assert_eq!(json["verdict"]["line"], "compatible: needs 0.1.1");
    assert_eq!(json["deployment"], 2);
    assert_eq!(json["changes"][0]["kind"], "scope-removed");
    assert_eq!(json["changes"][0]["attention"], "deployment");
    assert_eq!(json["rust"]["added"].as_array().map(Vec::len), Some(0));
    let json = diff::report::json(&report_of("head-cannot-be-generated"));
    assert_eq!(json["rust_breaking"], serde_json::Value::Null);
    assert_eq!(json["verdict"]["rust_compared"], false);
}

#[test]
fn gates() {
    // Deployment changes do not fail the breaking gate, and the other way round.
    let scopes = report_of("scope-replaced");
    assert_eq!(diff::breaking_gate(&scopes), Ok(()));
    assert_eq!(
        diff::deployment_gate(&scopes).unwrap_err(),
        "2 deployment change(s) (scopes, rate-limit labels, prerequisites), between base and head"
    );
    let removed = report_of("parameter-removed");
    assert!(diff::breaking_gate(&removed).is_err());
    assert_eq!(diff::deployment_gate(&removed), Ok(()));
    // The version gate: 0.1.0 -> 0.1.0 is too low for a breaking change.
    assert_eq!(
        diff::version_gate(&removed).unwrap_err(),
        "zoom-accounts 0.1.0 (head) is lower than the 0.2.0 this change needs (breaking: needs 0.2.0)"
    );
    let mut bumped = report_of("parameter-removed");
    bumped.head.version = Some(diff::version::CrateVersion::new(0, 2, 0));
    assert_eq!(diff::version_gate(&bumped), Ok(()));
    let mut patch = report_of("response-field-added");
    assert!(diff::version_gate(&patch).is_err());
    patch.head.version = Some(diff::version::CrateVersion::new(0, 1, 1));
    assert_eq!(diff::version_gate(&patch), Ok(()));
    assert_eq!(
        diff::version_gate(&report_of("response-integer-enum-value-removed")),
        Ok(())
    );
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
    let manifest = root.path().join("generated-client/Cargo.toml");
    std::fs::create_dir_all(manifest.parent().unwrap()).unwrap();
    std::fs::write(
        &manifest,
        "[package]\nname = \"zoom-accounts\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
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
    // Deployment changes are not breaking; their own gate fails.
    std::fs::copy(
        fixtures().join("rate-limit-changed/head.yaml"),
        spec_dir.join("zoom-accounts.yaml"),
    )
    .unwrap();
    assert_eq!(
        diff::run(root.path(), &args(&["--fail-on", "breaking"])).unwrap(),
        ExitCode::SUCCESS
    );
    assert_eq!(
        diff::run(root.path(), &args(&["--fail-on", "deployment"])).unwrap(),
        ExitCode::FAILURE
    );
    // --check-version checks the working tree only.
    let err = diff::run(root.path(), &args(&["--check-version", "--head", "HEAD"])).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("--check-version checks the working tree"),
        "{err}"
    );
    // An unknown revision is an error, not an empty API.
    let err = diff::run(root.path(), &args(&["--base", "no-such-rev"])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown git revision \"no-such-rev\" (a shallow clone may not have it)"
    );
}

/// The audit's judgement, on cargo-semver-checks findings written out (the
/// audit itself needs the tool; `cargo xtask semver-audit` runs it).
#[test]
fn semver_audit_judges_findings() {
    use xtask::semver_audit::{Outcome, judge};
    use xtask::semver_checks::Findings;
    let findings = |major: &[&str]| Findings {
        major: major.iter().map(|s| s.to_string()).collect(),
        minor: Vec::new(),
    };
    assert_eq!(
        judge(
            &report_of("operation-removed"),
            &findings(&["inherent_method_missing"])
        ),
        Outcome::Agree
    );
    assert_eq!(
        judge(&report_of("operation-added"), &findings(&[])),
        Outcome::Agree
    );
    assert_eq!(
        judge(&report_of("parameter-added-required"), &findings(&[])),
        Outcome::Explained("behaviour".into())
    );
    assert_eq!(
        judge(&report_of("response-field-type-changed"), &findings(&[])),
        Outcome::Explained("type change".into())
    );
    assert_eq!(
        judge(&report_of("response-field-now-required"), &findings(&[])),
        Outcome::Explained("type change, derived impl removed".into())
    );
    assert_eq!(
        judge(&report_of("response-field-added-required"), &findings(&[])),
        Outcome::Explained("derived impl removed".into())
    );
    // A break it sees and the report does not, or a removal it should see.
    assert!(matches!(
        judge(
            &report_of("response-field-added"),
            &findings(&["constructible_struct_adds_field"])
        ),
        Outcome::Disagree(_)
    ));
    assert!(matches!(
        judge(&report_of("response-field-removed"), &findings(&[])),
        Outcome::Disagree(_)
    ));
}
