//! Running the commands that are timed, and building what they need.

use super::*;

pub(super) fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs `command` to completion, output captured; the wall time and load.
pub(super) fn timed(command: &mut Command) -> Result<(Sample, Output)> {
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

pub(super) fn check_success(what: &str, output: &Output) -> Result<()> {
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    bail!("{what} failed ({}):\n{}", output.status, tail.join("\n"))
}

pub(super) fn touch(path: &Path) -> Result<()> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .with_context(|| format!("touching {}", path.display()))
}

/// What the build of the measured crates produced.
pub(super) struct Artifacts {
    pub(super) xtask: PathBuf,
    pub(super) build_script: PathBuf,
}

/// The xtask binary is this process: the one `cargo xtask` runs (building
/// it together with other packages could unify features differently and
/// produce another binary). The build script is found in the JSON messages
/// of `cargo build -p zoom-accounts` (untimed), the build that uses it.
pub(super) fn build_artifacts(root: &Path) -> Result<Artifacts> {
    println!("building zoom-accounts (untimed)...");
    let xtask = std::env::current_exe().context("finding the xtask binary")?;
    let output = cargo()
        .current_dir(root)
        .args([
            "build",
            "--locked",
            "-p",
            "zoom-accounts",
            // The build script this measures is the generating one.
            "--features",
            "generate",
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
