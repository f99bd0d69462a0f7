//! A snapshot: the state of a table at one version, rebuilt from the log and checked by the
//! feature gate.

use std::collections::BTreeMap;

use super::actions::{Action, ActionSource, DomainMetadata, Metadata, Protocol, Txn};
use super::checkpoint::read_checkpoint_projected;
use super::features::{check_read_protocol, check_read_schema, reader_feature_enabled};
use super::last_checkpoint::read_hint;
use super::log_files::LAST_CHECKPOINT;
use super::log_segment::{list_log, LogListing, LogSegment, ReplayPlan};
use super::parquet::{ParquetReader, Projection};
use super::replay::{ActiveFile, TableState};
use super::schema::{parse_schema, ColumnMappingMode, StructType};
use super::storage::Storage;
use super::timestamps::{
    self, commit_timestamps, in_commit_timestamp_of, read_commit, version_at, IctConfig,
};
use crate::error::{ErrorCode, NativeError, Result};

/// Which version to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionSpec {
    Latest,
    Version(u64),
    /// Milliseconds since the epoch: the newest version committed at or before it.
    Timestamp(i64),
}

/// The reconciled, ungated state of one version and how it was rebuilt.
pub struct Replayed {
    pub version: u64,
    /// How much of the checkpoint's file actions was read.
    pub projection: Projection,
    pub state: TableState,
    pub plan: ReplayPlan,
    pub listing: LogListing,
    pub warnings: Vec<String>,
}

/// A readable snapshot of a table.
#[derive(Debug)]
pub struct Snapshot {
    pub table: String,
    pub version: u64,
    /// Commit timestamp (in-commit timestamp, or the commit file's modification time).
    pub timestamp: Option<i64>,
    pub protocol: Protocol,
    pub metadata: Metadata,
    pub schema: StructType,
    pub column_mapping: ColumnMappingMode,
    /// Active logical files, sorted by path. Under [`Projection::FileSummary`] those that come
    /// from the checkpoint carry only path, size, statistics and deletion vector.
    pub files: Vec<ActiveFile>,
    /// What was read of the checkpoint: `All`; `FileSummary` (its files partial, its tombstones
    /// absent); `Totals` (also `txns` only from the commits after it). Only `All` serves
    /// writing, vacuum and checkpoints.
    pub projection: Projection,
    /// Remove tombstones (newest remove per logical file not added back), sorted by path.
    pub tombstones: Vec<super::actions::Remove>,
    pub txns: BTreeMap<String, Txn>,
    pub domains: BTreeMap<String, DomainMetadata>,
    /// `commitInfo` of the commit at this version, when its JSON commit exists.
    pub commit_info: Option<serde_json::Value>,
    /// The `txn` actions of the commit at this version, when its JSON commit exists (what the
    /// latest writer recorded; complete even under [`Projection::Totals`]).
    pub commit_txns: Option<Vec<Txn>>,
    /// How the version was rebuilt.
    pub plan: ReplayPlan,
    pub warnings: Vec<String>,
}

fn run_plans(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    segment: &LogSegment,
    projection: Projection,
    warnings: &mut Vec<String>,
) -> Result<(TableState, ReplayPlan)> {
    let mut first_error: Option<NativeError> = None;
    for plan in &segment.plans {
        let mut state = TableState::default();
        if let Some(checkpoint) = &plan.checkpoint {
            let path = checkpoint
                .files
                .first()
                .map(|f| f.path())
                .unwrap_or_default();
            let source = ActionSource {
                file: &path,
                version: Some(checkpoint.version),
            };
            let loaded = read_checkpoint_projected(storage, parquet, checkpoint, projection)
                .and_then(|actions| state.apply(actions, &source, false));
            if let Err(error) = loaded {
                warnings.push(format!(
                    "could not use the {} checkpoint at version {} ({}); rebuilt the table from an older state instead",
                    checkpoint.kind(),
                    checkpoint.version,
                    error.message
                ));
                first_error.get_or_insert(error);
                continue;
            }
        }
        for commit in &plan.commits {
            let actions = read_commit(storage, commit)?;
            let path = commit.path();
            state.apply(
                actions,
                &ActionSource {
                    file: &path,
                    version: Some(commit.version),
                },
                true,
            )?;
        }
        return Ok((state, plan.clone()));
    }
    if let Some(error) = first_error {
        return Err(error);
    }
    Err(NativeError::internal("a log segment without replay plans"))
}

/// Rebuilds the state of `target` (latest when `None`) without the feature gate.
pub fn replay(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    target: Option<u64>,
) -> Result<Replayed> {
    replay_projected(storage, parquet, target, Projection::All)
}

/// [`replay`] reading the checkpoint reduced to `projection` (`All`, `FileSummary`, `Totals`).
pub fn replay_projected(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    target: Option<u64>,
    projection: Projection,
) -> Result<Replayed> {
    let table = storage.describe();
    let (hint, hint_warning) = read_hint(storage)?;
    let mut warnings: Vec<String> = hint_warning.into_iter().collect();
    if let Some(hint) = hint.filter(|h| target.is_none_or(|t| h.version <= t)) {
        // List from the hinted checkpoint on; a stale hint still finds newer checkpoints.
        let listing = list_log(storage, Some(hint.version))?;
        if !listing.checkpoints.contains_key(&hint.version) {
            warnings.push(format!(
                "{LAST_CHECKPOINT} points to version {}, which has no complete checkpoint",
                hint.version
            ));
        }
        if let Ok(segment) = listing.segment(target, &table) {
            if segment
                .plans
                .first()
                .is_some_and(|p| p.checkpoint.is_some())
            {
                let mut attempt = warnings.clone();
                attempt.extend(listing.warnings.iter().cloned());
                if let Ok((state, plan)) =
                    run_plans(storage, parquet, &segment, projection, &mut attempt)
                {
                    return Ok(Replayed {
                        version: segment.version,
                        projection,
                        state,
                        plan,
                        listing,
                        warnings: attempt,
                    });
                }
            }
        }
    }
    let listing = list_log(storage, None)?;
    warnings.extend(listing.warnings.iter().cloned());
    let segment = listing.segment(target, &table)?;
    let (state, plan) = run_plans(storage, parquet, &segment, projection, &mut warnings)?;
    Ok(Replayed {
        version: segment.version,
        projection,
        state,
        plan,
        listing,
        warnings,
    })
}

fn missing_action(version: u64, what: &str) -> NativeError {
    NativeError::new(
        ErrorCode::DeltaLogCorrupt,
        format!("the log has no {what} action at or before version {version}"),
    )
    .with("version", version.to_string())
}

impl Snapshot {
    /// Gates and completes a replayed state.
    pub fn from_replayed(storage: &dyn Storage, replayed: Replayed) -> Result<Snapshot> {
        let Replayed {
            version,
            projection,
            state,
            plan,
            listing,
            warnings,
        } = replayed;
        let protocol = state
            .protocol
            .ok_or_else(|| missing_action(version, "protocol"))?;
        let metadata = state
            .metadata
            .ok_or_else(|| missing_action(version, "metaData"))?;
        check_read_protocol(&protocol)?;
        let schema = parse_schema(&metadata.schema_string)?;
        check_read_schema(&schema)?;
        let column_mapping = if reader_feature_enabled(&protocol, "columnMapping") {
            match metadata
                .configuration
                .get("delta.columnMapping.mode")
                .map(String::as_str)
            {
                None | Some("none") => ColumnMappingMode::None,
                Some("name") => ColumnMappingMode::Name,
                Some("id") => ColumnMappingMode::Id,
                Some(other) => {
                    return Err(NativeError::new(
                        ErrorCode::DeltaUnsupportedFeature,
                        format!(
                        "column mapping mode {other:?} is not supported (feature columnMapping)"
                    ),
                    )
                    .with("features", "columnMapping")
                    .with("kind", "reader"))
                }
            }
        } else {
            ColumnMappingMode::None
        };
        schema.validate_column_mapping(column_mapping)?;
        for column in &metadata.partition_columns {
            if schema.field(column).is_none() {
                return Err(NativeError::new(
                    ErrorCode::DeltaSchemaInvalid,
                    format!("partition column {column:?} is not a column of the schema"),
                )
                .with("column", column.clone()));
            }
        }

        // commitInfo and timestamp come from the JSON commit at this version (a snapshot rebuilt
        // from a checkpoint alone reads it separately; it may have been cleaned up).
        let ict = IctConfig::from_metadata(&metadata);
        let commit = listing.commits.get(&version);
        let (commit_info, commit_txns) =
            if plan.commits.last().is_some_and(|c| c.version == version) {
                (state.commit_info, Some(state.commit_txns))
            } else {
                match commit {
                    Some(file) => {
                        let actions = read_commit(storage, file)?;
                        let txns = actions
                            .iter()
                            .filter_map(|a| match a {
                                Action::Txn(t) => Some(t.clone()),
                                _ => None,
                            })
                            .collect();
                        (timestamps::commit_info(&actions).cloned(), Some(txns))
                    }
                    None => (None, None),
                }
            };
        let timestamp = match commit {
            Some(_) if ict.applies_to(version) => {
                Some(in_commit_timestamp_of(commit_info.as_ref(), version)?)
            }
            Some(file) => Some(file.meta.modified_ms),
            None => None,
        };
        let files: Vec<ActiveFile> = state.files.into_values().collect();
        Ok(Snapshot {
            table: storage.describe(),
            version,
            timestamp,
            protocol,
            metadata,
            schema,
            column_mapping,
            files,
            tombstones: state.tombstones.into_values().collect(),
            txns: state.txns,
            domains: state.domains,
            commit_info,
            commit_txns,
            projection,
            plan,
            warnings,
        })
    }
}

/// Loads a gated snapshot at `spec`.
pub fn load_snapshot(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    spec: VersionSpec,
) -> Result<Snapshot> {
    load_snapshot_projected(storage, parquet, spec, Projection::All)
}

/// [`load_snapshot`] reading the checkpoint reduced to `projection`: `FileSummary` or `Totals`
/// when only the table's metadata and file totals are needed (see [`Snapshot::projection`]).
pub fn load_snapshot_projected(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    spec: VersionSpec,
    projection: Projection,
) -> Result<Snapshot> {
    let replay = |target| replay_projected(storage, parquet, target, projection);
    let replayed = match spec {
        VersionSpec::Latest => replay(None)?,
        VersionSpec::Version(version) => replay(Some(version))?,
        VersionSpec::Timestamp(timestamp_ms) => {
            let latest = replay(None)?;
            let ict = IctConfig::of(latest.state.metadata.as_ref());
            let listing = list_log(storage, None)?;
            let version = version_at(
                &commit_timestamps(storage, &listing.commits, &ict)?,
                &ict,
                timestamp_ms,
            )?;
            if version == latest.version {
                latest
            } else {
                replay(Some(version))?
            }
        }
    };
    Snapshot::from_replayed(storage, replayed)
}
