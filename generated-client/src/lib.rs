//! Typed async client for Zoom's Accounts API.
//!
//! The request methods and types are generated at build time from
//! `spec/zoom-accounts.yaml` by the `codegen` crate (see `build.rs`); a
//! reviewable copy of the same code is committed in `generated/`.

include!(concat!(env!("OUT_DIR"), "/mod.rs"));
