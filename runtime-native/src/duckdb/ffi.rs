//! Raw declarations of the part of DuckDB's C API (`duckdb.h`) this crate uses, and the table of
//! function pointers resolved from a loaded `libduckdb`.
//!
//! Nothing here is linked at build time: [`Api::load`] resolves every symbol with `dlsym`, so the
//! crate builds and tests without DuckDB, and a missing symbol is a coded error, not a crash.

use std::ffi::{c_char, c_void};

use libloading::os::unix::Library;

use crate::error::{ErrorCode, NativeError, Result};

pub type Idx = u64;
/// `duckdb_state`: 0 = DuckDBSuccess, 1 = DuckDBError.
pub type State = u32;
pub const DUCKDB_SUCCESS: State = 0;
/// `duckdb_type`, see the `TYPE_*` constants.
pub type TypeId = u32;
/// `duckdb_error_type`.
pub type ErrorTypeId = u32;

pub type Database = *mut c_void;
pub type Connection = *mut c_void;
pub type Config = *mut c_void;
pub type LogicalType = *mut c_void;
pub type DataChunk = *mut c_void;
pub type Vector = *mut c_void;
pub type ScalarFunction = *mut c_void;
pub type FunctionInfo = *mut c_void;
/// `duckdb_scalar_function_t`: the body of a scalar function, called once per input chunk.
pub type ScalarFunctionBody = unsafe extern "C" fn(FunctionInfo, DataChunk, Vector);

pub const TYPE_INVALID: TypeId = 0;
pub const TYPE_BOOLEAN: TypeId = 1;
pub const TYPE_TINYINT: TypeId = 2;
pub const TYPE_SMALLINT: TypeId = 3;
pub const TYPE_INTEGER: TypeId = 4;
pub const TYPE_BIGINT: TypeId = 5;
pub const TYPE_UTINYINT: TypeId = 6;
pub const TYPE_USMALLINT: TypeId = 7;
pub const TYPE_UINTEGER: TypeId = 8;
pub const TYPE_UBIGINT: TypeId = 9;
pub const TYPE_FLOAT: TypeId = 10;
pub const TYPE_DOUBLE: TypeId = 11;
pub const TYPE_TIMESTAMP: TypeId = 12;
pub const TYPE_DATE: TypeId = 13;
pub const TYPE_TIME: TypeId = 14;
pub const TYPE_INTERVAL: TypeId = 15;
pub const TYPE_HUGEINT: TypeId = 16;
pub const TYPE_VARCHAR: TypeId = 17;
pub const TYPE_BLOB: TypeId = 18;
pub const TYPE_DECIMAL: TypeId = 19;
pub const TYPE_TIMESTAMP_S: TypeId = 20;
pub const TYPE_TIMESTAMP_MS: TypeId = 21;
pub const TYPE_TIMESTAMP_NS: TypeId = 22;
pub const TYPE_ENUM: TypeId = 23;
pub const TYPE_LIST: TypeId = 24;
pub const TYPE_STRUCT: TypeId = 25;
pub const TYPE_MAP: TypeId = 26;
pub const TYPE_UUID: TypeId = 27;
pub const TYPE_UNION: TypeId = 28;
pub const TYPE_BIT: TypeId = 29;
pub const TYPE_TIME_TZ: TypeId = 30;
pub const TYPE_TIMESTAMP_TZ: TypeId = 31;
pub const TYPE_UHUGEINT: TypeId = 32;
pub const TYPE_ARRAY: TypeId = 33;
pub const TYPE_ANY: TypeId = 34;
pub const TYPE_BIGNUM: TypeId = 35;
pub const TYPE_SQLNULL: TypeId = 36;
pub const TYPE_TIME_NS: TypeId = 39;

/// `duckdb_result`: six pointer-sized fields, passed by pointer and (to `duckdb_fetch_chunk`)
/// by value. Only DuckDB reads the fields.
#[repr(C)]
pub struct QueryResult {
    pub deprecated_column_count: Idx,
    pub deprecated_row_count: Idx,
    pub deprecated_rows_changed: Idx,
    pub deprecated_columns: *mut c_void,
    pub deprecated_error_message: *mut c_char,
    pub internal_data: *mut c_void,
}

impl QueryResult {
    pub fn zeroed() -> Self {
        QueryResult {
            deprecated_column_count: 0,
            deprecated_row_count: 0,
            deprecated_rows_changed: 0,
            deprecated_columns: std::ptr::null_mut(),
            deprecated_error_message: std::ptr::null_mut(),
            internal_data: std::ptr::null_mut(),
        }
    }
}

/// `duckdb_string_t`: 16 bytes. Strings of at most 12 bytes are inlined after the length;
/// longer ones keep a 4-byte prefix and a pointer.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct StringT {
    pub length: u32,
    pub rest: [u8; 12],
}

pub const STRING_INLINE_LENGTH: u32 = 12;

/// `duckdb_list_entry`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ListEntry {
    pub offset: u64,
    pub length: u64,
}

/// `duckdb_hugeint` (also the storage of UUID) and `duckdb_uhugeint`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct HugeInt {
    pub lower: u64,
    pub upper: i64,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct UHugeInt {
    pub lower: u64,
    pub upper: u64,
}

/// `duckdb_interval`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Interval {
    pub months: i32,
    pub days: i32,
    pub micros: i64,
}

macro_rules! duckdb_api {
    ($( $name:ident : fn($($arg:ty),*) $(-> $ret:ty)? ;)*) => {
        /// Function pointers into one loaded `libduckdb`. The library stays loaded as long as
        /// this table lives (tables are leaked, so: for the whole process).
        #[allow(non_snake_case)]
        pub struct Api {
            _library: Library,
            $( pub $name: unsafe extern "C" fn($($arg),*) $(-> $ret)?, )*
        }

        impl Api {
            /// Resolves every symbol from `library`.
            pub fn from_library(library: Library) -> Result<Api> {
                $(
                    // SAFETY: the symbol is declared in duckdb.h with exactly this signature.
                    let $name = unsafe {
                        library.get::<unsafe extern "C" fn($($arg),*) $(-> $ret)?>(
                            concat!(stringify!($name), "\0").as_bytes(),
                        )
                    }
                    .map(|symbol| *symbol)
                    .map_err(|e| {
                        NativeError::new(
                            ErrorCode::DuckdbLoadFailed,
                            format!("libduckdb lacks symbol {}: {e}", stringify!($name)),
                        )
                        .with("symbol", stringify!($name))
                    })?;
                )*
                Ok(Api { _library: library, $( $name, )* })
            }
        }
    };
}

duckdb_api! {
    duckdb_library_version: fn() -> *const c_char;
    duckdb_free: fn(*mut c_void);

    duckdb_create_config: fn(*mut Config) -> State;
    duckdb_set_config: fn(Config, *const c_char, *const c_char) -> State;
    duckdb_destroy_config: fn(*mut Config);
    duckdb_open_ext: fn(*const c_char, *mut Database, Config, *mut *mut c_char) -> State;
    duckdb_close: fn(*mut Database);
    duckdb_connect: fn(Database, *mut Connection) -> State;
    duckdb_disconnect: fn(*mut Connection);

    duckdb_query: fn(Connection, *const c_char, *mut QueryResult) -> State;
    duckdb_destroy_result: fn(*mut QueryResult);
    duckdb_result_error: fn(*mut QueryResult) -> *const c_char;
    duckdb_result_error_type: fn(*mut QueryResult) -> ErrorTypeId;
    duckdb_column_count: fn(*mut QueryResult) -> Idx;
    duckdb_column_name: fn(*mut QueryResult, Idx) -> *const c_char;
    duckdb_column_logical_type: fn(*mut QueryResult, Idx) -> LogicalType;
    duckdb_fetch_chunk: fn(QueryResult) -> DataChunk;

    duckdb_destroy_data_chunk: fn(*mut DataChunk);
    duckdb_data_chunk_get_size: fn(DataChunk) -> Idx;
    duckdb_data_chunk_get_vector: fn(DataChunk, Idx) -> Vector;

    duckdb_data_chunk_get_column_count: fn(DataChunk) -> Idx;

    duckdb_vector_get_data: fn(Vector) -> *mut c_void;
    duckdb_vector_get_validity: fn(Vector) -> *mut u64;
    duckdb_vector_ensure_validity_writable: fn(Vector);
    duckdb_vector_assign_string_element_len: fn(Vector, Idx, *const c_char, Idx);
    duckdb_list_vector_get_child: fn(Vector) -> Vector;
    duckdb_list_vector_get_size: fn(Vector) -> Idx;
    duckdb_struct_vector_get_child: fn(Vector, Idx) -> Vector;
    duckdb_array_vector_get_child: fn(Vector) -> Vector;

    duckdb_create_scalar_function: fn() -> ScalarFunction;
    duckdb_destroy_scalar_function: fn(*mut ScalarFunction);
    duckdb_scalar_function_set_name: fn(ScalarFunction, *const c_char);
    duckdb_scalar_function_add_parameter: fn(ScalarFunction, LogicalType);
    duckdb_scalar_function_set_return_type: fn(ScalarFunction, LogicalType);
    duckdb_scalar_function_set_function: fn(ScalarFunction, ScalarFunctionBody);
    duckdb_scalar_function_set_error: fn(FunctionInfo, *const c_char);
    duckdb_register_scalar_function: fn(Connection, ScalarFunction) -> State;

    duckdb_create_logical_type: fn(TypeId) -> LogicalType;
    duckdb_get_type_id: fn(LogicalType) -> TypeId;
    duckdb_destroy_logical_type: fn(*mut LogicalType);
    duckdb_logical_type_get_alias: fn(LogicalType) -> *mut c_char;
    duckdb_decimal_width: fn(LogicalType) -> u8;
    duckdb_decimal_scale: fn(LogicalType) -> u8;
    duckdb_decimal_internal_type: fn(LogicalType) -> TypeId;
    duckdb_enum_internal_type: fn(LogicalType) -> TypeId;
    duckdb_enum_dictionary_size: fn(LogicalType) -> u32;
    duckdb_enum_dictionary_value: fn(LogicalType, Idx) -> *mut c_char;
    duckdb_list_type_child_type: fn(LogicalType) -> LogicalType;
    duckdb_array_type_child_type: fn(LogicalType) -> LogicalType;
    duckdb_array_type_array_size: fn(LogicalType) -> Idx;
    duckdb_map_type_key_type: fn(LogicalType) -> LogicalType;
    duckdb_map_type_value_type: fn(LogicalType) -> LogicalType;
    duckdb_struct_type_child_count: fn(LogicalType) -> Idx;
    duckdb_struct_type_child_name: fn(LogicalType, Idx) -> *mut c_char;
    duckdb_struct_type_child_type: fn(LogicalType, Idx) -> LogicalType;
}

/// Copies a C string owned by DuckDB (not freed here). NULL becomes `None`.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string valid for the duration of the call.
pub unsafe fn borrowed_c_string(ptr: *const c_char) -> Option<String> {
    if ptr.is_null() {
        None
    } else {
        Some(std::ffi::CStr::from_ptr(ptr).to_string_lossy().into_owned())
    }
}

impl Api {
    /// Copies and frees (`duckdb_free`) a C string that DuckDB allocated for the caller.
    ///
    /// # Safety
    /// `ptr` must be NULL or a string DuckDB documents as "must be freed with duckdb_free".
    pub unsafe fn owned_c_string(&self, ptr: *mut c_char) -> Option<String> {
        let text = borrowed_c_string(ptr);
        if !ptr.is_null() {
            (self.duckdb_free)(ptr.cast());
        }
        text
    }
}

/// Name of a `duckdb_error_type` value, as in duckdb.h without the `DUCKDB_ERROR_` prefix.
pub fn error_type_name(id: ErrorTypeId) -> &'static str {
    const NAMES: [&str; 43] = [
        "INVALID",
        "OUT_OF_RANGE",
        "CONVERSION",
        "UNKNOWN_TYPE",
        "DECIMAL",
        "MISMATCH_TYPE",
        "DIVIDE_BY_ZERO",
        "OBJECT_SIZE",
        "INVALID_TYPE",
        "SERIALIZATION",
        "TRANSACTION",
        "NOT_IMPLEMENTED",
        "EXPRESSION",
        "CATALOG",
        "PARSER",
        "PLANNER",
        "SCHEDULER",
        "EXECUTOR",
        "CONSTRAINT",
        "INDEX",
        "STAT",
        "CONNECTION",
        "SYNTAX",
        "SETTINGS",
        "BINDER",
        "NETWORK",
        "OPTIMIZER",
        "NULL_POINTER",
        "IO",
        "INTERRUPT",
        "FATAL",
        "INTERNAL",
        "INVALID_INPUT",
        "OUT_OF_MEMORY",
        "PERMISSION",
        "PARAMETER_NOT_RESOLVED",
        "PARAMETER_NOT_ALLOWED",
        "DEPENDENCY",
        "HTTP",
        "MISSING_EXTENSION",
        "AUTOLOAD",
        "SEQUENCE",
        "INVALID_CONFIGURATION",
    ];
    usize::try_from(id)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("UNKNOWN")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_layouts_match_duckdb_h() {
        assert_eq!(std::mem::size_of::<QueryResult>(), 48);
        assert_eq!(std::mem::size_of::<StringT>(), 16);
        assert_eq!(std::mem::size_of::<ListEntry>(), 16);
        assert_eq!(std::mem::size_of::<HugeInt>(), 16);
        assert_eq!(std::mem::size_of::<Interval>(), 16);
    }

    #[test]
    fn error_type_names() {
        assert_eq!(error_type_name(14), "PARSER");
        assert_eq!(error_type_name(24), "BINDER");
        assert_eq!(error_type_name(13), "CATALOG");
        assert_eq!(error_type_name(999), "UNKNOWN");
    }
}
