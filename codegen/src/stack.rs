//! The pipeline runs on a thread of its own with a large stack.
//!
//! Every stage walks the document recursively, and so does the engine
//! (typify converts nested schemas, syn and prettyplease recurse through
//! the types it writes). `spec::load` bounds the nesting of a document
//! (`MAX_NESTING`), but the stack that bound needs is more than a test
//! thread's 2 MiB, and a stack overflow aborts the process: it cannot be
//! caught and turned into an error. So [`on_large_stack`] gives every
//! entry point a stack far above what the deepest accepted document needs
//! (the memory is reserved, not used, until a deep document needs it).

use crate::error::{Error, Result};

/// The stack of the pipeline's thread.
pub(crate) const STACK_BYTES: usize = 256 << 20;

/// Runs `job` on a thread with a [`STACK_BYTES`] stack and returns what it
/// returns; a panic in it (a codegen bug: the engine's own are caught
/// where it runs) becomes [`Error::Panic`].
pub(crate) fn on_large_stack<T: Send>(job: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    run_on_large_stack(job).unwrap_or_else(|message| Err(Error::Panic { message }))
}

/// Runs `job` on a thread with the generator's large stack (256 MiB,
/// reserved rather than used) and returns its result, or the message of
/// its panic (or of the failure to start the thread). For tools that walk
/// spec documents recursively, as `cargo xtask import` does: a document as
/// deep as the loader accepts fits.
pub fn run_on_large_stack<T: Send>(
    job: impl FnOnce() -> T + Send,
) -> std::result::Result<T, String> {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name("zoom-api-codegen".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, job)
            .map_err(|e| format!("cannot start a thread with a large stack: {e}"))?;
        thread
            .join()
            .map_err(|payload| panic_message(payload.as_ref()))
    })
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_recursion_fits_and_panics_become_errors() {
        fn depth(n: usize) -> usize {
            // About 4 KiB of stack per level: 8,000 levels overflow 2 MiB.
            let pad = std::hint::black_box([0u8; 4096]);
            if n == 0 {
                pad[0] as usize
            } else {
                depth(n - 1) + 1
            }
        }
        assert_eq!(on_large_stack(|| Ok(depth(8_000))).unwrap(), 8_000);
        let err = on_large_stack::<()>(|| panic!("boom")).unwrap_err();
        assert!(
            matches!(err, Error::Panic { ref message } if message == "boom"),
            "{err}"
        );
    }
}
