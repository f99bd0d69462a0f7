//! Log replay edge cases over in-memory tables (storage + Parquet fakes).

mod checkpoints;
mod replay;
mod summary;
pub(crate) mod summary_real;
mod time_travel;
mod wire;

use serde_json::{json, Value};

use super::log_files::{commit_path, padded, LOG_DIR};
use super::parquet::MemoryParquet;
use super::snapshot::{load_snapshot, Snapshot, VersionSpec};
use super::storage::{MemoryStorage, Storage};
use crate::error::{ErrorCode, NativeError, Result};

pub const SCHEMA: &str = r#"{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"p","type":"string","nullable":true,"metadata":{}}]}"#;

/// An in-memory table under construction.
#[derive(Default)]
pub struct Table {
    pub storage: MemoryStorage,
    pub parquet: MemoryParquet,
}

pub fn protocol(reader: i32, writer: i32, reader_features: Option<&[&str]>) -> Value {
    let mut p = json!({"minReaderVersion": reader, "minWriterVersion": writer});
    if let Some(features) = reader_features {
        p["readerFeatures"] = json!(features);
        p["writerFeatures"] = json!(features);
    }
    json!({ "protocol": p })
}

pub fn metadata(configuration: Value) -> Value {
    json!({"metaData": {
        "id": "test-table", "format": {"provider": "parquet", "options": {}},
        "schemaString": SCHEMA, "partitionColumns": ["p"], "configuration": configuration
    }})
}

pub fn add(path: &str, records: i64) -> Value {
    json!({"add": {
        "path": path, "partitionValues": {"p": "x"}, "size": 100, "modificationTime": 1,
        "dataChange": true, "stats": format!("{{\"numRecords\":{records}}}")
    }})
}

pub fn add_dv(path: &str, records: i64, dv_path: &str, cardinality: i64) -> Value {
    let mut a = add(path, records);
    a["add"]["deletionVector"] = json!({
        "storageType": "u", "pathOrInlineDv": dv_path, "offset": 1, "sizeInBytes": 36, "cardinality": cardinality
    });
    a
}

pub fn remove(path: &str) -> Value {
    json!({"remove": {"path": path, "deletionTimestamp": 5, "dataChange": true}})
}

pub fn commit_info(operation: &str) -> Value {
    json!({"commitInfo": {"timestamp": 1, "operation": operation}})
}

impl Table {
    pub fn new() -> Table {
        Table::default()
    }

    /// A table with protocol 1/2, metadata and one add at version 0.
    pub fn created() -> Table {
        let table = Table::new();
        table.commit(
            0,
            &[
                commit_info("CREATE"),
                protocol(1, 2, None),
                metadata(json!({})),
                add("f0.parquet", 10),
            ],
        );
        table
    }

    pub fn commit(&self, version: u64, actions: &[Value]) {
        let text: Vec<String> = actions.iter().map(Value::to_string).collect();
        self.storage
            .put(&commit_path(version), text.join("\n") + "\n");
    }

    pub fn raw_commit(&self, version: u64, text: &str) {
        self.storage.put(&commit_path(version), text);
    }

    /// A Parquet-like checkpoint file: one row per action, the other columns null.
    pub fn parquet_file(&mut self, path: &str, actions: &[Value]) {
        let columns = [
            "txn",
            "add",
            "remove",
            "metaData",
            "protocol",
            "domainMetadata",
            "checkpointMetadata",
            "sidecar",
        ];
        let rows = actions
            .iter()
            .map(|action| {
                let mut row = serde_json::Map::new();
                for column in columns {
                    row.insert(
                        column.to_string(),
                        action.get(column).cloned().unwrap_or(Value::Null),
                    );
                }
                Value::Object(row).to_string()
            })
            .collect();
        self.storage.put(path, "PAR1");
        self.parquet.insert(path, rows);
    }

    pub fn classic_checkpoint(&mut self, version: u64, actions: &[Value]) {
        self.parquet_file(
            &format!("{LOG_DIR}/{}.checkpoint.parquet", padded(version)),
            actions,
        );
    }

    pub fn last_checkpoint(&self, text: &str) {
        self.storage
            .put(&format!("{LOG_DIR}/_last_checkpoint"), text);
    }

    pub fn delete(&self, path: &str) {
        self.storage.delete(path);
    }

    pub fn load(&self, spec: VersionSpec) -> Result<Snapshot> {
        load_snapshot(&self.storage, &self.parquet, spec)
    }

    pub fn latest(&self) -> Snapshot {
        self.load(VersionSpec::Latest)
            .unwrap_or_else(|e| panic!("load failed: {e} {:?}", e.details))
    }

    pub fn error(&self, spec: VersionSpec) -> NativeError {
        match self.load(spec) {
            Ok(s) => panic!("expected an error, got version {}", s.version),
            Err(e) => e,
        }
    }

    pub fn exists(&self, path: &str) -> bool {
        self.storage.read(path).is_ok()
    }
}

pub fn paths(snapshot: &Snapshot) -> Vec<&str> {
    snapshot.files.iter().map(|f| f.location.as_str()).collect()
}

pub fn assert_code(error: &NativeError, code: ErrorCode) {
    assert_eq!(error.code, code, "{error} {:?}", error.details);
}
