//! cpgc's own scalar functions (UDFs), registered on every DuckDB connection cpgc opens
//! ([`crate::duckdb::Database::open`] calls [`register_all`]).
//!
//! - [`ids`]: the stable-id encodings (pure, engine-independent).
//! - `chunk`: the vectorized body: reads a whole input chunk, writes a whole output vector;
//!   NULL in any argument → NULL out.
//! - `register`: registration through DuckDB's C scalar-function API, and the `extern "C"`
//!   entry points (panics are caught there and become DuckDB errors).
//!
//! [`UDFS`] is the one list of functions; the function catalog (compiler/src/catalog/cpgc-udfs.ts
//! and schemas/functions.json) documents each of them, and `cpgc catalog snapshot --check` fails
//! when the two disagree.

mod chunk;
pub mod ids;
mod register;
#[cfg(test)]
mod tests;

pub use register::register_all;

use crate::duckdb::ffi::{self, TypeId};

/// Type of a UDF parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    Varchar,
    Bigint,
}

impl Param {
    fn type_id(self) -> TypeId {
        match self {
            Param::Varchar => ffi::TYPE_VARCHAR,
            Param::Bigint => ffi::TYPE_BIGINT,
        }
    }
}

/// One id function: `name(parameters...) → VARCHAR`, the id of [`ids::Encoder::id`] under `tag`.
#[derive(Debug)]
pub struct Udf {
    pub name: &'static str,
    /// The encoding's version tag (see [`ids`]).
    pub tag: &'static str,
    pub parameters: &'static [(&'static str, Param)],
}

/// Every UDF cpgc registers, in registration order.
pub const UDFS: [Udf; 2] = [
    Udf {
        name: "cpg_id",
        tag: ids::CPG_ID_TAG,
        parameters: &[
            ("kind", Param::Varchar),
            ("path", Param::Varchar),
            ("bstart", Param::Bigint),
            ("bend", Param::Bigint),
        ],
    },
    Udf {
        name: "cpg_key_id",
        tag: ids::CPG_KEY_ID_TAG,
        parameters: &[("kind", Param::Varchar), ("key", Param::Varchar)],
    },
];
