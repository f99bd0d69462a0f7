//! A transaction: the actions of one commit, its `commitInfo`, and the optimistic commit loop.
//!
//! [`Transaction::commit`] writes version `readVersion + 1` with put-if-absent. When another
//! writer won that version, the winning commits are read and checked with the protocol's
//! conflict rules ([`super::conflict`]); a non-conflicting transaction is renumbered and retried,
//! up to `max_retries` times, then `DELTA_COMMIT_RETRIES_EXHAUSTED`. A transaction pinned to its
//! read version ([`OnLostRace::Fail`]) never rebases: losing the race is `DELTA_VERSION_MOVED`.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::super::actions::{DomainMetadata, Metadata, Protocol, Txn};
use super::super::log_files::commit_path;
use super::super::log_segment::list_log;
use super::super::storage::Storage;
use super::super::timestamps::read_commit;
use super::committer::{try_commit, CommitAttempt};
use super::conflict::check_winning_commit;
use super::ids::{now_ms, uuid_v4};
use crate::error::{ErrorCode, NativeError, Result};

/// `engineInfo` of every cpgc commit.
pub fn engine_info() -> String {
    format!("cpgc/{}", env!("CARGO_PKG_VERSION"))
}

/// Default bound on commit attempts after the first.
pub const DEFAULT_MAX_RETRIES: u32 = 100;

/// How the transaction read the table (decides which concurrent changes conflict).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadScope {
    /// Wrote without reading data (append): concurrent appends never conflict.
    Blind,
    /// Read the table's data (overwrite, replace where): concurrent data changes conflict.
    Data,
}

/// What a lost commit race does to the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnLostRace {
    /// Check the winners with the conflict rules; renumber and retry when none conflicts.
    Rebase,
    /// Fail with `DELTA_VERSION_MOVED`: the caller's decision was made for the read version only
    /// (a plan's pin), so no later version may be committed over.
    Fail,
}

/// `DELTA_VERSION_MOVED`: `table` is at `actual`, not at `expected`.
pub fn version_moved(table: &str, expected: u64, actual: u64) -> NativeError {
    NativeError::new(
        ErrorCode::DeltaVersionMoved,
        format!("{table} moved from version {expected} to {actual}; nothing was committed"),
    )
    .with("expected", expected.to_string())
    .with("actual", actual.to_string())
}

/// The pending actions of one commit.
#[derive(Debug, Clone)]
pub struct Transaction {
    /// The version the transaction read; `None` creates the table (version 0).
    pub read_version: Option<u64>,
    pub protocol: Option<Protocol>,
    pub metadata: Option<Metadata>,
    /// `add` action bodies (the object inside `{"add": ...}`).
    pub adds: Vec<Value>,
    /// `remove` action bodies; each has a `path`.
    pub removes: Vec<Value>,
    /// `cdc` action bodies.
    pub cdc: Vec<Value>,
    pub txns: Vec<Txn>,
    pub domains: Vec<DomainMetadata>,
    pub operation: String,
    pub operation_parameters: Map<String, Value>,
    /// Caller provenance (run id, plan id, ...), under `commitInfo.cpgc`.
    pub cpgc_metadata: Map<String, Value>,
    pub operation_metrics: Map<String, Value>,
    pub read_scope: ReadScope,
    pub on_lost_race: OnLostRace,
    pub txn_id: String,
}

/// A committed transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Committed {
    pub version: u64,
    /// Attempts it took (1 = no lost race).
    pub attempts: u32,
    /// Versions other writers committed first (retried over).
    pub rebased_over: Vec<u64>,
    pub commit_info: Value,
}

fn line(key: &str, body: Value) -> Result<String> {
    serde_json::to_string(&json!({ key: body }))
        .map_err(|e| NativeError::internal(format!("cannot serialize a {key} action: {e}")))
}

fn to_value<T: serde::Serialize>(value: &T, what: &str) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| NativeError::internal(format!("cannot serialize a {what} action: {e}")))
}

impl Transaction {
    pub fn new(read_version: Option<u64>, operation: &str) -> Transaction {
        Transaction {
            read_version,
            protocol: None,
            metadata: None,
            adds: Vec::new(),
            removes: Vec::new(),
            cdc: Vec::new(),
            txns: Vec::new(),
            domains: Vec::new(),
            operation: operation.to_string(),
            operation_parameters: Map::new(),
            cpgc_metadata: Map::new(),
            operation_metrics: Map::new(),
            read_scope: ReadScope::Blind,
            on_lost_race: OnLostRace::Rebase,
            txn_id: uuid_v4(),
        }
    }

    /// Only adds files (no removes, no metadata/protocol change, blind read).
    pub fn is_blind_append(&self) -> bool {
        self.removes.is_empty()
            && self.metadata.is_none()
            && self.protocol.is_none()
            && self.read_scope == ReadScope::Blind
    }

    /// The `commitInfo` body for an attempt at `version`.
    pub fn commit_info(&self, timestamp: i64) -> Value {
        let mut info = Map::new();
        info.insert("timestamp".into(), json!(timestamp));
        info.insert("operation".into(), json!(self.operation));
        info.insert(
            "operationParameters".into(),
            Value::Object(self.operation_parameters.clone()),
        );
        if let Some(read) = self.read_version {
            info.insert("readVersion".into(), json!(read));
        }
        info.insert("isolationLevel".into(), json!("Serializable"));
        info.insert("isBlindAppend".into(), json!(self.is_blind_append()));
        if !self.operation_metrics.is_empty() {
            info.insert(
                "operationMetrics".into(),
                Value::Object(self.operation_metrics.clone()),
            );
        }
        info.insert("engineInfo".into(), json!(engine_info()));
        info.insert("txnId".into(), json!(self.txn_id));
        if !self.cpgc_metadata.is_empty() {
            info.insert("cpgc".into(), Value::Object(self.cpgc_metadata.clone()));
        }
        Value::Object(info)
    }

    /// The commit file's content: commitInfo first, then protocol, metaData, txn,
    /// domainMetadata, remove, add, cdc — one action per line.
    pub fn body(&self, commit_info: &Value) -> Result<Vec<u8>> {
        let mut lines = vec![line("commitInfo", commit_info.clone())?];
        if let Some(p) = &self.protocol {
            lines.push(line("protocol", to_value(p, "protocol")?)?);
        }
        if let Some(m) = &self.metadata {
            lines.push(line("metaData", to_value(m, "metaData")?)?);
        }
        for t in &self.txns {
            lines.push(line("txn", to_value(t, "txn")?)?);
        }
        for d in &self.domains {
            lines.push(line("domainMetadata", to_value(d, "domainMetadata")?)?);
        }
        for r in &self.removes {
            lines.push(line("remove", r.clone())?);
        }
        for a in &self.adds {
            lines.push(line("add", a.clone())?);
        }
        for c in &self.cdc {
            lines.push(line("cdc", c.clone())?);
        }
        let mut text = lines.join("\n");
        text.push('\n');
        Ok(text.into_bytes())
    }

    /// Commits with optimistic concurrency (see the module docs).
    pub fn commit(&self, storage: &dyn Storage, max_retries: u32) -> Result<Committed> {
        let mut version = self.read_version.map_or(0, |v| v + 1);
        let mut rebased_over = Vec::new();
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            let info = self.commit_info(now_ms());
            match try_commit(storage, version, &self.body(&info)?)? {
                CommitAttempt::Committed { version } => {
                    return Ok(Committed {
                        version,
                        attempts,
                        rebased_over,
                        commit_info: info,
                    })
                }
                CommitAttempt::LostRace { version: lost } => {
                    if self.read_version.is_none() {
                        return Err(NativeError::new(
                            ErrorCode::DeltaTableExists,
                            format!(
                                "{} already has a version 0: another writer created the table",
                                storage.describe()
                            ),
                        )
                        .with("version", "0"));
                    }
                    if let (OnLostRace::Fail, Some(read)) = (self.on_lost_race, self.read_version) {
                        let actual = list_log(storage, Some(lost))?
                            .latest_version()
                            .unwrap_or(lost)
                            .max(lost);
                        return Err(version_moved(&storage.describe(), read, actual));
                    }
                    if attempts > max_retries {
                        return Err(NativeError::new(
                            ErrorCode::DeltaCommitRetriesExhausted,
                            format!(
                                "gave up after {attempts} attempts: other writers kept committing version {lost} first"
                            ),
                        )
                        .with("attempts", attempts.to_string())
                        .with("lastVersion", lost.to_string()));
                    }
                    let winners = self.check_winners(storage, lost)?;
                    rebased_over.extend(winners.iter().copied());
                    version = winners.last().map_or(lost, |v| v + 1);
                }
            }
        }
    }

    /// Reads every commit from `from` on and checks it against this transaction; returns the
    /// versions checked.
    fn check_winners(&self, storage: &dyn Storage, from: u64) -> Result<Vec<u64>> {
        let listing = list_log(storage, Some(from))?;
        let commits: BTreeMap<&u64, _> = listing.commits.range(from..).collect();
        let mut checked = Vec::new();
        let mut expected = from;
        for (version, file) in commits {
            if *version != expected {
                break;
            }
            let actions = read_commit(storage, file)?;
            check_winning_commit(self, *version, &actions)?;
            checked.push(*version);
            expected += 1;
        }
        if checked.is_empty() {
            return Err(NativeError::new(
                ErrorCode::DeltaLogIncomplete,
                format!("{} exists but cannot be listed", commit_path(from)),
            )
            .with("missingVersion", from.to_string()));
        }
        Ok(checked)
    }
}
