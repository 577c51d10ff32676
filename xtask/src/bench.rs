//! `cargo xtask bench-build [--runs N] [--clean] [--clean-runs N]`: how long
//! the build-time pipeline takes, measured the way a developer meets it,
//! with medians of `--runs` runs (default 3, at least 3) and a table at the
//! end. The figures go into `BENCHMARKS.md`.
//!
//! 1. `regen` wall time: the built xtask binary run directly, and through
//!    `cargo xtask` (the difference is cargo's own start-up and freshness
//!    check). Only when `regen --check` passes, so the measurement rewrites
//!    nothing; otherwise `regen --check` (the same work, nothing written) is
//!    what gets timed, and the table says so.
//! 2. The build script's own run time: the compiled
//!    `generated-client` build script executed directly, as cargo runs it
//!    (working directory the package, a fresh empty `OUT_DIR` each run, so
//!    every file is written), plus `zoom_api_codegen::generate` timed in-process here
//!    (xtask builds codegen and its heavy dependencies at opt-level 2, as the
//!    build script's `build-override` does) and cargo's own `--timings`
//!    figure for the build-script unit when a spec change makes it run.
//! 3. That an unchanged spec does not rerun the build script: after
//!    touching `generated-client/src/lib.rs`, `cargo build -p zoom-accounts -v`
//!    must not print `Running .../build-script-build`. Touching the spec
//!    without changing it is reported too (cargo's freshness is mtime-based).
//! 4. The crate's own compile: wall time of `cargo build -p zoom-accounts`
//!    after touching `src/lib.rs`, and after a real one-line spec change (a
//!    word appended to one description, which changes the generated rustdoc;
//!    every change is followed by a timed rebuild with the spec restored
//!    byte for byte, also on failure), each with cargo's `--timings` figure
//!    for the `zoom-accounts` unit alone (no cargo start-up, no lock waits).
//! 5. With `--clean`: a clean build with every dependency in a fresh
//!    `CARGO_TARGET_DIR` under the temp dir (removed afterwards), wall time
//!    and the crate's own unit time from `--timings`.
//!
//! Wall times include whatever else the machine is doing; each sample
//! records the 1-minute load average and whether cargo had to wait for the
//! build-directory lock (another build in the same target dir), and the
//! table shows both. Nothing here asserts a timing: it reports.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::{Instant, SystemTime};

/// Appended to the description line the spec-change measurement edits.
pub const SPEC_CHANGE_MARKER: &str = " (bench-build)";

pub fn run(root: &Path, options: crate::flags::BenchBuild) -> Result<ExitCode> {
    let work_dir = root.join("target").join("bench-build");
    std::fs::create_dir_all(&work_dir)
        .with_context(|| format!("creating {}", work_dir.display()))?;
    let spec = SpecFile::new(root, &work_dir);
    spec.recover_from_interrupted_run()?;

    println!("bench-build: {}", machine_description(root));
    let mut table = Table::default();

    // Everything measured below must be built first (untimed).
    let artifacts = build_artifacts(root)?;

    measure_generated_size(root, &mut table)?;

    measure_regen(root, &artifacts, options.runs, &mut table)?;
    measure_build_script(root, &artifacts, &work_dir, options.runs, &mut table)?;
    measure_touch_rebuilds(root, options.runs, &mut table)?;
    measure_spec_change_rebuilds(root, &spec, options.runs, &mut table)?;
    if options.clean {
        measure_clean_builds(root, options.clean_runs, options.runs, &mut table)?;
    }

    println!();
    table.print();
    println!(
        "\nafter: 1-min load average {}",
        load_average().unwrap_or(f64::NAN)
    );
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------
// Samples and the table

/// One timed run: seconds, the 1-min load average when it started, and
/// whether cargo waited for another build's lock.
#[derive(Debug, Clone, Copy)]
struct Sample {
    seconds: f64,
    load: f64,
    lock_wait: bool,
}

#[derive(Default)]
struct Table {
    rows: Vec<Row>,
}

struct Row {
    what: String,
    samples: Vec<Sample>,
    target: String,
    verdict: String,
}

impl Table {
    /// A row of timings against an upper bound in seconds and the figure
    /// measured with plain progenitor, where the issue gives them.
    fn timing(
        &mut self,
        what: &str,
        samples: Vec<Sample>,
        target: Option<f64>,
        baseline: Option<f64>,
    ) {
        let m = median(&samples);
        let mut verdict = match (target, m) {
            (Some(limit), Some(m)) if m <= limit => {
                format!("met ({:.0}% of target)", 100.0 * m / limit)
            }
            (Some(limit), Some(m)) => {
                format!(
                    "MISSED by {:.2} s ({:.0}%)",
                    m - limit,
                    100.0 * (m - limit) / limit
                )
            }
            _ => String::new(),
        };
        if let (Some(base), Some(m)) = (baseline, m) {
            if !verdict.is_empty() {
                verdict.push_str("; ");
            }
            verdict.push_str(&format!("{:.2}x the baseline", m / base));
        }
        let mut goal = target.map(|t| format!("<= {t} s")).unwrap_or_default();
        if let Some(base) = baseline {
            if !goal.is_empty() {
                goal.push(' ');
            }
            goal.push_str(&format!("(baseline {base} s)"));
        }
        self.rows.push(Row {
            what: what.to_owned(),
            samples,
            target: goal,
            verdict,
        });
    }

    /// A row whose result is a fact, not a time.
    fn fact(&mut self, what: &str, result: &str, target: &str, met: bool) {
        self.rows.push(Row {
            what: what.to_owned(),
            samples: Vec::new(),
            target: target.to_owned(),
            verdict: format!("{} {result}", if met { "met:" } else { "MISSED:" }),
        });
    }

    fn print(&self) {
        println!(
            "| measurement | runs | median | min | max | load (1-min) | target | result |\n\
             | --- | ---: | ---: | ---: | ---: | --- | --- | --- |"
        );
        for row in &self.rows {
            let (runs, med, min, max, load) = if row.samples.is_empty() {
                Default::default()
            } else {
                let secs: Vec<f64> = row.samples.iter().map(|s| s.seconds).collect();
                let loads: Vec<f64> = row.samples.iter().map(|s| s.load).collect();
                let waited = row.samples.iter().filter(|s| s.lock_wait).count();
                let runs = if waited > 0 {
                    format!("{} ({waited} waited for a lock)", secs.len())
                } else {
                    secs.len().to_string()
                };
                (
                    runs,
                    format!("{:.2} s", median(&row.samples).unwrap_or(f64::NAN)),
                    format!(
                        "{:.2} s",
                        secs.iter().copied().fold(f64::INFINITY, f64::min)
                    ),
                    format!("{:.2} s", secs.iter().copied().fold(0.0, f64::max)),
                    format!(
                        "{:.2}-{:.2}",
                        loads.iter().copied().fold(f64::INFINITY, f64::min),
                        loads.iter().copied().fold(0.0, f64::max)
                    ),
                )
            };
            println!(
                "| {} | {runs} | {med} | {min} | {max} | {load} | {} | {} |",
                row.what, row.target, row.verdict
            );
        }
    }
}

fn median(samples: &[Sample]) -> Option<f64> {
    let mut secs: Vec<f64> = samples.iter().map(|s| s.seconds).collect();
    secs.sort_by(f64::total_cmp);
    match secs.len() {
        0 => None,
        n if n % 2 == 1 => Some(secs[n / 2]),
        n => Some((secs[n / 2 - 1] + secs[n / 2]) / 2.0),
    }
}

fn show(samples: &[Sample]) -> String {
    let secs: Vec<String> = samples
        .iter()
        .map(|s| format!("{:.2}{}", s.seconds, if s.lock_wait { "*" } else { "" }))
        .collect();
    format!(
        "[{}] s, median {:.2} s",
        secs.join(", "),
        median(samples).unwrap_or(f64::NAN)
    )
}

// ---------------------------------------------------------------------------
// The machine

fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn machine_description(root: &Path) -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.1} GiB RAM", kib / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "RAM unknown".into());
    let rustc = Command::new("rustc")
        .arg("-V")
        .current_dir(root)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "rustc unknown".into());
    let now = Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| {
            let secs = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            format!("unix time {secs}")
        });
    format!(
        "{now}, {cores} cores, {memory}, {rustc}, 1-min load average {}",
        load_average()
            .map(|l| format!("{l:.2}"))
            .unwrap_or_else(|| "unknown".into())
    )
}

// ---------------------------------------------------------------------------
// Running commands

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs `command` to completion, output captured; the wall time and load.
fn timed(command: &mut Command) -> Result<(Sample, Output)> {
    let load = load_average().unwrap_or(f64::NAN);
    let start = Instant::now();
    let output = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {command:?}"))?;
    let seconds = start.elapsed().as_secs_f64();
    let lock_wait =
        String::from_utf8_lossy(&output.stderr).contains("Blocking waiting for file lock");
    Ok((
        Sample {
            seconds,
            load,
            lock_wait,
        },
        output,
    ))
}

fn check_success(what: &str, output: &Output) -> Result<()> {
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    bail!("{what} failed ({}):\n{}", output.status, tail.join("\n"))
}

fn touch(path: &Path) -> Result<()> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .with_context(|| format!("touching {}", path.display()))
}

/// What the build of the measured crates produced.
struct Artifacts {
    xtask: PathBuf,
    build_script: PathBuf,
}

/// The xtask binary is this process: the one `cargo xtask` runs (building
/// it together with other packages could unify features differently and
/// produce another binary). The build script is found in the JSON messages
/// of `cargo build -p zoom-accounts` (untimed), the build that uses it.
fn build_artifacts(root: &Path) -> Result<Artifacts> {
    println!("building zoom-accounts (untimed)...");
    let xtask = std::env::current_exe().context("finding the xtask binary")?;
    let output = cargo()
        .current_dir(root)
        .args([
            "build",
            "--locked",
            "-p",
            "zoom-accounts",
            "--message-format=json",
        ])
        .stdin(Stdio::null())
        .output()
        .context("running cargo build")?;
    check_success("cargo build -p zoom-accounts", &output)?;
    let mut build_script = None;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let manifest = message["manifest_path"].as_str().unwrap_or("");
        if message["reason"] == "compiler-artifact"
            && message["target"]["name"] == "build-script-build"
            && Path::new(manifest).ends_with("generated-client/Cargo.toml")
        {
            build_script = message["filenames"][0].as_str().map(PathBuf::from);
        }
    }
    Ok(Artifacts {
        xtask,
        build_script: build_script.context("cargo named no build script for generated-client")?,
    })
}

// ---------------------------------------------------------------------------
// cargo --timings

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
fn timing_report(stderr: &str) -> Option<Vec<UnitTiming>> {
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
const CRATE_BUILD: [&str; 6] = ["build", "--locked", "-p", "zoom-accounts", "-v", "--timings"];

/// `cargo build -p zoom-accounts -v --timings`, timed.
fn build_crate(root: &Path, target_dir: Option<&Path>) -> Result<(Sample, CrateBuild)> {
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
fn unit_samples(values: &[Option<f64>], walls: &[Sample]) -> Vec<Sample> {
    values
        .iter()
        .zip(walls)
        .filter_map(|(value, wall)| value.map(|seconds| Sample { seconds, ..*wall }))
        .collect()
}

// ---------------------------------------------------------------------------
// 0. the size of the generated code

/// Counts in the committed copy of the generated client.
#[derive(Debug, Default, PartialEq)]
pub struct GeneratedSize {
    pub structs: usize,
    /// Plain `enum` items (the `open_enum!` macro's template is not one).
    pub enums: usize,
    pub open_enums: usize,
    pub lines: usize,
    /// `pub fn stream(` methods: paginated operations.
    pub streams: usize,
    /// `///` and `/**` doc comment openings.
    pub doc_comments: usize,
}

impl GeneratedSize {
    pub fn types(&self) -> usize {
        self.structs + self.enums + self.open_enums
    }

    /// Adds the counts of one generated file.
    pub fn add(&mut self, text: &str) {
        for line in text.lines() {
            self.lines += 1;
            let item = line.trim_start();
            let item = item.strip_prefix("pub ").unwrap_or(item);
            let named = |rest: &str| rest.starts_with(|c: char| c.is_alphabetic() || c == '_');
            if item.strip_prefix("struct ").is_some_and(named) {
                self.structs += 1;
            } else if item.strip_prefix("enum ").is_some_and(named) {
                self.enums += 1;
            } else if item.starts_with("open_enum! {") {
                self.open_enums += 1;
            } else if item.starts_with("fn stream(") {
                self.streams += 1;
            } else if item.starts_with("///") || item.starts_with("/**") {
                self.doc_comments += 1;
            }
        }
    }
}

fn measure_generated_size(root: &Path, table: &mut Table) -> Result<()> {
    let dir = root.join(crate::regen::GENERATED_DIR);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    let mut size = GeneratedSize::default();
    for file in &files {
        size.add(
            &std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?,
        );
    }
    println!(
        "\n[0] {}/*.rs ({} files): {} types ({} structs incl. request builders, {} plain enum(s), {} open_enum!), \
         {} lines, {} stream() methods, {} doc comments",
        crate::regen::GENERATED_DIR,
        files.len(),
        size.types(),
        size.structs,
        size.enums,
        size.open_enums,
        size.lines,
        size.streams,
        size.doc_comments
    );
    let (types, lines) = (size.types(), size.lines);
    table.fact(
        "generated types (structs + enums + open_enum!)",
        &format!(
            "{types} ({:.0}% of the limit; plain progenitor: 737)",
            100.0 * types as f64 / 368.0
        ),
        "<= 368",
        types <= 368,
    );
    table.fact(
        "generated lines (`wc -l generated-client/generated/*.rs`)",
        &format!(
            "{lines} ({:.0}% of the limit)",
            100.0 * lines as f64 / 37_215.0
        ),
        "<= 37,215",
        lines <= 37_215,
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// 1. regen

fn measure_regen(root: &Path, artifacts: &Artifacts, runs: usize, table: &mut Table) -> Result<()> {
    println!("\n[1] cargo xtask regen");
    let check = Command::new(&artifacts.xtask)
        .current_dir(root)
        .args(["regen", "--check"])
        .stdin(Stdio::null())
        .output()
        .context("running xtask regen --check")?;
    let (args, label): (&[&str], &str) = if check.status.success() {
        (&["regen"], "regen")
    } else {
        println!(
            "    the tree is not fresh (`regen --check` fails), so `regen` would rewrite files;\n    \
             timing `regen --check` instead (the same work, nothing written)"
        );
        (&["regen", "--check"], "regen --check")
    };
    // One untimed run warms the file cache.
    let _ = Command::new(&artifacts.xtask)
        .current_dir(root)
        .args(args)
        .output();
    let mut direct = Vec::new();
    for _ in 0..runs {
        let (sample, output) = timed(Command::new(&artifacts.xtask).current_dir(root).args(args))?;
        check_success(label, &output)?;
        if label == "regen" && !String::from_utf8_lossy(&output.stdout).contains(" 0 rewritten") {
            println!(
                "    note: regen rewrote files: {}",
                String::from_utf8_lossy(&output.stdout).trim()
            );
        }
        direct.push(sample);
    }
    println!("    xtask binary directly: {}", show(&direct));
    // cargo's first run may rebuild xtask (another build changed a shared
    // dependency); that is not regen's time.
    let _ = cargo().current_dir(root).arg("xtask").args(args).output();
    let mut via_cargo = Vec::new();
    for _ in 0..runs {
        let (sample, output) = timed(cargo().current_dir(root).arg("xtask").args(args))?;
        check_success(&format!("cargo xtask {label}"), &output)?;
        via_cargo.push(sample);
    }
    println!("    cargo xtask:           {}", show(&via_cargo));
    table.timing(
        &format!("`xtask {label}`, binary run directly"),
        direct,
        Some(1.0),
        None,
    );
    table.timing(
        &format!("`cargo xtask {label}` (cargo's overhead included)"),
        via_cargo,
        None,
        None,
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// 2. the build script's own run

fn measure_build_script(
    root: &Path,
    artifacts: &Artifacts,
    work_dir: &Path,
    runs: usize,
    table: &mut Table,
) -> Result<()> {
    println!(
        "\n[2] the build script's own run: {}",
        artifacts.build_script.display()
    );
    let package = root.join("generated-client");
    let mut samples = Vec::new();
    for i in 0..runs {
        let out_dir = work_dir.join(format!("out-dir-{i}"));
        let _ = std::fs::remove_dir_all(&out_dir);
        std::fs::create_dir_all(&out_dir)
            .with_context(|| format!("creating {}", out_dir.display()))?;
        let (sample, output) = timed(
            Command::new(&artifacts.build_script)
                .current_dir(&package)
                .env("OUT_DIR", &out_dir)
                .env("CARGO_MANIFEST_DIR", &package),
        )?;
        check_success("the build script", &output)?;
        let written = std::fs::read_dir(&out_dir).map(|d| d.count()).unwrap_or(0);
        let _ = std::fs::remove_dir_all(&out_dir);
        if written == 0 {
            bail!("the build script wrote nothing into OUT_DIR");
        }
        samples.push(sample);
    }
    println!(
        "    executed directly, fresh OUT_DIR each run: {}",
        show(&samples)
    );
    table.timing(
        "build script run (binary executed directly, fresh OUT_DIR)",
        samples,
        Some(1.0),
        None,
    );

    let spec = std::fs::read_to_string(root.join(crate::regen::SPEC))
        .context("reading the spec")?
        .replace("\r\n", "\n");
    let settings = crate::regen::client_settings();
    let mut in_process = Vec::new();
    for _ in 0..runs {
        let load = load_average().unwrap_or(f64::NAN);
        let start = Instant::now();
        zoom_api_codegen::generate(&spec, &settings)
            .map_err(|e| anyhow::anyhow!("{}: {e}", crate::regen::SPEC))?;
        in_process.push(Sample {
            seconds: start.elapsed().as_secs_f64(),
            load,
            lock_wait: false,
        });
    }
    println!(
        "    zoom_api_codegen::generate in-process (xtask, opt-level 2): {}",
        show(&in_process)
    );
    table.timing(
        "`zoom_api_codegen::generate` in-process (xtask, opt-level 2)",
        in_process,
        None,
        None,
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// 3 and 4. rebuilds after touching lib.rs, and after touching the spec

fn measure_touch_rebuilds(root: &Path, runs: usize, table: &mut Table) -> Result<()> {
    println!(
        "\n[3] touch generated-client/src/lib.rs, then cargo build -p zoom-accounts -v --timings"
    );
    // Start from a fresh build so that the first sample is a lib.rs rebuild only.
    build_crate(root, None)?;
    let lib_rs = root.join("generated-client/src/lib.rs");
    let (mut walls, mut units, mut reran) = (Vec::new(), Vec::new(), 0);
    for _ in 0..runs {
        touch(&lib_rs)?;
        let (sample, build) = build_crate(root, None)?;
        if let Some(reason) = &build.dirty_reason {
            println!("    {reason}");
        }
        reran += usize::from(build.build_script_ran);
        walls.push(sample);
        units.push(build.lib_seconds);
    }
    println!("    wall: {}", show(&walls));
    let unit_times = unit_samples(&units, &walls);
    println!("    zoom-accounts unit (--timings): {}", show(&unit_times));
    table.fact(
        "unchanged spec (lib.rs touched): build script rerun?",
        &format!("reran in {reran} of {runs} builds"),
        "never",
        reran == 0,
    );
    table.timing(
        "rebuild after touching lib.rs, wall",
        walls,
        None,
        Some(10.3),
    );
    table.timing(
        "  - of which the zoom-accounts unit (--timings)",
        unit_times,
        None,
        None,
    );

    println!("\n[3b] touch spec/zoom-accounts.yaml without changing it, then build");
    // cargo compares mtimes, so the build script reruns; its stamp in
    // OUT_DIR must make it skip codegen (a run with codegen takes ~0.45 s,
    // one that skips it well under 0.1 s).
    let (mut walls, mut units, mut scripts, mut codegen_ran) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for _ in 0..runs {
        touch(&root.join(crate::regen::SPEC))?;
        let (sample, build) = build_crate(root, None)?;
        if let Some(reason) = &build.dirty_reason {
            println!("    {reason}");
        }
        let script = build.build_script_seconds;
        println!(
            "    build script ran: {} ({}); lib recompiled: {}; wall {:.2} s",
            build.build_script_ran,
            script.map(|s| format!("{s:.2} s")).unwrap_or_else(|| "no timing".into()),
            build
                .lib_seconds
                .map(|s| format!("yes ({s:.2} s)"))
                .unwrap_or_else(|| "no".into()),
            sample.seconds
        );
        codegen_ran += usize::from(codegen_reran(&build));
        walls.push(sample);
        units.push(build.lib_seconds);
        scripts.push(script);
    }
    table.fact(
        "spec touched, content unchanged: codegen rerun?",
        &format!(
            "reran in {codegen_ran} of {runs} builds (cargo reruns the build script, which finds its \
             stamp current and skips codegen; the crate is recompiled)"
        ),
        "never",
        codegen_ran == 0,
    );
    let (scripts, units) = (unit_samples(&scripts, &walls), unit_samples(&units, &walls));
    table.timing(
        "rebuild after touching the spec without a change, wall",
        walls,
        None,
        None,
    );
    table.timing("  - of which the build script run (--timings)", scripts, None, None);
    table.timing("  - of which the zoom-accounts unit (--timings)", units, None, None);
    Ok(())
}

/// Whether a build's script run did the code generation: it ran and took
/// at least [`CODEGEN_SECONDS_FLOOR`] (codegen alone takes about 0.45 s; a
/// skipped run, about 0.01 s). A run without a timing counts as codegen.
fn codegen_reran(build: &CrateBuild) -> bool {
    build.build_script_ran
        && build
            .build_script_seconds
            .is_none_or(|seconds| seconds >= CODEGEN_SECONDS_FLOOR)
}

/// Below this, a build-script run cannot have generated the client.
const CODEGEN_SECONDS_FLOOR: f64 = 0.15;

// ---------------------------------------------------------------------------
// 4b. rebuild after a one-line spec change

/// The spec file, with a byte-exact backup while it is edited.
struct SpecFile {
    path: PathBuf,
    backup: PathBuf,
}

impl SpecFile {
    fn new(root: &Path, work_dir: &Path) -> Self {
        SpecFile {
            path: root.join(crate::regen::SPEC),
            backup: work_dir.join("spec-backup.yaml"),
        }
    }

    /// A run that was killed mid-edit left a backup and the marker in the
    /// spec: put the original back before anything else.
    fn recover_from_interrupted_run(&self) -> Result<()> {
        let Ok(original) = std::fs::read(&self.backup) else {
            return Ok(());
        };
        let current = std::fs::read(&self.path)
            .with_context(|| format!("reading {}", self.path.display()))?;
        if current == original {
            let _ = std::fs::remove_file(&self.backup);
        } else if String::from_utf8_lossy(&current).contains(SPEC_CHANGE_MARKER) {
            std::fs::write(&self.path, &original)
                .with_context(|| format!("restoring {}", self.path.display()))?;
            let _ = std::fs::remove_file(&self.backup);
            println!(
                "bench-build: restored {} from an interrupted run",
                self.path.display()
            );
        } else {
            bail!(
                "{} exists from an interrupted run, but the spec no longer carries the bench edit; \
                 compare them by hand and delete the backup",
                self.backup.display()
            );
        }
        Ok(())
    }
}

/// The spec with one description line extended by [`SPEC_CHANGE_MARKER`]:
/// the first single-line `description:` under `paths:` (an operation's or a
/// parameter's, so the generated rustdoc changes). Returns the new text and
/// the 1-based line number.
pub fn one_line_change(spec: &str) -> Option<(String, usize)> {
    let mut in_paths = false;
    let mut lines: Vec<&str> = spec.split('\n').collect();
    let mut changed = None;
    for (i, line) in lines.iter().enumerate() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_paths = line.starts_with("paths:");
            continue;
        }
        let Some(value) = line.trim_start().strip_prefix("description: ") else {
            continue;
        };
        let plain = !value.is_empty()
            && !value.starts_with(['|', '>', '\'', '"', '&', '*', '!', '[', '{'])
            && !value.contains(" #");
        if in_paths && plain {
            changed = Some(i);
            break;
        }
    }
    let i = changed?;
    let edited = format!("{}{SPEC_CHANGE_MARKER}", lines[i]);
    lines[i] = &edited;
    Some((lines.join("\n"), i + 1))
}

/// Puts the original spec back when dropped, unless someone else changed
/// the file meanwhile (then it is left alone, and said so).
struct SpecEdit<'a> {
    spec: &'a SpecFile,
    original: Vec<u8>,
    edited: Vec<u8>,
}

impl SpecEdit<'_> {
    fn apply(&self) -> Result<()> {
        self.replace(&self.original, &self.edited)
    }

    fn restore(&self) -> Result<()> {
        self.replace(&self.edited, &self.original)
    }

    fn replace(&self, expected: &[u8], new: &[u8]) -> Result<()> {
        let current = std::fs::read(&self.spec.path)
            .with_context(|| format!("reading {}", self.spec.path.display()))?;
        if current != expected {
            bail!(
                "{} changed under the benchmark (another edit?); stopping and leaving it as it is",
                self.spec.path.display()
            );
        }
        std::fs::write(&self.spec.path, new)
            .with_context(|| format!("writing {}", self.spec.path.display()))
    }
}

impl Drop for SpecEdit<'_> {
    fn drop(&mut self) {
        match std::fs::read(&self.spec.path) {
            Ok(current) if current == self.original => {}
            Ok(current) if current == self.edited => {
                if let Err(e) = std::fs::write(&self.spec.path, &self.original) {
                    eprintln!(
                        "bench-build: could not restore {}: {e}; the original is in {}",
                        self.spec.path.display(),
                        self.spec.backup.display()
                    );
                    return;
                }
            }
            _ => {
                eprintln!(
                    "bench-build: {} was changed by someone else during the benchmark; left as it is \
                     (the original is in {})",
                    self.spec.path.display(),
                    self.spec.backup.display()
                );
                return;
            }
        }
        let _ = std::fs::remove_file(&self.spec.backup);
    }
}

fn measure_spec_change_rebuilds(
    root: &Path,
    spec: &SpecFile,
    runs: usize,
    table: &mut Table,
) -> Result<()> {
    println!("\n[4] one-line spec change, then cargo build -p zoom-accounts -v --timings");
    let original =
        std::fs::read(&spec.path).with_context(|| format!("reading {}", spec.path.display()))?;
    let text = String::from_utf8(original.clone()).context("the spec is not UTF-8")?;
    let (edited_text, line) =
        one_line_change(&text).context("no single-line description under paths: to edit")?;
    // It must be a real change: the generated code differs.
    let settings = crate::regen::client_settings();
    let before = zoom_api_codegen::generate(&text.replace("\r\n", "\n"), &settings)
        .map_err(|e| anyhow::anyhow!("{}: {e}", crate::regen::SPEC))?;
    let after = zoom_api_codegen::generate(&edited_text.replace("\r\n", "\n"), &settings)
        .map_err(|e| anyhow::anyhow!("the edited spec: {e}"))?;
    let changed: Vec<&String> = after
        .files
        .iter()
        .filter(|(name, content)| before.files.get(*name) != Some(*content))
        .map(|(name, _)| name)
        .collect();
    if changed.is_empty() {
        bail!("appending to line {line} of the spec does not change the generated code");
    }
    println!(
        "    edit: line {line} of {} gets {SPEC_CHANGE_MARKER:?}; generated files that change: {}",
        crate::regen::SPEC,
        changed
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(&spec.backup, &original)
        .with_context(|| format!("writing {}", spec.backup.display()))?;
    let edit = SpecEdit {
        spec,
        original,
        edited: edited_text.into_bytes(),
    };

    // The crate must be fresh before the first change.
    build_crate(root, None)?;
    let (mut walls, mut units, mut scripts) = (Vec::new(), Vec::new(), Vec::new());
    let mut script_ran_every_time = true;
    for _ in 0..runs {
        for step in ["change", "restore"] {
            if step == "change" {
                edit.apply()?
            } else {
                edit.restore()?
            }
            let (sample, build) = build_crate(root, None)?;
            script_ran_every_time &= build.build_script_ran;
            walls.push(sample);
            units.push(build.lib_seconds);
            scripts.push(build.build_script_seconds);
        }
    }
    drop(edit);
    if std::fs::read(&spec.path).ok().as_deref() != Some(text.as_bytes()) {
        bail!("the spec was not restored exactly; see the messages above");
    }
    println!("    spec restored byte for byte");
    println!("    wall (change, restore, ...): {}", show(&walls));
    let units = unit_samples(&units, &walls);
    let scripts = unit_samples(&scripts, &walls);
    println!("    zoom-accounts unit (--timings): {}", show(&units));
    println!("    build script run unit (--timings): {}", show(&scripts));
    if !script_ran_every_time {
        println!("    note: the build script did not run after every spec change");
    }
    table.timing(
        "rebuild after a one-line spec change, wall (change and restore each count)",
        walls,
        Some(25.0),
        None,
    );
    table.timing(
        "  - of which the zoom-accounts unit (--timings)",
        units,
        None,
        None,
    );
    table.timing(
        "  - of which the build script run (--timings)",
        scripts,
        Some(1.0),
        None,
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// 5. clean build with every dependency

/// A fresh target directory, removed when dropped.
struct TempTargetDir(PathBuf);

impl Drop for TempTargetDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn measure_clean_builds(
    root: &Path,
    runs: usize,
    crate_runs: usize,
    table: &mut Table,
) -> Result<()> {
    println!("\n[5] clean build with all dependencies (fresh CARGO_TARGET_DIR), {runs} run(s)");
    let (mut walls, mut units, mut scripts) = (Vec::new(), Vec::new(), Vec::new());
    let mut kept = None;
    for i in 0..runs {
        let dir = TempTargetDir(std::env::temp_dir().join(format!(
            "zoom-accounts-bench-clean-{}-{i}",
            std::process::id()
        )));
        let _ = std::fs::remove_dir_all(&dir.0);
        let (sample, build) = build_crate(root, Some(&dir.0))?;
        println!(
            "    run {}: wall {:.1} s, zoom-accounts unit {}, build script run {}",
            i + 1,
            sample.seconds,
            build
                .lib_seconds
                .map(|s| format!("{s:.1} s"))
                .unwrap_or_else(|| "?".into()),
            build
                .build_script_seconds
                .map(|s| format!("{s:.2} s"))
                .unwrap_or_else(|| "?".into()),
        );
        walls.push(sample);
        units.push(build.lib_seconds);
        scripts.push(build.build_script_seconds);
        // The last clean directory is kept for the crate-only compiles below.
        if let Some(previous) = kept.replace(dir) {
            drop(previous);
        }
    }
    let unit_times = unit_samples(&units, &walls);
    let script_samples = unit_samples(&scripts, &walls);
    table.timing(
        "clean build, all dependencies (fresh target dir), wall",
        walls,
        None,
        Some(98.0),
    );
    table.timing(
        "  - of which the zoom-accounts unit, empty incremental cache (--timings)",
        unit_times,
        Some(20.0),
        Some(40.5),
    );
    table.timing(
        "  - of which the build script run (--timings)",
        script_samples,
        Some(1.0),
        None,
    );

    // The crate alone, compiled from scratch: its dependencies are built in
    // the clean directory; touching lib.rs and turning incremental
    // compilation off makes rustc compile the whole crate again, with no
    // cache to reuse (any other unit that rebuilds does not count: the
    // figure is the zoom-accounts unit from --timings).
    let Some(dir) = kept else { return Ok(()) };
    println!(
        "\n[5b] the crate alone, from scratch (touch lib.rs, CARGO_INCREMENTAL=0), {crate_runs} run(s)"
    );
    let lib_rs = root.join("generated-client/src/lib.rs");
    let (mut walls, mut units) = (Vec::new(), Vec::new());
    for _ in 0..crate_runs {
        touch(&lib_rs)?;
        let mut command = cargo();
        command
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &dir.0)
            .env("CARGO_INCREMENTAL", "0")
            .args(CRATE_BUILD);
        let (sample, output) = timed(&mut command)?;
        check_success(
            "cargo build -p zoom-accounts (CARGO_INCREMENTAL=0)",
            &output,
        )?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let build = read_crate_build(&stderr, &timing_report(&stderr).unwrap_or_default());
        walls.push(sample);
        units.push(build.lib_seconds);
    }
    let unit_times = unit_samples(&units, &walls);
    println!("    wall: {}", show(&walls));
    println!("    zoom-accounts unit (--timings): {}", show(&unit_times));
    table.timing(
        "crate-only compile from scratch, non-incremental (zoom-accounts unit, --timings)",
        unit_times,
        Some(20.0),
        Some(40.5),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_change_extends_the_first_plain_description_under_paths() {
        let spec = "info:\n  description: not this one\npaths:\n  /a:\n    get:\n      description: |-\n        block\n      summary: S\n      parameters:\n        - name: x\n          description: The x. Pass `me`.\n        - name: y\n          description: second\ncomponents:\n  x:\n    description: nor this\n";
        let (edited, line) = one_line_change(spec).expect("a line to change");
        assert_eq!(line, 11);
        let changed: Vec<(&str, &str)> = spec
            .split('\n')
            .zip(edited.split('\n'))
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(
            changed,
            vec![(
                "          description: The x. Pass `me`.",
                "          description: The x. Pass `me`. (bench-build)"
            )]
        );
    }

    #[test]
    fn one_line_change_needs_a_description_under_paths() {
        assert_eq!(
            one_line_change("info:\n  description: x\npaths: {}\n"),
            None
        );
    }

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

    #[test]
    fn counts_generated_items() {
        let mut size = GeneratedSize::default();
        size.add(
            "macro_rules! open_enum {\n    () => { pub enum $name { } };\n}\n/// A.\npub struct A {}\nstruct B;\n\
             open_enum! {\n    C { X = \"x\", }\n}\npub enum D { E }\n    pub struct Builder<'a> {}\n        pub fn stream(\n",
        );
        assert_eq!(
            (size.structs, size.enums, size.open_enums, size.streams),
            (3, 1, 1, 1)
        );
        assert_eq!((size.types(), size.lines, size.doc_comments), (5, 12, 1));
    }

    #[test]
    fn codegen_counts_as_rerun_only_for_a_slow_script_run() {
        let build = |ran, seconds| CrateBuild {
            build_script_ran: ran,
            build_script_seconds: seconds,
            ..CrateBuild::default()
        };
        assert!(!codegen_reran(&build(false, None)));
        assert!(!codegen_reran(&build(true, Some(0.01))), "a skipped run");
        assert!(codegen_reran(&build(true, Some(0.45))));
        assert!(codegen_reran(&build(true, None)), "no timing: assume it generated");
    }
}
