//! The Delta Lake transaction log (read side), per PROTOCOL.md of delta-io/delta.
//!
//! One module per protocol noun: [`actions`] (the log's actions and their parsing),
//! [`log_files`] (names in `_delta_log`), [`last_checkpoint`] (the hint), [`log_segment`]
//! (which checkpoint and commits rebuild a version), [`checkpoint`] (reading V1/V2 checkpoints
//! and sidecars), [`replay`] (action reconciliation), [`snapshot`] (a gated, readable state),
//! [`timestamps`] (commit timestamps, time travel by timestamp), [`history`], [`features`]
//! (the feature gate), [`schema`], [`stats`], [`deletion_vector`], [`uri`]; [`batch`] loads
//! the snapshots of many tables at once (what observing a lake needs).
//!
//! The engine is pure over two traits: [`storage::Storage`] (list sorted, read, put-if-absent)
//! and [`parquet::ParquetReader`] (checkpoint rows as JSON, whole or reduced to a
//! [`parquet::Projection`]); [`duckdb_parquet`] implements the latter with DuckDB, projected
//! reads going first to [`parquet_native`] (the SQL and row shapes of projections:
//! [`parquet_projection`]). Tests use [`storage::MemoryStorage`] and [`parquet::MemoryParquet`].

pub mod actions;
pub mod batch;
pub mod checkpoint;
pub mod deletion_vector;
pub mod duckdb_parquet;
pub mod features;
pub mod history;
pub mod last_checkpoint;
pub mod log_files;
pub mod log_segment;
pub mod parquet;
pub mod parquet_native;
pub mod parquet_projection;
pub mod replay;
pub mod schema;
pub mod snapshot;
pub mod snapshot_wire;
pub mod stats;
pub mod storage;
pub mod timestamps;
pub mod type_widening;
pub mod uri;
pub mod write;

#[cfg(test)]
mod tests;

pub use snapshot::{load_snapshot, Snapshot, VersionSpec};
