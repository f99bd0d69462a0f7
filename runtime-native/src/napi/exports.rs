//! The functions the addon exports. Each one is a few lines: read arguments, call into
//! [`crate::duckdb`], encode. The TypeScript declaration of this surface is `NativeBinding` in
//! `runtime-native/ts/binding.ts`; keep both in sync.

use super::env::Env;
use super::handle;
use super::sys;
use crate::duckdb::{self, Database, OpenOptions};
use crate::error::Result;
use crate::wire;

/// `version(): string` — the version of this crate.
pub fn version(env: &Env, _info: sys::CallbackInfo) -> Result<sys::Value> {
    env.string(env!("CARGO_PKG_VERSION"))
}

/// `duckdbVersion(libPath: string): string` — loads libduckdb (once) and reports its version.
pub fn duckdb_version(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [lib_path] = env.args::<1>(info, "duckdbVersion")?;
    let api = duckdb::load(&env.string_arg(lib_path, "libPath")?)?;
    env.string(&duckdb::library_version(api))
}

/// `open(libPath: string, options: Buffer /* msgpack OpenOptions */): DatabaseHandle`.
pub fn open(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [lib_path, options] = env.args::<2>(info, "open")?;
    let lib_path = env.string_arg(lib_path, "libPath")?;
    let options: OpenOptions = wire::decode(env.buffer_arg(options, "options")?, "options")?;
    let database = Database::open(duckdb::load(&lib_path)?, &options)?;
    handle::wrap(env, database)
}

/// `query(db: DatabaseHandle, sql: string): Buffer /* msgpack QueryResult */`.
pub fn query(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [db, sql] = env.args::<2>(info, "query")?;
    let sql = env.string_arg(sql, "sql")?;
    let bytes = handle::with_slot(env, db, |slot| {
        let database = slot.as_mut().ok_or_else(handle::closed)?;
        wire::encode(&database.query(&sql)?)
    })?;
    env.buffer(&bytes)
}

/// `close(db: DatabaseHandle): void` — closing a closed handle is a DATABASE_CLOSED error.
pub fn close(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [db] = env.args::<1>(info, "close")?;
    let database = handle::with_slot(env, db, |slot| slot.take().ok_or_else(handle::closed))?;
    drop(database);
    env.undefined()
}

/// `__panicForTest(message: string): never` — panics on purpose, to prove that a panic becomes
/// a JS Error with code PANIC and node keeps running.
#[allow(clippy::panic)]
pub fn panic_for_test(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [message] = env.args::<1>(info, "__panicForTest")?;
    let message = env.string_arg(message, "message")?;
    panic!("{message}");
}
