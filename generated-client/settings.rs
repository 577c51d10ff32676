// The generator settings of this crate, shared by `build.rs` and
// `cargo xtask regen` (both `include!` this file) so that the committed copy
// in `generated/` and the code compiled from `OUT_DIR` are the same bytes.

/// The codegen settings that produce this crate's client.
pub fn client_settings() -> zoom_api_codegen::Settings {
    let mut settings = zoom_api_codegen::Settings::default();
    settings
        .with_spec_name("spec/zoom-accounts.yaml")
        .with_error_schema("ZoomError")
        .with_runtime_crate("zoom_api_runtime");
    settings
}
