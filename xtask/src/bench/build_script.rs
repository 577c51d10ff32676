//! 2. The build script's own run.

use super::*;

pub(super) fn measure_build_script(
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
