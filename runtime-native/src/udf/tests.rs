//! Tests of the id encodings (against golden values and python3) and of the vectorized body (in
//! memory, and through SQL on the real libduckdb when node_modules has it).

use std::io::Write;
use std::process::{Command, Stdio};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::chunk::{self, Input, Output};
use super::ids::{self, Arg, Id};
use super::UDFS;
use crate::duckdb::{self, Database, OpenOptions};
use crate::wire::Value;

#[derive(Deserialize)]
struct Cases {
    cpg_id: Vec<IdCase>,
    cpg_key_id: Vec<KeyCase>,
}

#[derive(Deserialize)]
struct IdCase {
    kind: String,
    path: String,
    bstart: String,
    bend: String,
    id: String,
}

#[derive(Deserialize)]
struct KeyCase {
    kind: String,
    key: String,
    id: String,
}

const CASES_JSON: &str = include_str!("stable_ids.json");
const README: &str = include_str!("../../README.md");

fn cases() -> Cases {
    serde_json::from_str(CASES_JSON).expect("stable_ids.json parses")
}

fn int(text: &str) -> i64 {
    text.parse().expect("bstart/bend are decimal i64 strings")
}

#[test]
fn ids_match_the_golden_table() {
    let cases = cases();
    assert!(cases.cpg_id.len() >= 8 && cases.cpg_key_id.len() >= 8);
    for c in &cases.cpg_id {
        let got = ids::cpg_id(&c.kind, &c.path, int(&c.bstart), int(&c.bend));
        assert_eq!(
            got, c.id,
            "cpg_id({:?}, {:?}, {}, {})",
            c.kind, c.path, c.bstart, c.bend
        );
    }
    for c in &cases.cpg_key_id {
        assert_eq!(
            ids::cpg_key_id(&c.kind, &c.key),
            c.id,
            "cpg_key_id({:?}, {:?})",
            c.kind,
            c.key
        );
    }
}

#[test]
fn the_encoding_is_the_documented_one() {
    // str(s) = u64 LE length ‖ bytes; i64(n) = 8 bytes LE two's complement; first 8 bytes, hex.
    let mut bytes = Vec::new();
    for s in ["cpg-id-v1", "Name", "é.py"] {
        bytes.extend_from_slice(&(s.len() as u64).to_le_bytes());
        bytes.extend_from_slice(s.as_bytes());
    }
    bytes.extend_from_slice(&(-2i64).to_le_bytes());
    bytes.extend_from_slice(&i64::MAX.to_le_bytes());
    let digest = Sha256::digest(&bytes);
    let expected: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(ids::cpg_id("Name", "é.py", -2, i64::MAX), expected);

    let mut bytes = Vec::new();
    for s in ["cpg-key-id-v1", "file", ""] {
        bytes.extend_from_slice(&(s.len() as u64).to_le_bytes());
        bytes.extend_from_slice(s.as_bytes());
    }
    let expected: String = Sha256::digest(&bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(ids::cpg_key_id("file", ""), expected);
}

#[test]
fn ids_are_16_lowercase_hex_and_tell_apart_what_concatenation_would_not() {
    let id = ids::cpg_id("FunctionDef", "a.py", 1, 2);
    assert_eq!(id.len(), 16);
    assert!(id
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert_ne!(ids::cpg_id("ab", "c", 0, 0), ids::cpg_id("a", "bc", 0, 0));
    assert_ne!(ids::cpg_key_id("ab", "c"), ids::cpg_key_id("a", "bc"));
    assert_ne!(ids::cpg_key_id("", "x"), ids::cpg_key_id("x", ""));
    assert_ne!(ids::cpg_id("k", "p", 1, 2), ids::cpg_id("k", "p", 2, 1));
    assert_ne!(
        ids::cpg_id("k", "p", -1, 0),
        ids::cpg_id("k", "p", i64::MAX, 0)
    );
    // The same encoder reused across rows gives the same ids as fresh ones.
    let mut encoder = ids::Encoder::default();
    let a = encoder.id(ids::CPG_KEY_ID_TAG, &[Arg::Str(b"file"), Arg::Str(b"a.py")]);
    let b = encoder.id(ids::CPG_KEY_ID_TAG, &[Arg::Str(b"file"), Arg::Str(b"a.py")]);
    assert_eq!(a, b);
    assert_eq!(
        std::str::from_utf8(&a).ok(),
        Some(ids::cpg_key_id("file", "a.py").as_str())
    );
}

/// The Python block of README.md "UDFs: stable ids" (after the `stable-ids-python` marker).
fn readme_python() -> String {
    let after = README
        .split("<!-- stable-ids-python -->")
        .nth(1)
        .expect("README.md has the stable-ids-python marker");
    let block = after
        .split("```python\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a ```python block follows the marker");
    block.to_string()
}

#[test]
fn python3_with_the_readme_one_liners_computes_the_same_ids() {
    let script = format!(
        "{}\nimport json, sys\ncases = json.load(sys.stdin)\n\
         print(json.dumps({{'cpg_id': [cpg_id(c['kind'], c['path'], int(c['bstart']), int(c['bend'])) for c in cases['cpg_id']],\n\
         'cpg_key_id': [cpg_key_id(c['kind'], c['key']) for c in cases['cpg_key_id']]}}))\n",
        readme_python()
    );
    let mut child = Command::new("python3")
        .args(["-I", "-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (it is required: the Python extractor uses it too)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(CASES_JSON.as_bytes())
        .expect("writes the cases");
    let output = child.wait_with_output().expect("python3 finishes");
    assert!(
        output.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    #[derive(Deserialize)]
    struct PyIds {
        cpg_id: Vec<String>,
        cpg_key_id: Vec<String>,
    }
    let py: PyIds = serde_json::from_slice(&output.stdout).expect("python3 prints JSON");
    let cases = cases();
    let rust_ids: Vec<String> = cases
        .cpg_id
        .iter()
        .map(|c| ids::cpg_id(&c.kind, &c.path, int(&c.bstart), int(&c.bend)))
        .collect();
    let rust_keys: Vec<String> = cases
        .cpg_key_id
        .iter()
        .map(|c| ids::cpg_key_id(&c.kind, &c.key))
        .collect();
    assert_eq!(py.cpg_id, rust_ids);
    assert_eq!(py.cpg_key_id, rust_keys);
}

// --- the vectorized body over an in-memory chunk ------------------------------------------------

enum Col {
    Str(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
}

struct MemInput(Vec<Col>);

impl Input for MemInput {
    fn rows(&self) -> usize {
        match self.0.first() {
            Some(Col::Str(v)) => v.len(),
            Some(Col::Int(v)) => v.len(),
            None => 0,
        }
    }
    fn columns(&self) -> usize {
        self.0.len()
    }
    fn is_valid(&self, column: usize, row: usize) -> bool {
        match &self.0[column] {
            Col::Str(v) => v[row].is_some(),
            Col::Int(v) => v[row].is_some(),
        }
    }
    fn arg(&self, column: usize, row: usize) -> Result<Arg<'_>, String> {
        Ok(match &self.0[column] {
            Col::Str(v) => Arg::Str(v[row].as_deref().expect("valid").as_bytes()),
            Col::Int(v) => Arg::Int(v[row].expect("valid")),
        })
    }
}

/// Starts with stale values in every row, as a reused engine vector could.
struct MemOutput(Vec<Option<String>>);

impl Output for MemOutput {
    fn set_null(&mut self, row: usize) -> Result<(), String> {
        self.0[row] = None;
        Ok(())
    }
    fn set_id(&mut self, row: usize, id: &Id) -> Result<(), String> {
        self.0[row] = Some(String::from_utf8(id.to_vec()).expect("ascii"));
        Ok(())
    }
}

fn strs(values: &[Option<&str>]) -> Col {
    Col::Str(values.iter().map(|v| v.map(str::to_string)).collect())
}

#[test]
fn the_body_fills_every_row_and_a_null_in_any_argument_gives_null() {
    let input = MemInput(vec![
        strs(&[
            Some("FunctionDef"),
            None,
            Some("Call"),
            Some("Call"),
            Some(""),
            Some("Name"),
        ]),
        strs(&[
            Some("a.py"),
            Some("a.py"),
            None,
            Some("b.py"),
            Some(""),
            Some("c.py"),
        ]),
        Col::Int(vec![Some(1), Some(1), Some(1), None, Some(0), Some(-5)]),
        Col::Int(vec![Some(2), Some(2), Some(2), Some(3), Some(0), None]),
    ]);
    let mut output = MemOutput(vec![Some("stale".to_string()); 6]);
    chunk::run(&UDFS[0], &input, &mut output).expect("runs");
    assert_eq!(
        output.0,
        vec![
            Some(ids::cpg_id("FunctionDef", "a.py", 1, 2)),
            None,
            None,
            None,
            Some(ids::cpg_id("", "", 0, 0)),
            None,
        ]
    );

    let keys = MemInput(vec![
        strs(&[Some("file"), Some("module"), None]),
        strs(&[Some("a.py"), None, Some("x")]),
    ]);
    let mut output = MemOutput(vec![Some("stale".to_string()); 3]);
    chunk::run(&UDFS[1], &keys, &mut output).expect("runs");
    assert_eq!(
        output.0,
        vec![Some(ids::cpg_key_id("file", "a.py")), None, None]
    );
}

#[test]
fn the_body_refuses_a_chunk_of_the_wrong_arity() {
    let input = MemInput(vec![strs(&[Some("file")])]);
    let mut output = MemOutput(vec![None]);
    let err = chunk::run(&UDFS[1], &input, &mut output).err();
    assert_eq!(
        err.as_deref(),
        Some("cpg_key_id expects 2 arguments, the engine passed 1")
    );
}

// --- through SQL on the real libduckdb ----------------------------------------------------------

fn open() -> Option<Database> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so");
    if !path.exists() {
        eprintln!(
            "note: {} is absent (run npm ci); skipping DuckDB test",
            path.display()
        );
        return None;
    }
    let api = duckdb::load(path.to_str().expect("utf-8 path")).expect("libduckdb loads");
    Some(
        Database::open(
            api,
            &OpenOptions {
                threads: Some(2),
                memory_limit: None,
            },
        )
        .expect("opens"),
    )
}

fn text(v: &Value) -> Option<&str> {
    match v {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

fn sql_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[test]
fn every_opened_database_has_the_udfs_and_they_agree_with_the_golden_table() {
    let Some(mut db) = open() else { return };
    let cases = cases();
    let selects: Vec<String> = cases
        .cpg_id
        .iter()
        .map(|c| {
            format!(
                "cpg_id({}, {}, CAST('{}' AS BIGINT), CAST('{}' AS BIGINT))",
                sql_str(&c.kind),
                sql_str(&c.path),
                c.bstart,
                c.bend
            )
        })
        .chain(
            cases
                .cpg_key_id
                .iter()
                .map(|c| format!("cpg_key_id({}, {})", sql_str(&c.kind), sql_str(&c.key))),
        )
        .collect();
    let result = db
        .query(&format!("SELECT {}", selects.join(", ")))
        .expect("query");
    let got: Vec<Option<&str>> = result.rows[0].iter().map(text).collect();
    let want: Vec<Option<&str>> = cases
        .cpg_id
        .iter()
        .map(|c| Some(c.id.as_str()))
        .chain(cases.cpg_key_id.iter().map(|c| Some(c.id.as_str())))
        .collect();
    assert_eq!(got, want);
    assert!(result.columns.iter().all(|c| c.type_name == "VARCHAR"));

    // Constant NULLs and INTEGER arguments (implicitly cast to BIGINT).
    let result = db
        .query("SELECT cpg_id(NULL, 'a.py', 1, 2) AS a, cpg_key_id('file', NULL) AS b, cpg_id('FunctionDef', 'a.py', 1, 2) AS c")
        .expect("query");
    assert_eq!(result.rows[0][0], Value::Null);
    assert_eq!(result.rows[0][1], Value::Null);
    assert_eq!(text(&result.rows[0][2]), Some("65e1843918f6f294"));
}

#[test]
fn the_udfs_are_vectorized_over_many_chunks_with_nulls_in_every_column() {
    let Some(mut db) = open() else { return };
    // 10 000 rows (several chunks, two threads); each argument NULL on its own stride; long and
    // inline strings mixed.
    let result = db
        .query(
            "WITH t AS (
               SELECT i,
                      CASE WHEN i % 7 = 0 THEN NULL ELSE 'kind' || (i % 5) END AS kind,
                      CASE WHEN i % 11 = 0 THEN NULL WHEN i % 2 = 0 THEN 'p' || i ELSE 'a/long/path/to/module_' || i || '.py' END AS path,
                      CASE WHEN i % 13 = 0 THEN NULL ELSE i * 1000003 - 5000000000 END AS bstart,
                      CASE WHEN i % 17 = 0 THEN NULL ELSE -i END AS bend
               FROM range(10000) r(i))
             SELECT kind, path, bstart, bend, cpg_id(kind, path, bstart, bend) AS id, cpg_key_id(kind, path) AS key_id
             FROM t ORDER BY i",
        )
        .expect("query");
    assert_eq!(result.rows.len(), 10000);
    let mut nulls = 0;
    for row in &result.rows {
        let (kind, path) = (text(&row[0]), text(&row[1]));
        let int = |v: &Value| match v {
            Value::Int(n) => Some(*n),
            _ => None,
        };
        let (bstart, bend) = (int(&row[2]), int(&row[3]));
        let expected = match (kind, path, bstart, bend) {
            (Some(k), Some(p), Some(s), Some(e)) => Some(ids::cpg_id(k, p, s, e)),
            _ => None,
        };
        if expected.is_none() {
            nulls += 1;
        }
        assert_eq!(text(&row[4]).map(str::to_string), expected, "row {row:?}");
        let expected_key = kind.zip(path).map(|(k, p)| ids::cpg_key_id(k, p));
        assert_eq!(
            text(&row[5]).map(str::to_string),
            expected_key,
            "row {row:?}"
        );
    }
    assert!(nulls > 2000, "the NULL strides cover many rows ({nulls})");
}

#[test]
fn the_udfs_are_listed_by_the_engine_with_their_signatures() {
    let Some(mut db) = open() else { return };
    // DuckDB lists C API functions of the system catalog as `internal` like its own built-ins,
    // in schema main: the function catalog tells them apart by name (compiler/src/catalog/cpgc-udfs.ts).
    let result = db
        .query(
            "SELECT function_name, function_type, schema_name, return_type, parameter_types::VARCHAR AS types
             FROM duckdb_functions() WHERE function_name LIKE 'cpg%' ORDER BY 1",
        )
        .expect("query");
    let rows: Vec<Vec<Option<&str>>> = result
        .rows
        .iter()
        .map(|r| r.iter().map(text).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec![
                Some("cpg_id"),
                Some("scalar"),
                Some("main"),
                Some("VARCHAR"),
                Some("[VARCHAR, VARCHAR, BIGINT, BIGINT]")
            ],
            vec![
                Some("cpg_key_id"),
                Some("scalar"),
                Some("main"),
                Some("VARCHAR"),
                Some("[VARCHAR, VARCHAR]")
            ],
        ]
    );
    assert_eq!(UDFS.len(), rows.len());
}
