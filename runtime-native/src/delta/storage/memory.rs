//! A table kept in memory, for tests.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use super::{check_path, join, not_found, split, FileMeta, PutOutcome, Storage};
use crate::error::Result;

#[derive(Debug, Clone)]
struct Entry {
    bytes: Vec<u8>,
    modified_ms: i64,
}

/// Files in memory, keyed by path. Modification times are a logical clock unless set.
#[derive(Debug, Default)]
pub struct MemoryStorage {
    files: Mutex<BTreeMap<String, Entry>>,
}

impl MemoryStorage {
    pub fn new() -> MemoryStorage {
        MemoryStorage::default()
    }

    fn files(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Entry>> {
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes (or overwrites) a file; its modification time is one more than the newest file's.
    pub fn put(&self, path: &str, bytes: impl Into<Vec<u8>>) {
        let mut files = self.files();
        let modified_ms = files.values().map(|e| e.modified_ms).max().unwrap_or(0) + 1;
        files.insert(
            path.to_string(),
            Entry {
                bytes: bytes.into(),
                modified_ms,
            },
        );
    }

    /// Sets a file's modification time (milliseconds since the epoch).
    pub fn set_modified(&self, path: &str, modified_ms: i64) {
        if let Some(entry) = self.files().get_mut(path) {
            entry.modified_ms = modified_ms;
        }
    }

    /// Deletes a file (no-op when absent).
    pub fn delete(&self, path: &str) {
        self.files().remove(path);
    }
}

impl Storage for MemoryStorage {
    fn list_from(&self, dir: &str, start: &str) -> Result<Vec<FileMeta>> {
        check_path(dir)?;
        let dir = dir.trim_end_matches('/');
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            join(dir, "")
        };
        let from = format!("{prefix}{start}");
        Ok(self
            .files()
            .range(from..)
            .take_while(|(path, _)| path.starts_with(&prefix))
            .filter(|(path, _)| !path[prefix.len()..].contains('/'))
            .map(|(path, entry)| FileMeta {
                name: split(path).1.to_string(),
                size: entry.bytes.len() as u64,
                modified_ms: entry.modified_ms,
            })
            .collect())
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        check_path(path)?;
        self.files()
            .get(path)
            .map(|entry| entry.bytes.clone())
            .ok_or_else(|| not_found(path))
    }

    fn put_if_absent(&self, path: &str, bytes: &[u8]) -> Result<PutOutcome> {
        check_path(path)?;
        let mut files = self.files();
        if files.contains_key(path) {
            return Ok(PutOutcome::AlreadyExists);
        }
        let modified_ms = files.values().map(|e| e.modified_ms).max().unwrap_or(0) + 1;
        files.insert(
            path.to_string(),
            Entry {
                bytes: bytes.to_vec(),
                modified_ms,
            },
        );
        Ok(PutOutcome::Created)
    }

    fn local_path(&self, _path: &str) -> Option<PathBuf> {
        None
    }

    fn describe(&self) -> String {
        "memory://".to_string()
    }
}
