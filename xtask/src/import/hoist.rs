//! Repeated shapes -> `components/schemas`, under names that stay stable
//! from one import to the next.
//!
//! Works on a fully inlined document (see `inline`). Two passes:
//!
//! 1. **Names of the current spec.** For every place where the current
//!    spec's inlined form has a `$ref` to component `N` (its *site*, e.g.
//!    `/paths/~1accounts/get/responses/200/content/application~1json/schema/allOf/0`,
//!    including sites inside other components, which expand to every place
//!    those are used), the inline schema at the same site is hoisted as `N`,
//!    even when its content changed. When the sites that shared `N` now
//!    differ, the copy equal to the current `N` keeps the name (failing
//!    that, the first in document order) and each other shape gets a derived
//!    name. So a small API change is a small spec diff.
//! 2. **New repeated shapes.** Object schemas that still occur more than
//!    once, or equal an existing component, become (references to) a
//!    component with a derived name: the property name in PascalCase,
//!    singular for array items (`participants[]` -> `Participant`). Where
//!    one of the copies was already there, inline, its Rust type keeps its
//!    name: the component is named as the generator named that copy
//!    ([`CurrentNames::with_rust_names`]), so a new use of a shape does not
//!    rename the old one.
//!
//! Two object schemas are the same shape when they are equal but for their
//! own top-level `description`, which stays beside the `$ref`.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};
use zoom_api_codegen::spec::{self, HttpMethod, Shape, unescape_pointer_token};

use super::inline::inline_value;

const SCHEMAS_REF: &str = "#/components/schemas/";

/// What the current spec says about component names.
#[derive(Debug, Default)]
pub struct CurrentNames {
    /// Site (pointer in the inlined document) -> component name.
    sites: HashMap<String, String>,
    /// Component name -> shape key of its fully inlined schema.
    shapes: HashMap<String, String>,
    /// Component name -> its own `description`.
    descriptions: HashMap<String, Value>,
    /// Every component name of the current spec.
    names: BTreeSet<String>,
    /// Site (pointer in the inlined document) -> the Rust type the
    /// generator made of the inline schema there.
    rust_names: HashMap<String, String>,
}

impl CurrentNames {
    /// No current spec: every name is derived.
    pub fn none() -> Self {
        Self::default()
    }

    /// The sites and shapes of `current` (a spec in our normalized form).
    pub fn from_spec(current: &Value) -> Self {
        let mut names = Self::default();
        if let Some(schemas) = current
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for (name, schema) in schemas {
                names.names.insert(name.clone());
                if let Some(d) = schema.get("description") {
                    names.descriptions.insert(name.clone(), d.clone());
                }
                let mut stack = vec![format!("{SCHEMAS_REF}{name}")];
                if let Ok(inlined) = inline_value(schema, current, "", &mut stack) {
                    let key = shape_key(&inlined);
                    names.shapes.insert(name.clone(), key);
                }
            }
        }
        spec::for_each_root_schema(current, &mut |schema, ptr| {
            if ptr.starts_with("/paths/") {
                expand_sites(schema, ptr, current, &mut names.sites, &mut Vec::new());
            }
        });
        names
    }

    /// The Rust type names the generator gives the current spec's inline
    /// schemas (`zoom_api_codegen::type_names`, pointers in the spec),
    /// placed at every site of the inlined document they stand at.
    pub fn with_rust_names(mut self, types: &[(String, String)]) -> Self {
        for (pointer, name) in types {
            if pointer.starts_with("/paths/") {
                self.rust_names.insert(pointer.clone(), name.clone());
                continue;
            }
            // Inside a component: at each place the component is used.
            for (site, component) in &self.sites {
                let prefix = format!("{SCHEMAS_REF}{component}");
                let Some(rest) = pointer.strip_prefix(&prefix[1..]) else {
                    continue;
                };
                if rest.is_empty() || rest.starts_with('/') {
                    self.rust_names
                        .entry(format!("{site}{rest}"))
                        .or_insert_with(|| name.clone());
                }
            }
        }
        self
    }

    /// The Rust type of the inline schema at `site` of `doc` (the
    /// generator names an `allOf` of one member after the member).
    fn rust_name(&self, doc: &Value, site: &str) -> Option<&String> {
        let mut at = site.to_string();
        for _ in 0..8 {
            if let Some(name) = self.rust_names.get(&at) {
                return Some(name);
            }
            match doc
                .pointer(&at)
                .and_then(|n| n.get("allOf"))
                .and_then(Value::as_array)
            {
                Some(members) if members.len() == 1 => at.push_str("/allOf/0"),
                _ => return None,
            }
        }
        None
    }

    /// How many sites the current spec has (for reports and tests).
    pub fn site_count(&self) -> usize {
        self.sites.len()
    }
}

/// Records `ptr` -> `N` for every `$ref` to `N` under `node`, following the
/// reference into `N` with the same pointer (that is where an inlined copy
/// puts N's own sites).
fn expand_sites(
    node: &Value,
    ptr: &str,
    current: &Value,
    sites: &mut HashMap<String, String>,
    stack: &mut Vec<String>,
) {
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        if let Some(name) = reference.strip_prefix(SCHEMAS_REF) {
            let name = unescape_pointer_token(name);
            sites.entry(ptr.to_string()).or_insert_with(|| name.clone());
            if stack.contains(&name) {
                return;
            }
            if let Some(target) = current.pointer(&reference[1..]) {
                stack.push(name);
                expand_sites(target, ptr, current, sites, stack);
                stack.pop();
            }
        }
        return;
    }
    for_each_subschema(node, ptr, &mut |child, p| {
        expand_sites(child, p, current, sites, stack)
    });
}

/// What hoisting did, for the command's summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Hoisted {
    /// Names taken over from the current spec.
    pub kept: BTreeSet<String>,
    /// `(current name, new name)`: a shape that shared a current name and
    /// now differs from it.
    pub split: Vec<(String, String)>,
    /// New components with derived names.
    pub new: Vec<String>,
    /// Names of the current spec that no longer name anything.
    pub unused: Vec<String>,
}

/// Hoists the repeated shapes of `doc` (inlined, possibly with components
/// that the caller added, like `ZoomError`) into `components/schemas`.
pub fn hoist(doc: &mut Value, current: &CurrentNames) -> Hoisted {
    let names_doc = doc.clone();
    let mut state = State {
        current,
        names_doc: &names_doc,
        components: Map::new(),
        by_key: HashMap::new(),
        taken: current.names.iter().cloned().collect(),
        winners: HashMap::new(),
        descriptions: HashMap::new(),
        report: Hoisted::default(),
    };
    if let Some(existing) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in existing {
            state.by_key.insert(shape_key(schema), name.clone());
            state.taken.insert(name.clone());
            state
                .descriptions
                .insert(name.clone(), schema.get("description").cloned());
        }
    }

    // Pass 1: the current spec's names, winners decided before any hoisting.
    let mut candidates: HashMap<String, Vec<String>> = HashMap::new();
    for_each_path_schema(doc, &mut |schema, ptr| {
        collect_candidates(schema, ptr, current, &mut candidates)
    });
    for (name, keys) in candidates {
        let winner = match current.shapes.get(&name) {
            Some(unchanged) if keys.contains(unchanged) => unchanged.clone(),
            _ => keys[0].clone(),
        };
        state.winners.insert(name, winner);
    }
    for_each_path_schema(doc, &mut |schema, ptr| state.visit(schema, ptr));
    let mut report = std::mem::take(&mut state.report);
    let created = std::mem::take(&mut state.components);
    let mut taken = std::mem::take(&mut state.taken);
    insert_components(doc, created);

    // Pass 2: shapes still repeated, or equal to a component.
    while let Some((name, sites)) = next_repeated_shape(doc, &names_doc, current, &mut taken) {
        if !doc_has_component(doc, &name) {
            let first = doc.pointer(&sites[0]).cloned().unwrap_or(Value::Null);
            insert_components(
                doc,
                Map::from_iter([(name.clone(), without_description(&first))]),
            );
            report.new.push(name.clone());
        }
        let own = component_description(doc, &name);
        for site in &sites {
            if let Some(node) = doc.pointer_mut(site) {
                let description = node
                    .as_object_mut()
                    .and_then(|m| m.shift_remove("description"));
                *node = reference(&name, description, own.as_ref());
            }
        }
    }

    let final_names: HashSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    report.unused = current
        .names
        .iter()
        .filter(|n| !final_names.contains(*n))
        .cloned()
        .collect();
    report
}

struct State<'a> {
    current: &'a CurrentNames,
    /// The document before hoisting: operation ids and parameter names for
    /// derived names.
    names_doc: &'a Value,
    /// Components created so far.
    components: Map<String, Value>,
    /// Shape key (inlined form) -> component name.
    by_key: HashMap<String, String>,
    /// Names that cannot be given to a new shape.
    taken: HashSet<String>,
    /// Current name -> the shape key that keeps it.
    winners: HashMap<String, String>,
    /// Component name -> its own description (created or pre-existing).
    descriptions: HashMap<String, Option<Value>>,
    report: Hoisted,
}

impl State<'_> {
    fn visit(&mut self, node: &mut Value, ptr: &str) {
        if is_inline_schema(node)
            && let Some(name) = self.current.sites.get(ptr)
        {
            let name = name.clone();
            self.hoist_known(node, ptr, &name);
            return;
        }
        if let Value::Object(map) = node {
            spec::for_each_subschema_mut(map, ptr, &mut |child, p| self.visit(child, p));
        }
    }

    fn hoist_known(&mut self, node: &mut Value, ptr: &str, current_name: &str) {
        let description = node
            .as_object_mut()
            .and_then(|m| m.shift_remove("description"));
        let key = shape_key(node);
        let name = match self.by_key.get(&key) {
            Some(existing) => existing.clone(),
            None => {
                let keeps = self.winners.get(current_name) == Some(&key)
                    && !self.components.contains_key(current_name)
                    && !self.by_key.values().any(|n| n == current_name);
                let name = if keeps {
                    self.report.kept.insert(current_name.to_string());
                    current_name.to_string()
                } else {
                    let fresh = fresh_name(self.names_doc, ptr, Some(current_name), &self.taken);
                    self.report
                        .split
                        .push((current_name.to_string(), fresh.clone()));
                    fresh
                };
                self.by_key.insert(key, name.clone());
                self.taken.insert(name.clone());
                let mut component = node.clone();
                if keeps
                    && let (Some(d), Value::Object(map)) =
                        (self.current.descriptions.get(&name), &mut component)
                {
                    map.insert("description".into(), d.clone());
                }
                if let Value::Object(map) = &mut component {
                    spec::for_each_subschema_mut(map, ptr, &mut |child, p| self.visit(child, p));
                }
                self.descriptions
                    .insert(name.clone(), component.get("description").cloned());
                self.components.insert(name.clone(), component);
                name
            }
        };
        let own = self.descriptions.get(&name).cloned().flatten();
        *node = reference(&name, description, own.as_ref());
    }
}

fn collect_candidates(
    node: &Value,
    ptr: &str,
    current: &CurrentNames,
    out: &mut HashMap<String, Vec<String>>,
) {
    if is_inline_schema(node)
        && let Some(name) = current.sites.get(ptr)
    {
        out.entry(name.clone()).or_default().push(shape_key(node));
    }
    for_each_subschema(node, ptr, &mut |child, p| {
        collect_candidates(child, p, current, out)
    });
}

/// The first shape (paths first, then components) that occurs twice or
/// equals a component, with its name and every site of it.
fn next_repeated_shape(
    doc: &Value,
    names_doc: &Value,
    current: &CurrentNames,
    taken: &mut HashSet<String>,
) -> Option<(String, Vec<String>)> {
    let mut order: Vec<String> = Vec::new();
    let mut sites: HashMap<String, Vec<String>> = HashMap::new();
    let mut record = |node: &Value, ptr: &str| {
        if is_hoistable(node) {
            let key = shape_key(node);
            let list = sites.entry(key.clone()).or_default();
            if list.is_empty() {
                order.push(key);
            }
            list.push(ptr.to_string());
        }
    };
    let mut path_roots = Vec::new();
    let mut component_roots = Vec::new();
    spec::for_each_root_schema(doc, &mut |schema, ptr| {
        if ptr.starts_with("/components/schemas/") {
            component_roots.push((schema.clone(), ptr.to_string()));
        } else {
            path_roots.push((schema.clone(), ptr.to_string()));
        }
    });
    for (schema, ptr) in &path_roots {
        visit_preorder(schema, ptr, &mut record);
    }
    for (schema, ptr) in &component_roots {
        // The component itself is not a candidate, its insides are.
        for_each_subschema(schema, ptr, &mut |child, p| {
            visit_preorder(child, p, &mut record)
        });
    }
    let mut components: HashMap<String, String> = HashMap::new();
    for (schema, ptr) in &component_roots {
        let name = unescape_pointer_token(ptr.rsplit('/').next().unwrap_or_default());
        components.entry(shape_key(schema)).or_insert(name);
    }
    for key in order {
        let list = &sites[&key];
        if let Some(name) = components.get(&key) {
            return Some((name.clone(), list.clone()));
        }
        if list.len() >= 2 {
            // A copy that was there before keeps its type's name.
            let kept = list
                .iter()
                .filter_map(|site| current.rust_name(doc, site))
                .find(|name| !taken.contains(*name))
                .cloned();
            let name = kept.unwrap_or_else(|| fresh_name(names_doc, &list[0], None, taken));
            taken.insert(name.clone());
            return Some((name, list.clone()));
        }
    }
    None
}

fn visit_preorder(node: &Value, ptr: &str, f: &mut dyn FnMut(&Value, &str)) {
    f(node, ptr);
    for_each_subschema(node, ptr, &mut |child, p| visit_preorder(child, p, f));
}

/// Calls `f` on the root schemas under `paths` (parameters, bodies,
/// responses, headers).
fn for_each_path_schema(doc: &mut Value, f: &mut dyn FnMut(&mut Value, &str)) {
    spec::for_each_root_schema_mut(doc, &mut |schema, ptr| {
        if ptr.starts_with("/paths/") {
            f(schema, ptr);
        }
    });
}

/// The direct subschemas of `node`, when it is a schema object.
fn for_each_subschema(node: &Value, ptr: &str, f: &mut dyn FnMut(&Value, &str)) {
    if let Value::Object(map) = node {
        spec::for_each_subschema(map, ptr, f);
    }
}

/// An inline (not `$ref`) schema object: what a known site may hoist.
fn is_inline_schema(node: &Value) -> bool {
    node.as_object().is_some_and(|m| !m.contains_key("$ref"))
}

/// An object shape worth a name: properties, or an object type made of
/// composition members.
fn is_hoistable(node: &Value) -> bool {
    let Some(map) = node.as_object() else {
        return false;
    };
    if map.contains_key("$ref") {
        return false;
    }
    let non_empty_map = |k: &str| {
        map.get(k)
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty())
    };
    let non_empty_list = |k: &str| {
        map.get(k)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    let is_object = match map.get("type") {
        Some(Value::String(t)) => t == "object",
        Some(Value::Array(types)) => types.iter().any(|t| t == "object"),
        _ => false,
    };
    // Scalar unions (`oneOf: [integer, string]`) are not shapes to name.
    non_empty_map("properties")
        || (is_object
            && ["allOf", "oneOf", "anyOf"]
                .iter()
                .any(|k| non_empty_list(k)))
}

fn without_description(node: &Value) -> Value {
    match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| *k != "description")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Two inline copies are one component when they are equal but for their
/// own top-level `description` (see [`Shape::Written`]).
fn shape_key(node: &Value) -> String {
    spec::shape_key(node, Shape::Written)
}

fn reference(name: &str, description: Option<Value>, own: Option<&Value>) -> Value {
    let mut map = Map::new();
    map.insert("$ref".into(), Value::String(format!("{SCHEMAS_REF}{name}")));
    if let Some(d) = description
        && Some(&d) != own
    {
        map.insert("description".into(), d);
    }
    Value::Object(map)
}

fn insert_components(doc: &mut Value, new: Map<String, Value>) {
    if new.is_empty() {
        return;
    }
    if let Some(schemas) = super::component_schemas_mut(doc) {
        schemas.extend(new);
    }
}

fn doc_has_component(doc: &Value, name: &str) -> bool {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .is_some_and(|m| m.contains_key(name))
}

fn component_description(doc: &Value, name: &str) -> Option<Value> {
    doc.pointer("/components/schemas")
        .and_then(|m| m.get(name))
        .and_then(|c| c.get("description"))
        .cloned()
}

// ---------------------------------------------------------------------------
// Derived names.

/// A name for the shape at `ptr` not in `taken`.
///
/// A new shape (`avoid` is `None`) is named after where it stands
/// ([`derived_name`]), qualified by its parent's name when that is taken.
/// A changed copy of current component `N` (`avoid` is `Some(N)`) keeps `N`
/// with a qualifier, as the spec's README says (`ParticipantQosMetrics`
/// beside `QosMetrics`): the property it is the value of, or the enclosing
/// property when that is named `N` already. Numbered as a last resort.
fn fresh_name(doc: &Value, ptr: &str, avoid: Option<&str>, taken: &HashSet<String>) -> String {
    let tokens: Vec<String> = ptr.split('/').skip(1).map(unescape_pointer_token).collect();
    let free = |n: &String| !taken.contains(n) && Some(n.as_str()) != avoid;
    let mut candidates = Vec::new();
    match avoid {
        None => {
            let base = derived_name(doc, &tokens);
            candidates.push(format!("{}{base}", parent_name(doc, &tokens)));
            candidates.insert(0, base);
        }
        Some(current) => {
            let mut rest: &[String] = &tokens;
            while let Some((qualifier, above)) = property_qualifier(doc, rest) {
                if qualifier != current && !current.starts_with(&qualifier) {
                    candidates.push(format!("{qualifier}{current}"));
                    break;
                }
                rest = above;
            }
        }
    }
    if let Some(found) = candidates.iter().find(|n| free(n)) {
        return found.clone();
    }
    let stem = avoid
        .map(str::to_string)
        .unwrap_or_else(|| derived_name(doc, &tokens));
    (2..)
        .map(|i| format!("{stem}{i}"))
        .find(|n| free(n))
        .unwrap_or(stem)
}

/// The name of the nearest property at or above `tokens` (singular when
/// the site is its array items), and the tokens above that property; at an
/// operation's body, the operation's name.
fn property_qualifier<'t>(doc: &Value, tokens: &'t [String]) -> Option<(String, &'t [String])> {
    let at = tokens
        .iter()
        .enumerate()
        .rev()
        .find(|(i, _)| *i > 0 && tokens[i - 1] == "properties")
        .map(|(i, _)| i);
    match at {
        Some(i) => {
            let only_items = tokens[i + 1..].iter().all(|t| t == "items");
            let name = if only_items && i + 1 < tokens.len() {
                singular(&tokens[i])
            } else {
                tokens[i].clone()
            };
            Some((spec::type_ident(&name), &tokens[..i - 1]))
        }
        None if tokens.len() >= 4 && tokens[0] == "paths" => {
            Some((operation_name(doc, &tokens[1], &tokens[2]), &[]))
        }
        None => None,
    }
}

/// A name from where a shape stands: `.../properties/location` ->
/// `Location`, `.../properties/participants/items` -> `Participant`, an
/// operation's 200 body -> `{OperationId}Response`.
pub fn derived_name(doc: &Value, tokens: &[String]) -> String {
    let n = tokens.len();
    let t = |i: usize| tokens.get(i).map(String::as_str).unwrap_or("");
    if n >= 3 && t(n - 1) == "items" && t(n - 3) == "properties" {
        return spec::type_ident(&singular(t(n - 2)));
    }
    if n >= 2 && t(n - 2) == "properties" {
        return spec::type_ident(t(n - 1));
    }
    if n >= 1 && t(n - 1) == "items" {
        return format!("{}Item", derived_name(doc, &tokens[..n - 1]));
    }
    if n >= 2 && matches!(t(n - 2), "allOf" | "oneOf" | "anyOf") {
        return derived_name(doc, &tokens[..n - 2]);
    }
    if n == 3 && t(0) == "components" && t(1) == "schemas" {
        return t(2).to_string();
    }
    if n >= 4 && t(0) == "paths" {
        let op = operation(doc, t(1), t(2));
        let op_name = operation_name(doc, t(1), t(2));
        return match t(3) {
            "requestBody" => format!("{op_name}Body"),
            "responses" if t(4).starts_with('2') => format!("{op_name}Response"),
            "responses" => format!("{op_name}Error{}", t(4)),
            "parameters" => op
                .and_then(|o| o.pointer(&format!("/parameters/{}/name", t(4))))
                .and_then(Value::as_str)
                .map(spec::type_ident)
                .unwrap_or_else(|| format!("{op_name}Parameter")),
            _ => format!("{op_name}Schema"),
        };
    }
    "Schema".to_string()
}

/// The operation at `/paths/<path>/<method>`, if `method` is one.
fn operation<'d>(doc: &'d Value, path: &str, method: &str) -> Option<&'d Value> {
    let method = HttpMethod::from_path_item_key(method)?;
    doc.pointer(&spec::operation_pointer(path, method))
}

/// `listAccounts` -> `ListAccounts`; method and path when there is no
/// operationId.
fn operation_name(doc: &Value, path: &str, method: &str) -> String {
    operation(doc, path, method)
        .and_then(|o| o.get("operationId"))
        .and_then(Value::as_str)
        .map(spec::type_ident)
        .unwrap_or_else(|| spec::type_ident(&format!("{method} {path}")))
}

/// The name of the schema a property or item belongs to.
fn parent_name(doc: &Value, tokens: &[String]) -> String {
    let n = tokens.len();
    let cut = if n >= 3 && tokens[n - 1] == "items" && tokens[n - 3] == "properties" {
        n - 3
    } else if n >= 2 && tokens[n - 2] == "properties" {
        n - 2
    } else {
        n.saturating_sub(1)
    };
    derived_name(doc, &tokens[..cut])
}

/// English singular of a snake_case name's last word, for array items.
pub fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let last = lower.rsplit('_').next().unwrap_or(&lower);
    const KEEP: [&str; 6] = ["qos", "status", "alias", "series", "news", "analysis"];
    if KEEP.contains(&last) || last.len() < 3 {
        return name.to_string();
    }
    if let Some(stem) = name.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for suffix in ["sses", "shes", "ches", "xes", "zzes"] {
        if lower.ends_with(suffix) {
            return name[..name.len() - 2].to_string();
        }
    }
    if ["ss", "us", "is", "os"].iter().any(|s| lower.ends_with(s)) {
        return name.to_string();
    }
    name.strip_suffix('s').unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn singular_names() {
        assert_eq!(singular("participants"), "participant");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("user_qos"), "user_qos");
        assert_eq!(singular("address"), "address");
    }

    fn op(schema: Value) -> Value {
        json!({"get": {"operationId": "listThings", "responses": {"200": {"content": {"application/json": {"schema": schema}}}}}})
    }

    #[test]
    fn repeated_shapes_get_derived_names() {
        let owner = json!({"type": "object", "properties": {"id": {"type": "string"}}});
        let mut with_desc = owner.clone();
        with_desc["description"] = json!("The creator.");
        let mut doc = json!({"paths": {
            "/a": op(json!({"type": "object", "properties": {"owner": owner, "creator": with_desc}})),
            "/b": op(json!({"type": "object", "properties": {"members": {"type": "array", "items": owner.clone()}}}))
        }});
        let report = hoist(&mut doc, &CurrentNames::none());
        assert_eq!(report.new, ["Owner"]);
        let props = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["properties"];
        assert_eq!(
            props["owner"],
            json!({"$ref": "#/components/schemas/Owner"})
        );
        assert_eq!(
            props["creator"],
            json!({"$ref": "#/components/schemas/Owner", "description": "The creator."})
        );
        assert_eq!(doc["components"]["schemas"]["Owner"], owner);
    }

    #[test]
    fn current_names_are_kept_and_changed_copies_split() {
        let current = json!({
            "paths": {
                "/a": op(json!({"$ref": "#/components/schemas/Page"})),
                "/b": op(json!({"$ref": "#/components/schemas/Page", "description": "B's page."}))
            },
            "components": {"schemas": {"Page": {"type": "object", "properties": {"n": {"type": "integer"}}}}}
        });
        let names = CurrentNames::from_spec(&current);
        assert_eq!(names.site_count(), 2);
        // /a changed, /b did not: /b's copy keeps the name.
        let mut doc = json!({"paths": {
            "/a": op(json!({"type": "object", "properties": {"n": {"type": "string"}}})),
            "/b": op(json!({"type": "object", "description": "B's page.", "properties": {"n": {"type": "integer"}}}))
        }});
        let report = hoist(&mut doc, &names);
        assert_eq!(report.kept, BTreeSet::from(["Page".to_string()]));
        assert_eq!(
            report.split,
            [("Page".to_string(), "ListThingsPage".to_string())]
        );
        let schema = |p: &str| {
            doc["paths"][p]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                .clone()
        };
        assert_eq!(
            schema("/a"),
            json!({"$ref": "#/components/schemas/ListThingsPage"})
        );
        assert_eq!(
            schema("/b"),
            json!({"$ref": "#/components/schemas/Page", "description": "B's page."})
        );
    }
}
