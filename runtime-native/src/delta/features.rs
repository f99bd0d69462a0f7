//! The feature gate: which protocols and table features cpgc can read.
//!
//! "Read support" at this stage means: the snapshot (files, partition values, statistics,
//! deletion vector descriptors, schema with physical names) is complete and correct for the
//! feature, and the scan that turns it into rows is required to honour it (see README.md).

use super::actions::Protocol;
use super::schema::{DataType, StructType};
use super::type_widening;
use crate::error::{ErrorCode, NativeError, Result};

/// Highest reader version cpgc implements.
pub const MAX_READER_VERSION: i32 = 3;

/// Reader features cpgc reads (reader version 3 tables list them in `readerFeatures`).
pub const SUPPORTED_READER_FEATURES: [&str; 7] = [
    "columnMapping",
    "deletionVectors",
    "timestampNtz",
    "typeWidening",
    "typeWidening-preview",
    "v2Checkpoint",
    "vacuumProtocolCheck",
];

/// Features that only constrain writers: harmless to a reader even if (wrongly) listed among
/// the reader features.
pub const WRITER_ONLY_FEATURES: [&str; 14] = [
    "appendOnly",
    "invariants",
    "checkConstraints",
    "generatedColumns",
    "allowColumnDefaults",
    "changeDataFeed",
    "identityColumns",
    "rowTracking",
    "domainMetadata",
    "icebergCompatV1",
    "icebergCompatV2",
    "clustering",
    "inCommitTimestamp",
    "liquid",
];

fn supported_for_reading(feature: &str) -> bool {
    SUPPORTED_READER_FEATURES.contains(&feature) || WRITER_ONLY_FEATURES.contains(&feature)
}

/// Refuses protocols cpgc cannot read, naming the missing features.
pub fn check_read_protocol(protocol: &Protocol) -> Result<()> {
    let version = protocol.min_reader_version;
    let unsupported: Vec<&str> = protocol
        .reader_features
        .iter()
        .flatten()
        .map(String::as_str)
        .filter(|f| !supported_for_reading(f))
        .collect();
    if !unsupported.is_empty() {
        let plural = if unsupported.len() == 1 { "" } else { "s" };
        let version_note = if version > MAX_READER_VERSION {
            format!(
                " (and reader version {version}; cpgc reads versions 1 to {MAX_READER_VERSION})"
            )
        } else {
            String::new()
        };
        return Err(NativeError::new(
            ErrorCode::DeltaUnsupportedFeature,
            format!(
                "the table needs reader feature{plural} {} that cpgc does not support{version_note}",
                unsupported.join(", ")
            ),
        )
        .with("features", unsupported.join(","))
        .with("kind", "reader")
        .with("minReaderVersion", version.to_string()));
    }
    if !(1..=MAX_READER_VERSION).contains(&version) {
        return Err(NativeError::new(
            ErrorCode::DeltaUnsupportedProtocol,
            format!("the table needs Delta reader version {version}; cpgc reads versions 1 to {MAX_READER_VERSION}"),
        )
        .with("minReaderVersion", version.to_string()));
    }
    if version == 3 && protocol.reader_features.is_none() {
        return Err(NativeError::new(
            ErrorCode::DeltaUnsupportedProtocol,
            "the table has reader version 3 but no readerFeatures list; its requirements are unknown",
        )
        .with("minReaderVersion", "3"));
    }
    Ok(())
}

/// Whether the protocol supports a reader feature (reader version 3 lists it; reader version 2
/// implies column mapping).
pub fn reader_feature_enabled(protocol: &Protocol, feature: &str) -> bool {
    match protocol.min_reader_version {
        3 => protocol
            .reader_features
            .iter()
            .flatten()
            .any(|f| f == feature),
        2 => feature == "columnMapping",
        _ => false,
    }
}

/// Whether a writer feature is supported (writer version 7 lists it).
pub fn writer_feature_enabled(protocol: &Protocol, feature: &str) -> bool {
    protocol.min_writer_version == 7
        && protocol
            .writer_features
            .iter()
            .flatten()
            .any(|f| f == feature)
}

/// Checks the schema against what the protocol allows cpgc to read: every recorded type change
/// must be one the protocol's type widening defines.
pub fn check_read_schema(schema: &StructType) -> Result<()> {
    for field in &schema.fields {
        type_widening::check_field(field)?;
        check_nested(&field.data_type)?;
    }
    Ok(())
}

fn check_nested(data_type: &DataType) -> Result<()> {
    match data_type {
        DataType::Struct(s) => check_read_schema(s),
        DataType::Array { element, .. } => check_nested(element),
        DataType::Map { key, value, .. } => {
            check_nested(key)?;
            check_nested(value)
        }
        DataType::Primitive(_) | DataType::Decimal { .. } => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protocol(reader: i32, features: Option<&[&str]>) -> Protocol {
        Protocol {
            min_reader_version: reader,
            min_writer_version: 7,
            reader_features: features.map(|f| f.iter().map(|s| s.to_string()).collect()),
            writer_features: None,
        }
    }

    #[test]
    fn supported_protocols_pass() {
        check_read_protocol(&protocol(1, None)).unwrap();
        check_read_protocol(&protocol(2, None)).unwrap();
        check_read_protocol(&protocol(
            3,
            Some(&["deletionVectors", "columnMapping", "v2Checkpoint"]),
        ))
        .unwrap();
        check_read_protocol(&protocol(3, Some(&[]))).unwrap();
    }

    #[test]
    fn unsupported_features_are_named() {
        let err = check_read_protocol(&protocol(
            3,
            Some(&["deletionVectors", "variantType-preview"]),
        ))
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::DeltaUnsupportedFeature);
        assert_eq!(err.detail("features"), Some("variantType-preview"));
        assert!(err.message.contains("variantType-preview"));

        let err =
            check_read_protocol(&protocol(5, Some(&["columnMapping", "blahabl"]))).unwrap_err();
        assert_eq!(err.code, ErrorCode::DeltaUnsupportedFeature);
        assert!(
            err.message.contains("blahabl") && err.message.contains("reader version 5"),
            "{}",
            err.message
        );
    }

    #[test]
    fn unsupported_versions_are_refused() {
        assert_eq!(
            check_read_protocol(&protocol(4, None)).unwrap_err().code,
            ErrorCode::DeltaUnsupportedProtocol
        );
        assert_eq!(
            check_read_protocol(&protocol(0, None)).unwrap_err().code,
            ErrorCode::DeltaUnsupportedProtocol
        );
        assert_eq!(
            check_read_protocol(&protocol(3, None)).unwrap_err().code,
            ErrorCode::DeltaUnsupportedProtocol
        );
    }

    #[test]
    fn column_mapping_is_enabled_by_reader_version_2_or_the_feature() {
        assert!(reader_feature_enabled(&protocol(2, None), "columnMapping"));
        assert!(!reader_feature_enabled(&protocol(1, None), "columnMapping"));
        assert!(reader_feature_enabled(
            &protocol(3, Some(&["columnMapping"])),
            "columnMapping"
        ));
        assert!(!reader_feature_enabled(
            &protocol(3, Some(&[])),
            "columnMapping"
        ));
    }
}
