// The settings every fixture spec is generated with, shared by
// `tests/fixtures.rs`, `cargo xtask regen` and `compile-check/build.rs`
// (all `include!` this file) so that the snapshots regen writes are the
// ones the test compares, and the code compile-check compiles. They are
// those of `zoom-accounts` (a runtime crate, the shared error schema, the
// `mock` module behind a `mock` feature, which compile-check enables).

/// Settings for the fixture spec named `file_name` (in `tests/fixtures/specs/`);
/// the one with a webhooks document (`tests/fixtures/webhooks/`, the same
/// name) generates its `webhooks` module behind a `webhooks` feature.
pub fn fixture_settings(file_name: &str) -> zoom_api_codegen::Settings {
    let mut settings = zoom_api_codegen::Settings::new();
    settings
        .with_spec_name(format!("tests/fixtures/specs/{file_name}"))
        .with_error_schema("ZoomError")
        .with_runtime_crate("zoom_api_runtime")
        .with_mock_feature("mock");
    if file_name == "webhooks_31.yaml" {
        settings
            .with_webhooks(include_str!("fixtures/webhooks/webhooks_31.yaml"))
            .with_webhooks_feature("webhooks");
    }
    settings
}
