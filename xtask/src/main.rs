//! Project automation, run as `cargo xtask <command>` (alias in
//! `.cargo/config.toml`), in the style of rust-analyzer's xtask: one module per
//! subcommand, paths from the workspace root, few dependencies.

mod fsutil;
mod regen;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regen [--check]   normalize spec/zoom-accounts.yaml, regenerate the committed
                    client copy and the fixture snapshots; with --check, change
                    nothing and fail when anything is stale
  test              every test: installs the pinned npm tools, checks that
                    generated files are fresh, runs `cargo test --workspace`
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen::run(&workspace_root(), &args[1..]),
        Some("test") => test::run(&workspace_root(), &args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask's manifest sits one level below it.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
