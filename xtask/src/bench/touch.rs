//! 3 and 4. Rebuilds after touching `lib.rs`, and after touching the spec.

use super::*;

pub(super) fn measure_touch_rebuilds(root: &Path, runs: usize, table: &mut Table) -> Result<()> {
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
    let (mut walls, mut units, mut scripts, mut codegen_ran) =
        (Vec::new(), Vec::new(), Vec::new(), 0);
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
            script
                .map(|s| format!("{s:.2} s"))
                .unwrap_or_else(|| "no timing".into()),
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
    table.timing(
        "  - of which the build script run (--timings)",
        scripts,
        None,
        None,
    );
    table.timing(
        "  - of which the zoom-accounts unit (--timings)",
        units,
        None,
        None,
    );
    Ok(())
}

/// Whether a build's script run did the code generation: it ran and took
/// at least [`CODEGEN_SECONDS_FLOOR`] (codegen alone takes about 0.45 s; a
/// skipped run, about 0.01 s). A run without a timing counts as codegen.
pub(super) fn codegen_reran(build: &CrateBuild) -> bool {
    build.build_script_ran
        && build
            .build_script_seconds
            .is_none_or(|seconds| seconds >= CODEGEN_SECONDS_FLOOR)
}

/// Below this, a build-script run cannot have generated the client.
pub(super) const CODEGEN_SECONDS_FLOOR: f64 = 0.15;

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(
            codegen_reran(&build(true, None)),
            "no timing: assume it generated"
        );
    }
}
