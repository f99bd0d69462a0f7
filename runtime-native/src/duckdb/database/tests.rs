//! Tests against the real libduckdb from node_modules (skipped, with a note, when it is absent).

use std::sync::Arc;

use super::*;
use crate::duckdb::library;

fn api() -> Option<&'static Api> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so");
    if !path.exists() {
        eprintln!(
            "note: {} is absent (run npm ci); skipping DuckDB test",
            path.display()
        );
        return None;
    }
    Some(library::load(path.to_str().expect("utf-8 path")).expect("libduckdb loads"))
}

fn open() -> Option<Database> {
    Some(
        Database::open(
            api()?,
            &OpenOptions {
                threads: Some(1),
                memory_limit: Some("256MB".into()),
            },
        )
        .expect("opens"),
    )
}

fn field(name: &str, value: Value) -> (Arc<str>, Value) {
    (Arc::from(name), value)
}

#[test]
fn library_version_is_reported() {
    let Some(api) = api() else { return };
    assert!(library::library_version(api).starts_with('v'));
}

#[test]
fn scalar_types_round_trip() {
    let Some(mut db) = open() else { return };
    let result = db
        .query(
            "SELECT NULL AS n, true AS b, -1::TINYINT AS i8, 300::SMALLINT AS i16, 70000 AS i32,
                    9007199254740993::BIGINT AS i64, 255::UTINYINT AS u8, 18446744073709551615::UBIGINT AS u64,
                    '-170141183460469231731687303715884105728'::HUGEINT AS h, 1.5::FLOAT AS f, 2.25::DOUBLE AS d,
                    'hi' AS short, 'a string longer than twelve bytes' AS long, '\\x00\\xFF'::BLOB AS bl,
                    DATE '1970-01-02' AS dt, TIMESTAMP '1970-01-01 00:00:01' AS ts,
                    '1970-01-01 00:00:02'::TIMESTAMP_S AS ts_s, '1970-01-01 00:00:00.003'::TIMESTAMP_MS AS ts_ms,
                    '1970-01-01 00:00:00.000000004'::TIMESTAMP_NS AS ts_ns, 123.45::DECIMAL(10,2) AS dec,
                    -0.5::DECIMAL(38,10) AS dec_big, INTERVAL 1 DAY AS iv, TIME '00:00:01' AS t,
                    '01234567-89ab-cdef-0123-456789abcdef'::UUID AS u",
        )
        .expect("query");
    let types: Vec<&str> = result
        .columns
        .iter()
        .map(|c| c.type_name.as_str())
        .collect();
    assert_eq!(
        types,
        [
            "INTEGER",
            "BOOLEAN",
            "TINYINT",
            "SMALLINT",
            "INTEGER",
            "BIGINT",
            "UTINYINT",
            "UBIGINT",
            "HUGEINT",
            "FLOAT",
            "DOUBLE",
            "VARCHAR",
            "VARCHAR",
            "BLOB",
            "DATE",
            "TIMESTAMP",
            "TIMESTAMP_S",
            "TIMESTAMP_MS",
            "TIMESTAMP_NS",
            "DECIMAL(10,2)",
            "DECIMAL(38,10)",
            "INTERVAL",
            "TIME",
            "UUID"
        ]
    );
    assert_eq!(
        result.rows,
        vec![vec![
            Value::Null,
            Value::Bool(true),
            Value::Int(-1),
            Value::Int(300),
            Value::Int(70000),
            Value::Int(9007199254740993),
            Value::UInt(255),
            Value::UInt(u64::MAX),
            Value::Str("-170141183460469231731687303715884105728".into()),
            Value::Float(1.5),
            Value::Float(2.25),
            Value::Str("hi".into()),
            Value::Str("a string longer than twelve bytes".into()),
            Value::Bytes(vec![0, 255]),
            Value::Int(1),
            Value::Int(1_000_000),
            Value::Int(2_000_000),
            Value::Int(3_000),
            Value::Int(4),
            Value::Str("123.45".into()),
            Value::Str("-0.5000000000".into()),
            Value::Struct(vec![
                field("months", Value::Int(0)),
                field("days", Value::Int(1)),
                field("micros", Value::Int(0))
            ]),
            Value::Int(1_000_000),
            Value::Str("01234567-89ab-cdef-0123-456789abcdef".into()),
        ]]
    );
}

#[test]
fn nested_types_and_nulls() {
    let Some(mut db) = open() else { return };
    let result = db
        .query(
            "SELECT * FROM (VALUES
               ([1, NULL, 3], {'a': 1, 'B c': 'x'}, MAP {'k': [1.5]}, [[1], []], ['x', 'y']::ENUM('x', 'y')[], [1, 2]::INTEGER[2]),
               (NULL, NULL, NULL, NULL, NULL, NULL)
             ) t(l, s, m, ll, e, arr)",
        )
        .expect("query");
    let types: Vec<&str> = result
        .columns
        .iter()
        .map(|c| c.type_name.as_str())
        .collect();
    assert_eq!(
        types,
        [
            "INTEGER[]",
            "STRUCT(a INTEGER, \"B c\" VARCHAR)",
            "MAP(VARCHAR, DECIMAL(2,1)[])",
            "INTEGER[][]",
            "ENUM('x', 'y')[]",
            "INTEGER[2]"
        ]
    );
    assert_eq!(
        result.rows[0],
        vec![
            Value::List(vec![Value::Int(1), Value::Null, Value::Int(3)]),
            Value::Struct(vec![
                field("a", Value::Int(1)),
                field("B c", Value::Str("x".into()))
            ]),
            Value::Map(vec![(
                Value::Str("k".into()),
                Value::List(vec![Value::Str("1.5".into())])
            )]),
            Value::List(vec![Value::List(vec![Value::Int(1)]), Value::List(vec![])]),
            Value::List(vec![Value::Str("x".into()), Value::Str("y".into())]),
            Value::List(vec![Value::Int(1), Value::Int(2)]),
        ]
    );
    assert_eq!(result.rows[1], vec![Value::Null; 6]);
}

#[test]
fn many_rows_span_several_chunks() {
    let Some(mut db) = open() else { return };
    let result = db
        .query("SELECT range AS i, range::VARCHAR AS s FROM range(5000)")
        .expect("query");
    assert_eq!(result.rows.len(), 5000);
    assert_eq!(
        result.rows[4999],
        vec![Value::Int(4999), Value::Str("4999".into())]
    );
}

#[test]
fn statements_without_rows_and_state_across_queries() {
    let Some(mut db) = open() else { return };
    db.query("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2)")
        .expect("ddl");
    let result = db
        .query("SELECT sum(a)::INTEGER AS s FROM t")
        .expect("query");
    assert_eq!(result.rows, vec![vec![Value::Int(3)]]);
}

#[test]
fn sql_errors_carry_duckdb_message_and_error_type() {
    let Some(mut db) = open() else { return };
    let err = db.query("SELEC 1").unwrap_err();
    assert_eq!(err.code, ErrorCode::DuckdbQueryFailed);
    assert!(err.message.contains("syntax error"), "{}", err.message);
    assert_eq!(err.detail("errorType"), Some("PARSER"));

    let err = db.query("SELECT * FROM missing_table").unwrap_err();
    assert_eq!(err.detail("errorType"), Some("CATALOG"));
    assert_eq!(
        db.query("SELECT 'a\0b'").unwrap_err().code,
        ErrorCode::InvalidArgument
    );
}

#[test]
fn unsupported_types_are_refused_with_a_hint() {
    let Some(mut db) = open() else { return };
    let err = db.query("SELECT '101'::BIT AS b").unwrap_err();
    assert_eq!(err.code, ErrorCode::DuckdbUnsupportedType);
    assert_eq!(err.detail("column"), Some("b"));
    assert!(err.message.contains("CAST"), "{}", err.message);
}

#[test]
fn options_are_applied_and_validated() {
    let Some(api) = api() else { return };
    let mut db = Database::open(
        api,
        &OpenOptions {
            threads: Some(3),
            memory_limit: Some("1GB".into()),
        },
    )
    .expect("opens");
    let result = db
        .query("SELECT current_setting('threads')::INTEGER AS t")
        .expect("query");
    assert_eq!(result.rows, vec![vec![Value::Int(3)]]);

    let bad = Database::open(
        api,
        &OpenOptions {
            threads: None,
            memory_limit: Some("lots".into()),
        },
    );
    let bad = bad.err().expect("a bad memory_limit is refused");
    assert_eq!(
        (bad.code, bad.detail("option")),
        (ErrorCode::InvalidArgument, Some("memory_limit"))
    );
    let zero = Database::open(
        api,
        &OpenOptions {
            threads: Some(0),
            memory_limit: None,
        },
    );
    assert_eq!(zero.err().map(|e| e.code), Some(ErrorCode::InvalidArgument));
}
