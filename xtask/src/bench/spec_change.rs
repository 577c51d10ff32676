//! 4b. The rebuild after a one-line spec change.

use super::*;

/// The spec file, with a byte-exact backup while it is edited.
pub(super) struct SpecFile {
    pub(super) path: PathBuf,
    pub(super) backup: PathBuf,
}

impl SpecFile {
    pub(super) fn new(root: &Path, work_dir: &Path) -> Self {
        SpecFile {
            path: root.join(crate::regen::SPEC),
            backup: work_dir.join("spec-backup.yaml"),
        }
    }

    /// A run that was killed mid-edit left a backup and the marker in the
    /// spec: put the original back before anything else.
    pub(super) fn recover_from_interrupted_run(&self) -> Result<()> {
        let Ok(original) = std::fs::read(&self.backup) else {
            return Ok(());
        };
        let current = std::fs::read(&self.path)
            .with_context(|| format!("reading {}", self.path.display()))?;
        if current == original {
            let _ = std::fs::remove_file(&self.backup);
        } else if String::from_utf8_lossy(&current).contains(SPEC_CHANGE_MARKER) {
            std::fs::write(&self.path, &original)
                .with_context(|| format!("restoring {}", self.path.display()))?;
            let _ = std::fs::remove_file(&self.backup);
            println!(
                "bench-build: restored {} from an interrupted run",
                self.path.display()
            );
        } else {
            bail!(
                "{} exists from an interrupted run, but the spec no longer carries the bench edit; \
                 compare them by hand and delete the backup",
                self.backup.display()
            );
        }
        Ok(())
    }
}

/// The spec with one description line extended by [`SPEC_CHANGE_MARKER`]:
/// the first single-line `description:` under `paths:` (an operation's or a
/// parameter's, so the generated rustdoc changes). Returns the new text and
/// the 1-based line number.
pub fn one_line_change(spec: &str) -> Option<(String, usize)> {
    let mut in_paths = false;
    let mut lines: Vec<&str> = spec.split('\n').collect();
    let mut changed = None;
    for (i, line) in lines.iter().enumerate() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_paths = line.starts_with("paths:");
            continue;
        }
        let Some(value) = line.trim_start().strip_prefix("description: ") else {
            continue;
        };
        let plain = !value.is_empty()
            && !value.starts_with(['|', '>', '\'', '"', '&', '*', '!', '[', '{'])
            && !value.contains(" #");
        if in_paths && plain {
            changed = Some(i);
            break;
        }
    }
    let i = changed?;
    let edited = format!("{}{SPEC_CHANGE_MARKER}", lines[i]);
    lines[i] = &edited;
    Some((lines.join("\n"), i + 1))
}

/// Puts the original spec back when dropped, unless someone else changed
/// the file meanwhile (then it is left alone, and said so).
pub(super) struct SpecEdit<'a> {
    pub(super) spec: &'a SpecFile,
    pub(super) original: Vec<u8>,
    pub(super) edited: Vec<u8>,
}

impl SpecEdit<'_> {
    pub(super) fn apply(&self) -> Result<()> {
        self.replace(&self.original, &self.edited)
    }

    pub(super) fn restore(&self) -> Result<()> {
        self.replace(&self.edited, &self.original)
    }

    pub(super) fn replace(&self, expected: &[u8], new: &[u8]) -> Result<()> {
        let current = std::fs::read(&self.spec.path)
            .with_context(|| format!("reading {}", self.spec.path.display()))?;
        if current != expected {
            bail!(
                "{} changed under the benchmark (another edit?); stopping and leaving it as it is",
                self.spec.path.display()
            );
        }
        std::fs::write(&self.spec.path, new)
            .with_context(|| format!("writing {}", self.spec.path.display()))
    }
}

impl Drop for SpecEdit<'_> {
    fn drop(&mut self) {
        match std::fs::read(&self.spec.path) {
            Ok(current) if current == self.original => {}
            Ok(current) if current == self.edited => {
                if let Err(e) = std::fs::write(&self.spec.path, &self.original) {
                    eprintln!(
                        "bench-build: could not restore {}: {e}; the original is in {}",
                        self.spec.path.display(),
                        self.spec.backup.display()
                    );
                    return;
                }
            }
            _ => {
                eprintln!(
                    "bench-build: {} was changed by someone else during the benchmark; left as it is \
                     (the original is in {})",
                    self.spec.path.display(),
                    self.spec.backup.display()
                );
                return;
            }
        }
        let _ = std::fs::remove_file(&self.spec.backup);
    }
}

pub(super) fn measure_spec_change_rebuilds(
    root: &Path,
    spec: &SpecFile,
    runs: usize,
    table: &mut Table,
) -> Result<()> {
    println!("\n[4] one-line spec change, then cargo build -p zoom-accounts -v --timings");
    let original =
        std::fs::read(&spec.path).with_context(|| format!("reading {}", spec.path.display()))?;
    let text = String::from_utf8(original.clone()).context("the spec is not UTF-8")?;
    let (edited_text, line) =
        one_line_change(&text).context("no single-line description under paths: to edit")?;
    // It must be a real change: the generated code differs.
    let settings = crate::regen::client_settings();
    let before = zoom_api_codegen::generate(&text.replace("\r\n", "\n"), &settings)
        .map_err(|e| anyhow::anyhow!("{}: {e}", crate::regen::SPEC))?;
    let after = zoom_api_codegen::generate(&edited_text.replace("\r\n", "\n"), &settings)
        .map_err(|e| anyhow::anyhow!("the edited spec: {e}"))?;
    let changed: Vec<&String> = after
        .files
        .iter()
        .filter(|(name, content)| before.files.get(*name) != Some(*content))
        .map(|(name, _)| name)
        .collect();
    if changed.is_empty() {
        bail!("appending to line {line} of the spec does not change the generated code");
    }
    println!(
        "    edit: line {line} of {} gets {SPEC_CHANGE_MARKER:?}; generated files that change: {}",
        crate::regen::SPEC,
        changed
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(&spec.backup, &original)
        .with_context(|| format!("writing {}", spec.backup.display()))?;
    let edit = SpecEdit {
        spec,
        original,
        edited: edited_text.into_bytes(),
    };

    // The crate must be fresh before the first change.
    build_crate(root, None)?;
    let (mut walls, mut units, mut scripts) = (Vec::new(), Vec::new(), Vec::new());
    let mut script_ran_every_time = true;
    for _ in 0..runs {
        for step in ["change", "restore"] {
            if step == "change" {
                edit.apply()?
            } else {
                edit.restore()?
            }
            let (sample, build) = build_crate(root, None)?;
            script_ran_every_time &= build.build_script_ran;
            walls.push(sample);
            units.push(build.lib_seconds);
            scripts.push(build.build_script_seconds);
        }
    }
    drop(edit);
    if std::fs::read(&spec.path).ok().as_deref() != Some(text.as_bytes()) {
        bail!("the spec was not restored exactly; see the messages above");
    }
    println!("    spec restored byte for byte");
    println!("    wall (change, restore, ...): {}", show(&walls));
    let units = unit_samples(&units, &walls);
    let scripts = unit_samples(&scripts, &walls);
    println!("    zoom-accounts unit (--timings): {}", show(&units));
    println!("    build script run unit (--timings): {}", show(&scripts));
    if !script_ran_every_time {
        println!("    note: the build script did not run after every spec change");
    }
    table.timing(
        "rebuild after a one-line spec change, wall (change and restore each count)",
        walls,
        Some(25.0),
        None,
    );
    table.timing(
        "  - of which the zoom-accounts unit (--timings)",
        units,
        None,
        None,
    );
    table.timing(
        "  - of which the build script run (--timings)",
        scripts,
        Some(1.0),
        None,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_change_extends_the_first_plain_description_under_paths() {
        let spec = "info:\n  description: not this one\npaths:\n  /a:\n    get:\n      description: |-\n        block\n      summary: S\n      parameters:\n        - name: x\n          description: The x. Pass `me`.\n        - name: y\n          description: second\ncomponents:\n  x:\n    description: nor this\n";
        let (edited, line) = one_line_change(spec).expect("a line to change");
        assert_eq!(line, 11);
        let changed: Vec<(&str, &str)> = spec
            .split('\n')
            .zip(edited.split('\n'))
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(
            changed,
            vec![(
                "          description: The x. Pass `me`.",
                "          description: The x. Pass `me`. (bench-build)"
            )]
        );
    }

    #[test]
    fn one_line_change_needs_a_description_under_paths() {
        assert_eq!(
            one_line_change("info:\n  description: x\npaths: {}\n"),
            None
        );
    }
}
