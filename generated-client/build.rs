//! Generates the typed client from `spec/zoom-accounts.yaml` and the webhooks
//! of `spec/zoom-accounts-webhooks.yaml` into `OUT_DIR`.
//!
//! Cargo reruns this script only when the spec, the settings or the script
//! change. Files are rewritten only when their content changed, so an
//! unchanged spec never invalidates the crate's own compilation. Cargo
//! decides by modification time, so a spec that is touched but not changed
//! (a `git checkout` or `git stash` round trip) reruns the script; a stamp
//! in `OUT_DIR` then lets it skip code generation
//! (see `zoom_api_codegen::out_dir`). On a bad spec, the script prints one message
//! naming the spec location and fails, and `OUT_DIR` keeps what it had.

include!("settings.rs");

use std::path::PathBuf;

use zoom_api_codegen::out_dir::{self, NOTES_ENV};

const SPEC: &str = "../spec/zoom-accounts.yaml";
const WEBHOOKS: &str = "../spec/zoom-accounts-webhooks.yaml";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed={WEBHOOKS}");
    println!("cargo:rerun-if-changed=settings.rs");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed={NOTES_ENV}");
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let text = std::fs::read_to_string(SPEC).map_err(|e| format!("reading {SPEC}: {e}"))?;
    let text = text.replace("\r\n", "\n");
    let webhooks =
        std::fs::read_to_string(WEBHOOKS).map_err(|e| format!("reading {WEBHOOKS}: {e}"))?;
    let settings = client_settings_with_webhooks(&webhooks.replace("\r\n", "\n"));
    let written = out_dir::generate_into(&out_dir, &text, &settings).map_err(|e| match e {
        out_dir::OutDirError::Generate(e) => format!("spec/zoom-accounts.yaml: {e}"),
        other => other.to_string(),
    })?;
    let wanted = std::env::var(NOTES_ENV).is_ok_and(|v| !v.is_empty() && v != "0");
    if wanted {
        for note in &written.notes {
            println!("cargo:warning=spec/zoom-accounts.yaml: {note}");
        }
    }
    Ok(())
}
