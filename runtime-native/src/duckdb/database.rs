//! An in-memory DuckDB database with one connection, and running SQL on it.

use std::ffi::{c_char, CString};

use serde::Deserialize;

use super::ffi::{self, Api, DUCKDB_SUCCESS};
use super::types::{type_info, LogicalTypeGuard, TypeInfo};
use super::vector::VectorReader;
use crate::error::{ErrorCode, NativeError, Result};
use crate::wire::{Column, QueryResult, Value};

/// Options for [`Database::open`] (msgpack map from the facade, camelCase keys).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenOptions {
    /// DuckDB `threads` setting (>= 1).
    pub threads: Option<u32>,
    /// DuckDB `memory_limit` setting, e.g. `"2GB"`.
    pub memory_limit: Option<String>,
}

impl OpenOptions {
    /// The DuckDB config entries (name, value) these options set.
    fn config_entries(&self) -> Result<Vec<(&'static str, String)>> {
        let mut entries = Vec::new();
        if let Some(threads) = self.threads {
            if threads == 0 {
                return Err(NativeError::invalid_argument("threads must be at least 1")
                    .with("option", "threads"));
            }
            entries.push(("threads", threads.to_string()));
        }
        if let Some(limit) = &self.memory_limit {
            if limit.trim().is_empty() {
                return Err(
                    NativeError::invalid_argument("memoryLimit must not be empty")
                        .with("option", "memoryLimit"),
                );
            }
            entries.push(("memory_limit", limit.clone()));
        }
        Ok(entries)
    }
}

fn c_string(text: &str, what: &str) -> Result<CString> {
    CString::new(text)
        .map_err(|_| NativeError::invalid_argument(format!("{what} contains a NUL byte")))
}

/// Owns a `duckdb_config`.
struct ConfigGuard<'a> {
    api: &'a Api,
    raw: ffi::Config,
}

impl Drop for ConfigGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: raw was created by duckdb_create_config and is destroyed once.
        unsafe { (self.api.duckdb_destroy_config)(&mut self.raw) };
    }
}

/// Owns a `duckdb_result` (destroyed even when the query failed, as duckdb.h requires).
struct ResultGuard<'a> {
    api: &'a Api,
    raw: ffi::QueryResult,
}

impl Drop for ResultGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: raw was filled by duckdb_query and is destroyed once.
        unsafe { (self.api.duckdb_destroy_result)(&mut self.raw) };
    }
}

/// Owns a `duckdb_data_chunk`.
struct ChunkGuard<'a> {
    api: &'a Api,
    raw: ffi::DataChunk,
}

impl Drop for ChunkGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: raw came from duckdb_fetch_chunk and is destroyed once.
        unsafe { (self.api.duckdb_destroy_data_chunk)(&mut self.raw) };
    }
}

/// An open in-memory database and its connection. Dropping it disconnects and closes.
pub struct Database {
    api: &'static Api,
    db: ffi::Database,
    conn: ffi::Connection,
}

// SAFETY: a DuckDB database and connection may be used from any thread as long as one
// connection is not used concurrently; `Database` is only reached through `&mut` or a Mutex.
unsafe impl Send for Database {}

impl Database {
    /// Opens a new in-memory database with `options`, with cpgc's UDFs ([`crate::udf`]) registered.
    pub fn open(api: &'static Api, options: &OpenOptions) -> Result<Database> {
        let entries = options.config_entries()?;
        let mut config = ConfigGuard {
            api,
            raw: std::ptr::null_mut(),
        };
        // SAFETY: out-pointer to a config handle.
        if unsafe { (api.duckdb_create_config)(&mut config.raw) } != DUCKDB_SUCCESS {
            return Err(NativeError::new(
                ErrorCode::DuckdbOpenFailed,
                "duckdb_create_config failed",
            ));
        }
        for (name, value) in &entries {
            let (c_name, c_value) = (
                c_string(name, "option name")?,
                c_string(value, "option value")?,
            );
            // SAFETY: config is live; both strings are NUL-terminated and outlive the call.
            if unsafe { (api.duckdb_set_config)(config.raw, c_name.as_ptr(), c_value.as_ptr()) }
                != DUCKDB_SUCCESS
            {
                return Err(NativeError::invalid_argument(format!(
                    "DuckDB rejected option {name}={value}"
                ))
                .with("option", *name)
                .with("value", value.clone()));
            }
        }

        let memory = c_string(":memory:", "path")?;
        let mut db: ffi::Database = std::ptr::null_mut();
        let mut error: *mut c_char = std::ptr::null_mut();
        // SAFETY: valid path, out-pointers, live config; `error` is freed by owned_c_string.
        let state =
            unsafe { (api.duckdb_open_ext)(memory.as_ptr(), &mut db, config.raw, &mut error) };
        let message = unsafe { api.owned_c_string(error) };
        if state != DUCKDB_SUCCESS {
            if !db.is_null() {
                // SAFETY: close whatever was partially opened.
                unsafe { (api.duckdb_close)(&mut db) };
            }
            return Err(NativeError::new(
                ErrorCode::DuckdbOpenFailed,
                message.unwrap_or_else(|| "duckdb_open_ext failed".to_string()),
            ));
        }

        let mut conn: ffi::Connection = std::ptr::null_mut();
        // SAFETY: db is open; out-pointer to a connection.
        if unsafe { (api.duckdb_connect)(db, &mut conn) } != DUCKDB_SUCCESS {
            // SAFETY: db is open and closed once here.
            unsafe { (api.duckdb_close)(&mut db) };
            return Err(NativeError::new(
                ErrorCode::DuckdbOpenFailed,
                "duckdb_connect failed",
            ));
        }
        // From here on, dropping `database` disconnects and closes.
        let database = Database { api, db, conn };
        crate::udf::register_all(api, database.conn)?;
        Ok(database)
    }

    /// Runs `sql` (one or more statements; the result is the last statement's) and materializes
    /// the whole result.
    pub fn query(&mut self, sql: &str) -> Result<QueryResult> {
        let api = self.api;
        let c_sql = c_string(sql, "sql")?;
        let mut result = ResultGuard {
            api,
            raw: ffi::QueryResult::zeroed(),
        };
        // SAFETY: live connection, NUL-terminated SQL, out-pointer to a zeroed result.
        let state = unsafe { (api.duckdb_query)(self.conn, c_sql.as_ptr(), &mut result.raw) };
        if state != DUCKDB_SUCCESS {
            // SAFETY: the result holds the error; the message is owned by the result.
            let message =
                unsafe { ffi::borrowed_c_string((api.duckdb_result_error)(&mut result.raw)) }
                    .unwrap_or_else(|| "DuckDB query failed".to_string());
            let error_type = unsafe { (api.duckdb_result_error_type)(&mut result.raw) };
            return Err(NativeError::new(ErrorCode::DuckdbQueryFailed, message)
                .with("errorType", ffi::error_type_name(error_type)));
        }

        // SAFETY: the result is a successful, live result.
        let column_count = unsafe { (api.duckdb_column_count)(&mut result.raw) };
        let mut columns = Vec::new();
        let mut types: Vec<TypeInfo> = Vec::new();
        for index in 0..column_count {
            let name =
                unsafe { ffi::borrowed_c_string((api.duckdb_column_name)(&mut result.raw, index)) }
                    .unwrap_or_default();
            let ty = type_info(
                api,
                &LogicalTypeGuard::new(api, unsafe {
                    (api.duckdb_column_logical_type)(&mut result.raw, index)
                }),
            )?;
            ty.ensure_supported(&name)?;
            columns.push(Column {
                name,
                type_name: ty.name.clone(),
            });
            types.push(ty);
        }

        let mut rows: Vec<Vec<Value>> = Vec::new();
        loop {
            // SAFETY: duckdb_fetch_chunk takes the result struct by value (a bitwise copy of a
            // live result); it returns NULL when the result is exhausted.
            let raw_chunk = unsafe { (api.duckdb_fetch_chunk)(std::ptr::read(&result.raw)) };
            if raw_chunk.is_null() {
                break;
            }
            let chunk = ChunkGuard {
                api,
                raw: raw_chunk,
            };
            let size = unsafe { (api.duckdb_data_chunk_get_size)(chunk.raw) };
            if size == 0 {
                continue;
            }
            let mut readers = Vec::with_capacity(types.len());
            for (index, ty) in types.iter().enumerate() {
                // SAFETY: the vector belongs to `chunk`, which outlives `readers` in this scope.
                let vector = unsafe { (api.duckdb_data_chunk_get_vector)(chunk.raw, index as u64) };
                readers.push(unsafe { VectorReader::new(api, vector, ty, size) }?);
            }
            rows.reserve(size as usize);
            for row in 0..size {
                let mut values = Vec::with_capacity(readers.len());
                for reader in &readers {
                    values.push(reader.value(row)?);
                }
                rows.push(values);
            }
            drop(readers);
            drop(chunk);
        }
        Ok(QueryResult { columns, rows })
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        // SAFETY: conn and db are live and released exactly once, connection first.
        unsafe {
            (self.api.duckdb_disconnect)(&mut self.conn);
            (self.api.duckdb_close)(&mut self.db);
        }
    }
}

#[cfg(test)]
mod tests;
