//! A minimal hand-written Node-API binding.
//!
//! Node calls [`napi_register_module_v1`] when it loads the addon; it resolves the Node-API
//! functions from the process ([`sys`]) and attaches the exported functions ([`exports`]) to the
//! module's `exports` object. Every exported function goes through [`env::call`], which turns
//! errors and panics into JS Errors carrying a stable `code`.

pub mod delta_exports;
pub mod delta_write_exports;
pub mod env;
pub mod exports;
pub mod handle;
pub mod scan_exports;
pub mod sys;

use std::ffi::{c_char, CString};

use env::Env;

macro_rules! exported {
    ($( $js_name:literal => $body:path ),* $(,)?) => {
        /// (JS name, C callback) of every exported function.
        const EXPORTS: &[(&str, sys::Callback)] = &[
            $( ($js_name, {
                unsafe extern "C" fn callback(env: sys::Env, info: sys::CallbackInfo) -> sys::Value {
                    env::call(env, info, $body)
                }
                callback
            }), )*
        ];
    };
}

exported! {
    "version" => exports::version,
    "duckdbVersion" => exports::duckdb_version,
    "open" => exports::open,
    "query" => exports::query,
    "close" => exports::close,
    "deltaSnapshot" => delta_exports::delta_snapshot,
    "deltaObserve" => delta_exports::delta_observe,
    "deltaHistory" => delta_exports::delta_history,
    "deltaWrite" => delta_write_exports::delta_write,
    "deltaCheckpoint" => delta_write_exports::delta_checkpoint,
    "deltaVacuum" => delta_write_exports::delta_vacuum,
    "deltaScan" => scan_exports::delta_scan,
    "deltaChanges" => scan_exports::delta_changes,
    "__panicForTest" => exports::panic_for_test,
}

fn register(env: &Env, exports: sys::Value) -> Result<(), String> {
    for (name, callback) in EXPORTS {
        let c_name = CString::new(*name).map_err(|e| e.to_string())?;
        let mut function = sys::Value::NULL;
        // SAFETY: c_name is NUL-terminated; callback has the napi_callback signature.
        let status = unsafe {
            (env.napi.napi_create_function)(
                env.raw,
                c_name.as_ptr() as *const c_char,
                name.len(),
                Some(*callback),
                std::ptr::null_mut(),
                &mut function,
            )
        };
        if status != sys::NAPI_OK {
            return Err(format!(
                "napi_create_function({name}) failed with napi_status {status}"
            ));
        }
        env.set_property(exports, name, function)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The addon's entry point, called by node with the module's `exports` object.
///
/// # Safety
/// Called by node only, with a valid env and exports object.
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(
    raw_env: sys::Env,
    exports: sys::Value,
) -> sys::Value {
    let outcome = std::panic::catch_unwind(|| {
        let napi = sys::init()?;
        crate::error::install_panic_hook();
        register(&Env { raw: raw_env, napi }, exports)
    });
    match outcome {
        Ok(Ok(())) => {}
        // The facade checks the exports and reports a coded error if registration failed.
        Ok(Err(message)) => eprintln!("cpgc-native: module registration failed: {message}"),
        Err(_) => eprintln!("cpgc-native: module registration panicked"),
    }
    exports
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_export_is_declared_in_the_typescript_binding() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ts/binding.ts");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        for (name, _) in super::EXPORTS {
            assert!(
                text.contains(&format!("{name}(")),
                "ts/binding.ts does not declare {name}"
            );
            assert!(
                text.contains(&format!("\"{name}\"")),
                "ts/binding.ts does not list {name} in NATIVE_FUNCTIONS"
            );
        }
    }
}
