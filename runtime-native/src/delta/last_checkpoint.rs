//! `_delta_log/_last_checkpoint`: a hint to the newest checkpoint. It may be missing, empty,
//! stale (an older checkpoint), dangling (no such checkpoint), use snake_case keys
//! (`size_in_bytes`) or embed a V2 checkpoint. It is only ever a hint: the listing decides.

use serde_json::Value;

use super::log_files::LAST_CHECKPOINT;
use super::storage::Storage;
use crate::error::{ErrorCode, Result};

/// What `_last_checkpoint` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastCheckpointHint {
    pub version: u64,
    /// Number of actions in the checkpoint.
    pub size: Option<i64>,
    /// Number of parts of a multi-part checkpoint.
    pub parts: Option<u32>,
    /// File name of the V2 checkpoint, when embedded.
    pub v2_path: Option<String>,
}

fn get<'a>(
    object: &'a serde_json::Map<String, Value>,
    camel: &str,
    snake: &str,
) -> Option<&'a Value> {
    object.get(camel).or_else(|| object.get(snake))
}

/// Parses the hint; `Err(reason)` when it is unusable.
pub fn parse_hint(bytes: &[u8]) -> std::result::Result<LastCheckpointHint, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8".to_string())?;
    if text.trim().is_empty() {
        return Err("it is empty".to_string());
    }
    let value: Value =
        serde_json::from_str(text.trim()).map_err(|e| format!("it is not valid JSON ({e})"))?;
    let object = value.as_object().ok_or("it is not a JSON object")?;
    let version = object
        .get("version")
        .and_then(Value::as_u64)
        .ok_or("it has no non-negative integer \"version\"")?;
    let v2_path = get(object, "v2Checkpoint", "v2_checkpoint")
        .and_then(|v| v.get("path"))
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(LastCheckpointHint {
        version,
        size: object.get("size").and_then(Value::as_i64),
        parts: object
            .get("parts")
            .and_then(Value::as_u64)
            .and_then(|p| u32::try_from(p).ok()),
        v2_path,
    })
}

/// Reads the hint. A missing file is `None`; an unusable one is `None` plus a warning.
pub fn read_hint(storage: &dyn Storage) -> Result<(Option<LastCheckpointHint>, Option<String>)> {
    let bytes = match storage.read(LAST_CHECKPOINT) {
        Ok(bytes) => bytes,
        Err(e) if e.code == ErrorCode::StorageNotFound => return Ok((None, None)),
        Err(e) => {
            return Ok((
                None,
                Some(format!("ignored {LAST_CHECKPOINT}: {}", e.message)),
            ));
        }
    };
    Ok(match parse_hint(&bytes) {
        Ok(hint) => (Some(hint), None),
        Err(reason) => (None, Some(format!("ignored {LAST_CHECKPOINT}: {reason}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_camel_and_snake_case_and_v2() {
        let hint = parse_hint(br#"{"size":6,"size_in_bytes":23521,"version":1}"#).unwrap();
        assert_eq!((hint.version, hint.size, hint.parts), (1, Some(6), None));
        let hint = parse_hint(br#"{"version":5,"size":7,"parts":3,"sizeInBytes":58606}"#).unwrap();
        assert_eq!(hint.parts, Some(3));
        let hint = parse_hint(br#"{"version":6,"size":106,"v2Checkpoint":{"path":"00000000000000000006.checkpoint.f1.parquet","nonFileActions":[]}}"#).unwrap();
        assert_eq!(
            hint.v2_path.as_deref(),
            Some("00000000000000000006.checkpoint.f1.parquet")
        );
    }

    #[test]
    fn unusable_hints_are_reasons_not_errors() {
        for bad in [
            &b""[..],
            b"  \n",
            b"{",
            b"[]",
            br#"{"version":-1}"#,
            br#"{"size":3}"#,
            b"\xff",
        ] {
            assert!(parse_hint(bad).is_err(), "{bad:?}");
        }
    }
}
