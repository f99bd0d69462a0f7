//! The few Node-API C functions this addon uses (declarations from node_api.h / js_native_api.h).
//!
//! They are not linked as `extern "C"` imports: that would leave undefined symbols that only node
//! provides and break `cargo test`. Instead [`init`] resolves them at module registration from the
//! running process (`dlopen(NULL)`), where node exports them.

use std::ffi::{c_char, c_void};
use std::sync::OnceLock;

use libloading::os::unix::Library;

pub type Env = *mut c_void;
/// `napi_value`: an opaque handle owned by node (never dereferenced here).
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value(*mut c_void);

impl Value {
    pub const NULL: Value = Value(std::ptr::null_mut());
}

/// `napi_callback_info`: an opaque handle owned by node.
#[repr(transparent)]
#[derive(Debug, Clone, Copy)]
pub struct CallbackInfo(*mut c_void);
/// `napi_status`; 0 is `napi_ok`.
pub type Status = i32;
pub const NAPI_OK: Status = 0;

/// `napi_valuetype` values used here.
pub const TYPE_STRING: i32 = 4;
pub const TYPE_EXTERNAL: i32 = 8;

pub type Callback = unsafe extern "C" fn(Env, CallbackInfo) -> Value;
pub type Finalize = unsafe extern "C" fn(Env, *mut c_void, *mut c_void);

macro_rules! napi_api {
    ($( $name:ident : fn($($arg:ty),*) -> Status ;)*) => {
        /// Resolved Node-API function pointers.
        pub struct Napi {
            $( pub $name: unsafe extern "C" fn($($arg),*) -> Status, )*
        }

        fn resolve(library: &Library) -> Result<Napi, String> {
            $(
                // SAFETY: the symbol is declared by Node-API with exactly this signature.
                let $name = unsafe {
                    library.get::<unsafe extern "C" fn($($arg),*) -> Status>(
                        concat!(stringify!($name), "\0").as_bytes(),
                    )
                }
                .map(|symbol| *symbol)
                .map_err(|e| format!("Node-API symbol {} not found: {e}", stringify!($name)))?;
            )*
            Ok(Napi { $( $name, )* })
        }
    };
}

napi_api! {
    napi_create_function: fn(Env, *const c_char, usize, Option<Callback>, *mut c_void, *mut Value) -> Status;
    napi_set_named_property: fn(Env, Value, *const c_char, Value) -> Status;
    napi_get_cb_info: fn(Env, CallbackInfo, *mut usize, *mut Value, *mut Value, *mut *mut c_void) -> Status;
    napi_typeof: fn(Env, Value, *mut i32) -> Status;
    napi_get_value_string_utf8: fn(Env, Value, *mut c_char, usize, *mut usize) -> Status;
    napi_create_string_utf8: fn(Env, *const c_char, usize, *mut Value) -> Status;
    napi_is_buffer: fn(Env, Value, *mut bool) -> Status;
    napi_get_buffer_info: fn(Env, Value, *mut *mut c_void, *mut usize) -> Status;
    napi_create_buffer_copy: fn(Env, usize, *const c_void, *mut *mut c_void, *mut Value) -> Status;
    napi_create_object: fn(Env, *mut Value) -> Status;
    napi_create_error: fn(Env, Value, Value, *mut Value) -> Status;
    napi_throw: fn(Env, Value) -> Status;
    napi_is_exception_pending: fn(Env, *mut bool) -> Status;
    napi_get_undefined: fn(Env, *mut Value) -> Status;
    napi_create_external: fn(Env, *mut c_void, Option<Finalize>, *mut c_void, *mut Value) -> Status;
    napi_get_value_external: fn(Env, Value, *mut *mut c_void) -> Status;
}

static NAPI: OnceLock<Result<Napi, String>> = OnceLock::new();

/// Resolves the Node-API functions once per process.
pub fn init() -> Result<&'static Napi, String> {
    NAPI.get_or_init(|| resolve(&Library::this()))
        .as_ref()
        .map_err(Clone::clone)
}

/// The resolved functions, if [`init`] succeeded.
pub fn get() -> Option<&'static Napi> {
    NAPI.get().and_then(|r| r.as_ref().ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn outside_node_the_symbols_are_missing_and_that_is_an_error_not_a_crash() {
        // A test binary does not export Node-API; resolution must fail gracefully.
        let err = super::init().err().unwrap_or_default();
        assert!(err.contains("napi_create_function"), "{err}");
        assert!(super::get().is_none());
    }
}
