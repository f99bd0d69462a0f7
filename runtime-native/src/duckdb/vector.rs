//! Reading DuckDB vectors (the columns of a data chunk) into [`Value`]s.
//!
//! A [`VectorReader`] is built once per vector and chunk: it resolves the data and validity
//! pointers and, for nested types, the child vectors and their lengths, so that reading a row is
//! pointer arithmetic with bounds checks. Readers borrow the chunk: they must not outlive it.

use std::sync::Arc;

use super::ffi::{
    self, Api, HugeInt, Interval, ListEntry, StringT, UHugeInt, STRING_INLINE_LENGTH,
};
use super::types::{Kind, TimeUnit, TypeInfo};
use crate::error::{NativeError, Result};
use crate::wire::Value;

pub struct VectorReader<'t> {
    ty: &'t TypeInfo,
    data: *const u8,
    validity: *const u64,
    /// Number of addressable rows in this vector.
    len: u64,
    children: Vec<VectorReader<'t>>,
    /// For STRUCT readers: the field names (shared with the type).
    field_names: Vec<Arc<str>>,
}

impl<'t> VectorReader<'t> {
    /// # Safety
    /// `vector` must be a live vector of type `ty` with at least `len` rows, belonging to a data
    /// chunk that outlives the reader.
    pub unsafe fn new(api: &Api, vector: ffi::Vector, ty: &'t TypeInfo, len: u64) -> Result<Self> {
        if vector.is_null() {
            return Err(NativeError::internal(format!(
                "DuckDB returned a NULL vector for {}",
                ty.name
            )));
        }
        let data = (api.duckdb_vector_get_data)(vector) as *const u8;
        let validity = (api.duckdb_vector_get_validity)(vector) as *const u64;
        let mut children = Vec::new();
        let mut field_names = Vec::new();
        match &ty.kind {
            Kind::List(item) => {
                let child = (api.duckdb_list_vector_get_child)(vector);
                let size = (api.duckdb_list_vector_get_size)(vector);
                children.push(VectorReader::new(api, child, item, size)?);
            }
            Kind::Map(key, value) => {
                // A MAP is physically a LIST of STRUCT(key, value).
                let entries = (api.duckdb_list_vector_get_child)(vector);
                let size = (api.duckdb_list_vector_get_size)(vector);
                if entries.is_null() {
                    return Err(NativeError::internal(
                        "DuckDB returned a NULL MAP entry vector",
                    ));
                }
                children.push(VectorReader::new(
                    api,
                    (api.duckdb_struct_vector_get_child)(entries, 0),
                    key,
                    size,
                )?);
                children.push(VectorReader::new(
                    api,
                    (api.duckdb_struct_vector_get_child)(entries, 1),
                    value,
                    size,
                )?);
            }
            Kind::Array(item, size) => {
                let child = (api.duckdb_array_vector_get_child)(vector);
                let child_len = len
                    .checked_mul(*size)
                    .ok_or_else(|| NativeError::internal("ARRAY child vector size overflows"))?;
                children.push(VectorReader::new(api, child, item, child_len)?);
            }
            Kind::Struct(fields) => {
                for (index, (name, field_type)) in fields.iter().enumerate() {
                    let child = (api.duckdb_struct_vector_get_child)(vector, index as u64);
                    children.push(VectorReader::new(api, child, field_type, len)?);
                    field_names.push(name.clone());
                }
            }
            _ => {
                if data.is_null() && !matches!(ty.kind, Kind::Null) {
                    return Err(NativeError::internal(format!(
                        "DuckDB returned no data for a {} vector",
                        ty.name
                    )));
                }
            }
        }
        Ok(VectorReader {
            ty,
            data,
            validity,
            len,
            children,
            field_names,
        })
    }

    fn is_valid(&self, row: u64) -> bool {
        if self.validity.is_null() {
            return true;
        }
        // SAFETY: a validity mask holds one bit per row of the vector; row < len is checked by
        // the caller (`value`).
        let word = unsafe { self.validity.add((row / 64) as usize).read() };
        word & (1u64 << (row % 64)) != 0
    }

    /// Reads the `T` at `row` of the data array.
    fn read<T: Copy>(&self, row: u64) -> T {
        // SAFETY: `value` checked row < len, and the data array of a vector of this type holds
        // `len` values of type T.
        unsafe { (self.data as *const T).add(row as usize).read_unaligned() }
    }

    fn child(&self, index: usize) -> Result<&VectorReader<'t>> {
        self.children.get(index).ok_or_else(|| {
            NativeError::internal(format!("missing child reader {index} for {}", self.ty.name))
        })
    }

    /// The value at `row`.
    pub fn value(&self, row: u64) -> Result<Value> {
        if row >= self.len {
            return Err(NativeError::internal(format!(
                "row {row} is out of bounds of a {}-row {} vector",
                self.len, self.ty.name
            )));
        }
        if matches!(self.ty.kind, Kind::Null) || !self.is_valid(row) {
            return Ok(Value::Null);
        }
        Ok(match &self.ty.kind {
            Kind::Null => Value::Null,
            Kind::Boolean => Value::Bool(self.read::<u8>(row) != 0),
            Kind::TinyInt => Value::Int(self.read::<i8>(row).into()),
            Kind::SmallInt => Value::Int(self.read::<i16>(row).into()),
            Kind::Integer => Value::Int(self.read::<i32>(row).into()),
            Kind::BigInt => Value::Int(self.read::<i64>(row)),
            Kind::UTinyInt => Value::UInt(self.read::<u8>(row).into()),
            Kind::USmallInt => Value::UInt(self.read::<u16>(row).into()),
            Kind::UInteger => Value::UInt(self.read::<u32>(row).into()),
            Kind::UBigInt => Value::UInt(self.read::<u64>(row)),
            Kind::HugeInt => Value::Str(hugeint_to_i128(self.read::<HugeInt>(row)).to_string()),
            Kind::UHugeInt => {
                let v = self.read::<UHugeInt>(row);
                Value::Str(((u128::from(v.upper) << 64) | u128::from(v.lower)).to_string())
            }
            Kind::Float => Value::Float(f64::from(self.read::<f32>(row))),
            Kind::Double => Value::Float(self.read::<f64>(row)),
            Kind::Varchar => {
                Value::Str(String::from_utf8_lossy(&self.string_bytes(row)?).into_owned())
            }
            Kind::Blob => Value::Bytes(self.string_bytes(row)?),
            Kind::Date => Value::Int(self.read::<i32>(row).into()),
            Kind::Time | Kind::TimeNs => Value::Int(self.read::<i64>(row)),
            Kind::TimeTz => {
                let bits = self.read::<u64>(row);
                let (micros, offset) = split_time_tz(bits);
                Value::Struct(vec![
                    (Arc::from("micros"), Value::Int(micros)),
                    (Arc::from("offset"), Value::Int(offset)),
                ])
            }
            Kind::Timestamp(unit) => {
                let raw = self.read::<i64>(row);
                let factor: i64 = match unit {
                    TimeUnit::Seconds => 1_000_000,
                    TimeUnit::Millis => 1_000,
                    TimeUnit::Micros | TimeUnit::Nanos => 1,
                };
                // ±infinity timestamps are stored as i64::MAX / -i64::MAX; keep them as they are.
                Value::Int(raw.checked_mul(factor).unwrap_or(raw))
            }
            Kind::TimestampTz => Value::Int(self.read::<i64>(row)),
            Kind::Interval => {
                let v = self.read::<Interval>(row);
                Value::Struct(vec![
                    (Arc::from("months"), Value::Int(v.months.into())),
                    (Arc::from("days"), Value::Int(v.days.into())),
                    (Arc::from("micros"), Value::Int(v.micros)),
                ])
            }
            Kind::Uuid => Value::Str(uuid_to_string(self.read::<HugeInt>(row))),
            Kind::Decimal { scale, storage, .. } => {
                let unscaled: i128 = match *storage {
                    ffi::TYPE_SMALLINT => self.read::<i16>(row).into(),
                    ffi::TYPE_INTEGER => self.read::<i32>(row).into(),
                    ffi::TYPE_BIGINT => self.read::<i64>(row).into(),
                    ffi::TYPE_HUGEINT => hugeint_to_i128(self.read::<HugeInt>(row)),
                    other => {
                        return Err(NativeError::internal(format!(
                            "unexpected DECIMAL storage type {other}"
                        )))
                    }
                };
                Value::Str(format_decimal(unscaled, *scale))
            }
            Kind::Enum { storage, values } => {
                let index: usize = match *storage {
                    ffi::TYPE_UTINYINT => self.read::<u8>(row).into(),
                    ffi::TYPE_USMALLINT => self.read::<u16>(row).into(),
                    ffi::TYPE_UINTEGER => self.read::<u32>(row) as usize,
                    other => {
                        return Err(NativeError::internal(format!(
                            "unexpected ENUM storage type {other}"
                        )))
                    }
                };
                let text = values.get(index).ok_or_else(|| {
                    NativeError::internal(format!("ENUM index {index} out of range"))
                })?;
                Value::Str(text.clone())
            }
            Kind::List(_) => {
                let child = self.child(0)?;
                let entry = self.read::<ListEntry>(row);
                let mut items = Vec::with_capacity(entry.length as usize);
                for i in 0..entry.length {
                    items.push(child.value(entry.offset + i)?);
                }
                Value::List(items)
            }
            Kind::Map(_, _) => {
                let (keys, values) = (self.child(0)?, self.child(1)?);
                let entry = self.read::<ListEntry>(row);
                let mut entries = Vec::with_capacity(entry.length as usize);
                for i in 0..entry.length {
                    entries.push((
                        keys.value(entry.offset + i)?,
                        values.value(entry.offset + i)?,
                    ));
                }
                Value::Map(entries)
            }
            Kind::Array(_, size) => {
                let child = self.child(0)?;
                let mut items = Vec::with_capacity(*size as usize);
                for i in 0..*size {
                    items.push(child.value(row * size + i)?);
                }
                Value::List(items)
            }
            Kind::Struct(_) => {
                let mut fields = Vec::with_capacity(self.children.len());
                for (name, child) in self.field_names.iter().zip(&self.children) {
                    fields.push((name.clone(), child.value(row)?));
                }
                Value::Struct(fields)
            }
            Kind::Unsupported => {
                return Err(NativeError::internal(format!(
                    "reading unsupported type {}",
                    self.ty.name
                )))
            }
        })
    }

    /// The bytes of a VARCHAR/BLOB value (`duckdb_string_t`: inlined up to 12 bytes).
    fn string_bytes(&self, row: u64) -> Result<Vec<u8>> {
        let s = self.read::<StringT>(row);
        if s.length <= STRING_INLINE_LENGTH {
            let inline = s
                .rest
                .get(..s.length as usize)
                .ok_or_else(|| NativeError::internal("bad inline string"))?;
            return Ok(inline.to_vec());
        }
        let mut ptr_bytes = [0u8; 8];
        ptr_bytes.copy_from_slice(
            s.rest
                .get(4..12)
                .ok_or_else(|| NativeError::internal("bad string"))?,
        );
        let ptr = usize::from_ne_bytes(ptr_bytes) as *const u8;
        if ptr.is_null() {
            return Err(NativeError::internal(
                "DuckDB string with a NULL data pointer",
            ));
        }
        // SAFETY: a non-inlined duckdb_string_t points to `length` bytes owned by the vector.
        Ok(unsafe { std::slice::from_raw_parts(ptr, s.length as usize) }.to_vec())
    }
}

pub fn hugeint_to_i128(v: HugeInt) -> i128 {
    (i128::from(v.upper) << 64) | i128::from(v.lower)
}

/// UUIDs are stored as a HUGEINT with the sign bit flipped (so that they sort as unsigned).
pub fn uuid_to_string(v: HugeInt) -> String {
    let upper = (v.upper as u64) ^ (1u64 << 63);
    let hex = format!("{upper:016x}{:016x}", v.lower);
    crate::sql_text::uuid_from_hex(&hex)
}

/// TIME WITH TIME ZONE: 40 bits of micros, then 24 bits of offset encoded as `57599 - offset`.
pub fn split_time_tz(bits: u64) -> (i64, i64) {
    const MAX_OFFSET: i64 = 16 * 60 * 60 - 1;
    let micros = (bits >> 24) as i64;
    let offset = MAX_OFFSET - (bits & 0x00FF_FFFF) as i64;
    (micros, offset)
}

/// Exact decimal text of `unscaled / 10^scale`.
pub fn format_decimal(unscaled: i128, scale: u8) -> String {
    let digits = unscaled.unsigned_abs().to_string();
    let sign = if unscaled < 0 { "-" } else { "" };
    let scale = usize::from(scale);
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let padded = if digits.len() <= scale {
        format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
    } else {
        digits
    };
    let (int_part, frac_part) = padded.split_at(padded.len() - scale);
    format!("{sign}{int_part}.{frac_part}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(format_decimal(12345, 2), "123.45");
        assert_eq!(format_decimal(-5, 3), "-0.005");
        assert_eq!(format_decimal(0, 2), "0.00");
        assert_eq!(format_decimal(7, 0), "7");
        assert_eq!(
            format_decimal(i128::MIN, 38),
            "-1.70141183460469231731687303715884105728"
        );
    }

    #[test]
    fn uuids_flip_the_sign_bit() {
        let v = HugeInt {
            lower: 0x1122_3344_5566_7788,
            upper: (0x0123_4567_89ab_cdefu64 ^ (1 << 63)) as i64,
        };
        assert_eq!(uuid_to_string(v), "01234567-89ab-cdef-1122-334455667788");
    }

    #[test]
    fn time_tz_splits_micros_and_offset() {
        let encode = |micros: i64, offset: i64| ((micros as u64) << 24) | ((57599 - offset) as u64);
        assert_eq!(
            split_time_tz(encode(3_600_000_000, 3600)),
            (3_600_000_000, 3600)
        );
        assert_eq!(split_time_tz(encode(0, -7200)), (0, -7200));
    }

    #[test]
    fn hugeints_combine_both_halves() {
        assert_eq!(
            hugeint_to_i128(HugeInt {
                lower: u64::MAX,
                upper: -1
            }),
            -1
        );
        assert_eq!(hugeint_to_i128(HugeInt { lower: 0, upper: 1 }), 1i128 << 64);
    }
}
