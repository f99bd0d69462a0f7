//! The vectorized body of an id function: one call per input chunk, every row in one pass.
//!
//! [`run`] is the kernel, written against two small traits so that it is tested over plain
//! in-memory columns; [`DuckdbInput`] / [`DuckdbOutput`] implement them over DuckDB's vectors.
//! DuckDB flattens the input chunk before calling a C API scalar function, so every input vector
//! is a flat array (`duckdb_string_t` / `int64_t`) with an optional validity mask.

use std::ffi::c_char;

use super::ids::{Arg, Encoder, Id, ID_LEN};
use super::{Param, Udf};
use crate::duckdb::ffi::{self, Api, StringT, STRING_INLINE_LENGTH};

/// Read access to the argument columns of one chunk.
pub(super) trait Input {
    fn rows(&self) -> usize;
    fn columns(&self) -> usize;
    fn is_valid(&self, column: usize, row: usize) -> bool;
    /// The argument at (`column`, `row`); only called for valid cells.
    fn arg(&self, column: usize, row: usize) -> Result<Arg<'_>, String>;
}

/// Write access to the result vector of one chunk.
pub(super) trait Output {
    fn set_null(&mut self, row: usize) -> Result<(), String>;
    fn set_id(&mut self, row: usize, id: &Id) -> Result<(), String>;
}

/// Computes `udf` for every row of `input` into `output`: a NULL in any argument gives NULL.
pub(super) fn run(udf: &Udf, input: &impl Input, output: &mut impl Output) -> Result<(), String> {
    let arity = udf.parameters.len();
    if input.columns() != arity {
        return Err(format!(
            "{} expects {arity} arguments, the engine passed {}",
            udf.name,
            input.columns()
        ));
    }
    let mut encoder = Encoder::default();
    let mut args: Vec<Arg<'_>> = Vec::with_capacity(arity);
    'rows: for row in 0..input.rows() {
        args.clear();
        for column in 0..arity {
            if !input.is_valid(column, row) {
                output.set_null(row)?;
                continue 'rows;
            }
            args.push(input.arg(column, row)?);
        }
        output.set_id(row, &encoder.id(udf.tag, &args))?;
    }
    Ok(())
}

/// One flat input vector.
struct Column {
    param: Param,
    data: *const u8,
    /// NULL when every row is valid.
    validity: *const u64,
}

/// The input chunk of a DuckDB scalar function call.
pub(super) struct DuckdbInput {
    rows: usize,
    columns: Vec<Column>,
}

impl DuckdbInput {
    /// # Safety
    /// `chunk` must be the live, flattened input chunk DuckDB passed to the function, whose
    /// columns have the types of `udf.parameters`; the reader must not outlive the call.
    pub(super) unsafe fn new(api: &Api, udf: &Udf, chunk: ffi::DataChunk) -> Result<Self, String> {
        let rows = usize::try_from((api.duckdb_data_chunk_get_size)(chunk))
            .map_err(|_| "chunk size overflows usize".to_string())?;
        let count = (api.duckdb_data_chunk_get_column_count)(chunk);
        if count != udf.parameters.len() as u64 {
            return Err(format!(
                "{} expects {} arguments, the engine passed {count}",
                udf.name,
                udf.parameters.len()
            ));
        }
        let mut columns = Vec::with_capacity(udf.parameters.len());
        for (index, &(name, param)) in udf.parameters.iter().enumerate() {
            let vector = (api.duckdb_data_chunk_get_vector)(chunk, index as u64);
            let data = if vector.is_null() {
                std::ptr::null()
            } else {
                (api.duckdb_vector_get_data)(vector) as *const u8
            };
            if data.is_null() && rows > 0 {
                return Err(format!("{}: no data for argument {name}", udf.name));
            }
            let validity = if vector.is_null() {
                std::ptr::null()
            } else {
                (api.duckdb_vector_get_validity)(vector) as *const u64
            };
            columns.push(Column {
                param,
                data,
                validity,
            });
        }
        Ok(DuckdbInput { rows, columns })
    }
}

impl Input for DuckdbInput {
    fn rows(&self) -> usize {
        self.rows
    }

    fn columns(&self) -> usize {
        self.columns.len()
    }

    fn is_valid(&self, column: usize, row: usize) -> bool {
        match self.columns.get(column) {
            Some(c) if !c.validity.is_null() && row < self.rows => {
                // SAFETY: a validity mask holds one bit per row of the chunk; row < rows.
                let word = unsafe { c.validity.add(row / 64).read() };
                word & (1u64 << (row % 64)) != 0
            }
            Some(_) => true,
            None => false,
        }
    }

    fn arg(&self, column: usize, row: usize) -> Result<Arg<'_>, String> {
        let c = self
            .columns
            .get(column)
            .filter(|_| row < self.rows)
            .ok_or_else(|| format!("no cell ({column}, {row}) in the chunk"))?;
        match c.param {
            Param::Bigint => {
                // SAFETY: a flat BIGINT vector holds `rows` int64 values; row < rows.
                let n = unsafe { (c.data as *const i64).add(row).read_unaligned() };
                Ok(Arg::Int(n))
            }
            Param::Varchar => {
                // SAFETY: a flat VARCHAR vector holds `rows` duckdb_string_t; row < rows.
                let s = unsafe { (c.data as *const StringT).add(row).read_unaligned() };
                // SAFETY: the string's bytes live in the vector (inline: in the data array
                // itself, which we borrow from `self`), valid for the whole call.
                Ok(Arg::Str(unsafe { string_bytes(c.data, row, s)? }))
            }
        }
    }
}

/// The bytes of the `duckdb_string_t` `s` stored at `row` of the data array `data`.
///
/// # Safety
/// `data` must be a flat VARCHAR data array with more than `row` entries and `s` its entry at
/// `row`; the returned slice borrows the vector and must not outlive the function call.
unsafe fn string_bytes<'a>(data: *const u8, row: usize, s: StringT) -> Result<&'a [u8], String> {
    let len = s.length as usize;
    if s.length <= STRING_INLINE_LENGTH {
        // Inline: the bytes follow the 4-byte length inside the 16-byte entry in the vector.
        let entry = data.add(row * std::mem::size_of::<StringT>());
        return Ok(std::slice::from_raw_parts(entry.add(4), len));
    }
    let mut pointer = [0u8; 8];
    pointer.copy_from_slice(&s.rest[4..12]);
    let ptr = usize::from_ne_bytes(pointer) as *const u8;
    if ptr.is_null() {
        return Err("DuckDB string with a NULL data pointer".to_string());
    }
    Ok(std::slice::from_raw_parts(ptr, len))
}

/// The VARCHAR result vector of a DuckDB scalar function call.
pub(super) struct DuckdbOutput<'a> {
    api: &'a Api,
    vector: ffi::Vector,
    /// The result's validity mask, once it exists (DuckDB may report NULL = all valid).
    validity: *mut u64,
}

impl<'a> DuckdbOutput<'a> {
    /// # Safety
    /// `vector` must be the live VARCHAR result vector DuckDB passed to the function, with room
    /// for the chunk's rows; the writer must not outlive the call.
    pub(super) unsafe fn new(api: &'a Api, vector: ffi::Vector) -> Result<Self, String> {
        if vector.is_null() {
            return Err("DuckDB passed a NULL result vector".to_string());
        }
        let validity = (api.duckdb_vector_get_validity)(vector);
        Ok(DuckdbOutput {
            api,
            vector,
            validity,
        })
    }
}

impl Output for DuckdbOutput<'_> {
    fn set_null(&mut self, row: usize) -> Result<(), String> {
        if self.validity.is_null() {
            // SAFETY: live result vector; afterwards it has a writable mask.
            unsafe { (self.api.duckdb_vector_ensure_validity_writable)(self.vector) };
            self.validity = unsafe { (self.api.duckdb_vector_get_validity)(self.vector) };
            if self.validity.is_null() {
                return Err("DuckDB gave no writable validity mask".to_string());
            }
        }
        // SAFETY: the mask has one bit per row of the chunk and the kernel passes row < rows.
        unsafe { *self.validity.add(row / 64) &= !(1u64 << (row % 64)) };
        Ok(())
    }

    fn set_id(&mut self, row: usize, id: &Id) -> Result<(), String> {
        if !self.validity.is_null() {
            // SAFETY: as in set_null; a reused vector's mask may hold stale NULL bits.
            unsafe { *self.validity.add(row / 64) |= 1u64 << (row % 64) };
        }
        // SAFETY: live VARCHAR vector, row < rows; DuckDB copies the ID_LEN bytes.
        unsafe {
            (self.api.duckdb_vector_assign_string_element_len)(
                self.vector,
                row as u64,
                id.as_ptr() as *const c_char,
                ID_LEN as u64,
            )
        };
        Ok(())
    }
}
