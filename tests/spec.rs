//! Checks on `spec/zoom-accounts.yaml`, the normalized spec every other stage
//! starts from.
//!
//! The spec is hand-maintained from Zoom's reference text, so these tests are
//! what keeps it honest: it must be a valid OpenAPI 3.1 document (by the
//! OpenAPI Initiative's own JSON Schema, committed under `tests/schemas/`), it
//! must describe exactly Zoom's 60 Accounts operations with the reference's
//! operationIds and path/query parameters (`tests/fixtures/`), its references
//! and examples must hold together, and the `x-zoom-*` extensions the
//! generator relies on must be well-formed. Every failure names the JSON
//! pointer where the problem is.
//!
//! Everything read here is inside the repository: the expected data was copied
//! from the project's reference notes once, and is compared, never re-read.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jsonschema::{Draft, Resource, Validator};
use serde_json::{Value, json};
use zoom_accounts_tests::openapi::{for_each_subschema, schema_holders, schema_roots};
use zoom_accounts_tests::{
    SPEC_PATH, assert_no_findings, follow_refs, load_repo_json, local_ref_pointer, operations,
    pointer_child, read_repo_text, try_load_spec,
};

/// The 60 operations of Zoom's Accounts API as (method, path, operationId), in
/// the order of Zoom's reference text. Copied from the project's reference
/// list of operations; `tests/fixtures/reference-parameters.json` holds the
/// same operations with their parameters, and a test below keeps the two
/// in step.
#[rustfmt::skip]
const EXPECTED_OPERATIONS: [(&str, &str, &str); 60] = [
    ("GET", "/accounts", "accounts"),
    ("POST", "/accounts", "accountCreate"),
    ("GET", "/accounts/{accountId}", "GetSubAccountDetails"),
    ("DELETE", "/accounts/{accountId}", "DisassociateASubAccount"),
    ("GET", "/accounts/{accountId}/lock_settings", "getAccountLockSettings"),
    ("PATCH", "/accounts/{accountId}/lock_settings", "UpdateLockedSettings"),
    ("GET", "/accounts/{accountId}/managed_domains", "accountManagedDomain"),
    ("PUT", "/accounts/{accountId}/owner", "UpdateTheAccountOwner"),
    ("GET", "/accounts/{accountId}/settings", "accountSettings"),
    ("PATCH", "/accounts/{accountId}/settings", "accountSettingsUpdate"),
    ("GET", "/accounts/{accountId}/settings/registration", "accountSettingsRegistration"),
    ("PATCH", "/accounts/{accountId}/settings/registration", "accountSettingsRegistrationUpdate"),
    ("POST", "/accounts/{accountId}/settings/virtual_backgrounds", "uploadVB"),
    ("DELETE", "/accounts/{accountId}/settings/virtual_backgrounds", "delVB"),
    ("GET", "/accounts/{accountId}/trusted_domains", "accountTrustedDomain"),
    ("PATCH", "/accounts/{accountId}/options", "UpdateOptions"),
    ("GET", "/accounts/{accountId}/metrics/chat", "dashboardChat"),
    ("GET", "/accounts/{accountId}/metrics/client/feedback", "dashboardClientFeedback"),
    ("GET", "/accounts/{accountId}/metrics/client/feedback/{feedbackId}", "dashboardClientFeedbackDetail"),
    ("GET", "/accounts/{accountId}/metrics/client/satisfaction", "listMeetingSatisfaction"),
    ("GET", "/accounts/{accountId}/metrics/client_versions", "getClientVersions"),
    ("GET", "/accounts/{accountId}/metrics/crc", "dashboardCRC"),
    ("GET", "/accounts/{accountId}/metrics/issues/zoomrooms", "dashboardIssueZoomRoom"),
    ("GET", "/accounts/{accountId}/metrics/issues/zoomrooms/{zoomroomId}", "dashboardIssueDetailZoomRoom"),
    ("GET", "/accounts/{accountId}/metrics/meetings", "dashboardMeetings"),
    ("GET", "/accounts/{accountId}/metrics/meetings/{meetingId}", "dashboardMeetingDetail"),
    ("GET", "/accounts/{accountId}/metrics/meetings/{meetingId}/participants", "dashboardMeetingParticipants"),
    ("GET", "/accounts/{accountId}/metrics/meetings/{meetingId}/participants/qos", "dashboardMeetingParticipantsQOS"),
    ("GET", "/accounts/{accountId}/metrics/meetings/{meetingId}/participants/satisfaction", "participantFeedback"),
    ("GET", "/accounts/{accountId}/metrics/meetings/{meetingId}/participants/sharing", "dashboardMeetingParticipantShare"),
    ("GET", "/accounts/{accountId}/metrics/meetings/{meetingId}/participants/{participantId}/qos", "dashboardMeetingParticipantQOS"),
    ("GET", "/accounts/{accountId}/metrics/quality", "dashboardQuality"),
    ("GET", "/accounts/{accountId}/metrics/webinars", "dashboardWebinars"),
    ("GET", "/accounts/{accountId}/metrics/webinars/{webinarId}", "dashboardWebinarDetail"),
    ("GET", "/accounts/{accountId}/metrics/webinars/{webinarId}/participants", "dashboardWebinarParticipants"),
    ("GET", "/accounts/{accountId}/metrics/webinars/{webinarId}/participants/qos", "dashboardWebinarParticipantsQOS"),
    ("GET", "/accounts/{accountId}/metrics/webinars/{webinarId}/participants/satisfaction", "participantWebinarFeedback"),
    ("GET", "/accounts/{accountId}/metrics/webinars/{webinarId}/participants/sharing", "dashboardWebinarParticipantShare"),
    ("GET", "/accounts/{accountId}/metrics/webinars/{webinarId}/participants/{participantId}/qos", "dashboardWebinarParticipantQOS"),
    ("GET", "/accounts/{accountId}/metrics/zoomrooms", "dashboardZoomRooms"),
    ("GET", "/accounts/{accountId}/metrics/zoomrooms/issues", "dashboardZoomRoomIssue"),
    ("GET", "/accounts/{accountId}/metrics/zoomrooms/{zoomroomId}", "dashboardZoomRoom"),
    ("GET", "/accounts/{accountId}/information_barriers/policies", "InformationBarriersList"),
    ("POST", "/accounts/{accountId}/information_barriers/policies", "InformationBarriersCreate"),
    ("GET", "/accounts/{accountId}/information_barriers/policies/{policyId}", "InformationBarriersGet"),
    ("DELETE", "/accounts/{accountId}/information_barriers/policies/{policyId}", "InformationBarriersDelete"),
    ("PATCH", "/accounts/{accountId}/information_barriers/policies/{policyId}", "InformationBarriersUpdate"),
    ("GET", "/accounts/{accountId}/roles", "roles"),
    ("POST", "/accounts/{accountId}/roles", "createRole"),
    ("GET", "/accounts/{accountId}/roles/{roleId}", "getRoleInformation"),
    ("DELETE", "/accounts/{accountId}/roles/{roleId}", "deleteRole"),
    ("PATCH", "/accounts/{accountId}/roles/{roleId}", "updateRole"),
    ("GET", "/accounts/{accountId}/roles/{roleId}/members", "roleMembers"),
    ("POST", "/accounts/{accountId}/roles/{roleId}/members", "AddRoleMembers"),
    ("DELETE", "/accounts/{accountId}/roles/{roleId}/members/{memberId}", "roleMemberDelete"),
    ("GET", "/accounts/{accountId}/surveys", "getAccountSurveys"),
    ("GET", "/accounts/{accountId}/surveys/channels/{channelId}/instances", "getChannelSurveyInstances"),
    ("GET", "/accounts/{accountId}/surveys/{surveyId}", "getSurveyInfo"),
    ("GET", "/accounts/{accountId}/surveys/{surveyId}/answers", "getSurveyAnswers"),
    ("GET", "/accounts/{accountId}/surveys/{surveyId}/instances", "getSurveyInstancesInfo"),
];

/// The labels Zoom's rate limiter groups endpoints by.
const RATE_LIMIT_LABELS: [&str; 4] = ["LIGHT", "MEDIUM", "HEAVY", "RESOURCE-INTENSIVE"];

/// The official OAS 3.1 schema (iteration 2022-10-07) and the OAS base
/// dialect with its vocabulary meta-schema; see `tests/schemas/README.md` for
/// where each came from.
const OAS_SCHEMA: &str = "tests/schemas/oas-3.1/schema.json";
const OAS_DIALECT_BASE: &str = "tests/schemas/oas-3.1/dialect-base.json";
const OAS_META_BASE: &str = "tests/schemas/oas-3.1/meta-base.json";

/// The reference's path and query parameters for each operation.
const REFERENCE_PARAMETERS: &str = "tests/fixtures/reference-parameters.json";

/// Where the seed's known contradictions are listed.
const SPEC_README: &str = "spec/README.md";

/// The base URI the spec is registered under when examples are validated, so
/// that `#/components/schemas/...` inside its schemas resolves against the
/// whole document. Nothing is ever fetched from it.
const SPEC_BASE_URI: &str = "urn:zoom-accounts-tests:spec";

fn spec() -> &'static Value {
    static SPEC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| try_load_spec().unwrap_or_else(|error| panic!("{error}")))
}

// ---------------------------------------------------------------------------
// Valid OpenAPI 3.1
// ---------------------------------------------------------------------------

/// The committed schemas, registered under their `$id`s so that no `$ref`
/// between them is ever fetched.
fn oas_validator(entry_point: &str) -> Validator {
    let mut options = jsonschema::options().with_draft(Draft::Draft202012);
    for path in [OAS_SCHEMA, OAS_DIALECT_BASE, OAS_META_BASE] {
        let schema = load_repo_json(path);
        let id = schema
            .get("$id")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{path} has no $id"))
            .to_owned();
        let resource = Resource::from_contents(schema)
            .unwrap_or_else(|error| panic!("{path} is not a JSON Schema resource: {error}"));
        options = options.with_resource(id, resource);
    }
    options
        .build(&load_repo_json(entry_point))
        .unwrap_or_else(|error| {
            panic!("{entry_point} does not compile as JSON Schema 2020-12: {error}")
        })
}

/// A validator message cut to a readable length: messages about `oneOf` and
/// `anyOf` quote the whole instance, which for a settings body is pages long.
/// The end is kept, since it says which rule failed.
fn shorten(message: &str) -> String {
    const HEAD: usize = 120;
    const TAIL: usize = 160;
    let chars: Vec<char> = message.chars().collect();
    if chars.len() <= HEAD + TAIL + 20 {
        return message.to_owned();
    }
    let head: String = chars[..HEAD].iter().collect();
    let tail: String = chars[chars.len() - TAIL..].iter().collect();
    format!("{head} …[{} chars]… {tail}", chars.len() - HEAD - TAIL)
}

fn schema_violations(validator: &Validator, instance: &Value) -> Vec<String> {
    // `is_valid` stops at the first failure and skips the error bookkeeping,
    // which makes the common (valid) case several times faster.
    if validator.is_valid(instance) {
        return Vec::new();
    }
    validator
        .iter_errors(instance)
        .map(|error| {
            format!(
                "at {:?}: {} (schema: {})",
                error.instance_path.to_string(),
                shorten(&error.to_string()),
                error.schema_path
            )
        })
        .collect()
}

#[test]
fn spec_is_valid_against_the_official_oas_3_1_schema() {
    let validator = oas_validator(OAS_SCHEMA);
    assert_no_findings(
        &format!("violations of the OAS 3.1 schema (2022-10-07) in {SPEC_PATH}"),
        &schema_violations(&validator, spec()),
    );
}

/// `schema.json` accepts any JSON Schema dialect for Schema Objects; the
/// spec uses the default one, so each of its Schema Objects must also pass the
/// OAS base dialect (JSON Schema 2020-12 plus `discriminator`, `xml`,
/// `externalDocs` and `example`). This is what catches `type: nullable`,
/// `required: true` on a property, and other OpenAPI 3.0 leftovers.
///
/// The official `schema-base.json` does the same through `$dynamicRef` over
/// the whole document, but the `jsonschema` crate is slow at that (14 s in a
/// debug build); validating each top-level Schema Object against the dialect
/// checks the same schemas in 0.4 s.
#[test]
fn spec_schemas_follow_the_oas_base_dialect() {
    let validator = oas_validator(OAS_DIALECT_BASE);
    let mut findings = Vec::new();
    for (pointer, schema) in schema_roots(spec()) {
        for violation in schema_violations(&validator, schema) {
            findings.push(format!("{pointer}: {violation}"));
        }
        // JSON Schema ignores unknown keywords, so the dialect lets OpenAPI
        // 3.0's `nullable` through, and 3.1 tools then silently ignore it.
        for_each_subschema(schema, &pointer, &mut |pointer, subschema| {
            if subschema.get("nullable").is_some() {
                findings.push(format!(
                    "{pointer}/nullable: OpenAPI 3.0 keyword; in 3.1 write `type: [T, \"null\"]`"
                ));
            }
        });
    }
    assert_no_findings(
        &format!("Schema Objects in {SPEC_PATH} that break the OAS 3.1 base dialect"),
        &findings,
    );
}

/// The dialect check above only means something if the validator applies the
/// dialect at every depth (through the 2020-12 meta-schema's `$dynamicRef`):
/// each of these malformed schemas must fail it.
#[test]
fn the_base_dialect_check_rejects_malformed_schema_objects() {
    let malformed = [
        (
            "required: true at the top",
            json!({"type": "object", "required": true}),
        ),
        (
            "an unknown type in a property",
            json!({"properties": {"a": {"type": "nullable"}}}),
        ),
        (
            "a discriminator without propertyName in an array item",
            json!({"items": {"oneOf": [{}], "discriminator": {"mapping": {}}}}),
        ),
    ];
    let validator = oas_validator(OAS_DIALECT_BASE);
    for (what, schema) in malformed {
        assert!(
            !validator.is_valid(&schema),
            "the OAS base dialect must reject {what}"
        );
    }
    let good = json!({"type": ["string", "null"], "examples": ["a"], "x-zoom-note": 1});
    assert!(
        validator.is_valid(&good),
        "the OAS base dialect must accept {good}"
    );
}

// ---------------------------------------------------------------------------
// The 60 operations
// ---------------------------------------------------------------------------

#[test]
fn spec_has_exactly_the_reference_operations() {
    let expected: BTreeSet<(String, String, String)> = EXPECTED_OPERATIONS
        .iter()
        .map(|(method, path, id)| (method.to_string(), path.to_string(), id.to_string()))
        .collect();
    let mut findings = Vec::new();
    let mut actual = BTreeSet::new();
    for operation in operations(spec()) {
        match operation
            .operation
            .get("operationId")
            .and_then(Value::as_str)
        {
            Some(id) => {
                actual.insert((
                    operation.method.to_owned(),
                    operation.path.to_owned(),
                    id.to_owned(),
                ));
            }
            None => findings.push(format!("{}: no operationId", operation.pointer)),
        }
    }
    for (method, path, id) in expected.difference(&actual) {
        findings.push(format!(
            "missing: {method} {path} with operationId {id:?} (expected at {}/{})",
            pointer_child("/paths", path),
            method.to_lowercase()
        ));
    }
    for (method, path, id) in actual.difference(&expected) {
        findings.push(format!(
            "not in the reference: {method} {path} with operationId {id:?} (at {}/{})",
            pointer_child("/paths", path),
            method.to_lowercase()
        ));
    }
    let count = operations(spec()).len();
    if count != EXPECTED_OPERATIONS.len() {
        findings.push(format!(
            "{SPEC_PATH} has {count} operations, expected {}",
            EXPECTED_OPERATIONS.len()
        ));
    }
    assert_no_findings("differences from the reference operations", &findings);
}

#[test]
fn operation_ids_are_unique() {
    let mut seen: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for operation in operations(spec()) {
        if let Some(id) = operation
            .operation
            .get("operationId")
            .and_then(Value::as_str)
        {
            seen.entry(id).or_default().push(operation.pointer.clone());
        }
    }
    let findings: Vec<String> = seen
        .into_iter()
        .filter(|(_, pointers)| pointers.len() > 1)
        .map(|(id, pointers)| format!("operationId {id:?} is used by {}", pointers.join(", ")))
        .collect();
    assert_no_findings("duplicate operationIds", &findings);
}

/// The fixture and the const table come from the same reference list; if one
/// is edited, the other must follow.
#[test]
fn reference_fixture_lists_the_expected_operations() {
    let fixture = load_repo_json(REFERENCE_PARAMETERS);
    let listed: Vec<(&str, &str, &str)> = fixture
        .as_array()
        .unwrap_or_else(|| panic!("{REFERENCE_PARAMETERS} is not an array"))
        .iter()
        .map(|entry| {
            let field = |name: &str| entry.get(name).and_then(Value::as_str).unwrap_or_default();
            (field("method"), field("path"), field("operationId"))
        })
        .collect();
    assert_eq!(
        listed,
        EXPECTED_OPERATIONS.to_vec(),
        "{REFERENCE_PARAMETERS} and EXPECTED_OPERATIONS in tests/spec.rs disagree"
    );
}

// ---------------------------------------------------------------------------
// Path and query parameters
// ---------------------------------------------------------------------------

/// The schema keywords the reference records for a parameter; the spec may
/// add documentation (`description`, `examples`) but must agree on these.
const COMPARED_SCHEMA_KEYWORDS: [&str; 7] = [
    "type", "format", "enum", "default", "minimum", "maximum", "oneOf",
];

/// A parameter reduced to what the reference records, in a canonical form:
/// integral numbers as integers, a one-element `type` array as a string, and
/// a `oneOf` of bare types as the equivalent `type` array.
fn comparable_schema(schema: &Value) -> Value {
    let Some(object) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = serde_json::Map::new();
    for keyword in COMPARED_SCHEMA_KEYWORDS {
        if let Some(value) = object.get(keyword) {
            let value = match keyword {
                "oneOf" => Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(comparable_schema)
                        .collect(),
                ),
                _ => canonical_numbers(value),
            };
            out.insert(keyword.to_owned(), value);
        }
    }
    // `oneOf: [{type: integer}, {type: string}]` says the same as
    // `type: [integer, string]` (the types are disjoint).
    if let Some(Value::Array(alternatives)) = out.get("oneOf") {
        let bare_types: Option<Vec<Value>> = alternatives
            .iter()
            .map(|alternative| match alternative.as_object() {
                Some(only) if only.len() == 1 => {
                    only.get("type").filter(|t| t.is_string()).cloned()
                }
                _ => None,
            })
            .collect();
        if let (Some(types), false) = (bare_types, out.contains_key("type")) {
            out.remove("oneOf");
            out.insert("type".to_owned(), Value::Array(types));
        }
    }
    if let Some(Value::Array(types)) = out.get_mut("type") {
        types.sort_by_key(|t| t.as_str().unwrap_or_default().to_owned());
        if types.len() == 1 {
            let only = types[0].clone();
            out.insert("type".to_owned(), only);
        }
    }
    Value::Object(out)
}

fn canonical_numbers(value: &Value) -> Value {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => json!(f as i64),
            _ => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(canonical_numbers).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), canonical_numbers(v)))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// A Schema Object with its top-level `$ref` replaced by the target, the
/// reference's siblings overriding the target's keywords (3.1 allows both).
fn effective_schema(document: &Value, pointer: &str, schema: &Value) -> Result<Value, String> {
    let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
        return Ok(schema.clone());
    };
    let target_pointer = local_ref_pointer(reference)
        .ok_or_else(|| format!("{pointer}: $ref {reference:?} is not document-local"))?;
    let target = document
        .pointer(&target_pointer)
        .ok_or_else(|| format!("{pointer}: $ref {reference:?} does not resolve"))?;
    let mut merged = effective_schema(document, &target_pointer, target)?;
    if let (Some(merged), Some(siblings)) = (merged.as_object_mut(), schema.as_object()) {
        for (key, value) in siblings.iter().filter(|(key, _)| *key != "$ref") {
            merged.insert(key.clone(), value.clone());
        }
    }
    Ok(merged)
}

/// (name, in) -> (pointer, required, comparable schema) for the path and
/// query parameters in effect for one operation: the Path Item's, overridden
/// by the operation's own.
type ParameterTable = BTreeMap<(String, String), (String, bool, Value)>;

fn spec_parameters(
    document: &Value,
    operation: &zoom_accounts_tests::OperationLocation<'_>,
    findings: &mut Vec<String>,
) -> ParameterTable {
    let path_item_pointer = pointer_child("/paths", operation.path);
    let mut table = ParameterTable::new();
    let levels = [
        (
            format!("{path_item_pointer}/parameters"),
            operation.path_item.get("parameters"),
        ),
        (
            format!("{}/parameters", operation.pointer),
            operation.operation.get("parameters"),
        ),
    ];
    for (list_pointer, list) in levels {
        for (index, parameter) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let pointer = format!("{list_pointer}/{index}");
            let (pointer, parameter) = match follow_refs(document, &pointer, parameter) {
                Ok(resolved) => resolved,
                Err(message) => {
                    findings.push(message);
                    continue;
                }
            };
            let name = parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let location = parameter
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if location != "path" && location != "query" {
                continue;
            }
            let required = parameter
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let schema_pointer = format!("{pointer}/schema");
            let schema = match parameter
                .get("schema")
                .map(|s| effective_schema(document, &schema_pointer, s))
            {
                Some(Ok(schema)) => comparable_schema(&schema),
                Some(Err(message)) => {
                    findings.push(message);
                    continue;
                }
                None => Value::Null,
            };
            table.insert((name, location), (pointer, required, schema));
        }
    }
    table
}

#[test]
fn path_and_query_parameters_match_the_reference() {
    let document = spec();
    let fixture = load_repo_json(REFERENCE_PARAMETERS);
    let by_operation: HashMap<(String, String), &Value> = fixture
        .as_array()
        .into_iter()
        .flatten()
        .map(|entry| {
            let field = |name: &str| {
                entry
                    .get(name)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            ((field("method"), field("path")), entry)
        })
        .collect();

    let mut findings = Vec::new();
    for operation in operations(document) {
        let Some(reference) =
            by_operation.get(&(operation.method.to_owned(), operation.path.to_owned()))
        else {
            // Reported by spec_has_exactly_the_reference_operations.
            continue;
        };
        let where_ = format!(
            "{} {} ({})",
            operation.method, operation.path, operation.pointer
        );
        let actual = spec_parameters(document, &operation, &mut findings);
        let mut expected = BTreeMap::new();
        for parameter in reference
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let field = |name: &str| {
                parameter
                    .get(name)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let required = parameter
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let schema = parameter
                .get("schema")
                .map(comparable_schema)
                .unwrap_or(Value::Null);
            expected.insert((field("name"), field("in")), (required, schema));
        }
        for ((name, location), (required, schema)) in &expected {
            match actual.get(&(name.clone(), location.clone())) {
                None => findings.push(format!(
                    "{where_}: missing {location} parameter {name:?} (reference: required={required}, schema={schema})"
                )),
                Some((pointer, actual_required, actual_schema)) => {
                    if actual_required != required {
                        findings.push(format!(
                            "{pointer}: {location} parameter {name:?} of {where_} has required={actual_required}, the reference says {required}"
                        ));
                    }
                    if actual_schema != schema {
                        findings.push(format!(
                            "{pointer}/schema: {location} parameter {name:?} of {where_} has {actual_schema}, the reference says {schema} (compared: {})",
                            COMPARED_SCHEMA_KEYWORDS.join(", ")
                        ));
                    }
                }
            }
        }
        for ((name, location), (pointer, ..)) in &actual {
            if !expected.contains_key(&(name.clone(), location.clone())) {
                findings.push(format!(
                    "{pointer}: {location} parameter {name:?} is not in the reference for {where_}"
                ));
            }
        }
    }
    assert_no_findings("parameter differences from the reference", &findings);
}

// ---------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------

/// Keys of OpenAPI and JSON Schema objects whose value, when it is an object,
/// maps names chosen by the author (property names, status codes, media
/// types, component names) to objects. Inside such a map a key is a name,
/// never a keyword: a property called `default` or a response keyed
/// `default` is structure, not data.
const NAME_MAP_KEYS: [&str; 23] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "paths",
    "webhooks",
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "content",
    "encoding",
    "variables",
    "mapping",
    "scopes",
    "flows",
];

/// Keys whose value is data (an instance, an extension's payload), where a
/// `$ref` key would be an instance property, not a reference.
fn holds_data(key: &str, value: &Value) -> bool {
    matches!(key, "example" | "default" | "const" | "enum" | "value")
        || key.starts_with("x-")
        // A Schema Object's `examples` is a list of instances; the OpenAPI
        // `examples` map (of Example Objects) is structure.
        || (key == "examples" && value.is_array())
}

/// Collects every `$ref` with its pointer, walking keyword positions and
/// name maps differently (see [`NAME_MAP_KEYS`]).
fn collect_refs(value: &Value, pointer: &str, is_name_map: bool, refs: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) if is_name_map => {
            for (name, child) in map {
                collect_refs(child, &pointer_child(pointer, name), false, refs);
            }
        }
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer = pointer_child(pointer, key);
                if key == "$ref" {
                    if let Some(reference) = child.as_str() {
                        refs.push((child_pointer, reference.to_owned()));
                    }
                } else if !holds_data(key, child) {
                    let names = child.is_object() && NAME_MAP_KEYS.contains(&key.as_str());
                    collect_refs(child, &child_pointer, names, refs);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_refs(item, &format!("{pointer}/{index}"), false, refs);
            }
        }
        _ => {}
    }
}

#[test]
fn the_ref_walk_tells_names_from_keywords() {
    let document = json!({
        "paths": {"/a": {"get": {"responses": {"default": {"$ref": "#/components/responses/R"}}}}},
        "components": {"schemas": {"S": {
            "properties": {"default": {"$ref": "#/components/schemas/T"}, "value": {"$ref": "#/components/schemas/U"}},
            "default": {"$ref": "not a reference"},
            "examples": [{"$ref": "not a reference"}],
            "x-note": {"$ref": "not a reference"}
        }}}
    });
    let mut refs = Vec::new();
    collect_refs(&document, "", false, &mut refs);
    let found: Vec<&str> = refs.iter().map(|(pointer, _)| pointer.as_str()).collect();
    assert_eq!(
        found,
        [
            "/paths/~1a/get/responses/default/$ref",
            "/components/schemas/S/properties/default/$ref",
            "/components/schemas/S/properties/value/$ref",
        ]
    );
}

#[test]
fn every_ref_resolves_inside_the_document() {
    let document = spec();
    let mut refs = Vec::new();
    collect_refs(document, "", false, &mut refs);
    let findings: Vec<String> = refs
        .into_iter()
        .filter_map(|(pointer, reference)| match local_ref_pointer(&reference) {
            None => Some(format!(
                "{pointer}: $ref {reference:?} is not a JSON pointer into this document (the spec must be self-contained)"
            )),
            Some(target) if document.pointer(&target).is_none() => {
                Some(format!("{pointer}: $ref {reference:?} points at nothing"))
            }
            Some(_) => None,
        })
        .collect();
    assert_no_findings("unresolvable $refs", &findings);
}

// ---------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------

/// One example and the schema it must satisfy.
struct ExampleSite {
    /// Where the example is (what `spec/README.md` lists).
    pointer: String,
    value: Value,
    /// The pointer of the Schema Object it is checked against.
    schema_pointer: String,
}

/// Every example in the document with the schema it is checked against:
/// `examples` entries (and the deprecated OAS `example`) of every Schema
/// Object, and `example`/`examples` of every Media Type, Parameter and
/// Header Object against its `schema`.
fn example_sites(document: &Value) -> Vec<ExampleSite> {
    let mut sites = Vec::new();
    for (root_pointer, root) in schema_roots(document) {
        for_each_subschema(root, &root_pointer, &mut |pointer, schema| {
            if let Some(Value::Array(examples)) = schema.get("examples") {
                for (index, example) in examples.iter().enumerate() {
                    sites.push(ExampleSite {
                        pointer: format!("{pointer}/examples/{index}"),
                        value: example.clone(),
                        schema_pointer: pointer.to_owned(),
                    });
                }
            }
            if let Some(example) = schema.get("example") {
                sites.push(ExampleSite {
                    pointer: format!("{pointer}/example"),
                    value: example.clone(),
                    schema_pointer: pointer.to_owned(),
                });
            }
        });
    }
    for holder in schema_holders(document) {
        let schema_pointer = holder.schema_pointer();
        if let Some(example) = holder.holder.get("example") {
            sites.push(ExampleSite {
                pointer: format!("{}/example", holder.pointer),
                value: example.clone(),
                schema_pointer: schema_pointer.clone(),
            });
        }
        for (name, example) in holder
            .holder
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let example_pointer = pointer_child(&format!("{}/examples", holder.pointer), name);
            // A referenced Example Object is checked where it is used, against
            // the schema of the place that uses it, under the using pointer.
            let (site_pointer, example_object) =
                match follow_refs(document, &example_pointer, example) {
                    Ok((_, target)) if example.get("$ref").is_some() => (example_pointer, target),
                    Ok((_, target)) => (format!("{example_pointer}/value"), target),
                    Err(_) => continue, // reported by every_ref_resolves_inside_the_document
                };
            if let Some(value) = example_object.get("value") {
                sites.push(ExampleSite {
                    pointer: site_pointer,
                    value: value.clone(),
                    schema_pointer: schema_pointer.clone(),
                });
            }
        }
    }
    sites
}

/// Percent-encodes a JSON pointer for use as a URI fragment (path templates
/// put `{` and `}` in pointers, which a URI may not hold as they are).
fn fragment_encode(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for byte in pointer.bytes() {
        let safe = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte);
        if safe {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A validator for the Schema Object at `schema_pointer`, compiled with the
/// whole spec as its root resource so `#/components/schemas/...` resolves.
fn validator_for_schema_at(document: &Value, schema_pointer: &str) -> Result<Validator, String> {
    let resource = Draft::Draft202012.create_resource(document.clone());
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .with_resource(SPEC_BASE_URI, resource)
        .build(&json!({ "$ref": format!("{SPEC_BASE_URI}#{}", fragment_encode(schema_pointer)) }))
        .map_err(|error| format!("the schema at {schema_pointer} does not compile: {error}"))
}

/// The example pointers `spec/README.md` lists as known contradictions of the
/// seed: every backquoted JSON pointer with an `example` or `examples` token.
fn listed_example_contradictions() -> BTreeSet<String> {
    let Some(readme) = read_repo_text(SPEC_README) else {
        return BTreeSet::new();
    };
    readme
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|span| span.trim().trim_start_matches('#'))
        .filter(|span| span.starts_with('/') && !span.contains(char::is_whitespace))
        // The webhooks document's are checked by tests/webhook_events.rs.
        .filter(|span| !span.starts_with("/webhooks/"))
        .filter(|span| {
            span.split('/')
                .any(|token| token == "example" || token == "examples")
        })
        .map(str::to_owned)
        .collect()
}

/// Whether a listed pointer covers a failing example: the same pointer, or
/// the whole `examples` list or map it belongs to.
fn covers(listed: &str, failing: &str) -> bool {
    listed == failing
        || (listed.ends_with("/examples") && failing.starts_with(&format!("{listed}/")))
}

#[test]
fn examples_validate_against_their_schemas_or_are_listed_as_contradictions() {
    let document = spec();
    let sites = example_sites(document);
    let mut validators: HashMap<String, Result<Validator, String>> = HashMap::new();
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for site in &sites {
        let validator = validators
            .entry(site.schema_pointer.clone())
            .or_insert_with(|| validator_for_schema_at(document, &site.schema_pointer));
        let messages = match validator {
            Ok(validator) => validator
                .iter_errors(&site.value)
                .map(|error| {
                    format!(
                        "at {:?}: {}",
                        error.instance_path.to_string(),
                        shorten(&error.to_string())
                    )
                })
                .collect(),
            Err(message) => vec![message.clone()],
        };
        if !messages.is_empty() {
            failures.insert(site.pointer.clone(), messages);
        }
    }

    let listed = listed_example_contradictions();
    println!(
        "{} examples checked against their schemas; {} fail, {} pointers listed in {SPEC_README}",
        sites.len(),
        failures.len(),
        listed.len()
    );
    let example_pointers: BTreeSet<&str> = sites.iter().map(|site| site.pointer.as_str()).collect();
    let mut findings = Vec::new();
    for (pointer, messages) in &failures {
        if !listed.iter().any(|listed| covers(listed, pointer)) {
            let schema_pointer = sites
                .iter()
                .find(|site| &site.pointer == pointer)
                .map(|site| site.schema_pointer.as_str())
                .unwrap_or_default();
            findings.push(format!(
                "{pointer}: does not validate against {schema_pointer} and is not listed in {SPEC_README}: {}",
                messages.join("; ")
            ));
        }
    }
    for listed in &listed {
        if failures.keys().any(|failing| covers(listed, failing)) {
            continue;
        }
        let exists = example_pointers
            .iter()
            .any(|pointer| covers(listed, pointer));
        findings.push(if exists {
            format!("{listed}: listed in {SPEC_README} as a contradiction but validates now; remove it from the list")
        } else {
            format!("{listed}: listed in {SPEC_README} as a contradiction but there is no example there; remove or fix the pointer")
        });
    }
    assert_no_findings(
        &format!(
            "example problems ({} examples checked, {} failing)",
            sites.len(),
            failures.len()
        ),
        &findings,
    );
}

// ---------------------------------------------------------------------------
// Error responses and x-zoom-* extensions
// ---------------------------------------------------------------------------

const ZOOM_ERROR_REF: &str = "#/components/schemas/ZoomError";

#[test]
fn error_responses_are_zoom_errors() {
    let document = spec();
    let mut findings = Vec::new();
    for operation in operations(document) {
        for (status, response) in operation
            .operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let pointer = pointer_child(&format!("{}/responses", operation.pointer), status);
            let (resolved_pointer, response) = match follow_refs(document, &pointer, response) {
                Ok(resolved) => resolved,
                Err(message) => {
                    findings.push(message);
                    continue;
                }
            };
            let via = if resolved_pointer == pointer {
                String::new()
            } else {
                format!(" (via {resolved_pointer})")
            };
            match response.pointer("/content/application~1json/schema/$ref").and_then(Value::as_str) {
                Some(ZOOM_ERROR_REF) => {}
                Some(other) => findings.push(format!(
                    "{pointer}{via}: application/json schema is {other:?}, expected {ZOOM_ERROR_REF:?}"
                )),
                None if response.pointer("/content/application~1json").is_none() => {
                    findings.push(format!("{pointer}{via}: no application/json content (expected $ref {ZOOM_ERROR_REF:?})"))
                }
                None => findings.push(format!(
                    "{pointer}{via}: application/json schema is not a $ref to {ZOOM_ERROR_REF:?}"
                )),
            }
        }
    }
    assert_no_findings("error responses that are not ZoomError", &findings);
}

#[test]
fn every_operation_has_a_rate_limit_label() {
    let findings: Vec<String> = operations(spec())
        .into_iter()
        .filter_map(
            |operation| match operation.operation.get("x-zoom-rate-limit") {
                Some(Value::String(label)) if RATE_LIMIT_LABELS.contains(&label.as_str()) => None,
                Some(other) => Some(format!(
                    "{}/x-zoom-rate-limit: {other} is not one of {RATE_LIMIT_LABELS:?}",
                    operation.pointer
                )),
                None => Some(format!("{}: no x-zoom-rate-limit", operation.pointer)),
            },
        )
        .collect();
    assert_no_findings("operations without a valid x-zoom-rate-limit", &findings);
}

#[test]
fn scope_extensions_are_lists_of_strings() {
    let mut findings = Vec::new();
    for operation in operations(spec()) {
        for extension in ["x-zoom-scopes", "x-zoom-granular-scopes"] {
            let Some(value) = operation.operation.get(extension) else {
                continue;
            };
            let pointer = format!("{}/{extension}", operation.pointer);
            match value.as_array() {
                None => findings.push(format!("{pointer}: {value} is not an array")),
                Some(items) => findings.extend(
                    items
                        .iter()
                        .enumerate()
                        .filter(|(_, item)| !item.is_string())
                        .map(|(index, item)| format!("{pointer}/{index}: {item} is not a string")),
                ),
            }
        }
    }
    assert_no_findings("malformed scope extensions", &findings);
}

/// The extension `cargo xtask import` puts on schemas derived from an example.
const FROM_EXAMPLE: &str = "x-zoom-schema-from-example";

/// `spec/README.md`'s list of bodies given only as an example names exactly
/// the operations with a request or response schema derived from one, and
/// no schema derived from an example requires a field (an example shows
/// what a body may hold, not what it must).
#[test]
fn schemas_derived_from_examples_are_listed_and_require_nothing() {
    let document = spec();
    let mut derived: BTreeSet<String> = BTreeSet::new();
    let mut findings = Vec::new();
    let holders = schema_holders(document);
    for operation in operations(document) {
        let inside = format!("{}/", operation.pointer);
        for holder in holders.iter().filter(|h| h.pointer.starts_with(&inside)) {
            let Some(mut schema) = holder.holder.get("schema") else {
                continue;
            };
            if let Some(target) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| zoom_accounts_tests::resolve_local_ref(document, r))
            {
                schema = target;
            }
            if schema.get(FROM_EXAMPLE) != Some(&Value::Bool(true)) {
                continue;
            }
            derived.insert(format!("{} {}", operation.method, operation.path));
            for_each_subschema(schema, &holder.schema_pointer(), &mut |at, sub| {
                if sub.get("required").is_some() {
                    findings.push(format!(
                        "{at}: derived from an example, but requires fields"
                    ));
                }
            });
        }
    }
    assert_no_findings("schemas derived from examples", &findings);
    let readme = read_repo_text(SPEC_README).unwrap_or_default();
    let section = readme
        .split("## Bodies given only as an example")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap_or_else(|| {
            panic!("{SPEC_README} has no section on bodies given only as an example")
        });
    let listed: BTreeSet<String> = section
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|span| {
            span.split_once(' ').is_some_and(|(method, path)| {
                method.chars().all(|c| c.is_ascii_uppercase()) && path.starts_with('/')
            })
        })
        .map(str::to_owned)
        .collect();
    assert!(!derived.is_empty(), "no schema carries {FROM_EXAMPLE}");
    assert_eq!(
        listed, derived,
        "{SPEC_README} must list exactly the operations with a schema derived from an example"
    );
}
