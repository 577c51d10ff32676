//! 5. A clean build with every dependency.

use super::*;

/// A fresh target directory, removed when dropped.
pub(super) struct TempTargetDir(pub(super) PathBuf);

impl Drop for TempTargetDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(super) fn measure_clean_builds(
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
