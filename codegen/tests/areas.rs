//! Per-area features (`Settings::with_area_features`): each tag's file,
//! builders, prelude trait and metadata entries behind its feature, and
//! each type behind the features of the areas that reach it. That the
//! gated code compiles with each feature alone is `cargo xtask
//! check-features` on the real client.

use zoom_api_codegen::{FeatureUse, Settings, area_feature_name, generate};

/// Two tags and an untagged operation: `Pet` only `Pets` reaches, `Owner`
/// both tags reach (through `Pet` and directly), `Status` only the
/// untagged operation, `Unused` no operation.
const SPEC: &str = r##"
openapi: 3.1.0
info: {title: Areas, version: '1'}
paths:
  /pets:
    get:
      tags: [Pets]
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /orders:
    post:
      tags: [Store Orders]
      operationId: createOrder
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                buyer: {$ref: '#/components/schemas/Owner'}
      responses:
        '204': {description: created}
  /status:
    get:
      operationId: status
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Status'}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
        owner: {$ref: '#/components/schemas/Owner'}
    Owner:
      type: object
      properties:
        id: {type: string}
    Status:
      type: object
      properties:
        up: {type: boolean}
    Unused:
      type: object
      properties:
        x: {type: string}
"##;

fn settings() -> Settings {
    let mut settings = Settings::new();
    settings
        .with_runtime_crate("zoom_api_runtime")
        .with_area_features()
        .with_area_feature("Store Orders", "orders");
    settings
}

/// The attribute line printed right before the line that starts with
/// `item` in `file`.
fn gate_before(file: &str, item: &str) -> Option<String> {
    let lines: Vec<&str> = file.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(item))
        .unwrap_or_else(|| panic!("no line starting with {item:?} in\n{file}"));
    // Past the item's doc comments and derives (and the `record! {` that
    // wraps a struct) to its first attribute.
    let mut i = at;
    while i > 0 {
        let line = lines[i - 1].trim_start();
        if !(line.starts_with("///") || line.starts_with("#[derive") || line == "record! {") {
            break;
        }
        i -= 1;
    }
    lines[..i]
        .last()
        .filter(|l| l.starts_with("#[cfg"))
        .map(|l| l.to_string())
}

#[test]
fn the_default_feature_name_is_the_tag_in_kebab_case() {
    assert_eq!(
        area_feature_name("Information Barriers"),
        "information-barriers"
    );
    assert_eq!(area_feature_name("Dashboards"), "dashboards");
    assert_eq!(area_feature_name("H.323 Devices"), "h-323-devices");
}

#[test]
fn each_area_and_the_types_it_reaches_sit_behind_its_feature() {
    let generated = generate(SPEC, &settings()).expect("generates");
    let root = &generated.files["mod.rs"];
    assert!(
        root.contains("#[cfg(feature = \"pets\")]\ninclude!(\"pets.rs\");"),
        "{root}"
    );
    assert!(
        root.contains("#[cfg(feature = \"orders\")]\ninclude!(\"store_orders.rs\");"),
        "{root}"
    );
    assert!(root.contains("include!(\"untagged.rs\");"), "{root}");
    assert!(!root.contains("cfg(feature = \"untagged\")"), "{root}");
    assert!(
        root.contains("#[cfg(feature = \"pets\")]\n    pub use super::pets_builders::*;"),
        "{root}"
    );

    let client = &generated.files["client.rs"];
    assert!(
        client.contains("#[cfg(feature = \"pets\")]\n    pub use super::ClientPetsExt;"),
        "{client}"
    );

    let types = &generated.files["types.rs"];
    let pets = Some("#[cfg(feature = \"pets\")]".to_string());
    let both = Some("#[cfg(any(feature = \"orders\", feature = \"pets\"))]".to_string());
    assert_eq!(gate_before(types, "    pub struct Pet "), pets);
    assert_eq!(gate_before(types, "    pub struct Owner "), both);
    assert_eq!(gate_before(types, "    pub struct Status "), None);
    assert_eq!(gate_before(types, "    pub struct Unused "), None);

    let metadata = &generated.files["metadata.rs"];
    assert!(
        metadata.contains("    #[cfg(feature = \"pets\")]\n    OperationMeta {\n        operation_id: \"listPets\""),
        "{metadata}"
    );
    assert!(
        metadata
            .contains("    #[cfg(feature = \"orders\")]\n    (\"create_order\", \"createOrder\")"),
        "{metadata}"
    );
    assert!(
        metadata.contains("    OperationMeta {\n        operation_id: \"status\""),
        "{metadata}"
    );

    let features: Vec<(&str, &FeatureUse)> = generated
        .features
        .iter()
        .map(|(name, usage)| (name.as_str(), usage))
        .collect();
    assert_eq!(
        features,
        [
            (
                "orders",
                &FeatureUse {
                    what: "the operations tagged `Store Orders`".into(),
                    default: true
                }
            ),
            (
                "pets",
                &FeatureUse {
                    what: "the operations tagged `Pets`".into(),
                    default: true
                }
            ),
        ]
    );
}

#[test]
fn without_area_features_nothing_is_gated() {
    let mut settings = Settings::new();
    settings.with_runtime_crate("zoom_api_runtime");
    let generated = generate(SPEC, &settings).expect("generates");
    for (name, text) in &generated.files {
        assert!(!text.contains("#[cfg(feature"), "{name}:\n{text}");
    }
    assert!(generated.features.is_empty());
}
