//! `cargo xtask import`: the round trip on the committed spec, and bad
//! inputs that must be refused with a located error and leave `spec/` as
//! it was.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use xtask::import::{import_spec, zoom_style};

fn repo_root() -> PathBuf {
    xtask::workspace_root()
}

fn committed_spec() -> String {
    let text = std::fs::read_to_string(repo_root().join("spec/zoom-accounts.yaml")).unwrap();
    text.replace("\r\n", "\n")
}

#[test]
fn zoom_style_round_trip_gives_the_committed_spec_back() {
    let current = committed_spec();
    let zoom = zoom_style::render(&current).unwrap();
    let zoom_json = serde_json::to_string_pretty(&zoom).unwrap();
    // The rendering really is Zoom's style, not our spec in disguise.
    assert_eq!(zoom["openapi"], "3.0.3");
    assert!(!zoom_json.contains("$ref"));
    assert!(!zoom_json.contains("x-zoom-"));
    assert!(zoom_json.contains("**[Rate Limit Label]("));

    let imported = import_spec(&zoom_json, Some(&current)).unwrap();
    if imported.spec != current {
        let diff = first_difference(&current, &imported.spec);
        panic!("import of the Zoom-style rendering differs from spec/zoom-accounts.yaml:\n{diff}");
    }
    assert!(imported.hoisted.split.is_empty() && imported.hoisted.new.is_empty());
    assert!(imported.hoisted.unused.is_empty());
}

fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<_>, Vec<_>) = (want.lines().collect(), got.lines().collect());
    let at = w
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    let from = at.saturating_sub(5);
    format!(
        "first difference at line {}\n--- want\n{}\n--- got\n{}",
        at + 1,
        w[from..(at + 5).min(w.len())].join("\n"),
        g[from..(at + 5).min(g.len())].join("\n")
    )
}

#[test]
fn the_committed_spec_imports_to_itself() {
    let current = committed_spec();
    let imported = import_spec(&current, Some(&current)).unwrap();
    assert!(
        imported.spec == current,
        "{}",
        first_difference(&current, &imported.spec)
    );
}

#[test]
fn the_round_trip_also_reads_yaml() {
    let current = committed_spec();
    let zoom = zoom_style::render(&current).unwrap();
    let yaml = zoom_api_codegen::spec::to_canonical_yaml(&zoom);
    let imported = import_spec(&yaml, Some(&current)).unwrap();
    assert!(
        imported.spec == current,
        "{}",
        first_difference(&current, &imported.spec)
    );
}

/// Changing one copy of a shared shape renames only that copy; every other
/// component keeps its name, so the spec diff stays small.
#[test]
fn a_changed_copy_of_a_shared_shape_gets_a_qualified_name() {
    let current = committed_spec();
    let mut zoom = zoom_style::render(&current).unwrap();
    // `PageInfo` is the second `allOf` member of this response (and is used twice more).
    let site = "/paths/~1accounts~1{accountId}~1metrics~1issues~1zoomrooms~1{zoomroomId}/get/responses/200/content/application~1json/schema/allOf/1";
    zoom.pointer_mut(&format!("{site}/properties"))
        .and_then(Value::as_object_mut)
        .expect("PageInfo inline at its site")
        .insert(
            "page_number".into(),
            json!({"type": "integer", "description": "The page number."}),
        );
    let imported = import_spec(&zoom.to_string(), Some(&current)).unwrap();
    let h = &imported.hoisted;
    assert_eq!(h.split.len(), 1, "{:?}", h.split);
    assert_eq!(h.split[0].0, "PageInfo");
    assert!(h.new.is_empty() && h.unused.is_empty());
    assert!(h.kept.contains("PageInfo"));
    // The site's $ref, and the new component (PageInfo's 15 lines plus the field).
    let changed = changed_lines(&current, &imported.spec);
    assert!(changed <= 24, "{changed} lines changed");
}

/// A change deep inside shared shapes splits each enclosing shape too (they
/// now differ from their other copies); each copy is named after the
/// property it stands at.
#[test]
fn a_nested_change_splits_the_enclosing_shapes() {
    let current = committed_spec();
    let mut zoom = zoom_style::render(&current).unwrap();
    // The first inline copy of `QosMetrics` (found by its distinctive bitrate text) gains a field.
    let site = find_first(&zoom, &|v| {
        v.pointer("/properties/bitrate/description")
            .and_then(Value::as_str)
            == Some("The bits per second transmitted along a digital network, in kbps.")
            && v.get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| p.len() == 5)
    })
    .expect("an inline QosMetrics");
    zoom.pointer_mut(&format!("{site}/properties"))
        .and_then(Value::as_object_mut)
        .unwrap()
        .insert(
            "mos".into(),
            json!({"type": "string", "description": "Mean opinion score."}),
        );
    let imported = import_spec(&zoom.to_string(), Some(&current)).unwrap();
    let split: Vec<(&str, &str)> = imported
        .hoisted
        .split
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        split,
        [
            ("UserQos", "ParticipantUserQos"),
            ("VideoQos", "AsInputVideoQos"),
            ("QosMetrics", "AsInputQosMetrics")
        ]
    );
    assert!(imported.hoisted.unused.is_empty());
}

/// Every type the generator merges from equal shapes has its name in the
/// spec (or is a component's), so no name of the client depends on which
/// uses are equal. A hand edit that makes two shapes equal fails here
/// until the name is recorded.
#[test]
fn the_committed_spec_records_every_merged_name() {
    let current = committed_spec();
    let components: Vec<String> = zoom_api_codegen::spec::load(current.as_bytes())
        .unwrap()
        .value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let unrecorded: Vec<String> =
        zoom_api_codegen::type_names(&current, &xtask::regen::client_settings())
            .unwrap()
            .into_iter()
            .filter(|s| {
                s.named_by == zoom_api_codegen::NamedBy::Structure
                    && !components.contains(&s.type_name)
            })
            .map(|s| format!("{} ({})", s.pointer, s.type_name))
            .collect();
    assert!(
        unrecorded.is_empty(),
        "merged types named from their structure, not recorded in the spec \
         (`cargo xtask import spec/zoom-accounts.yaml` records them):\n{}",
        unrecorded.join("\n")
    );
}

/// The example: one enum value added inside one copy of a shape
/// the generator merges with another (the settings read and update bodies
/// repeat it with other field descriptions). The type names are recorded
/// in the spec, so the unchanged copy keeps its type; only the changed use
/// gets a type of its own (its field and setter change type). Without the
/// record, both fields changed type and the shared type was gone.
#[test]
fn a_changed_use_of_a_merged_type_renames_only_that_use() {
    let current = committed_spec();
    let mut zoom = zoom_style::render(&current).unwrap();
    let body = "/paths/~1accounts~1{accountId}~1settings/patch/requestBody/content/application~1json/schema";
    let site = find_first(zoom.pointer(body).unwrap(), &|v| {
        v.get("enum") == Some(&json!(["global_relay", "smarsh"]))
    })
    .expect("the archiving service type in the update body");
    zoom.pointer_mut(&format!("{body}{site}/enum"))
        .and_then(Value::as_array_mut)
        .unwrap()
        .push(json!("proofpoint"));
    let imported = import_spec(&zoom.to_string(), Some(&current)).unwrap();
    let dropped: Vec<&str> = imported
        .type_names
        .dropped
        .iter()
        .map(|(_, name)| name.as_str())
        .collect();
    assert_eq!(
        dropped,
        [
            "ChatSendDataToThirdPartyArchivingServiceType",
            "ChatSendDataToThirdPartyArchivingService"
        ]
    );
    assert!(imported.type_names.new.is_empty());

    let rust = xtask::diff::compare_rust(Some(&current), Some(&imported.spec)).unwrap();
    assert!(rust.removed.is_empty(), "{:?}", rust.removed);
    let changed: Vec<&str> = rust.changed.iter().map(|(b, _)| b.path.as_str()).collect();
    // The field and its setter.
    assert_eq!(
        changed,
        [
            "types::AccountSettingsUpdateBodyChat.send_data_to_third_party_archiving_service",
            "types::AccountSettingsUpdateBodyChat::with_send_data_to_third_party_archiving_service"
        ]
    );
}

/// A new field that repeats an existing inline shape: import hoists the
/// shape, now repeated, into a component, which it names as the generator
/// named the existing copy, so the existing field's type keeps its name.
#[test]
fn a_new_use_of_a_shape_keeps_the_old_use_s_type_name() {
    let current = committed_spec();
    let mut zoom = zoom_style::render(&current).unwrap();
    let ok = "responses/200/content/application~1json/schema";
    let item = zoom
        .pointer(&format!(
            "/paths/~1accounts~1{{accountId}}~1managed_domains/get/{ok}/properties/domains/items"
        ))
        .cloned()
        .expect("the managed domain item, inline");
    zoom.pointer_mut(&format!(
        "/paths/~1accounts~1{{accountId}}~1trusted_domains/get/{ok}/properties"
    ))
    .and_then(Value::as_object_mut)
    .expect("the trusted domains answer")
    .insert("managed_domain".into(), item);
    let imported = import_spec(&zoom.to_string(), Some(&current)).unwrap();
    assert_eq!(
        imported.hoisted.new,
        ["AccountManagedDomainResponseDomainsItem"]
    );
    let rust = xtask::diff::compare_rust(Some(&current), Some(&imported.spec)).unwrap();
    assert!(rust.removed.is_empty(), "{:?}", rust.removed);
    assert!(rust.changed.is_empty(), "{:?}", rust.changed);
}

fn find_first(v: &Value, pred: &dyn Fn(&Value) -> bool) -> Option<String> {
    fn walk(v: &Value, ptr: String, pred: &dyn Fn(&Value) -> bool) -> Option<String> {
        if pred(v) {
            return Some(ptr);
        }
        match v {
            Value::Object(m) => m.iter().find_map(|(k, c)| {
                walk(
                    c,
                    format!("{ptr}/{}", k.replace('~', "~0").replace('/', "~1")),
                    pred,
                )
            }),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .find_map(|(i, c)| walk(c, format!("{ptr}/{i}"), pred)),
            _ => None,
        }
    }
    walk(v, String::new(), pred)
}

/// Lines only in one of the texts (a multiset difference, cheap and good
/// enough to bound a diff's size).
fn changed_lines(a: &str, b: &str) -> usize {
    let mut counts = std::collections::HashMap::<&str, i64>::new();
    for l in a.lines() {
        *counts.entry(l).or_default() += 1;
    }
    for l in b.lines() {
        *counts.entry(l).or_default() -= 1;
    }
    counts.values().map(|c| c.unsigned_abs() as usize).sum()
}

#[test]
fn a_small_zoom_spec() {
    let input = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/small-zoom.yaml"),
    )
    .unwrap();
    let imported = import_spec(&input, None).unwrap();
    let spec = zoom_api_codegen::spec::load(imported.spec.as_bytes())
        .unwrap()
        .value;
    let list = &spec["paths"]["/accounts/{accountId}/rooms"]["get"];
    assert_eq!(list["description"], "List the rooms of an account.");
    assert_eq!(
        list["x-zoom-scopes"],
        json!(["room:read:admin", "room:master"])
    );
    assert_eq!(
        list["x-zoom-granular-scopes"],
        json!(["room:read:list_rooms:admin"])
    );
    assert_eq!(list["x-zoom-rate-limit"], "HEAVY");
    assert_eq!(
        list["x-zoom-prerequisites"],
        json!(["A Pro or higher plan.", "Zoom Rooms enabled."])
    );
    assert_eq!(list["parameters"][0]["required"], true);
    let not_found = &list["responses"]["404"];
    assert_eq!(
        not_found["x-zoom-error-codes"],
        json!([{"code": 1001, "message": "Account does not exist."}, {"code": 1002, "message": "Rooms are not enabled."}])
    );
    assert_eq!(
        not_found["content"],
        json!({"application/json": {"schema": {"$ref": "#/components/schemas/ZoomError"}}})
    );
    assert!(list["responses"]["200"].get("x-zoom-error-codes").is_none());

    let get = &spec["paths"]["/accounts/{accountId}/rooms/{roomId}"]["get"];
    assert_eq!(get["x-zoom-scopes"], json!(["room:read:admin"]));
    assert_eq!(
        get["x-zoom-granular-scopes"],
        json!(["room:read:room:admin"])
    );
    assert_eq!(get["x-zoom-rate-limit"], "RESOURCE-INTENSIVE");
    // What import has no place for stays as Zoom wrote it.
    assert_eq!(
        get["x-extensions"],
        json!({"x-permissions": ["Zoom_Rooms:Read"]})
    );
    assert_eq!(get["parameters"][1]["required"], true);

    // The location shape repeats: hoisted under the property's name, each
    // site keeping its own description; nullable/example in 3.1 spelling.
    let schemas = &spec["components"]["schemas"];
    assert_eq!(
        schemas["Location"],
        json!({"type": "object", "properties": {
            "building": {"type": ["string", "null"]},
            "floor": {"type": "integer"}
        }})
    );
    let room = &list["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["rooms"]
        ["items"];
    assert_eq!(
        room["properties"]["location"],
        json!({"$ref": "#/components/schemas/Location", "description": "Where the room is."})
    );
    assert_eq!(room["properties"]["id"]["examples"], json!(["r1"]));
    assert_eq!(
        room["properties"]["kind"]["x-enum-descriptions"],
        json!(["A kiosk.", "A conference room."])
    );
    assert_eq!(
        schemas["ZoomError"]["description"],
        "The body Zoom returns with an error status."
    );
    assert_eq!(imported.hoisted.new, ["Location"]);
    assert_eq!(spec["openapi"], "3.1.1");
    // And the client generator takes it as it is.
    if let Err(e) = zoom_api_codegen::generate(&imported.spec, &xtask::regen::client_settings()) {
        panic!("the imported spec does not generate: {e}");
    }
}

/// A temporary workspace root holding a copy of the committed spec.
fn temp_workspace() -> support::TempDir {
    let dir = support::TempDir::new("import");
    std::fs::create_dir_all(dir.path().join("spec")).unwrap();
    std::fs::copy(
        repo_root().join("spec/zoom-accounts.yaml"),
        dir.path().join("spec/zoom-accounts.yaml"),
    )
    .unwrap();
    dir
}

fn spec_dir_snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(root.join("spec"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

const OPENAPI_HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n";

/// `(name, input, the error's Display text)`: each bad input is refused,
/// saying what and where, and `spec/` stays byte-identical.
#[test]
fn bad_inputs_are_refused_and_leave_spec_untouched() {
    let op = |description: &str| {
        format!(
            "{OPENAPI_HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      description: '{description}'\n      responses:\n        '200':\n          description: OK\n"
        )
    };
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "not-openapi.yaml",
            "title: a shopping list\nitems: [milk, eggs]\n".into(),
            "at the document root (line 1): not an OpenAPI document: no `openapi` version field",
        ),
        (
            "swagger.json",
            "{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"T\", \"version\": \"1\"},\n  \"paths\": {}\n}\n".into(),
            "at /swagger (line 2): unsupported OpenAPI version \"2.0\"; expected 3.0.x or 3.1.x",
        ),
        (
            "version.yaml",
            "openapi: 4.0.0\ninfo:\n  title: T\n  version: '1'\npaths: {}\n".into(),
            "at /openapi (line 1): unsupported OpenAPI version \"4.0.0\"; expected 3.0.x or 3.1.x",
        ),
        (
            "syntax.yaml",
            format!("{OPENAPI_HEAD}paths:\n  /a: [unclosed\n"),
            "at the document root (line 7): cannot parse the spec: while parsing a flow sequence, expected ',' or ']'",
        ),
        (
            "broken-ref.yaml",
            format!(
                "{OPENAPI_HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      description: '**[Rate Limit Label](https://x):** `Light`'\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n"
            ),
            "at /paths/~1a/get/responses/200/content/application~1json/schema/$ref (line 16): unresolvable $ref \"#/components/schemas/Missing\"",
        ),
        (
            "no-operations.yaml",
            format!("{OPENAPI_HEAD}paths: {{}}\n"),
            "at /paths (line 5): not a Zoom API spec: it declares no operations",
        ),
        (
            "no-rate-limit.yaml",
            op("Just prose."),
            "at /paths (line 5): not a Zoom API spec: no operation has a rate-limit label (`**[Rate Limit Label](...):** `MEDIUM`` in its description, or `x-zoom-rate-limit`)",
        ),
        (
            "not-a-type.yaml",
            format!(
                "{OPENAPI_HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      x-zoom-rate-limit: LIGHT\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  when: {{type: Strnig}}\n"
            ),
            "at /paths/~1a/get/responses/200/content/application~1json/schema/properties/when/type (line 18): \"Strnig\" is not a JSON Schema type (one of: array, boolean, integer, null, number, object, string)",
        ),
        (
            "type-and-format-disagree.yaml",
            format!(
                "{OPENAPI_HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      x-zoom-rate-limit: LIGHT\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema:\n                type: Date\n                format: date-time\n"
            ),
            "at /paths/~1a/get/responses/200/content/application~1json/schema/type (line 16): type \"Date\" means format `date`, but the schema says format \"date-time\": which one is meant is not plain",
        ),
        (
            "properties-as-a-list.json",
            "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"T\", \"version\": \"1\"},\n \"paths\": {\"/a\": {\"post\": {\"operationId\": \"postA\", \"x-zoom-rate-limit\": \"LIGHT\",\n  \"requestBody\": {\"content\": {\"application/json\": {\"schema\": {\"type\": \"object\",\n   \"properties\": [\"id\", \"name\"]}}}},\n  \"responses\": {\"204\": {\"description\": \"ok\"}}}}}}\n".into(),
            "at /paths/~1a/post/requestBody/content/application~1json/schema/properties (line 4): `properties` must be a mapping of property names to schemas, not a list",
        ),
    ];
    let workspace = temp_workspace();
    let root = workspace.path();
    let before = spec_dir_snapshot(root);
    for (name, input, expected) in cases {
        let file = root.join(name);
        std::fs::write(&file, &input).unwrap();
        let err = xtask::import::run(root, &xtask::flags::Import { file: file.clone() })
            .expect_err(name)
            .to_string();
        let prefix = format!("{}: ", file.display());
        assert_eq!(err.strip_prefix(&prefix), Some(expected), "{name}: {err}");
        assert_eq!(spec_dir_snapshot(root), before, "{name} changed spec/");
    }
}

/// Every class of mistake of `zoom-quirks.json` is repaired with a note at
/// its line in the input, or noted where it only describes; the result
/// passes the generator's strict validation and generates.
#[test]
fn zoom_quirks_are_repaired_with_notes() {
    let input = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/zoom-quirks.json"),
    )
    .unwrap();
    // As Zoom ships it, the generator refuses it at the first mistake.
    let refused = zoom_api_codegen::generate(&input, &xtask::regen::client_settings());
    assert!(refused.is_err());
    let imported = import_spec(&input, None).unwrap();
    let notes: Vec<String> = imported.repairs.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "at /paths/~1rooms~1{roomId}~1playlists~1{playlistId}/patch/requestBody/content/undefined/schema/properties/name/example (line 105): the example contradicts its schema (7 is not of type string); kept as written, the schema wins",
            "at /paths/~1rooms~1{roomId}~1playlists~1{playlistId}/patch/requestBody/content/undefined/schema/properties/renewal_date/type (line 108): type \"Date\" is `string` with format `date`",
            "at /paths/~1rooms~1{roomId}~1playlists~1{playlistId}/patch/requestBody/content/undefined/schema/properties/count/type (line 112): type \"Integer\" is `integer`",
            "at /paths/~1rooms~1{roomId}~1playlists~1{playlistId}/patch/requestBody/content/undefined (line 99): media type \"undefined\" is `application/json`",
            "at /paths/~1rooms~1{roomId}~1playlists~1{playlistId}/delete/requestBody (line 63): request body without `content` removed: the operation sends no body",
            "at /paths/~1rooms~1{roomId}~1playlists~1{playlistId}/get/parameters/0 (line 17): path parameter `required` was missing: made `true` (OpenAPI requires it)",
            "at /paths/~1rooms~1{roomId}~1playlists~1{playlistId}/get (line 9): path parameter {playlistId} was not declared: added as a required string path parameter",
            "at /paths/~1rooms~1{roomId}~1playlists~1{playlistId}/delete/description (line 44): scopes \"Only for account owners\" not understood: kept in the description as written",
            "at /paths/~1rooms~1{roomId}~1playlists~1{playlistId}/delete/description (line 44): rate-limit label \"`20`\" not understood: kept in the description as written",
        ]
    );
    let spec = zoom_api_codegen::spec::load(imported.spec.as_bytes())
        .unwrap()
        .value;
    let item = &spec["paths"]["/rooms/{roomId}/playlists/{playlistId}"];
    // The unknown label stays in the prose; the operation has no label.
    assert!(item["delete"].get("x-zoom-rate-limit").is_none());
    assert!(
        item["delete"]["description"]
            .as_str()
            .unwrap()
            .contains("`20`")
    );
    assert!(item["delete"].get("requestBody").is_none());
    assert_eq!(item["patch"]["x-zoom-rate-limit"], "MEDIUM");
    // The recursive schema is a component under its own name.
    assert_eq!(
        spec["components"]["schemas"]["PlaylistItem"]["properties"]["children"]["items"],
        json!({"$ref": "#/components/schemas/PlaylistItem"})
    );
    let generated = zoom_api_codegen::generate(&imported.spec, &xtask::regen::client_settings())
        .unwrap_or_else(|e| panic!("the repaired spec does not generate: {e}"));
    let notes: Vec<String> = generated.notes.iter().map(|n| n.message.clone()).collect();
    assert!(
        notes.contains(&"format `double` means nothing to the generator for type `integer`; kept in the docs only".to_string()),
        "{notes:#?}"
    );
}

/// The repairs are kept in `spec/README.md`, in a section each import
/// rewrites (or appends when there is none).
#[test]
fn the_repairs_are_kept_in_the_spec_readme() {
    let workspace = temp_workspace();
    let root = workspace.path();
    let readme = root.join("spec/README.md");
    std::fs::write(&readme, "# spec\n\nHand-written text.\n").unwrap();
    let input =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/zoom-quirks.json");
    xtask::import::run(root, &xtask::flags::Import { file: input }).unwrap();
    let once = std::fs::read_to_string(&readme).unwrap();
    assert!(
        once.starts_with("# spec\n\nHand-written text.\n\n## What the last import repaired\n\n")
    );
    assert!(
        once.contains("The last `cargo xtask import` (of `zoom-quirks.json`) repaired or noted")
    );
    assert!(once.contains("- at /paths/~1rooms~1{roomId}~1playlists~1{playlistId}/get (line 9): path parameter {playlistId} was not declared"));
    // A second import replaces the section.
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/small-zoom.yaml");
    xtask::import::run(root, &xtask::flags::Import { file: input }).unwrap();
    let twice = std::fs::read_to_string(&readme).unwrap();
    assert_eq!(twice.matches(xtask::import::REPAIRS_START).count(), 1);
    assert!(twice.contains("(of `small-zoom.yaml`)"));
    assert!(!twice.contains("playlistId"));
    assert!(twice.starts_with("# spec\n\nHand-written text.\n"));
}

#[test]
fn a_good_import_replaces_the_spec_through_a_temporary_file() {
    let workspace = temp_workspace();
    let root = workspace.path();
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/small-zoom.yaml");
    let code = xtask::import::run(
        root,
        &xtask::flags::Import {
            file: input.clone(),
        },
    )
    .unwrap();
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    let files = spec_dir_snapshot(root);
    assert_eq!(files.len(), 1, "no temporary file left behind");
    let written = String::from_utf8(files[0].1.clone()).unwrap();
    assert_eq!(
        written,
        import_spec(&std::fs::read_to_string(&input).unwrap(), None)
            .unwrap()
            .spec
    );
}

/// Zoom publishes the bodies its reference gives only as an example with an
/// empty schema (the Zoom-style rendering does too); import derives each
/// one's schema from its example, marked, and every import does it again.
#[test]
fn a_body_given_only_as_an_example_gets_the_schema_of_its_example() {
    let current = committed_spec();
    let zoom = zoom_style::render(&current).unwrap();
    let body = "/paths/~1accounts~1{accountId}~1roles/post/requestBody/content/application~1json";
    assert_eq!(
        zoom.pointer(&format!("{body}/schema")),
        Some(&json!({})),
        "as Zoom has it"
    );
    assert!(
        zoom.pointer(&format!("{body}/example/privileges"))
            .is_some()
    );

    let imported = import_spec(&zoom.to_string(), Some(&current)).unwrap();
    assert!(
        imported.derived.iter().any(|at| at == body),
        "{:?}",
        imported.derived
    );
    let spec = zoom_api_codegen::spec::load(imported.spec.as_bytes())
        .unwrap()
        .value;
    assert_eq!(
        spec.pointer(&format!("{body}/schema")),
        Some(&json!({
            "type": "object",
            "properties": {
                "description": {"type": "string"},
                "name": {"type": "string"},
                "type": {"type": "string"},
                "privileges": {"type": "array", "items": {"type": "string"}}
            },
            "x-zoom-schema-from-example": true
        }))
    );
    // The example of createRole's 200 is only in its description in Zoom's
    // form; import makes the body from it.
    let created = "/paths/~1accounts~1{accountId}~1roles/post/responses/200";
    assert_eq!(zoom.pointer(&format!("{created}/content")), None);
    let created_body = format!("{created}/content/application~1json");
    assert!(
        imported.derived.contains(&created_body),
        "{:?}",
        imported.derived
    );
    assert_eq!(
        spec.pointer(&format!("{created_body}/example/id")),
        Some(&json!("ReP0khZqgQ3amxOFo7tbYAw"))
    );
    assert_eq!(
        spec.pointer(&format!("{created_body}/schema/properties/total_members")),
        Some(&json!({"type": "integer"}))
    );
    // A body with a field list keeps it: the update body's schema is Zoom's.
    let update = "/paths/~1accounts~1{accountId}~1roles~1{roleId}/patch/requestBody/content/application~1json";
    assert!(!imported.derived.iter().any(|at| at == update));
    assert_eq!(
        spec.pointer(&format!("{update}/schema/properties/name/description")),
        Some(&json!("The role's name."))
    );
}
