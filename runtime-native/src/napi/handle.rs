//! Database handles as JS externals.
//!
//! A handle is an opaque `napi_external` pointing at a boxed [`Slot`]. The box lives until the
//! external is garbage collected (finalizer); `close` only empties the slot, so a closed handle
//! stays safe to pass back: using it is a DATABASE_CLOSED error, never a dangling pointer.
//! Every live box address is registered in [`LIVE`]; an external that is not ours (another
//! addon's) is refused before it is dereferenced.

use std::collections::BTreeSet;
use std::ffi::c_void;
use std::sync::Mutex;

use super::env::Env;
use super::sys;
use crate::duckdb::Database;
use crate::error::{ErrorCode, NativeError, Result};

struct Slot {
    database: Mutex<Option<Database>>,
}

static LIVE: Mutex<BTreeSet<usize>> = Mutex::new(BTreeSet::new());

fn live() -> std::sync::MutexGuard<'static, BTreeSet<usize>> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

unsafe extern "C" fn finalize(_env: sys::Env, data: *mut c_void, _hint: *mut c_void) {
    let _ = std::panic::catch_unwind(|| {
        let address = data as usize;
        if live().remove(&address) {
            // SAFETY: the address was registered by `wrap` from Box::into_raw and is freed once.
            drop(unsafe { Box::from_raw(data as *mut Slot) });
        }
    });
}

/// Wraps an open database into a new JS handle.
pub fn wrap(env: &Env, database: Database) -> Result<sys::Value> {
    let raw = Box::into_raw(Box::new(Slot {
        database: Mutex::new(Some(database)),
    }));
    live().insert(raw as usize);
    let mut out = sys::Value::NULL;
    // SAFETY: raw is a valid heap pointer; `finalize` frees it when the external is collected.
    let status = unsafe {
        (env.napi.napi_create_external)(
            env.raw,
            raw as *mut c_void,
            Some(finalize),
            std::ptr::null_mut(),
            &mut out,
        )
    };
    if status != sys::NAPI_OK {
        live().remove(&(raw as usize));
        // SAFETY: the external was not created, so nobody else owns raw.
        drop(unsafe { Box::from_raw(raw) });
        return Err(NativeError::new(
            ErrorCode::NapiFailed,
            format!("napi_create_external failed with napi_status {status}"),
        ));
    }
    Ok(out)
}

/// Runs `f` on the slot of the handle `value` (the slot is `None` once closed).
pub fn with_slot<R>(
    env: &Env,
    value: sys::Value,
    f: impl FnOnce(&mut Option<Database>) -> Result<R>,
) -> Result<R> {
    let not_a_handle = || {
        NativeError::invalid_argument("expected a database handle from open()")
            .with("argument", "db")
    };
    if env.type_of(value)? != sys::TYPE_EXTERNAL {
        return Err(not_a_handle());
    }
    let mut data: *mut c_void = std::ptr::null_mut();
    // SAFETY: value is an external.
    let status = unsafe { (env.napi.napi_get_value_external)(env.raw, value, &mut data) };
    if status != sys::NAPI_OK || !live().contains(&(data as usize)) {
        return Err(not_a_handle());
    }
    // SAFETY: the address is a live Slot, and it cannot be finalized during this call because
    // `value` (an argument of the current call) keeps the external reachable.
    let slot = unsafe { &*(data as *const Slot) };
    let mut guard = slot
        .database
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&mut guard)
}

/// The DATABASE_CLOSED error.
pub fn closed() -> NativeError {
    NativeError::new(ErrorCode::DatabaseClosed, "the database handle is closed")
}
