//! `cargo xtask <command>`: dispatches to the command modules of the
//! library (`src/lib.rs`), one module per subcommand.

use std::process::ExitCode;
use xtask::{bench, diff, import, regen, test, workspace_root};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regen [--check]   normalize spec/zoom-accounts.yaml, regenerate the committed
                    client copy and the fixture snapshots; with --check, change
                    nothing and fail when anything is stale
  test              every test: installs the pinned npm tools, checks that
                    generated files are fresh, runs `cargo test --workspace`
  import <file>     read a spec as Zoom publishes it (OpenAPI 3.0/3.1, JSON or
                    YAML) and write spec/zoom-accounts.yaml in normalized form,
                    keeping the names of the current spec's components
  export-zoom-style [<file>]
                    the inverse of import: the current spec as Zoom publishes
                    it (JSON), to stdout or <file>
  diff [--base <rev>] [--head <rev>] [--format markdown|json] [--fail-on breaking]
                    the API change between two versions of the spec (base
                    default HEAD, head default the working tree), each change
                    classified breaking or not for users of the Rust client
  bench-build [--runs N] [--clean] [--clean-runs N]
                    time regen, the build script and the client crate's
                    rebuilds (medians of N runs, default 3); with --clean also
                    clean builds with all dependencies (see BENCHMARKS.md)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen::run(&root, &args[1..]),
        Some("test") => test::run(&root, &args[1..]),
        Some("import") => import::run(&root, &args[1..]),
        Some("export-zoom-style") => import::zoom_style::run(&root, &args[1..]),
        Some("diff") => diff::run(&root, &args[1..]),
        Some("bench-build") => bench::run(&root, &args[1..]),
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
