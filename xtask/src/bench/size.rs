//! 0. The size of the generated code.

use super::*;

/// Counts in the committed copy of the generated client.
#[derive(Debug, Default, PartialEq)]
pub struct GeneratedSize {
    pub structs: usize,
    /// Plain `enum` items (the `open_enum!` macro's template is not one).
    pub enums: usize,
    pub open_enums: usize,
    pub lines: usize,
    /// `pub fn stream(` methods: paginated operations.
    pub streams: usize,
    /// `///` and `/**` doc comment openings.
    pub doc_comments: usize,
}

impl GeneratedSize {
    pub fn types(&self) -> usize {
        self.structs + self.enums + self.open_enums
    }

    /// Adds the counts of one generated file.
    pub fn add(&mut self, text: &str) {
        for line in text.lines() {
            self.lines += 1;
            let item = line.trim_start();
            let item = item.strip_prefix("pub ").unwrap_or(item);
            let named = |rest: &str| rest.starts_with(|c: char| c.is_alphabetic() || c == '_');
            if item.strip_prefix("struct ").is_some_and(named) {
                self.structs += 1;
            } else if item.strip_prefix("enum ").is_some_and(named) {
                self.enums += 1;
            } else if item.starts_with("open_enum! {") {
                self.open_enums += 1;
            } else if item.starts_with("fn stream(") {
                self.streams += 1;
            } else if item.starts_with("///") || item.starts_with("/**") {
                self.doc_comments += 1;
            }
        }
    }
}

pub(super) fn measure_generated_size(root: &Path, table: &mut Table) -> Result<()> {
    let dir = root.join(crate::regen::GENERATED_DIR);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    let mut size = GeneratedSize::default();
    for file in &files {
        size.add(
            &std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?,
        );
    }
    println!(
        "\n[0] {}/*.rs ({} files): {} types ({} structs incl. request builders, {} plain enum(s), {} open_enum!), \
         {} lines, {} stream() methods, {} doc comments",
        crate::regen::GENERATED_DIR,
        files.len(),
        size.types(),
        size.structs,
        size.enums,
        size.open_enums,
        size.lines,
        size.streams,
        size.doc_comments
    );
    let (types, lines) = (size.types(), size.lines);
    table.fact(
        "generated types (structs + enums + open_enum!)",
        &format!(
            "{types} ({:.0}% of the limit; plain progenitor: 737)",
            100.0 * types as f64 / 368.0
        ),
        "<= 368",
        types <= 368,
    );
    table.fact(
        "generated lines (`wc -l generated-client/generated/*.rs`)",
        &format!(
            "{lines} ({:.0}% of the limit)",
            100.0 * lines as f64 / 37_215.0
        ),
        "<= 37,215",
        lines <= 37_215,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_generated_items() {
        let mut size = GeneratedSize::default();
        size.add(
            "macro_rules! open_enum {\n    () => { pub enum $name { } };\n}\n/// A.\npub struct A {}\nstruct B;\n\
             open_enum! {\n    C { X = \"x\", }\n}\npub enum D { E }\n    pub struct Builder<'a> {}\n        pub fn stream(\n",
        );
        assert_eq!(
            (size.structs, size.enums, size.open_enums, size.streams),
            (3, 1, 1, 1)
        );
        assert_eq!((size.types(), size.lines, size.doc_comments), (5, 12, 1));
    }
}
