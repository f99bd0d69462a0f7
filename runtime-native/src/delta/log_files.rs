//! Names of the files in `_delta_log` (PROTOCOL.md "File Types"). Anything else (`.crc` files,
//! hidden Hadoop checksum files, temporary files, `_staged_commits/`, `_sidecars/` listings, ...)
//! is not part of the log and is ignored.

use super::storage::FileMeta;

pub const LOG_DIR: &str = "_delta_log";
pub const SIDECAR_DIR: &str = "_delta_log/_sidecars";
pub const LAST_CHECKPOINT: &str = "_delta_log/_last_checkpoint";

/// Format of a UUID-named (V2) checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckpointFormat {
    Json,
    Parquet,
}

/// The naming scheme of a checkpoint file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointName {
    /// `n.checkpoint.parquet` (V1 or V2 spec).
    Classic,
    /// `n.checkpoint.o.p.parquet`, part `part` of `parts`.
    MultiPart { part: u32, parts: u32 },
    /// `n.checkpoint.<uuid>.json|parquet` (V2 spec).
    Uuid { format: CheckpointFormat },
}

/// What a file in `_delta_log` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogFileKind {
    /// `n.json`.
    Commit,
    /// A checkpoint (one file of it, for multi-part ones).
    Checkpoint(CheckpointName),
    /// `x.y.compacted.json`: actions of versions x..=y (optional; cpgc does not use them).
    Compacted { end: u64 },
    /// `n.crc`: version checksum (optional).
    Checksum,
}

/// A recognised log file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFile {
    pub version: u64,
    pub kind: LogFileKind,
    pub meta: FileMeta,
}

impl LogFile {
    /// Storage path of the file.
    pub fn path(&self) -> String {
        format!("{LOG_DIR}/{}", self.meta.name)
    }
}

/// `n` zero-padded to 20 digits.
pub fn padded(version: u64) -> String {
    format!("{version:020}")
}

/// Storage path of the commit of `version`.
pub fn commit_path(version: u64) -> String {
    format!("{LOG_DIR}/{}.json", padded(version))
}

fn digits(text: &str, width: usize) -> Option<u64> {
    (text.len() == width && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn parse_kind(rest: &str) -> Option<LogFileKind> {
    match rest {
        "json" => return Some(LogFileKind::Commit),
        "crc" => return Some(LogFileKind::Checksum),
        "checkpoint.parquet" => return Some(LogFileKind::Checkpoint(CheckpointName::Classic)),
        _ => {}
    }
    if let Some(end) = rest.strip_suffix(".compacted.json") {
        return digits(end, 20).map(|end| LogFileKind::Compacted { end });
    }
    let checkpoint = rest.strip_prefix("checkpoint.")?;
    let parts: Vec<&str> = checkpoint.split('.').collect();
    match parts.as_slice() {
        [part, parts, "parquet"] => {
            let (part, parts) = (digits(part, 10)?, digits(parts, 10)?);
            let (part, parts) = (u32::try_from(part).ok()?, u32::try_from(parts).ok()?);
            (part >= 1 && part <= parts).then_some(LogFileKind::Checkpoint(
                CheckpointName::MultiPart { part, parts },
            ))
        }
        [uuid, format] if !uuid.is_empty() && digits(uuid, uuid.len()).is_none() => {
            let format = match *format {
                "json" => CheckpointFormat::Json,
                "parquet" => CheckpointFormat::Parquet,
                _ => return None,
            };
            Some(LogFileKind::Checkpoint(CheckpointName::Uuid { format }))
        }
        _ => None,
    }
}

/// Recognises a listed `_delta_log` file, or `None` for files that are not part of the log.
pub fn classify(meta: FileMeta) -> Option<LogFile> {
    let (version, rest) = meta.name.split_once('.')?;
    let version = digits(version, 20)?;
    let kind = parse_kind(rest)?;
    Some(LogFile {
        version,
        kind,
        meta,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> Option<(u64, LogFileKind)> {
        classify(FileMeta {
            name: name.into(),
            size: 0,
            modified_ms: 0,
        })
        .map(|f| (f.version, f.kind))
    }

    #[test]
    fn recognises_every_log_file_name() {
        use CheckpointName::*;
        use LogFileKind::*;
        assert_eq!(kind("00000000000000000007.json"), Some((7, Commit)));
        assert_eq!(kind("00000000000000000007.crc"), Some((7, Checksum)));
        assert_eq!(
            kind("00000000000000000010.checkpoint.parquet"),
            Some((10, Checkpoint(Classic)))
        );
        assert_eq!(
            kind("00000000000000000005.checkpoint.0000000002.0000000003.parquet"),
            Some((5, Checkpoint(MultiPart { part: 2, parts: 3 })))
        );
        assert_eq!(
            kind("00000000000000000006.checkpoint.f15b9025-707a-4c73-aac0-31dfcbd29aa6.parquet"),
            Some((
                6,
                Checkpoint(Uuid {
                    format: CheckpointFormat::Parquet
                })
            ))
        );
        assert_eq!(
            kind("00000000000000000008.checkpoint.e5ac4dc4-be27-4106-8a55-609707487f83.json"),
            Some((
                8,
                Checkpoint(Uuid {
                    format: CheckpointFormat::Json
                })
            ))
        );
        assert_eq!(
            kind("00000000000000000000.00000000000000000005.compacted.json"),
            Some((0, Compacted { end: 5 }))
        );
    }

    #[test]
    fn ignores_everything_else() {
        for name in [
            "_last_checkpoint",
            ".00000000000000000000.json.crc",
            ".s3-optimization-0",
            "00000000000000000000.json.tmp",
            "0000000000000000001.json",
            "00000000000000000001.checkpoint.0000000004.0000000003.parquet",
            "00000000000000000001.checkpoint.0000000001.0000000003.json",
            "00000000000000000001.checkpoint.abc.orc",
            "abc.json",
        ] {
            assert_eq!(kind(name), None, "{name}");
        }
        assert_eq!(commit_path(3), "_delta_log/00000000000000000003.json");
    }
}
