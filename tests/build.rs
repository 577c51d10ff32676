//! Generates the client of the `records_31.yaml` codegen fixture into
//! `OUT_DIR/records/`, for `records.rs`: the shapes every generated struct
//! takes (name collisions, deprecations, tolerant scalars) compiled and
//! exercised on a spec written for them, with the settings its snapshot
//! uses.

include!("../codegen/tests/fixture_settings.rs");

use std::path::PathBuf;

const FIXTURE: &str = "records_31.yaml";

fn main() {
    let spec = format!("../codegen/tests/fixtures/specs/{FIXTURE}");
    println!("cargo:rerun-if-changed={spec}");
    println!("cargo:rerun-if-changed=../codegen/tests/fixture_settings.rs");
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(message) = run(&spec) {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run(spec: &str) -> Result<(), String> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let text = std::fs::read_to_string(spec).map_err(|e| format!("reading {spec}: {e}"))?;
    let text = text.replace("\r\n", "\n");
    let target = out_dir.join("records");
    std::fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    zoom_api_codegen::out_dir::generate_into(&target, &text, &fixture_settings(FIXTURE))
        .map_err(|e| format!("{spec}: {e}"))?;
    Ok(())
}
