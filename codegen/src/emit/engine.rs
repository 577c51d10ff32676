//! The engine: progenitor's settings, and containing its panics.
//!
//! Everything this crate asks of progenitor is in [`engine_settings`]:
//! builder interface, one extension trait per tag, the derives of
//! `Settings`, and with a runtime crate its `Runtime` as the client's inner
//! value with hooks expected.
//!
//! The engine asserts and `todo!`s on shapes lowering should have removed;
//! should one slip through, the panic is caught (the panic message is kept,
//! the hook silenced for this thread) and what causes it is found: a type,
//! by generating each component schema alone with the ones it refers to
//! (the error names where that schema was written), else an operation, by
//! generating each operation alone. The pipeline runs on a thread with a
//! large stack (`crate::stack`), so the engine's recursion on deep schemas
//! has room.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::stack::panic_message;
use std::sync::Once;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::runtime_path;
use crate::Settings;
use crate::error::{Error, Result};
use crate::lower::Lowered;
use crate::spec::{self, Document, HttpMethod};

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}
static HOOK: Once = Once::new();

/// Runs `f`, turning a panic into `Err(message)` without printing it. The
/// process-wide hook is wrapped once; it stays silent only on this thread
/// and only while `f` runs, so other threads' panics still print.
fn quietly<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| panic_message(payload.as_ref()))
}

fn engine_settings(settings: &Settings) -> progenitor_impl::GenerationSettings {
    let mut gs = progenitor_impl::GenerationSettings::new();
    gs.with_interface(progenitor_impl::InterfaceStyle::Builder)
        .with_tag(progenitor_impl::TagStyle::Separate);
    for d in &settings.derives {
        gs.with_derive(d);
    }
    if let Some(runtime) = runtime_path(settings) {
        gs.with_inner_type(quote! { #runtime::Runtime })
            .with_hooks(progenitor_impl::HooksMode::Expected);
    }
    gs
}

enum EngineFailure {
    Error(String),
    Panic(String),
}

fn run_engine(
    spec: &openapiv3::OpenAPI,
    settings: &Settings,
) -> std::result::Result<TokenStream, EngineFailure> {
    let gs = engine_settings(settings);
    match quietly(|| progenitor_impl::Generator::new(&gs).generate_tokens(spec)) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(EngineFailure::Error(e.to_string())),
        Err(panic) => Err(EngineFailure::Panic(panic)),
    }
}

/// Whether the engine fails on `doc` (a variant of the lowered document).
fn fails(doc: Value, settings: &Settings) -> bool {
    match serde_json::from_value::<openapiv3::OpenAPI>(doc) {
        Ok(spec) => run_engine(&spec, settings).is_err(),
        Err(_) => true,
    }
}

/// Where the failure is: the first component schema that fails alone (with
/// the schemas it refers to), at the place it was written; else the first
/// operation that fails alone; else the components.
fn locate_failure(lowered: &Lowered, settings: &Settings) -> String {
    let full = &lowered.value;
    let mut types_only = full.clone();
    types_only["paths"] = Value::Object(Default::default());
    if fails(types_only.clone(), settings) {
        let schemas = full
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for name in schemas.keys() {
            let mut alone = types_only.clone();
            alone["components"]["schemas"] = Value::Object(with_references(&schemas, name));
            if fails(alone, settings) {
                return lowered
                    .origins
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| spec::child_pointer("/components/schemas", name));
            }
        }
        return "/components/schemas".into();
    }
    for op in spec::operations(full) {
        let mut single = full.clone();
        if let Some(Value::Object(paths)) = single.get_mut("paths") {
            paths.retain(|p, _| *p == op.path);
            if let Some(Value::Object(item)) = paths.get_mut(&op.path) {
                item.retain(|m, _| {
                    HttpMethod::from_path_item_key(m).is_none() || *m == op.method.as_str()
                });
            }
        }
        let Ok(spec) = serde_json::from_value::<openapiv3::OpenAPI>(single) else {
            return op.pointer;
        };
        if run_engine(&spec, settings).is_err() {
            return op.pointer;
        }
    }
    "/components/schemas".into()
}

/// The schema `name` and every schema it refers to, directly or not.
fn with_references(
    schemas: &serde_json::Map<String, Value>,
    name: &str,
) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    let mut pending = vec![name.to_string()];
    while let Some(next) = pending.pop() {
        let Some(schema) = schemas.get(&next) else {
            continue;
        };
        if out.contains_key(&next) {
            continue;
        }
        let _ = spec::for_each_ref::<()>(schema, "", &mut |reference, _| {
            if let Some(target) = reference.strip_prefix("#/components/schemas/") {
                pending.push(spec::unescape_pointer_token(target));
            }
            Ok(())
        });
        out.insert(next, schema.clone());
    }
    out
}

/// The engine's output for the lowered document, parsed; an engine error or
/// panic as an error located at the operation that causes it.
pub(super) fn generate(
    lowered: &Lowered,
    source: &Document,
    settings: &Settings,
) -> Result<syn::File> {
    let tokens = match run_engine(&lowered.openapi, settings) {
        Ok(tokens) => tokens,
        Err(failure) => {
            let location = source.locate(&locate_failure(lowered, settings));
            return Err(match failure {
                EngineFailure::Error(message) => Error::Engine { location, message },
                EngineFailure::Panic(message) => Error::EnginePanic { location, message },
            });
        }
    };
    syn::parse2(tokens).map_err(|e| Error::Output {
        message: format!("engine output: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "openapi: 3.1.1\ninfo:\n  title: T\n  version: '1'\n";

    #[test]
    fn engine_panic_becomes_a_located_error() {
        // Lowering makes path parameters required; undo it behind its back to
        // prove a panic inside progenitor comes out as an error naming the
        // operation.
        let spec = format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: getA\n      parameters:\n        - name: id\n          in: path\n          schema:\n            type: string\n      responses:\n        '204':\n          description: ok\n"
        );
        let settings = Settings::new();
        let valid = crate::validate::validate(spec::load(spec.as_bytes()).unwrap()).unwrap();
        let mut lowered = crate::lower::lower(&valid, None, &settings).unwrap();
        lowered.value["paths"]["/a/{id}"]["get"]["parameters"][0]["required"] = false.into();
        lowered.openapi = serde_json::from_value(lowered.value.clone()).unwrap();
        let err = match generate(&lowered, valid.document(), &settings) {
            Ok(_) => panic!("the engine accepted a non-required path parameter"),
            Err(e) => e,
        };
        assert!(matches!(err, Error::EnginePanic { .. }), "{err}");
        assert!(
            err.to_string()
                .starts_with("at /paths/~1a~1{id}/get (line 7): code generation panicked: "),
            "{err}"
        );
    }

    #[test]
    fn a_type_the_engine_panics_on_is_located_where_it_was_written() {
        // Lowering drops `not` (typify todo!()s on it); put one back into
        // the type hoisted from the response to prove the error names the
        // schema, not the operation that uses it.
        let spec = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  id:\n                    type: string\n"
        );
        let settings = Settings::new();
        let valid = crate::validate::validate(spec::load(spec.as_bytes()).unwrap()).unwrap();
        let mut lowered = crate::lower::lower(&valid, None, &settings).unwrap();
        lowered.value["components"]["schemas"]["GetAResponse"]["properties"]["id"]["not"] =
            serde_json::json!({"type": "integer"});
        lowered.openapi = serde_json::from_value(lowered.value.clone()).unwrap();
        let err = match generate(&lowered, valid.document(), &settings) {
            Ok(_) => panic!("the engine accepted `not`"),
            Err(e) => e,
        };
        assert!(
            err.to_string().starts_with(
                "at /paths/~1a/get/responses/200/content/application~1json/schema (line 14): code generation panicked: "
            ),
            "{err}"
        );
    }
}
