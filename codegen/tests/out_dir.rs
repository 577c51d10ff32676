//! `zoom_api_codegen::out_dir::generate_into`, the build-script entry point: files
//! rewritten only when changed, and code generation skipped when the stamp
//! says the spec, the generator and the files are as they were.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use zoom_api_codegen::Settings;
use zoom_api_codegen::out_dir::{Outcome, STAMP_FILE, generate_into_with_identity};

const SPEC: &str = include_str!("fixtures/specs/edge_cases_31.yaml");

/// A fresh, empty directory under the target dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("codegen-out-dir-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn mtimes(dir: &Path) -> Vec<(String, SystemTime)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn writes_every_file_then_skips_an_unchanged_spec() {
    let dir = Scratch::new("skip");
    let settings = Settings::default();
    let first = generate_into_with_identity(&dir.0, SPEC, &settings, Some("gen-1"))
        .unwrap()
        .outcome;
    let Outcome::Generated { rewritten } = first else {
        panic!("the first run must generate, got {first:?}");
    };
    let expected = zoom_api_codegen::generate(SPEC, &settings).unwrap();
    assert_eq!(
        rewritten,
        expected.files.keys().cloned().collect::<Vec<_>>()
    );
    for (name, content) in &expected.files {
        assert_eq!(&std::fs::read_to_string(dir.0.join(name)).unwrap(), content);
    }
    assert!(dir.0.join(STAMP_FILE).exists());
    let before = mtimes(&dir.0);

    let again = generate_into_with_identity(&dir.0, SPEC, &settings, Some("gen-1"))
        .unwrap()
        .outcome;
    assert_eq!(again, Outcome::Skipped);
    assert_eq!(mtimes(&dir.0), before, "a skipped run touches nothing");
}

#[test]
fn a_new_generator_a_changed_spec_or_a_damaged_file_regenerates() {
    let dir = Scratch::new("regen");
    let settings = Settings::default();
    generate_into_with_identity(&dir.0, SPEC, &settings, Some("gen-1")).unwrap();

    // A new build of the generator: everything is generated again, but
    // unchanged content is not rewritten.
    let rerun = generate_into_with_identity(&dir.0, SPEC, &settings, Some("gen-2"))
        .unwrap()
        .outcome;
    assert_eq!(rerun, Outcome::Generated { rewritten: vec![] });

    // A changed spec (a description: only some files change).
    let changed = SPEC.replacen("title:", "title: Changed", 1);
    assert_ne!(changed, SPEC);
    let Outcome::Generated { rewritten } =
        generate_into_with_identity(&dir.0, &changed, &settings, Some("gen-2"))
            .unwrap()
            .outcome
    else {
        panic!("a changed spec must generate");
    };
    assert!(!rewritten.is_empty());
    assert_eq!(
        generate_into_with_identity(&dir.0, &changed, &settings, Some("gen-2"))
            .unwrap()
            .outcome,
        Outcome::Skipped
    );

    // A generated file edited, keeping its length (the stamp used to
    // compare lengths only), changed in length, or removed.
    let root = zoom_api_codegen::generate(&changed, &settings)
        .unwrap()
        .root;
    let root_path = dir.0.join(&root);
    let original = std::fs::read_to_string(&root_path).unwrap();
    let same_length = original.replacen("mod", "MOD", 1);
    assert_eq!(same_length.len(), original.len());
    assert_ne!(same_length, original);
    std::fs::write(&root_path, &same_length).unwrap();
    assert_eq!(
        generate_into_with_identity(&dir.0, &changed, &settings, Some("gen-2"))
            .unwrap()
            .outcome,
        Outcome::Generated {
            rewritten: vec![root.clone()]
        }
    );
    assert_eq!(std::fs::read_to_string(&root_path).unwrap(), original);

    std::fs::write(&root_path, format!("{original}// edited\n")).unwrap();
    assert_eq!(
        generate_into_with_identity(&dir.0, &changed, &settings, Some("gen-2"))
            .unwrap()
            .outcome,
        Outcome::Generated {
            rewritten: vec![root.clone()]
        }
    );
    assert_eq!(std::fs::read_to_string(&root_path).unwrap(), original);
    std::fs::remove_file(&root_path).unwrap();
    assert_eq!(
        generate_into_with_identity(&dir.0, &changed, &settings, Some("gen-2"))
            .unwrap()
            .outcome,
        Outcome::Generated {
            rewritten: vec![root]
        }
    );
}

#[test]
fn an_unknown_generator_never_skips_and_leaves_no_stamp() {
    let dir = Scratch::new("unknown");
    let settings = Settings::default();
    generate_into_with_identity(&dir.0, SPEC, &settings, Some("gen-1")).unwrap();
    assert!(dir.0.join(STAMP_FILE).exists());
    let run = generate_into_with_identity(&dir.0, SPEC, &settings, None)
        .unwrap()
        .outcome;
    assert_eq!(run, Outcome::Generated { rewritten: vec![] });
    assert!(!dir.0.join(STAMP_FILE).exists());
}

#[test]
fn a_bad_spec_fails_and_drops_nothing_it_had() {
    let dir = Scratch::new("bad");
    let settings = Settings::default();
    generate_into_with_identity(&dir.0, SPEC, &settings, Some("gen-1")).unwrap();
    let before = mtimes(&dir.0);
    let error = generate_into_with_identity(&dir.0, "just: a mapping\n", &settings, Some("gen-1"))
        .unwrap_err();
    assert!(
        error.to_string().contains("not an OpenAPI document"),
        "{error}"
    );
    assert_eq!(
        mtimes(&dir.0),
        before,
        "the earlier output and its stamp stay"
    );
    // ...and the stamp still matches the spec it was written for.
    assert_eq!(
        generate_into_with_identity(&dir.0, SPEC, &settings, Some("gen-1"))
            .unwrap()
            .outcome,
        Outcome::Skipped
    );
}

#[test]
fn other_settings_regenerate() {
    // Different settings make different files from the same spec; the stamp
    // used to leave the settings out and answer Skipped, keeping stale files.
    let dir = Scratch::new("settings");
    let settings = Settings::default();
    generate_into_with_identity(&dir.0, SPEC, &settings, Some("gen-1")).unwrap();
    let mut other = Settings::default();
    other.with_spec_name("another name");
    let Outcome::Generated { rewritten } =
        generate_into_with_identity(&dir.0, SPEC, &other, Some("gen-1"))
            .unwrap()
            .outcome
    else {
        panic!("other settings must generate");
    };
    assert!(!rewritten.is_empty(), "the header names the spec");
    assert_eq!(
        generate_into_with_identity(&dir.0, SPEC, &other, Some("gen-1"))
            .unwrap()
            .outcome,
        Outcome::Skipped
    );
}

#[test]
fn a_skipped_run_reports_the_notes_of_the_run_that_wrote_the_files() {
    let dir = Scratch::new("notes");
    let settings = Settings::default();
    let first = generate_into_with_identity(&dir.0, SPEC, &settings, Some("gen-1")).unwrap();
    assert!(!first.notes.is_empty(), "the edge cases fixture has notes");
    assert!(
        first.notes.iter().all(|n| n.location.line.is_some()),
        "{:?}",
        first.notes
    );
    let again = generate_into_with_identity(&dir.0, SPEC, &settings, Some("gen-1")).unwrap();
    assert_eq!(again.outcome, Outcome::Skipped);
    assert_eq!(again.notes, first.notes);
}
