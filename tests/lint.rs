//! Lints `spec/zoom-accounts.yaml` with Redocly CLI's recommended rules
//! (configured in `redocly.yaml`) and fails on any error.
//!
//! Redocly checks what our own spec tests do not: OpenAPI semantics such as
//! path parameters that are declared but not in the path, security on every
//! operation, ambiguous paths. Its version is pinned in `package.json` and
//! `package-lock.json`; `npm ci` installs it under `node_modules/`.
//!
//! Without `node_modules/.bin/redocly` the test cannot run: under CI (env `CI`
//! set) that is a failure, since CI must have run `npm ci`; on a developer's
//! machine it prints why it skipped, so `cargo test` works without Node.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use zoom_accounts_tests::{SPEC_PATH, assert_no_findings, repo_path, workspace_root};

const REDOCLY_BIN: &str = "node_modules/.bin/redocly";
const REDOCLY_CONFIG: &str = "redocly.yaml";

/// A lint of this spec takes about two seconds; anything near this limit is a
/// hang (a network call that never returns, say), not a slow run.
const LINT_TIME_LIMIT: Duration = Duration::from_secs(180);

fn running_in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false" && value != "0")
}

#[test]
fn spec_passes_redocly_lint() {
    let redocly = repo_path(REDOCLY_BIN);
    if !redocly.exists() {
        let why = format!("{REDOCLY_BIN} is not installed; run `npm ci` in the workspace root");
        if running_in_ci() {
            panic!("{why} (CI must lint the spec)");
        }
        println!("skipped: {why} to lint {SPEC_PATH}");
        return;
    }

    let output = run_with_time_limit(
        Command::new(&redocly)
            .current_dir(workspace_root())
            .args([
                "lint",
                SPEC_PATH,
                "--format=json",
                "--config",
                REDOCLY_CONFIG,
            ])
            // Lint must work offline and say nothing but its result: no usage
            // data sent, no update check, no colour codes in the messages.
            .env("REDOCLY_TELEMETRY", "off")
            .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
            .env("NO_COLOR", "1"),
    );

    let report: Value = serde_json::from_str(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "redocly lint ({}) did not print a JSON report ({error}); stderr:\n{}",
            output.status, output.stderr
        )
    });
    let mut errors = Vec::new();
    for problem in report
        .get("problems")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let line = describe_problem(problem);
        match problem.get("severity").and_then(Value::as_str) {
            Some("error") => errors.push(line),
            _ => println!("redocly warning: {line}"),
        }
    }
    let total_errors = report.pointer("/totals/errors").and_then(Value::as_u64);
    if errors.is_empty() && total_errors != Some(0) {
        errors.push(format!(
            "redocly counted {total_errors:?} errors but listed none; stderr:\n{}",
            output.stderr
        ));
    }
    assert_no_findings(
        &format!("redocly lint errors in {SPEC_PATH} (rules: {REDOCLY_CONFIG})"),
        &errors,
    );
}

/// `line:col pointer [rule] message` for one problem of Redocly's JSON report.
fn describe_problem(problem: &Value) -> String {
    let text = |pointer: &str| {
        problem
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or("?")
    };
    let number = |pointer: &str| {
        problem
            .pointer(pointer)
            .and_then(Value::as_u64)
            .unwrap_or(0)
    };
    format!(
        "{}:{}:{} {} [{}] {}",
        text("/location/0/source/ref"),
        number("/location/0/start/line"),
        number("/location/0/start/col"),
        text("/location/0/pointer"),
        text("/ruleId"),
        text("/message"),
    )
}

struct Finished {
    status: std::process::ExitStatus,
    stdout: String,
    stderr: String,
}

/// Runs `command`, killing it if it outlives [`LINT_TIME_LIMIT`]. Its output
/// is drained on threads so a full pipe cannot stall it.
fn run_with_time_limit(command: &mut Command) -> Finished {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {REDOCLY_BIN} (is `node` on PATH?): {error}"));
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );

    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > LINT_TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{REDOCLY_BIN} lint did not finish within {LINT_TIME_LIMIT:?}; killed it");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(error) => panic!("cannot wait for {REDOCLY_BIN}: {error}"),
        }
    };
    Finished {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}
