//! `cargo xtask export-zoom-style [<file>]`: the inverse of import — our
//! spec rendered the way Zoom publishes its specs.
//!
//! Every `$ref` inlined, scopes, granular scopes, rate-limit label (in
//! Zoom's mixed case) and prerequisites written into the operation
//! description, the `x-zoom-*` extensions dropped (error codes stay in the
//! response descriptions they come from), the `ZoomError` bodies Zoom does
//! not declare removed, `required` dropped from path parameters (Zoom
//! sometimes omits it), a body schema derived from its example empty again
//! (as the reference gives it, see `from_example`) and a body made from an
//! example in the response description left out, schemas in 3.0 spelling
//! (`nullable`, `example`) and `openapi: 3.0.3`. Importing the result gives the spec back byte for
//! byte; `xtask/tests/import.rs` checks that on the committed spec.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use serde_json::{Map, Value};
use zoom_api_codegen::spec::{self as walk, Status};

use super::inline::inline_document;
use super::zoom_text::{OperationText, render_operation_description, zoom_spelling};
use crate::regen::SPEC;

pub fn run(root: &Path, flags: &crate::flags::ExportZoomStyle) -> Result<ExitCode> {
    let spec =
        std::fs::read_to_string(root.join(SPEC)).with_context(|| format!("reading {SPEC}"))?;
    let rendered = render(&spec)?;
    let text = serde_json::to_string_pretty(&rendered)? + "\n";
    match &flags.output {
        Some(file) => {
            std::fs::write(file, text).with_context(|| format!("writing {}", file.display()))?;
            eprintln!("export-zoom-style: wrote {}", file.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Our spec text -> the same API as Zoom would publish it.
pub fn render(spec: &str) -> Result<Value> {
    let doc = walk::load(spec.as_bytes())
        .map_err(|e| anyhow!("{SPEC}: {e}"))?
        .value;
    let mut doc = super::type_names::without_recorded_names(&doc);
    let zoom_error = doc.pointer("/components/schemas/ZoomError").cloned();
    inline_document(&mut doc).map_err(|e| anyhow!("at {}: {}", e.pointer, e.message))?;
    super::from_example::forget_derived(&mut doc);
    for op in walk::operations(&doc) {
        if let Some(Value::Object(node)) = doc.pointer_mut(&op.pointer) {
            render_operation(node, zoom_error.as_ref());
        }
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            drop_path_parameter_required(item.get_mut("parameters"));
        }
    }
    walk::for_each_schema_mut(&mut doc, &mut |schema, _| downgrade_schema_to_30(schema));
    if let Some(root) = doc.as_object_mut() {
        root.insert("openapi".into(), Value::String("3.0.3".into()));
    }
    Ok(doc)
}

fn render_operation(op: &mut Map<String, Value>, zoom_error: Option<&Value>) {
    let mut take_list = |key: &str| match op.shift_remove(key) {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let scopes = take_list("x-zoom-scopes");
    let granular_scopes = take_list("x-zoom-granular-scopes");
    let prerequisites = take_list("x-zoom-prerequisites");
    let rate_limit = op
        .shift_remove("x-zoom-rate-limit")
        .and_then(|v| v.as_str().map(zoom_spelling));
    let prose = op
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let description = render_operation_description(&OperationText {
        prose,
        scopes,
        granular_scopes,
        rate_limit,
        prerequisites,
        unrecognized: Vec::new(),
    });
    if !description.is_empty() {
        op.insert("description".into(), Value::String(description));
    }
    drop_path_parameter_required(op.get_mut("parameters"));
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        for (status, response) in responses.iter_mut() {
            let Value::Object(response) = response else {
                continue;
            };
            response.shift_remove("x-zoom-error-codes");
            // A body import made from an example in the description: Zoom
            // publishes only the description.
            let from_description = response
                .get("content")
                .and_then(Value::as_object)
                .is_some_and(|content| {
                    !content.is_empty()
                        && content.values().all(|media| {
                            media.get(super::EXAMPLE_FROM_DESCRIPTION) == Some(&Value::Bool(true))
                        })
                });
            if from_description {
                response.shift_remove("content");
            }
            let is_error = status.parse::<Status>().is_ok_and(Status::is_error);
            let only_zoom_error = response
                .get("content")
                .and_then(Value::as_object)
                .is_some_and(|content| {
                    content.len() == 1
                        && content
                            .get("application/json")
                            .and_then(|m| m.get("schema"))
                            .is_some_and(|s| Some(s) == zoom_error)
                });
            if is_error && only_zoom_error {
                response.shift_remove("content");
            }
        }
    }
}

fn drop_path_parameter_required(parameters: Option<&mut Value>) {
    let Some(Value::Array(list)) = parameters else {
        return;
    };
    for param in list {
        if let Value::Object(p) = param
            && p.get("in").and_then(Value::as_str) == Some("path")
        {
            p.shift_remove("required");
        }
    }
}

/// The inverse of the generator's 3.0 -> 3.1 normalization for what 3.0
/// can say: `type: [T, "null"]` -> `type: T, nullable: true`, a single
/// `examples` entry -> `example`, numeric exclusive bounds -> boolean ones.
fn downgrade_schema_to_30(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = map.get("type") {
        let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if others.len() == 1 && others.len() < types.len() {
            map.insert("type".into(), others[0].clone());
            map.insert("nullable".into(), Value::Bool(true));
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
        }
    }
    if let Some(Value::Array(examples)) = map.get("examples")
        && examples.len() == 1
    {
        let example = examples[0].clone();
        map.shift_remove("examples");
        map.insert("example".into(), example);
    }
    for (bound, exclusive) in [
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ] {
        if let Some(n @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
}
