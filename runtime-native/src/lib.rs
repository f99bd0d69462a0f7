//! cpgc-native: the native half of cpgc's runtime.
//!
//! - [`napi`]: a minimal hand-written Node-API binding (the `napi` crate is not available here);
//!   every exported function catches panics, values cross as msgpack, errors as coded JS Errors.
//! - [`duckdb`]: DuckDB's C API, loaded at runtime with libloading.
//! - [`delta`]: the Delta Lake transaction log (snapshots, checkpoints, time travel, history).
//! - [`scan`]: Delta snapshots and change feeds as DuckDB relations (pruning, deletion vectors).
//! - [`udf`]: cpgc's scalar functions in DuckDB (stable CPG ids), registered on every open.
//! - [`wire`]: the msgpack wire format of values and results.
//! - [`error`]: the one error type, with stable codes.
//!
//! No `unwrap`/`expect`/`panic!` outside tests: failures are [`error::NativeError`]s.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod delta;
pub mod duckdb;
pub mod error;
pub mod napi;
pub mod scan;
pub mod sql_text;
pub mod udf;
pub mod wire;
