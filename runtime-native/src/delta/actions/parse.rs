//! Parsing actions from JSON lines (commits, JSON checkpoints) and from checkpoint rows.

use serde::Deserialize;

use super::{
    Action, Add, Cdc, CheckpointMetadata, DomainMetadata, Metadata, Protocol, Remove, Sidecar, Txn,
};
use crate::error::{ErrorCode, NativeError, Result};

/// Where actions come from, for error messages.
#[derive(Debug, Clone, Copy)]
pub struct ActionSource<'a> {
    /// Storage path of the file.
    pub file: &'a str,
    /// The table version the file belongs to (commit or checkpoint version).
    pub version: Option<u64>,
}

/// One line of a commit (or one checkpoint row): at most one action of each kind is expected,
/// unknown keys are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionLine {
    #[serde(default)]
    protocol: Option<Protocol>,
    #[serde(default)]
    meta_data: Option<Metadata>,
    #[serde(default)]
    add: Option<Add>,
    #[serde(default)]
    remove: Option<Remove>,
    #[serde(default)]
    cdc: Option<Cdc>,
    #[serde(default)]
    txn: Option<Txn>,
    #[serde(default)]
    commit_info: Option<serde_json::Value>,
    #[serde(default)]
    domain_metadata: Option<DomainMetadata>,
    #[serde(default)]
    checkpoint_metadata: Option<CheckpointMetadata>,
    #[serde(default)]
    sidecar: Option<Sidecar>,
}

impl ActionLine {
    fn push_into(self, out: &mut Vec<Action>) {
        if let Some(a) = self.commit_info {
            if !a.is_null() {
                out.push(Action::CommitInfo(a));
            }
        }
        if let Some(a) = self.protocol {
            out.push(Action::Protocol(a));
        }
        if let Some(a) = self.meta_data {
            out.push(Action::Metadata(a));
        }
        if let Some(a) = self.checkpoint_metadata {
            out.push(Action::CheckpointMetadata(a));
        }
        if let Some(a) = self.txn {
            out.push(Action::Txn(a));
        }
        if let Some(a) = self.domain_metadata {
            out.push(Action::DomainMetadata(a));
        }
        if let Some(a) = self.sidecar {
            out.push(Action::Sidecar(a));
        }
        if let Some(a) = self.remove {
            out.push(Action::Remove(Box::new(a)));
        }
        if let Some(a) = self.add {
            out.push(Action::Add(Box::new(a)));
        }
        if let Some(a) = self.cdc {
            out.push(Action::Cdc(Box::new(a)));
        }
    }
}

fn corrupt(source: &ActionSource, line: usize, unit: &str, why: &str) -> NativeError {
    let version = source
        .version
        .map(|v| format!(" (version {v})"))
        .unwrap_or_default();
    let error = NativeError::new(
        ErrorCode::DeltaLogCorrupt,
        format!(
            "{}{version} {unit} {line} is not a valid action: {why}",
            source.file
        ),
    )
    .with("file", source.file)
    .with("line", line.to_string());
    match source.version {
        Some(v) => error.with("version", v.to_string()),
        None => error,
    }
}

fn parse_one(
    text: &str,
    source: &ActionSource,
    line: usize,
    unit: &str,
    out: &mut Vec<Action>,
) -> Result<()> {
    let parsed: ActionLine =
        serde_json::from_str(text).map_err(|e| corrupt(source, line, unit, &e.to_string()))?;
    parsed.push_into(out);
    Ok(())
}

/// Parses newline-delimited JSON actions. Blank lines are skipped.
pub fn parse_action_lines(bytes: &[u8], source: &ActionSource) -> Result<Vec<Action>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        corrupt(source, line, "line", "the file is not UTF-8")
    })?;
    let mut actions = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        parse_one(line, source, index + 1, "line", &mut actions)?;
    }
    Ok(actions)
}

/// Parses checkpoint rows given as JSON values (objects of the row's columns).
pub fn parse_action_values(
    rows: Vec<serde_json::Value>,
    source: &ActionSource,
) -> Result<Vec<Action>> {
    let mut actions = Vec::with_capacity(rows.len());
    for (index, row) in rows.into_iter().enumerate() {
        parse_action_value(row, source, index + 1, &mut actions)?;
    }
    Ok(actions)
}

/// Parses one checkpoint row (the `row`-th of its file) given as a JSON value into `out`.
pub fn parse_action_value(
    row: serde_json::Value,
    source: &ActionSource,
    row_number: usize,
    out: &mut Vec<Action>,
) -> Result<()> {
    let parsed: ActionLine = serde_json::from_value(row)
        .map_err(|e| corrupt(source, row_number, "row", &e.to_string()))?;
    parsed.push_into(out);
    Ok(())
}

/// Parses checkpoint rows, each a JSON object of the row's columns (null columns included).
pub fn parse_action_rows(rows: &[String], source: &ActionSource) -> Result<Vec<Action>> {
    let mut actions = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        parse_one(row, source, index + 1, "row", &mut actions)?;
    }
    Ok(actions)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: ActionSource<'static> = ActionSource {
        file: "_delta_log/00000000000000000003.json",
        version: Some(3),
    };

    #[test]
    fn parses_every_action_kind_and_ignores_unknown_ones() {
        let log = concat!(
            r#"{"commitInfo":{"timestamp":1,"operation":"WRITE"},"unknownKey":[1]}"#,
            "\n",
            r#"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}}"#,
            "\n",
            r#"{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},"schemaString":"{}","partitionColumns":["p"],"configuration":{"a":"b"}}}"#,
            "\n",
            "\n",
            r#"{"add":{"path":"p=1/a.parquet","partitionValues":{"p":null},"size":10,"modificationTime":5,"dataChange":true,"newField":1}}"#,
            "\n",
            r#"{"remove":{"path":"b.parquet","deletionTimestamp":6,"dataChange":true}}"#,
            "\n",
            r#"{"cdc":{"path":"_change_data/c.parquet","partitionValues":{},"size":3,"dataChange":false}}"#,
            "\n",
            r#"{"txn":{"appId":"app","version":4}}"#,
            "\n",
            r#"{"domainMetadata":{"domain":"d","configuration":"{}","removed":false}}"#,
            "\n",
            r#"{"some_new_action":{"a":1}}"#,
            "\n",
        );
        let actions = parse_action_lines(log.as_bytes(), &SOURCE).unwrap();
        let kinds: Vec<&str> = actions
            .iter()
            .map(|a| match a {
                Action::CommitInfo(_) => "commitInfo",
                Action::Protocol(_) => "protocol",
                Action::Metadata(_) => "metaData",
                Action::Add(_) => "add",
                Action::Remove(_) => "remove",
                Action::Cdc(_) => "cdc",
                Action::Txn(_) => "txn",
                Action::DomainMetadata(_) => "domainMetadata",
                Action::CheckpointMetadata(_) => "checkpointMetadata",
                Action::Sidecar(_) => "sidecar",
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "commitInfo",
                "protocol",
                "metaData",
                "add",
                "remove",
                "cdc",
                "txn",
                "domainMetadata"
            ]
        );
        let Action::Add(add) = &actions[3] else {
            panic!()
        };
        assert_eq!(add.partition_values.get("p"), Some(&None));
        assert!(add.data_change);
    }

    #[test]
    fn checkpoint_rows_with_null_columns_parse() {
        let rows = vec![
            r#"{"txn":null,"add":null,"remove":null,"metaData":null,"protocol":{"minReaderVersion":1,"minWriterVersion":2,"readerFeatures":null,"writerFeatures":null}}"#.to_string(),
            r#"{"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":1,"dataChange":false,"tags":null,"deletionVector":null,"stats":null,"stats_parsed":{"numRecords":3}},"remove":null}"#.to_string(),
        ];
        let actions = parse_action_rows(&rows, &SOURCE).unwrap();
        assert_eq!(actions.len(), 2);
        let Action::Protocol(p) = &actions[0] else {
            panic!()
        };
        assert_eq!(p.reader_features, None);
        // The checkpoint column of struct statistics is snake_case.
        let Action::Add(add) = &actions[1] else {
            panic!()
        };
        assert_eq!(add.stats_parsed, Some(serde_json::json!({"numRecords": 3})));
    }

    #[test]
    fn garbled_and_truncated_lines_name_the_version_and_line() {
        let log = "{\"commitInfo\":{}}\n{\"add\":{\"path\":\"a\",\"size\":1}}\n{\"add\":{\"path\":\"b\",\"si";
        let err = parse_action_lines(log.as_bytes(), &SOURCE).unwrap_err();
        assert_eq!(err.code, ErrorCode::DeltaLogCorrupt);
        assert_eq!(err.detail("line"), Some("3"));
        assert_eq!(err.detail("version"), Some("3"));
        assert!(err.message.contains("version 3) line 3"), "{}", err.message);

        let err = parse_action_lines(b"not json\n", &SOURCE).unwrap_err();
        assert_eq!(err.detail("line"), Some("1"));
        // A known action with an ill-typed field is corrupt too.
        let err = parse_action_lines(br#"{"add":{"path":"a","size":"big"}}"#, &SOURCE).unwrap_err();
        assert_eq!(err.code, ErrorCode::DeltaLogCorrupt);
        let err = parse_action_lines(b"{\"add\":{\"path\":\"a\",\"size\":1}}\n\xff\n", &SOURCE)
            .unwrap_err();
        assert_eq!(err.detail("line"), Some("2"));
    }
}
