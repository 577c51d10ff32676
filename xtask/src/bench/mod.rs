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
//!
//! One module per measurement (`size`, `regen`, `build_script`, `touch`,
//! `spec_change`, `clean`), and the shared parts: `command` (running and
//! timing commands), `timings` (cargo's `--timings` report), `machine`,
//! `table`.

mod build_script;
mod clean;
mod command;
mod machine;
mod regen;
mod size;
mod spec_change;
mod table;
mod timings;
mod touch;

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::{Instant, SystemTime};

use build_script::*;
use clean::*;
use command::*;
use machine::*;
use regen::*;
use size::*;
use spec_change::*;
use table::*;
use timings::*;
use touch::*;

// Shared with `check-spec`, which reports the same counts and unit times.
pub(crate) use size::GeneratedSize;
pub(crate) use timings::timing_report;

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
