//! Binding to DuckDB's C API, loaded at runtime from the `libduckdb` shipped in the npm package
//! `@duckdb/node-bindings-<platform>` (the TypeScript facade finds the file and passes its path).

pub mod database;
pub mod ffi;
pub mod library;
pub mod types;
pub mod vector;

pub use database::{Database, OpenOptions};
pub use library::{library_version, load};
