//! `cargo xtask check-spec <file>`: the dry run before adopting a new
//! revision of a spec (or another product's spec). Any OpenAPI 3.0/3.1
//! file in Zoom's style, JSON or YAML, goes through what `import`,
//! `regen` and a build do with it, without touching `spec/` or
//! `generated-client/generated/`:
//!
//! 1. import into a scratch copy (`target/check-spec/<name>.yaml`): the
//!    repairs and notes are printed with their place in the input; an
//!    input beyond repair stops here with the error at its place;
//! 2. generate the client in-process (timed), printing the generator's
//!    notes (their lines are those of the scratch copy), the operations by
//!    tag, and the size of the client (types, lines, page streams);
//! 3. compile it: `compile-check` built with `ZOOM_CHECK_SPEC` naming the
//!    scratch copy, so the client compiles as one module with the
//!    dependencies and settings of `zoom-accounts`, in the workspace's
//!    target directory (a second run recompiles only the client). The wall
//!    time and cargo's own figure for the crate are printed; compiler
//!    errors are printed as cargo reports them, with the generated file
//!    and line.
//!
//! Every compile starts from an empty incremental cache of the crate (a
//! new spec leaves little to reuse, and the figure then does not depend
//! on what was compiled before). With `--runs N`, import and generation
//! are timed N times and the client is compiled N times (the first build,
//! then rebuilds of the crate alone after touching its `src/lib.rs`), and
//! the medians are printed; BENCHMARKS.md records the figures this way.
//! Nothing is asserted about a time. The exit code is non-zero when any
//! step fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use zoom_api_codegen::spec;

use crate::bench::{GeneratedSize, timing_report};
use crate::import;
use crate::regen::SPEC;

/// The package compiled (see `compile-check/build.rs`).
const COMPILE_CHECK: &str = "zoom-api-compile-check";
/// The variable that makes it compile one spec.
const CHECK_SPEC_ENV: &str = "ZOOM_CHECK_SPEC";

pub fn run(root: &Path, flags: &crate::flags::CheckSpec) -> Result<ExitCode> {
    let input = &flags.file;
    let bytes = std::fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow!("{}: not UTF-8 text: {e}", input.display()))?;
    println!("check-spec: {}", input.display());

    // 1. Import, into a scratch copy.
    let current = std::fs::read_to_string(root.join(SPEC)).ok();
    let runs = flags.runs;
    let mut import_times = Vec::new();
    let mut imported = None;
    for _ in 0..runs {
        let started = Instant::now();
        match import::import_spec(&text, current.as_deref()) {
            Ok(done) => imported = Some(done),
            Err(e) => {
                println!("FAILED at import: {}: {e}", input.display());
                println!("(nothing was written; spec/ is untouched)");
                return Ok(ExitCode::FAILURE);
            }
        }
        import_times.push(started.elapsed().as_secs_f64());
    }
    let Some(imported) = imported else {
        return Ok(ExitCode::FAILURE);
    };
    let import_seconds = median(&import_times);
    import::print_repairs(&imported.repairs);
    let scratch = scratch_dir(root);
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spec".into());
    let copy = scratch.join(format!("{stem}.yaml"));
    std::fs::write(&copy, &imported.spec).with_context(|| format!("writing {}", copy.display()))?;
    println!(
        "import: {} operations in {import_seconds:.2} s{}; the imported spec is {}",
        imported.operations,
        runs_note(runs),
        copy.display()
    );

    // 2. Generate, as the build script will.
    let mut settings = crate::regen::client_settings();
    settings.with_spec_name(copy.display().to_string());
    let mut generate_times = Vec::new();
    let mut generated = None;
    for _ in 0..runs {
        let started = Instant::now();
        match zoom_api_codegen::generate(&imported.spec, &settings) {
            Ok(done) => generated = Some(done),
            Err(e) => {
                println!("FAILED at generation: {}: {e}", copy.display());
                return Ok(ExitCode::FAILURE);
            }
        }
        generate_times.push(started.elapsed().as_secs_f64());
    }
    let Some(generated) = generated else {
        return Ok(ExitCode::FAILURE);
    };
    let generate_seconds = median(&generate_times);
    if generated.notes.is_empty() {
        println!("generate: no notes");
    } else {
        println!(
            "generate: {} notes (lines of {}):",
            generated.notes.len(),
            copy.display()
        );
        for note in &generated.notes {
            println!("  {note}");
        }
    }
    print_operations(&imported.spec);
    let mut size = GeneratedSize::default();
    for content in generated.files.values() {
        size.add(content);
    }
    println!(
        "generate: {} files in {generate_seconds:.2} s{}: {} types ({} structs incl. request builders, {} enums, {} open enums), {} lines, {} page streams",
        generated.files.len(),
        runs_note(runs),
        size.types(),
        size.structs,
        size.enums,
        size.open_enums,
        size.lines,
        size.streams
    );

    // 3. Compile (then rebuild the crate alone, for more samples).
    println!(
        "compile: cargo build -p {COMPILE_CHECK} with {CHECK_SPEC_ENV}={}",
        copy.display()
    );
    let mut walls = Vec::new();
    let mut units = Vec::new();
    for run in 0..runs {
        if run > 0 {
            touch(&root.join("compile-check/src/lib.rs"))?;
        }
        clear_incremental_cache(&target_dir(root))?;
        let started = Instant::now();
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .args(["build", "--locked", "-p", COMPILE_CHECK, "--timings"])
            .env(CHECK_SPEC_ENV, &copy)
            .stdin(Stdio::null())
            .output()
            .context("running cargo build")?;
        let wall = started.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            let shown: Vec<&str> = stderr
                .lines()
                .filter(|l| {
                    !l.trim_start().starts_with("Compiling") && !l.contains("Timing report")
                })
                .collect();
            println!("FAILED at compilation ({wall:.1} s):");
            for line in shown.iter().take(200) {
                println!("  {line}");
            }
            return Ok(ExitCode::FAILURE);
        }
        walls.push(wall);
        let unit = timing_report(&stderr).and_then(|units| {
            units
                .iter()
                .find(|u| u.name == COMPILE_CHECK && u.mode == "todo" && u.target.trim().is_empty())
                .map(|u| u.duration)
        });
        units.extend(unit);
    }
    let wall = median(&walls);
    let unit = (!units.is_empty()).then(|| median(&units));
    match unit {
        Some(seconds) => println!(
            "compile: ok in {wall:.1} s wall{}; the client crate itself {seconds:.1} s (cargo --timings)",
            runs_note(runs)
        ),
        None => println!("compile: ok in {wall:.1} s wall (the crate was already up to date)"),
    }
    println!(
        "summary: {} repairs/notes, {} operations, {} types, {} lines, generate {generate_seconds:.2} s, compile {}",
        imported.repairs.len(),
        imported.operations,
        size.types(),
        size.lines,
        unit.map_or_else(|| format!("{wall:.1} s wall"), |s| format!("{s:.1} s"))
    );
    Ok(ExitCode::SUCCESS)
}

/// The median of `samples` (not empty).
fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

fn runs_note(runs: usize) -> String {
    if runs > 1 {
        format!(" (median of {runs} runs)")
    } else {
        String::new()
    }
}

/// A new modification time for `path`, so cargo rebuilds its crate.
fn touch(path: &Path) -> Result<()> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(std::time::SystemTime::now()))
        .with_context(|| format!("touching {}", path.display()))
}

/// The workspace's target directory (or `CARGO_TARGET_DIR`).
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"))
}

/// `target/check-spec`.
fn scratch_dir(root: &Path) -> PathBuf {
    target_dir(root).join("check-spec")
}

/// Removes the crate's incremental cache (`debug/incremental/<crate>-*`).
fn clear_incremental_cache(target: &Path) -> Result<()> {
    let dir = target.join("debug/incremental");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    let prefix = format!("{}-", COMPILE_CHECK.replace('-', "_"));
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            std::fs::remove_dir_all(entry.path())
                .with_context(|| format!("removing {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The operations by tag, one line per tag.
fn print_operations(spec_text: &str) {
    let Ok(doc) = spec::load(spec_text.as_bytes()) else {
        return;
    };
    let mut by_tag: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in spec::operations(&doc.value) {
        let node = doc.value.pointer(&op.pointer);
        let id = node
            .and_then(|n| n.get("operationId"))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let tag = node
            .and_then(|n| n.get("tags"))
            .and_then(|t| t.get(0))
            .and_then(|t| t.as_str())
            .unwrap_or("(untagged)")
            .to_string();
        by_tag.entry(tag).or_default().push(id);
    }
    println!("operations by tag:");
    for (tag, ids) in by_tag {
        println!("  {tag} ({}): {}", ids.len(), ids.join(", "));
    }
}
