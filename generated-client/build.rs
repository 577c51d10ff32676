//! Generates the typed client from `spec/zoom-accounts.yaml` into `OUT_DIR`.
//!
//! Cargo reruns this script only when the spec, the settings or the script
//! change. Files are rewritten only when their content changed, so an
//! unchanged spec never invalidates the crate's own compilation. On a bad
//! spec, the script prints one message naming the spec location and fails.

include!("settings.rs");

use std::path::{Path, PathBuf};

const SPEC: &str = "../spec/zoom-accounts.yaml";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=settings.rs");
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let text = std::fs::read_to_string(SPEC).map_err(|e| format!("reading {SPEC}: {e}"))?;
    let text = text.replace("\r\n", "\n");
    let generated = codegen::generate(&text, &client_settings())
        .map_err(|e| format!("spec/zoom-accounts.yaml: {e}"))?;
    for (name, content) in &generated.files {
        write_if_changed(&out_dir.join(name), content)?;
    }
    Ok(())
}

/// Leaves the file (and its mtime) alone when the content is the same.
fn write_if_changed(path: &Path, content: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, content).map_err(|e| format!("writing {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("writing {}: {e}", path.display()))
}
