//! `cargo xtask <command>`: parses the command line (`flags`) and
//! dispatches to the command modules of the library (`src/lib.rs`), one
//! module per subcommand.

use std::process::ExitCode;
use xtask::flags::{self, Command};
use xtask::{
    bench, check_spec, diff, features, import, package, regen, semver_audit, test, workspace_root,
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match flags::parse(&args) {
        Ok(command) => command,
        Err(err) => {
            eprintln!("{err:#}");
            return ExitCode::from(2);
        }
    };
    let root = workspace_root();
    let result = match command {
        Command::Regen(flags) => regen::run(&root, flags),
        Command::Test => test::run(&root),
        Command::Package => package::run(&root),
        Command::CheckFeatures => features::run(&root),
        Command::Import(flags) => import::run(&root, &flags),
        Command::CheckSpec(flags) => check_spec::run(&root, &flags),
        Command::ExportZoomStyle(flags) => import::zoom_style::run(&root, &flags),
        Command::Diff(flags) => diff::run(&root, &flags),
        Command::SemverAudit(flags) => semver_audit::run(&root, &flags),
        Command::BenchBuild(flags) => bench::run(&root, flags),
        Command::Help => {
            print!("{}", flags::USAGE);
            return ExitCode::SUCCESS;
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
