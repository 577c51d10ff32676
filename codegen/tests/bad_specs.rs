//! Specs the generator must refuse: each gives its error (with pointer and
//! line), never a panic.

use zoom_api_codegen::{Error, Settings, generate, spec};

const HEAD: &str = "openapi: 3.1.1\ninfo:\n  title: T\n  version: '1'\n";

fn op(path: &str, body: &str) -> String {
    format!("{HEAD}paths:\n  {path}:\n{body}")
}

#[test]
fn bad_specs_give_located_errors() {
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "not OpenAPI",
            "just: a mapping\n".into(),
            "at the document root (line 1): not an OpenAPI document: no `openapi` version field",
        ),
        (
            "not a mapping",
            "- a\n- b\n".into(),
            "at the document root (line 1): not an OpenAPI document: the document is not a mapping",
        ),
        (
            "swagger 2",
            "swagger: '2.0'\ninfo:\n  title: T\n  version: '1'\n".into(),
            "at /swagger (line 1): unsupported OpenAPI version \"2.0\"; expected 3.0.x or 3.1.x",
        ),
        (
            "wrong version",
            "openapi: 3.2.0\ninfo:\n  title: T\n  version: '1'\npaths: {}\n".into(),
            "at /openapi (line 1): unsupported OpenAPI version \"3.2.0\"; expected 3.0.x or 3.1.x",
        ),
        (
            "broken $ref",
            format!(
                "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          $ref: '#/components/schemas/Missing'\n"
            ),
            "at /components/schemas/A/properties/b/$ref (line 12): unresolvable $ref \"#/components/schemas/Missing\"",
        ),
        (
            "external $ref",
            format!(
                "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: 'other.yaml#/A'\n"
            ),
            "at /components/schemas/A/$ref (line 9): external $ref \"other.yaml#/A\" is not supported; inline it",
        ),
        (
            "duplicate operationId",
            format!(
                "{HEAD}paths:\n  /a:\n    get:\n      operationId: getThing\n      responses: {{}}\n  /b:\n    get:\n      operationId: getThing\n      responses: {{}}\n"
            ),
            "at /paths/~1b/get/operationId (line 12): duplicate operationId \"getThing\" (also used at /paths/~1a/get/operationId (line 8))",
        ),
        (
            "operationId taken by the client",
            op(
                "/a",
                "    get:\n      operationId: exec\n      responses: {}\n",
            ),
            "at /paths/~1a/get/operationId (line 8): operationId \"exec\" becomes the method `exec`, which the generated `Client` has already (progenitor's `ClientInfo`/`ClientHooks`); give the operation another operationId",
        ),
        (
            "missing operationId",
            op("/a", "    get:\n      responses: {}\n"),
            "at /paths/~1a/get (line 7): operation has no operationId",
        ),
        (
            "path parameter not in template",
            op(
                "/a",
                "    get:\n      operationId: getA\n      parameters:\n        - name: id\n          in: path\n          schema:\n            type: string\n      responses: {}\n",
            ),
            "at /paths/~1a/get/parameters/0 (line 10): path parameter \"id\" does not appear in the path template \"/a\"",
        ),
        (
            "cookie parameter",
            op(
                "/a",
                "    get:\n      operationId: getA\n      parameters:\n        - name: session\n          in: cookie\n          schema:\n            type: string\n      responses: {}\n",
            ),
            "at /paths/~1a/get/parameters/0 (line 10): cookie parameter \"session\" is not supported by the client generator",
        ),
        (
            "unsupported request media type",
            op(
                "/a",
                "    post:\n      operationId: postA\n      requestBody:\n        content:\n          application/xml:\n            schema:\n              type: string\n      responses: {}\n",
            ),
            "at /paths/~1a/post/requestBody/content (line 10): no supported request media type among [\"application/xml\"] (supported: application/json, multipart/form-data, application/x-www-form-urlencoded, application/octet-stream, text/plain)",
        ),
        (
            "bad rate-limit label",
            op(
                "/a",
                "    get:\n      operationId: getA\n      x-zoom-rate-limit: EXTREME\n      responses: {}\n",
            ),
            "at /paths/~1a/get/x-zoom-rate-limit (line 9): x-zoom-rate-limit must be LIGHT, MEDIUM, HEAVY or RESOURCE-INTENSIVE, not \"EXTREME\"",
        ),
        (
            "not a JSON Schema type",
            format!(
                "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Invoice:\n      type: object\n      properties:\n        date:\n          type: Date\n"
            ),
            "at /components/schemas/Invoice/properties/date/type (line 12): \"Date\" is not a JSON Schema type (one of: array, boolean, integer, null, number, object, string)",
        ),
        (
            "items that is not a schema",
            op(
                "/a",
                "    get:\n      operationId: getA\n      parameters:\n        - name: ids\n          in: query\n          schema:\n            type: array\n            items: integer\n      responses: {}\n",
            ),
            "at /paths/~1a/get/parameters/0/schema/items (line 14): `items` must be a schema (a mapping, or true/false), not the string \"integer\"",
        ),
        (
            "properties as a list",
            format!(
                "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        - id\n        - name\n"
            ),
            "at /components/schemas/A/properties (line 10): `properties` must be a mapping of property names to schemas, not a list",
        ),
        (
            "required that is not a list of names",
            format!(
                "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [1]\n"
            ),
            "at /components/schemas/A/required/0 (line 10): a property name must be a string, not the number 1",
        ),
        (
            "$ref cycle without a schema",
            format!(
                "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n"
            ),
            "at /components/schemas/A/$ref (line 9): #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B never reaches a schema: a reference cycle through `$ref`/`allOf` (or a union of one) alone (a recursive type needs a property or `items` in the cycle)",
        ),
        (
            "nested beyond the limit",
            {
                let mut schema = String::from("{\"type\": \"string\"}");
                for _ in 0..spec::MAX_NESTING {
                    schema = format!("{{\"type\": \"array\",\n \"items\": {schema}}}");
                }
                format!(
                    "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"T\", \"version\": \"1\"}},\n \"components\": {{\"schemas\": {{\"A\": {schema}}}}}}}"
                )
            },
            "at the document root (line 511): cannot parse the spec: the document nests more than 512 levels of mappings and lists here",
        ),
        (
            "YAML syntax",
            format!("{HEAD}paths:\n  /a: [unclosed\n"),
            "",
        ),
    ];
    for (name, spec, expected) in cases {
        let result = std::panic::catch_unwind(|| generate(&spec, &Settings::new()));
        let result = result.unwrap_or_else(|_| panic!("{name}: panicked"));
        let err = match result {
            Ok(_) => panic!("{name}: accepted"),
            Err(e) => e,
        };
        if expected.is_empty() {
            assert!(matches!(err, Error::Syntax { .. }), "{name}: {err}");
            assert!(
                err.location().and_then(|l| l.line).is_some(),
                "{name}: no line in {err}"
            );
        } else {
            assert_eq!(err.to_string(), expected, "{name}");
        }
    }
}
