//! cargo's own `--timings` figures, and the verbose build output they go with.

use super::*;

/// One unit of cargo's `--timings` report.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitTiming {
    pub name: String,
    /// `todo` (compile) or `run-custom-build`.
    pub mode: String,
    /// `""` for a lib, `" build-script"`, `" build-script (run)"`, ...
    pub target: String,
    pub duration: f64,
}

/// The units of a `cargo-timing*.html` report (its `UNIT_DATA` array).
pub fn parse_unit_data(html: &str) -> Result<Vec<UnitTiming>> {
    const START: &str = "const UNIT_DATA = ";
    let start = html
        .find(START)
        .context("no UNIT_DATA in the timing report")?
        + START.len();
    let end = html[start..].find("];").context("UNIT_DATA does not end")? + start + 1;
    let units: serde_json::Value =
        serde_json::from_str(&html[start..end]).context("UNIT_DATA is not JSON")?;
    Ok(units
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|unit| UnitTiming {
            name: unit["name"].as_str().unwrap_or("").to_owned(),
            mode: unit["mode"].as_str().unwrap_or("").to_owned(),
            target: unit["target"].as_str().unwrap_or("").to_owned(),
            duration: unit["duration"].as_f64().unwrap_or(f64::NAN),
        })
        .collect())
}

/// The report cargo says it saved (`Timing report saved to <path>`).
pub(crate) fn timing_report(stderr: &str) -> Option<Vec<UnitTiming>> {
    let path = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Timing report saved to "))?;
    parse_unit_data(&std::fs::read_to_string(path.trim()).ok()?).ok()
}

/// What one `cargo build -p zoom-accounts -v --timings` did to the crate.
#[derive(Debug, Default)]
pub struct CrateBuild {
    /// cargo printed `Running .../build-script-build` for generated-client.
    pub build_script_ran: bool,
    /// Seconds of the `zoom-accounts` lib unit, if it was compiled.
    pub lib_seconds: Option<f64>,
    /// Seconds of the build-script run unit, if it ran.
    pub build_script_seconds: Option<f64>,
    /// cargo's `Dirty zoom-accounts ...: <reason>` line, if any.
    pub dirty_reason: Option<String>,
}

/// Reads a verbose cargo build's stderr and its timing report.
pub fn read_crate_build(stderr: &str, units: &[UnitTiming]) -> CrateBuild {
    let build_script_ran = stderr.lines().any(|line| {
        let line = line.trim();
        line.starts_with("Running `")
            && line.contains("/build/zoom-accounts-")
            && line.trim_end_matches('`').ends_with("build-script-build")
    });
    let dirty_reason = stderr
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("Dirty zoom-accounts "))
        .map(str::to_owned);
    let unit = |mode: &str, target: &str| {
        units
            .iter()
            .find(|u| u.name == "zoom-accounts" && u.mode == mode && u.target.trim() == target)
            .map(|u| u.duration)
    };
    CrateBuild {
        build_script_ran,
        lib_seconds: unit("todo", ""),
        build_script_seconds: unit("run-custom-build", "build-script (run)"),
        dirty_reason,
    }
}

/// The arguments of every build of the crate that is timed.
pub(super) const CRATE_BUILD: [&str; 8] = [
    "build",
    "--locked",
    "-p",
    "zoom-accounts",
    "--features",
    "generate",
    "-v",
    "--timings",
];

/// `cargo build -p zoom-accounts -v --timings`, timed.
pub(super) fn build_crate(root: &Path, target_dir: Option<&Path>) -> Result<(Sample, CrateBuild)> {
    let mut command = cargo();
    command.current_dir(root).args(CRATE_BUILD);
    if let Some(dir) = target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    let (sample, output) = timed(&mut command)?;
    check_success("cargo build -p zoom-accounts", &output)?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let units = timing_report(&stderr).unwrap_or_default();
    Ok((sample, read_crate_build(&stderr, &units)))
}

/// Unit times from `--timings`, paired with the wall samples of the same
/// builds (for their load and lock flags; a unit time excludes lock waits,
/// so the flag only says the machine was busy with another build).
pub(super) fn unit_samples(values: &[Option<f64>], walls: &[Sample]) -> Vec<Sample> {
    values
        .iter()
        .zip(walls)
        .filter_map(|(value, wall)| value.map(|seconds| Sample { seconds, ..*wall }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cargo_timing_units() {
        let html = "<script>\nconst UNIT_DATA = [\n  {\"i\": 0, \"name\": \"zoom-accounts\", \"mode\": \"run-custom-build\", \"target\": \" build-script (run)\", \"duration\": 0.41},\n  {\"i\": 1, \"name\": \"zoom-accounts\", \"mode\": \"todo\", \"target\": \"\", \"duration\": 12.5}\n];\nconst CONCURRENCY_DATA = [];\n";
        let units = parse_unit_data(html).unwrap();
        assert_eq!(units.len(), 2);
        let build = read_crate_build(
            "       Dirty zoom-accounts v0.1.0 (/w/generated-client): the file `src/lib.rs` has changed\n     Running `rustc --crate-name zoom_accounts ...`\n",
            &units,
        );
        assert!(!build.build_script_ran);
        assert_eq!(build.lib_seconds, Some(12.5));
        assert_eq!(build.build_script_seconds, Some(0.41));
        assert!(build.dirty_reason.unwrap().contains("src/lib.rs"));
    }

    #[test]
    fn sees_the_build_script_run_line() {
        let stderr =
            "     Running `/w/target/debug/build/zoom-accounts-0123abcd/build-script-build`\n";
        assert!(read_crate_build(stderr, &[]).build_script_ran);
        // Compiling the build script is not running it.
        let compile = "     Running `rustc --crate-name build_script_build --out-dir /w/target/debug/build/zoom-accounts-0123abcd`\n";
        assert!(!read_crate_build(compile, &[]).build_script_ran);
    }
}
