//! The command line of `cargo xtask`, parsed in one place into typed
//! values that the command modules take (as rust-analyzer's xtask keeps its
//! `flags.rs`). A new option is a field here and a line in [`USAGE`].

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};

pub const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regen [--check]   normalize spec/zoom-accounts.yaml, regenerate the committed
                    client copy and the fixture snapshots; with --check, change
                    nothing and fail when anything is stale
  test              every test: installs the pinned npm tools, checks rustfmt
                    formatting and that generated files are fresh, runs
                    `cargo test --workspace`,
                    `cargo doc`, then `check-features` and `package`
  check-features    `cargo check` zoom-accounts with each feature alone, none
                    and all (-D warnings), after checking that its Cargo.toml
                    declares every feature the generated code tests
  package           `cargo package` the published crates together, then build
                    and doc-test the packaged zoom-accounts from its .crate in
                    a temp dir outside the repository
  import <file>     read a spec as Zoom publishes it (OpenAPI 3.0/3.1, JSON or
                    YAML) and write spec/zoom-accounts.yaml in normalized form,
                    keeping the names of the current spec's components
  check-spec [--runs N] <file>
                    the dry run before adopting a spec revision (or another
                    product's spec): import it into a scratch copy, generate,
                    compile the client, and print the repairs, notes,
                    operations, types and times (medians of N runs, default
                    1); never touches spec/
  export-zoom-style [<file>]
                    the inverse of import: the current spec as Zoom publishes
                    it (JSON), to stdout or <file>
  diff [--base <rev>] [--head <rev>] [--format markdown|json]
       [--fail-on breaking|deployment]... [--check-version]
                    the API change between two versions of the spec (base
                    default HEAD, head default the working tree), classified
                    by the crate's compatibility contract, and the version of
                    zoom-accounts it needs; --fail-on breaking fails on any
                    breaking change, --fail-on deployment on changed scopes,
                    rate-limit labels or prerequisites; --check-version fails
                    when generated-client/Cargo.toml's version is lower than
                    needed and runs cargo-semver-checks against the base
  semver-audit [--case <name>]...
                    check the diff's verdicts: for every case of the diff
                    fixture table (or the named ones), build the base and head
                    crates and compare cargo-semver-checks' verdict with the
                    report's (needs cargo-semver-checks 0.51.0)
  bench-build [--runs N] [--clean] [--clean-runs N]
                    time regen, the build script and the client crate's
                    rebuilds (medians of N runs, default 3); with --clean also
                    clean builds with all dependencies (see BENCHMARKS.md)
";

/// One invocation of `cargo xtask`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Regen(Regen),
    Test,
    Package,
    CheckFeatures,
    Import(Import),
    CheckSpec(CheckSpec),
    ExportZoomStyle(ExportZoomStyle),
    Diff(Diff),
    SemverAudit(SemverAudit),
    BenchBuild(BenchBuild),
    Help,
}

/// `regen [--check]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Regen {
    /// Change nothing; fail when anything is stale.
    pub check: bool,
}

/// `import <file>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub file: PathBuf,
}

/// `check-spec [--runs N] <file>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckSpec {
    pub file: PathBuf,
    /// Times each timed step is run (the median is reported).
    pub runs: usize,
}

/// `export-zoom-style [<file>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportZoomStyle {
    /// `None`: standard output.
    pub output: Option<PathBuf>,
}

/// How `diff` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
}

/// `diff [--base <rev>] [--head <rev>] [--format markdown|json]
/// [--fail-on breaking|deployment]... [--check-version]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    pub base: String,
    /// `None`: the working tree.
    pub head: Option<String>,
    pub format: Format,
    /// `--fail-on breaking`.
    pub fail_on_breaking: bool,
    /// `--fail-on deployment`.
    pub fail_on_deployment: bool,
    /// `--check-version`.
    pub check_version: bool,
}

impl Default for Diff {
    fn default() -> Self {
        Self {
            base: "HEAD".into(),
            head: None,
            format: Format::Markdown,
            fail_on_breaking: false,
            fail_on_deployment: false,
            check_version: false,
        }
    }
}

/// `semver-audit [--case <name>]...`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SemverAudit {
    /// Only these cases of the diff fixture table (all when empty).
    pub cases: Vec<String>,
}

/// `bench-build [--runs N] [--clean] [--clean-runs N]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenchBuild {
    /// Runs per measurement (at least 3: medians of fewer say little).
    pub runs: usize,
    /// Also time clean builds with every dependency.
    pub clean: bool,
    pub clean_runs: usize,
}

/// `args` without the program name.
pub fn parse(args: &[String]) -> Result<Command> {
    let Some((command, rest)) = args.split_first() else {
        bail!("{USAGE}");
    };
    Ok(match command.as_str() {
        "regen" => Command::Regen(regen(rest)?),
        "test" => {
            no_arguments("test", rest)?;
            Command::Test
        }
        "package" => {
            no_arguments("package", rest)?;
            Command::Package
        }
        "check-features" => {
            no_arguments("check-features", rest)?;
            Command::CheckFeatures
        }
        "import" => Command::Import(import(rest)?),
        "check-spec" => Command::CheckSpec(check_spec(rest)?),
        "export-zoom-style" => Command::ExportZoomStyle(export_zoom_style(rest)?),
        "diff" => Command::Diff(diff(rest)?),
        "semver-audit" => Command::SemverAudit(semver_audit(rest)?),
        "bench-build" => Command::BenchBuild(bench_build(rest)?),
        "-h" | "--help" | "help" => Command::Help,
        other => bail!("unknown command {other:?}\n{USAGE}"),
    })
}

fn no_arguments(command: &str, args: &[String]) -> Result<()> {
    if args.is_empty() {
        Ok(())
    } else {
        bail!("usage: cargo xtask {command}")
    }
}

pub fn regen(args: &[String]) -> Result<Regen> {
    match args {
        [] => Ok(Regen { check: false }),
        [flag] if flag == "--check" => Ok(Regen { check: true }),
        _ => bail!("usage: cargo xtask regen [--check]"),
    }
}

pub fn import(args: &[String]) -> Result<Import> {
    match args {
        [file] => Ok(Import { file: file.into() }),
        _ => bail!("usage: cargo xtask import <file>"),
    }
}

const CHECK_SPEC_USAGE: &str = "usage: cargo xtask check-spec [--runs N] <file>";

pub fn check_spec(args: &[String]) -> Result<CheckSpec> {
    let (runs, rest) = match args {
        [flag, n, rest @ ..] if flag == "--runs" => {
            let runs: usize = n
                .parse()
                .with_context(|| format!("--runs {n:?}\n{CHECK_SPEC_USAGE}"))?;
            if runs == 0 {
                bail!("--runs must be at least 1\n{CHECK_SPEC_USAGE}");
            }
            (runs, rest)
        }
        rest => (1, rest),
    };
    match rest {
        [file] if !file.starts_with("--") => Ok(CheckSpec {
            file: file.into(),
            runs,
        }),
        _ => bail!("{CHECK_SPEC_USAGE}"),
    }
}

pub fn export_zoom_style(args: &[String]) -> Result<ExportZoomStyle> {
    match args {
        [] => Ok(ExportZoomStyle { output: None }),
        [file] => Ok(ExportZoomStyle {
            output: Some(file.into()),
        }),
        _ => bail!("usage: cargo xtask export-zoom-style [<file>]"),
    }
}

const DIFF_USAGE: &str = "usage: cargo xtask diff [--base <git-rev>] [--head <git-rev>] [--format markdown|json] [--fail-on breaking|deployment]... [--check-version]";

pub fn diff(args: &[String]) -> Result<Diff> {
    let mut options = Diff::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| anyhow!("{arg} needs a value\n{DIFF_USAGE}"))
        };
        match arg.as_str() {
            "--base" => options.base = value()?,
            "--head" => options.head = Some(value()?),
            "--format" => {
                options.format = match value()?.as_str() {
                    "markdown" | "md" => Format::Markdown,
                    "json" => Format::Json,
                    other => bail!("unknown format {other:?}\n{DIFF_USAGE}"),
                }
            }
            "--fail-on" => {
                // `--fail-on breaking,deployment` or the flag twice.
                for gate in value()?.split(',') {
                    match gate.trim() {
                        "breaking" => options.fail_on_breaking = true,
                        "deployment" => options.fail_on_deployment = true,
                        other => bail!(
                            "--fail-on takes `breaking` or `deployment`, not {other:?}\n{DIFF_USAGE}"
                        ),
                    }
                }
            }
            "--check-version" => options.check_version = true,
            other => bail!("unknown argument {other:?}\n{DIFF_USAGE}"),
        }
    }
    Ok(options)
}

pub fn semver_audit(args: &[String]) -> Result<SemverAudit> {
    const USAGE: &str = "usage: cargo xtask semver-audit [--case <name>]...";
    let mut options = SemverAudit::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--case" => options.cases.push(
                it.next()
                    .cloned()
                    .ok_or_else(|| anyhow!("--case needs a value\n{USAGE}"))?,
            ),
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    Ok(options)
}

const BENCH_USAGE: &str = "usage: cargo xtask bench-build [--runs N] [--clean] [--clean-runs N]";

pub fn bench_build(args: &[String]) -> Result<BenchBuild> {
    let mut options = BenchBuild {
        runs: 3,
        clean: false,
        clean_runs: 3,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut count = |what: &str| -> Result<usize> {
            let value = args
                .next()
                .with_context(|| format!("{what} needs a number\n{BENCH_USAGE}"))?;
            value
                .parse()
                .with_context(|| format!("{what} {value:?}\n{BENCH_USAGE}"))
        };
        match arg.as_str() {
            "--runs" => options.runs = count("--runs")?,
            "--clean-runs" => options.clean_runs = count("--clean-runs")?,
            "--clean" => options.clean = true,
            _ => bail!("unknown argument {arg:?}\n{BENCH_USAGE}"),
        }
    }
    if options.runs < 3 {
        bail!("--runs must be at least 3 (medians of fewer runs say little)");
    }
    if options.clean_runs == 0 {
        bail!("--clean-runs must be at least 1");
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_command_parses() {
        assert_eq!(
            parse(&args(&["regen", "--check"])).unwrap(),
            Command::Regen(Regen { check: true })
        );
        assert_eq!(parse(&args(&["test"])).unwrap(), Command::Test);
        assert_eq!(parse(&args(&["package"])).unwrap(), Command::Package);
        assert_eq!(
            parse(&args(&["check-features"])).unwrap(),
            Command::CheckFeatures
        );
        assert!(parse(&args(&["package", "--keep"])).is_err());
        assert_eq!(
            parse(&args(&["import", "a.json"])).unwrap(),
            Command::Import(Import {
                file: "a.json".into()
            })
        );
        assert_eq!(
            parse(&args(&["check-spec", "team-chat.json"])).unwrap(),
            Command::CheckSpec(CheckSpec {
                file: "team-chat.json".into(),
                runs: 1
            })
        );
        assert_eq!(
            parse(&args(&["check-spec", "--runs", "3", "a.json"])).unwrap(),
            Command::CheckSpec(CheckSpec {
                file: "a.json".into(),
                runs: 3
            })
        );
        assert!(parse(&args(&["check-spec"])).is_err());
        assert!(parse(&args(&["check-spec", "--runs", "0", "a.json"])).is_err());
        assert!(parse(&args(&["check-spec", "a.json", "b.json"])).is_err());
        assert_eq!(
            parse(&args(&["export-zoom-style"])).unwrap(),
            Command::ExportZoomStyle(ExportZoomStyle { output: None })
        );
        assert_eq!(
            parse(&args(&["bench-build", "--runs", "5", "--clean"])).unwrap(),
            Command::BenchBuild(BenchBuild {
                runs: 5,
                clean: true,
                clean_runs: 3
            })
        );
        assert_eq!(
            parse(&args(&["semver-audit", "--case", "a", "--case", "b"])).unwrap(),
            Command::SemverAudit(SemverAudit {
                cases: vec!["a".into(), "b".into()]
            })
        );
        assert!(parse(&args(&["semver-audit", "--case"])).is_err());
        assert_eq!(parse(&args(&["--help"])).unwrap(), Command::Help);
        assert!(parse(&args(&["regen", "--fix"])).is_err());
        assert!(parse(&args(&["test", "x"])).is_err());
        assert!(parse(&args(&["frobnicate"])).is_err());
        assert!(parse(&[]).is_err());
        assert!(
            bench_build(&args(&["--runs", "2"]))
                .unwrap_err()
                .to_string()
                .starts_with("--runs must be at least 3")
        );
    }

    #[test]
    fn diff_options() {
        let o = diff(&args(&[
            "--base",
            "main",
            "--format",
            "json",
            "--fail-on",
            "breaking",
        ]))
        .unwrap();
        assert_eq!(
            o,
            Diff {
                base: "main".into(),
                head: None,
                format: Format::Json,
                fail_on_breaking: true,
                ..Diff::default()
            }
        );
        let both = diff(&args(&[
            "--fail-on",
            "deployment",
            "--fail-on",
            "breaking",
            "--check-version",
        ]))
        .unwrap();
        assert!(both.fail_on_breaking && both.fail_on_deployment && both.check_version);
        assert_eq!(
            diff(&args(&["--fail-on", "breaking,deployment"])).unwrap(),
            Diff {
                fail_on_breaking: true,
                fail_on_deployment: true,
                ..Diff::default()
            }
        );
        let err = diff(&args(&["--fail-on", "anything"])).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--fail-on takes `breaking` or `deployment`, not \"anything\"")
        );
        assert!(
            diff(&args(&["--base"]))
                .unwrap_err()
                .to_string()
                .starts_with("--base needs a value")
        );
    }
}
