//! Registering [`UDFS`] on a connection through DuckDB's C scalar-function API, and the
//! `extern "C"` entry points DuckDB calls.
//!
//! An entry point must reach the [`Api`] (the function table of the libduckdb that calls it)
//! without a global "current library": each loaded library gets a slot, and the entry points are
//! instantiated per (slot, function) with const generics, so `body::<S, F>` knows both. A
//! process loads one libduckdb in practice; [`SLOTS`] bounds how many distinct ones can have UDFs.

use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Mutex;

use super::chunk::{self, DuckdbInput, DuckdbOutput};
use super::{Udf, UDFS};
use crate::duckdb::ffi::{self, Api, ScalarFunctionBody, DUCKDB_SUCCESS};
use crate::duckdb::types::LogicalTypeGuard;
use crate::error::{ErrorCode, NativeError, Result};

/// How many distinct libduckdb files one process can register UDFs with.
const SLOTS: usize = 4;

static APIS: [AtomicPtr<Api>; SLOTS] = [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];
static ASSIGN: Mutex<()> = Mutex::new(());

/// The slot of `api`, assigned on first use.
fn slot_of(api: &'static Api) -> Result<usize> {
    let wanted = api as *const Api as *mut Api;
    let _guard = ASSIGN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    for (slot, cell) in APIS.iter().enumerate() {
        let current = cell.load(Ordering::Acquire);
        if current == wanted {
            return Ok(slot);
        }
        if current.is_null() {
            cell.store(wanted, Ordering::Release);
            return Ok(slot);
        }
    }
    Err(NativeError::new(
        ErrorCode::DuckdbOpenFailed,
        format!(
            "cpgc UDFs can be registered with at most {SLOTS} distinct libduckdb files per process"
        ),
    ))
}

/// The entry points of every UDF for slot `S`, in [`UDFS`] order.
const fn bodies<const S: usize>() -> [ScalarFunctionBody; UDFS.len()] {
    [body::<S, 0>, body::<S, 1>]
}

const BODIES: [[ScalarFunctionBody; UDFS.len()]; SLOTS] =
    [bodies::<0>(), bodies::<1>(), bodies::<2>(), bodies::<3>()];

/// What DuckDB calls for each chunk: UDF `F` of the library in slot `S`.
///
/// # Safety
/// Called by DuckDB with the function info, the flattened input chunk and the result vector.
unsafe extern "C" fn body<const S: usize, const F: usize>(
    info: ffi::FunctionInfo,
    input: ffi::DataChunk,
    output: ffi::Vector,
) {
    let api = APIS[S].load(Ordering::Acquire);
    if api.is_null() {
        // Unreachable: the slot is filled before any function of it is registered. There is no
        // library to report through, and unwinding into C++ is not allowed: leave the vector.
        return;
    }
    // SAFETY: slots hold leaked `&'static Api`s.
    let api: &'static Api = &*api;
    let udf = &UDFS[F];
    let outcome = catch_unwind(AssertUnwindSafe(|| -> std::result::Result<(), String> {
        let reader = DuckdbInput::new(api, udf, input)?;
        let mut writer = DuckdbOutput::new(api, output)?;
        chunk::run(udf, &reader, &mut writer)
    }));
    let message = match outcome {
        Ok(Ok(())) => return,
        Ok(Err(message)) => format!("{}: {message}", udf.name),
        Err(panic) => format!("{} panicked: {}", udf.name, panic_message(panic.as_ref())),
    };
    // A panic while reporting must not unwind into DuckDB either.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let text = CString::new(message.replace('\0', " ")).unwrap_or_default();
        (api.duckdb_scalar_function_set_error)(info, text.as_ptr());
    }));
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Owns a `duckdb_scalar_function` until it is registered (DuckDB copies it).
struct FunctionGuard<'a> {
    api: &'a Api,
    raw: ffi::ScalarFunction,
}

impl Drop for FunctionGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: raw came from duckdb_create_scalar_function and is destroyed once.
        unsafe { (self.api.duckdb_destroy_scalar_function)(&mut self.raw) };
    }
}

/// Registers every cpgc UDF on `conn` (they land in the database's system catalog, so every
/// connection of the database sees them).
pub fn register_all(api: &'static Api, conn: ffi::Connection) -> Result<()> {
    let slot = slot_of(api)?;
    for (udf, &entry) in UDFS.iter().zip(BODIES[slot].iter()) {
        register(api, conn, udf, entry)?;
    }
    Ok(())
}

fn register(api: &Api, conn: ffi::Connection, udf: &Udf, entry: ScalarFunctionBody) -> Result<()> {
    let failed = |what: &str| {
        NativeError::new(
            ErrorCode::DuckdbOpenFailed,
            format!("cannot register the UDF {}: {what}", udf.name),
        )
        .with("function", udf.name)
    };
    let name = CString::new(udf.name).map_err(|_| failed("NUL in the name"))?;
    // SAFETY: creates an owned function object, destroyed by the guard.
    let function = FunctionGuard {
        api,
        raw: unsafe { (api.duckdb_create_scalar_function)() },
    };
    if function.raw.is_null() {
        return Err(failed("duckdb_create_scalar_function returned NULL"));
    }
    // SAFETY (block): `function.raw` is live; DuckDB copies the name and the logical types
    // (each destroyed by its guard after the call); `entry` is a 'static extern "C" fn.
    unsafe {
        (api.duckdb_scalar_function_set_name)(function.raw, name.as_ptr() as *const c_char);
        for &(_, param) in udf.parameters {
            let ty = LogicalTypeGuard::new(api, (api.duckdb_create_logical_type)(param.type_id()));
            (api.duckdb_scalar_function_add_parameter)(function.raw, ty.get()?);
        }
        let ret = LogicalTypeGuard::new(api, (api.duckdb_create_logical_type)(ffi::TYPE_VARCHAR));
        (api.duckdb_scalar_function_set_return_type)(function.raw, ret.get()?);
        (api.duckdb_scalar_function_set_function)(function.raw, entry);
        if (api.duckdb_register_scalar_function)(conn, function.raw) != DUCKDB_SUCCESS {
            return Err(failed("duckdb_register_scalar_function failed"));
        }
    }
    Ok(())
}
