//! Which protocol a table needs, protocol upgrades, and the writer feature gate.
//!
//! A new table gets the smallest protocol that covers what its schema and properties use:
//! reader 1 / writer 2 when nothing special is needed; change data feed → writer 4; column
//! mapping → reader 2 / writer 5; anything only expressible as a table feature
//! (`timestampNtz`, `domainMetadata`) → writer 7 (and reader 3 when a reader feature is
//! needed), listing every feature the table uses — including the ones older versions implied.

use std::collections::BTreeSet;

use super::super::actions::{Metadata, Protocol};
use super::super::schema::{DataType, StructType};
use crate::error::{ErrorCode, NativeError, Result};

/// Features cpgc knows how to request on write.
pub const REQUESTABLE_FEATURES: [&str; 5] = [
    "appendOnly",
    "changeDataFeed",
    "columnMapping",
    "domainMetadata",
    "timestampNtz",
];

/// Writer features cpgc honours when writing.
const WRITABLE_FEATURES: [&str; 7] = [
    "appendOnly",
    "invariants",
    "checkConstraints",
    "changeDataFeed",
    "domainMetadata",
    "timestampNtz",
    "vacuumProtocolCheck",
];

fn reader_feature(feature: &str) -> bool {
    matches!(
        feature,
        "columnMapping" | "timestampNtz" | "deletionVectors" | "v2Checkpoint"
    )
}

/// Legacy features implied by a writer version below 7.
fn implied_writer_features(writer: i32) -> Vec<&'static str> {
    let mut out = Vec::new();
    if writer >= 2 {
        out.extend(["appendOnly", "invariants"]);
    }
    if writer >= 3 {
        out.push("checkConstraints");
    }
    if writer >= 4 {
        out.extend(["changeDataFeed", "generatedColumns"]);
    }
    if writer >= 5 {
        out.push("columnMapping");
    }
    if writer >= 6 {
        out.push("identityColumns");
    }
    out
}

fn implied_reader_features(reader: i32) -> Vec<&'static str> {
    if reader >= 2 {
        vec!["columnMapping"]
    } else {
        Vec::new()
    }
}

/// The features a protocol supports (explicit or implied by its versions).
pub fn protocol_features(protocol: &Protocol) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut reader: BTreeSet<String> = protocol.reader_features.iter().flatten().cloned().collect();
    if protocol.min_reader_version < 3 {
        reader.extend(
            implied_reader_features(protocol.min_reader_version)
                .into_iter()
                .map(String::from),
        );
    }
    let mut writer: BTreeSet<String> = protocol.writer_features.iter().flatten().cloned().collect();
    if protocol.min_writer_version < 7 {
        writer.extend(
            implied_writer_features(protocol.min_writer_version)
                .into_iter()
                .map(String::from),
        );
    }
    (reader, writer)
}

fn has_type(data_type: &DataType, name: &str) -> bool {
    match data_type {
        DataType::Primitive(p) => *p == name,
        DataType::Decimal { .. } => false,
        DataType::Struct(s) => s.fields.iter().any(|f| has_type(&f.data_type, name)),
        DataType::Array { element, .. } => has_type(element, name),
        DataType::Map { key, value, .. } => has_type(key, name) || has_type(value, name),
    }
}

/// Features the schema and table properties need.
pub fn needed_features(schema: &StructType, metadata: &Metadata) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let conf = &metadata.configuration;
    if schema
        .fields
        .iter()
        .any(|f| has_type(&f.data_type, "timestamp_ntz"))
    {
        out.insert("timestampNtz".to_string());
    }
    if conf
        .get("delta.enableChangeDataFeed")
        .is_some_and(|v| v == "true")
    {
        out.insert("changeDataFeed".to_string());
    }
    if conf
        .get("delta.columnMapping.mode")
        .is_some_and(|v| v != "none")
    {
        out.insert("columnMapping".to_string());
    }
    if conf.get("delta.appendOnly").is_some_and(|v| v == "true") {
        out.insert("appendOnly".to_string());
    }
    out
}

/// The smallest protocol that supports `features`, never lower than `base` (an upgrade keeps
/// everything the old protocol supported).
pub fn protocol_for(features: &BTreeSet<String>, base: Option<&Protocol>) -> Result<Protocol> {
    for f in features {
        if !REQUESTABLE_FEATURES.contains(&f.as_str()) {
            return Err(NativeError::new(
                ErrorCode::DeltaUnsupportedFeature,
                format!(
                    "cpgc cannot enable table feature {f:?} (it can enable {})",
                    REQUESTABLE_FEATURES.join(", ")
                ),
            )
            .with("features", f.clone())
            .with("kind", "writer"));
        }
    }
    let (mut reader_set, mut writer_set) = base.map(protocol_features).unwrap_or_default();
    let base_reader = base.map_or(1, |p| p.min_reader_version);
    let base_writer = base.map_or(2, |p| p.min_writer_version);
    let needs_table_features = base_writer >= 7
        || features.contains("timestampNtz")
        || features.contains("domainMetadata");
    if !needs_table_features {
        let mut writer = base_writer.max(2);
        let mut reader = base_reader.max(1);
        if features.contains("changeDataFeed") {
            writer = writer.max(4);
        }
        if features.contains("columnMapping") {
            writer = writer.max(5);
            reader = reader.max(2);
        }
        return Ok(Protocol {
            min_reader_version: reader,
            min_writer_version: writer,
            reader_features: None,
            writer_features: None,
        });
    }
    for f in features {
        writer_set.insert(f.clone());
        if reader_feature(f) {
            reader_set.insert(f.clone());
        }
    }
    let reader_version = if base_reader >= 3 || !reader_set.is_empty() {
        3
    } else {
        base_reader.max(1)
    };
    Ok(Protocol {
        min_reader_version: reader_version,
        min_writer_version: 7,
        reader_features: (reader_version == 3).then(|| reader_set.into_iter().collect()),
        writer_features: Some(writer_set.into_iter().collect()),
    })
}

fn schema_uses(schema: &StructType, key: &str) -> bool {
    fn in_type(t: &DataType, key: &str) -> bool {
        match t {
            DataType::Struct(s) => s
                .fields
                .iter()
                .any(|f| f.metadata.contains_key(key) || in_type(&f.data_type, key)),
            DataType::Array { element, .. } => in_type(element, key),
            DataType::Map { key: k, value, .. } => in_type(k, key) || in_type(value, key),
            _ => false,
        }
    }
    schema
        .fields
        .iter()
        .any(|f| f.metadata.contains_key(key) || in_type(&f.data_type, key))
}

fn refuse(features: &[String], why: &str) -> NativeError {
    NativeError::new(
        ErrorCode::DeltaUnsupportedFeature,
        format!(
            "cpgc cannot write this table: {why} ({})",
            features.join(", ")
        ),
    )
    .with("features", features.join(","))
    .with("kind", "writer")
}

/// The writer gate: refuses tables whose writer features (or their use in the schema and
/// properties) cpgc does not honour.
pub fn check_write(
    protocol: &Protocol,
    metadata: &Metadata,
    schema: &StructType,
    column_mapping_supported: bool,
) -> Result<()> {
    if protocol.min_writer_version > 7 {
        return Err(NativeError::new(
            ErrorCode::DeltaUnsupportedProtocol,
            format!(
                "the table needs Delta writer version {}; cpgc writes versions 1 to 7",
                protocol.min_writer_version
            ),
        )
        .with("minWriterVersion", protocol.min_writer_version.to_string()));
    }
    let (reader, writer) = protocol_features(protocol);
    let unsupported: Vec<String> = writer
        .iter()
        .filter(|f| {
            let f = f.as_str();
            !(WRITABLE_FEATURES.contains(&f)
                || (f == "columnMapping" && column_mapping_supported)
                // Legacy versions imply these; they only matter when the schema uses them.
                || (protocol.min_writer_version < 7 && matches!(f, "generatedColumns" | "identityColumns" | "columnMapping")))
        })
        .cloned()
        .chain(reader.iter().filter(|f| !matches!(f.as_str(), "timestampNtz" | "columnMapping")).cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !unsupported.is_empty() {
        return Err(refuse(
            &unsupported,
            "it needs writer features cpgc does not implement",
        ));
    }
    if schema_uses(schema, "delta.invariants") {
        return Err(refuse(
            &["invariants".into()],
            "the schema has column invariants",
        ));
    }
    if metadata
        .configuration
        .keys()
        .any(|k| k.starts_with("delta.constraints."))
    {
        return Err(refuse(
            &["checkConstraints".into()],
            "the table has CHECK constraints",
        ));
    }
    if schema_uses(schema, "delta.generationExpression") {
        return Err(refuse(
            &["generatedColumns".into()],
            "the schema has generated columns",
        ));
    }
    if schema_uses(schema, "delta.identity.start") {
        return Err(refuse(
            &["identityColumns".into()],
            "the schema has identity columns",
        ));
    }
    let mapping = metadata
        .configuration
        .get("delta.columnMapping.mode")
        .map(String::as_str);
    if !column_mapping_supported && matches!(mapping, Some("name" | "id")) {
        return Err(refuse(
            &["columnMapping".into()],
            "column mapping is enabled",
        ));
    }
    Ok(())
}
