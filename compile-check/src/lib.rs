//! The generated client of every codegen fixture spec, one module each
//! (see `build.rs`): that this crate compiles is the test that every
//! fixture's client compiles, as `zoom-accounts` compiles the Accounts
//! client. `tests/` exercises what a class of fixture promises at run
//! time. With `ZOOM_CHECK_SPEC` set, `cargo xtask check-spec` compiles one
//! spec's client here instead, as the module `checked`.

/// Every request through the runtime, as `zoom-accounts` does it: the
/// `ClientHooks` impl a client generated with a runtime crate requires.
#[macro_export]
#[doc(hidden)]
macro_rules! runtime_hooks {
    () => {
        impl ::progenitor_client::ClientHooks<::zoom_api_runtime::Runtime> for Client {
            async fn exec(
                &self,
                request: ::reqwest::Request,
                info: &::progenitor_client::OperationInfo,
            ) -> ::reqwest::Result<::reqwest::Response> {
                match metadata::by_method_name(info.operation_id) {
                    Some(operation) => self.inner.exec(request, operation).await,
                    None => {
                        let unknown =
                            ::zoom_api_runtime::OperationMeta::new(info.operation_id, "", "");
                        self.inner.exec(request, &unknown).await
                    }
                }
            }
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/modules.rs"));
