//! 1. `cargo xtask regen`.

use super::*;

pub(super) fn measure_regen(
    root: &Path,
    artifacts: &Artifacts,
    runs: usize,
    table: &mut Table,
) -> Result<()> {
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
