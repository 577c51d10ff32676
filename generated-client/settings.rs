// The generator settings of this crate, shared by `build.rs` and
// `cargo xtask regen` (both `include!` this file) so that the committed copy
// in `generated/` and the code compiled from `OUT_DIR` are the same bytes.

/// The webhooks document generated beside the API spec, from the
/// workspace root.
pub const WEBHOOKS_SPEC: &str = "spec/zoom-accounts-webhooks.yaml";

/// The codegen settings of the API alone (no webhooks), one cargo
/// feature per tag.
pub fn client_settings() -> zoom_api_codegen::Settings {
    let mut settings = zoom_api_codegen::Settings::default();
    settings
        .with_spec_name("spec/zoom-accounts.yaml")
        .with_error_schema("ZoomError")
        .with_runtime_crate("zoom_api_runtime")
        .with_mock_feature("mock")
        // One cargo feature per tag, named by the generator's rule
        // (`Information Barriers` -> `information-barriers`); Cargo.toml
        // declares them, all on by default.
        .with_area_features();
    settings
}

/// The codegen settings that produce this crate's client: the API and the
/// webhooks document `webhooks_spec` (the text of [`WEBHOOKS_SPEC`]), whose
/// module and webhook-only types sit behind the `webhooks` feature.
pub fn client_settings_with_webhooks(webhooks_spec: &str) -> zoom_api_codegen::Settings {
    let mut settings = client_settings();
    settings
        .with_webhooks(webhooks_spec)
        .with_webhooks_feature("webhooks");
    settings
}
