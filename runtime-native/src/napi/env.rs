//! A thin, typed wrapper over one Node-API call: reading arguments, creating return values and
//! throwing coded errors. Every exported function runs inside [`call`], which catches panics.

use std::ffi::{c_char, c_void, CString};

use super::sys::{self, Napi, NAPI_OK};
use crate::error::{catch_panic, ErrorCode, NativeError, Result};

/// The environment of one call from JavaScript.
pub struct Env {
    pub raw: sys::Env,
    pub napi: &'static Napi,
}

impl Env {
    fn check(&self, status: sys::Status, what: &str) -> Result<()> {
        if status == NAPI_OK {
            Ok(())
        } else {
            Err(NativeError::new(
                ErrorCode::NapiFailed,
                format!("{what} failed with napi_status {status}"),
            ))
        }
    }

    /// The first `N` arguments; fewer than `N` is an INVALID_ARGUMENT.
    pub fn args<const N: usize>(
        &self,
        info: sys::CallbackInfo,
        function: &str,
    ) -> Result<[sys::Value; N]> {
        let mut argv = [sys::Value::NULL; N];
        let mut argc = N;
        // SAFETY: argv has room for argc values.
        let status = unsafe {
            (self.napi.napi_get_cb_info)(
                self.raw,
                info,
                &mut argc,
                argv.as_mut_ptr(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        self.check(status, "napi_get_cb_info")?;
        if argc < N {
            return Err(NativeError::invalid_argument(format!(
                "{function} expects {N} argument(s), got {argc}"
            ))
            .with("function", function));
        }
        Ok(argv)
    }

    /// `typeof`-like tag of a value (`sys::TYPE_*`).
    pub fn type_of(&self, value: sys::Value) -> Result<i32> {
        let mut tag = -1;
        // SAFETY: value is a live napi_value of this call.
        self.check(
            unsafe { (self.napi.napi_typeof)(self.raw, value, &mut tag) },
            "napi_typeof",
        )?;
        Ok(tag)
    }

    /// A string argument.
    pub fn string_arg(&self, value: sys::Value, name: &str) -> Result<String> {
        if self.type_of(value)? != sys::TYPE_STRING {
            return Err(
                NativeError::invalid_argument(format!("{name} must be a string"))
                    .with("argument", name),
            );
        }
        let mut len = 0usize;
        // SAFETY: a NULL buffer asks for the length in bytes (without the NUL).
        let status = unsafe {
            (self.napi.napi_get_value_string_utf8)(
                self.raw,
                value,
                std::ptr::null_mut(),
                0,
                &mut len,
            )
        };
        self.check(status, "napi_get_value_string_utf8")?;
        let mut buf = vec![0u8; len + 1];
        let mut written = 0usize;
        // SAFETY: buf has len + 1 bytes.
        let status = unsafe {
            (self.napi.napi_get_value_string_utf8)(
                self.raw,
                value,
                buf.as_mut_ptr() as *mut c_char,
                buf.len(),
                &mut written,
            )
        };
        self.check(status, "napi_get_value_string_utf8")?;
        buf.truncate(written);
        String::from_utf8(buf).map_err(|_| NativeError::internal("Node-API returned invalid UTF-8"))
    }

    /// The bytes of a Buffer (or Uint8Array) argument, borrowed for the duration of the call.
    pub fn buffer_arg(&self, value: sys::Value, name: &str) -> Result<&[u8]> {
        let mut is_buffer = false;
        // SAFETY: value is a live napi_value of this call.
        self.check(
            unsafe { (self.napi.napi_is_buffer)(self.raw, value, &mut is_buffer) },
            "napi_is_buffer",
        )?;
        if !is_buffer {
            return Err(
                NativeError::invalid_argument(format!("{name} must be a Buffer"))
                    .with("argument", name),
            );
        }
        let mut data: *mut c_void = std::ptr::null_mut();
        let mut len = 0usize;
        // SAFETY: value is a Buffer.
        let status =
            unsafe { (self.napi.napi_get_buffer_info)(self.raw, value, &mut data, &mut len) };
        self.check(status, "napi_get_buffer_info")?;
        if data.is_null() || len == 0 {
            return Ok(&[]);
        }
        // SAFETY: the buffer's memory stays valid while its napi_value is alive (this call).
        Ok(unsafe { std::slice::from_raw_parts(data as *const u8, len) })
    }

    pub fn string(&self, text: &str) -> Result<sys::Value> {
        let mut out = sys::Value::NULL;
        // SAFETY: text is valid UTF-8 of the given length.
        let status = unsafe {
            (self.napi.napi_create_string_utf8)(
                self.raw,
                text.as_ptr() as *const c_char,
                text.len(),
                &mut out,
            )
        };
        self.check(status, "napi_create_string_utf8")?;
        Ok(out)
    }

    pub fn buffer(&self, bytes: &[u8]) -> Result<sys::Value> {
        let mut out = sys::Value::NULL;
        // SAFETY: bytes is readable for its length; Node copies it.
        let status = unsafe {
            (self.napi.napi_create_buffer_copy)(
                self.raw,
                bytes.len(),
                bytes.as_ptr() as *const c_void,
                std::ptr::null_mut(),
                &mut out,
            )
        };
        self.check(status, "napi_create_buffer_copy")?;
        Ok(out)
    }

    pub fn undefined(&self) -> Result<sys::Value> {
        let mut out = sys::Value::NULL;
        // SAFETY: out-pointer.
        self.check(
            unsafe { (self.napi.napi_get_undefined)(self.raw, &mut out) },
            "napi_get_undefined",
        )?;
        Ok(out)
    }

    pub fn set_property(&self, object: sys::Value, name: &str, value: sys::Value) -> Result<()> {
        let c_name =
            CString::new(name).map_err(|_| NativeError::internal("property name with NUL"))?;
        // SAFETY: object and value are live; c_name is NUL-terminated.
        let status = unsafe {
            (self.napi.napi_set_named_property)(self.raw, object, c_name.as_ptr(), value)
        };
        self.check(status, "napi_set_named_property")
    }

    fn exception_pending(&self) -> bool {
        let mut pending = false;
        // SAFETY: out-pointer.
        let status = unsafe { (self.napi.napi_is_exception_pending)(self.raw, &mut pending) };
        status == NAPI_OK && pending
    }

    fn error_value(&self, error: &NativeError) -> Result<sys::Value> {
        let code = self.string(error.code.as_str())?;
        let message = self.string(&error.message)?;
        let mut out = sys::Value::NULL;
        // SAFETY: code and message are live strings; napi_create_error sets `code` itself.
        self.check(
            unsafe { (self.napi.napi_create_error)(self.raw, code, message, &mut out) },
            "napi_create_error",
        )?;
        let mut details = sys::Value::NULL;
        // SAFETY: out-pointer.
        self.check(
            unsafe { (self.napi.napi_create_object)(self.raw, &mut details) },
            "napi_create_object",
        )?;
        let mut sorted: Vec<&(&'static str, String)> = error.details.iter().collect();
        sorted.sort_by_key(|(key, _)| *key);
        for (key, value) in sorted {
            self.set_property(details, key, self.string(value)?)?;
        }
        self.set_property(out, "details", details)?;
        Ok(out)
    }

    /// Throws `error` as a JS Error with `code` and `details`, unless an exception is already
    /// pending (then that one propagates).
    pub fn throw(&self, error: &NativeError) {
        if self.exception_pending() {
            return;
        }
        if let Ok(value) = self.error_value(error) {
            // SAFETY: value is a live Error object.
            unsafe { (self.napi.napi_throw)(self.raw, value) };
        }
    }
}

/// Runs the body of an exported function: a panic or an error becomes a thrown JS Error and the
/// function returns NULL (which JS sees as `undefined`, the exception taking precedence).
pub fn call(
    raw: sys::Env,
    info: sys::CallbackInfo,
    body: fn(&Env, sys::CallbackInfo) -> Result<sys::Value>,
) -> sys::Value {
    let outcome = std::panic::catch_unwind(|| {
        let Some(napi) = sys::get() else {
            return sys::Value::NULL;
        };
        let env = Env { raw, napi };
        match catch_panic(|| body(&env, info)) {
            Ok(value) => value,
            Err(error) => {
                env.throw(&error);
                sys::Value::NULL
            }
        }
    });
    outcome.unwrap_or(sys::Value::NULL)
}
