//! A table in a local directory.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::UNIX_EPOCH;

use super::{check_path, not_found, split, FileMeta, PutOutcome, Storage};
use crate::error::{ErrorCode, NativeError, Result};

/// The files under one local directory (the table root).
#[derive(Debug, Clone)]
pub struct LocalStorage {
    root: PathBuf,
}

fn io_error(what: &str, path: &Path, error: &std::io::Error) -> NativeError {
    NativeError::new(
        ErrorCode::StorageIo,
        format!("cannot {what} {}: {error}", path.display()),
    )
    .with("path", path.display().to_string())
}

fn modified_ms(metadata: &fs::Metadata) -> i64 {
    metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl LocalStorage {
    /// A storage rooted at `root` (which need not exist yet).
    pub fn new(root: impl Into<PathBuf>) -> LocalStorage {
        LocalStorage { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn resolve(&self, path: &str) -> Result<PathBuf> {
        check_path(path)?;
        Ok(if path.is_empty() {
            self.root.clone()
        } else {
            self.root.join(path)
        })
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Storage for LocalStorage {
    fn list_from(&self, dir: &str, start: &str) -> Result<Vec<FileMeta>> {
        let full = self.resolve(dir)?;
        let entries = match fs::read_dir(&full) {
            Ok(entries) => entries,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error("list", &full, &e)),
        };
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error("list", &full, &e))?;
            // Names that are not UTF-8 cannot be Delta log files; skip them.
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.as_str() < start {
                continue;
            }
            // fs::metadata follows symlinks; a dangling link or a race with a delete is skipped.
            let Ok(metadata) = fs::metadata(entry.path()) else {
                continue;
            };
            if !metadata.is_file() {
                continue;
            }
            files.push(FileMeta {
                size: metadata.len(),
                modified_ms: modified_ms(&metadata),
                name,
            });
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(files)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        let full = self.resolve(path)?;
        fs::read(&full).map_err(|e| match e.kind() {
            ErrorKind::NotFound => not_found(path),
            _ => io_error("read", &full, &e),
        })
    }

    fn put_if_absent(&self, path: &str, bytes: &[u8]) -> Result<PutOutcome> {
        let target = self.resolve(path)?;
        let (_, name) = split(path);
        let parent = target.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| io_error("create directory", &parent, &e))?;
        // Write the whole content to a private temporary file, then hard-link it into place:
        // link(2) fails if the target exists, so the content appears atomically or not at all.
        let temp = parent.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let outcome = (|| {
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)
                .map_err(|e| io_error("create", &temp, &e))?;
            file.write_all(bytes)
                .and_then(|()| file.sync_all())
                .map_err(|e| io_error("write", &temp, &e))?;
            match fs::hard_link(&temp, &target) {
                Ok(()) => Ok(PutOutcome::Created),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(PutOutcome::AlreadyExists),
                Err(e) => Err(io_error("create", &target, &e)),
            }
        })();
        let _ = fs::remove_file(&temp);
        outcome
    }

    fn local_path(&self, path: &str) -> Option<PathBuf> {
        self.resolve(path).ok()
    }

    fn describe(&self) -> String {
        self.root.display().to_string()
    }
}
