//! The write side of the Delta log, per PROTOCOL.md of delta-io/delta.
//!
//! One module per protocol noun or job:
//! - [`ids`]: random UUIDs (table ids, file names, transaction ids);
//! - [`committer`]: one attempt at creating `_delta_log/<version>.json` with put-if-absent — a
//!   lost race is [`committer::CommitAttempt::LostRace`], a value;
//! - [`transaction`]: the actions of one commit, `commitInfo`, and the optimistic commit loop
//!   (re-read the winners, [`conflict`] rules, bounded retries);
//! - [`protocol`]: which protocol a table needs, upgrades, and the writer feature gate;
//! - [`data`]: data files written by DuckDB with the write policy, [`stats`] from DuckDB's
//!   `RETURN_STATS`, [`partition`] values and directories, [`column_mapping`] (physical names
//!   and field ids on write), [`change_data`] (`cdc` files of a commit);
//! - [`checkpoint_writer`], [`cleanup`] (expired log files), [`vacuum`], [`untracked`] (files
//!   no commit names, left by crashed writers), both over [`data_files`] (what a data file is);
//! - [`operations`]: create (optionally with data), append, overwrite, replace where, update
//!   (schema + partitioning + properties + features + a write), properties, add columns,
//!   enable features, domain metadata — each one commit.

pub mod change_data;
pub mod checkpoint_writer;
pub mod cleanup;
pub mod column_mapping;
pub mod committer;
pub mod conflict;
pub mod data;
pub mod data_files;
pub mod ids;
pub mod operations;
pub mod partition;
pub mod protocol;
pub mod stats;
pub mod transaction;
pub mod untracked;
pub mod vacuum;

#[cfg(test)]
mod tests;
