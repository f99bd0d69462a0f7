//! Scans: a Delta snapshot becomes a DuckDB relation (SQL text).
//!
//! [`plan::plan_scan`] prunes the active files with the predicate's simple conjuncts
//! ([`predicate`], [`prune`]), decodes deletion vectors
//! ([`crate::delta::deletion_vector::bitmap`]), reads the data files' layouts ([`layout`]) and
//! writes the SQL ([`sql`]): partition values from the log, physical → logical names, NULL for
//! missing columns, casts to the table schema. [`changes`] does the same for the change data
//! feed of a version range. DuckDB executes the SQL in the caller's database; nothing here is
//! stateful.

pub mod changes;
pub mod layout;
pub mod plan;
pub mod predicate;
pub mod prune;
pub mod sql;

pub use plan::{plan_scan, ScanPlan};
