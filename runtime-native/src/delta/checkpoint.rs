//! Reading a checkpoint into actions: classic and multi-part Parquet (V1 spec), and V2 spec
//! checkpoints (classic or UUID-named, Parquet or JSON) whose file actions may live in sidecar
//! files under `_delta_log/_sidecars`.

use super::actions::{
    parse_action_lines, parse_action_rows, parse_action_value, Action, ActionSource,
};
use super::log_files::{CheckpointFormat, CheckpointName, LogFileKind, SIDECAR_DIR};
use super::log_segment::CheckpointFiles;
use super::parquet::{ParquetReader, ParquetRow, ParquetRows, Projection};
use super::storage::{join, Storage};
use super::uri::{decode_file_path, FileLocation};
use crate::error::{ErrorCode, NativeError, Result};

fn missing(version: u64, what: &str, error: &NativeError) -> NativeError {
    let path = error.detail("path").unwrap_or_default().to_string();
    NativeError::new(
        ErrorCode::DeltaLogIncomplete,
        format!("the checkpoint at version {version} is unusable: {what} {path} is missing"),
    )
    .with("version", version.to_string())
    .with("path", path)
}

fn corrupt(version: u64, why: String) -> NativeError {
    NativeError::new(
        ErrorCode::DeltaLogCorrupt,
        format!("the checkpoint at version {version} is invalid: {why}"),
    )
    .with("version", version.to_string())
}

fn read_file(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    path: &str,
    json: bool,
    version: u64,
    what: &str,
    projection: Projection,
) -> Result<Vec<Action>> {
    let source = ActionSource {
        file: path,
        version: Some(version),
    };
    let result = if json {
        storage
            .read(path)
            .and_then(|bytes| parse_action_lines(&bytes, &source))
    } else {
        parquet
            .read_rows(storage, path, projection)
            .and_then(|rows| match rows {
                ParquetRows::Text(rows) => parse_action_rows(&rows, &source),
                ParquetRows::Values(rows) => {
                    let mut actions = Vec::with_capacity(rows.len());
                    for (index, row) in rows.into_iter().enumerate() {
                        match row {
                            ParquetRow::Add(add) => actions.push(Action::Add(add)),
                            ParquetRow::Object(row) => {
                                parse_action_value(row, &source, index + 1, &mut actions)?
                            }
                        }
                    }
                    Ok(actions)
                }
            })
    };
    result.map_err(|e| match e.code {
        ErrorCode::StorageNotFound => missing(version, what, &e),
        _ => e,
    })
}

fn sidecar_path(raw: &str, version: u64) -> Result<String> {
    match decode_file_path(raw)? {
        FileLocation::Relative(relative) => Ok(join(SIDECAR_DIR, &relative)),
        other => Err(corrupt(
            version,
            format!(
                "sidecar path {:?} is not relative to {SIDECAR_DIR}",
                other.as_str()
            ),
        )),
    }
}

/// Every action of the checkpoint (sidecars resolved; commitInfo, cdc, checkpointMetadata and
/// sidecar actions dropped). Fails unless it holds exactly the state of its version.
pub fn read_checkpoint(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    checkpoint: &CheckpointFiles,
) -> Result<Vec<Action>> {
    read_checkpoint_projected(storage, parquet, checkpoint, Projection::All)
}

/// [`read_checkpoint`] reduced to `projection` (Parquet files only: JSON checkpoints are read
/// whole). With [`Projection::NonFile`] sidecars (file actions only) are not read; with
/// [`Projection::FileSummary`] the file actions carry only the fields it keeps.
pub fn read_checkpoint_projected(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    checkpoint: &CheckpointFiles,
    projection: Projection,
) -> Result<Vec<Action>> {
    let version = checkpoint.version;
    let mut actions = Vec::new();
    for file in &checkpoint.files {
        let json = matches!(
            file.kind,
            LogFileKind::Checkpoint(CheckpointName::Uuid {
                format: CheckpointFormat::Json
            })
        );
        actions.extend(read_file(
            storage,
            parquet,
            &file.path(),
            json,
            version,
            "checkpoint file",
            projection,
        )?);
    }
    let mut out = Vec::with_capacity(actions.len());
    let (mut protocol, mut metadata) = (false, false);
    let mut sidecars = Vec::new();
    for action in actions {
        match action {
            Action::CheckpointMetadata(meta) => {
                if i64::try_from(version).ok() != Some(meta.version) {
                    return Err(corrupt(
                        version,
                        format!("its checkpointMetadata says version {}", meta.version),
                    ));
                }
            }
            Action::Sidecar(sidecar) => sidecars.push(sidecar_path(&sidecar.path, version)?),
            Action::CommitInfo(_) | Action::Cdc(_) => {}
            Action::Add(_) | Action::Remove(_) if projection == Projection::NonFile => {}
            other => {
                protocol |= matches!(other, Action::Protocol(_));
                metadata |= matches!(other, Action::Metadata(_));
                out.push(other);
            }
        }
    }
    if !protocol || !metadata {
        return Err(corrupt(
            version,
            "it lacks the protocol or the metaData action".to_string(),
        ));
    }
    if projection == Projection::NonFile {
        return Ok(out);
    }
    for path in sidecars {
        for action in read_file(
            storage, parquet, &path, false, version, "sidecar", projection,
        )? {
            // Sidecars hold file actions only.
            if matches!(action, Action::Add(_) | Action::Remove(_)) {
                out.push(action);
            }
        }
    }
    Ok(out)
}
