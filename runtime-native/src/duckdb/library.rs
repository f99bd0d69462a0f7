//! Loading `libduckdb` from a path chosen by the TypeScript facade.
//!
//! Each distinct library file is loaded once and stays loaded for the life of the process (the
//! [`Api`] table is leaked), so database handles can hold a `&'static Api`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use libloading::os::unix::Library;

use super::ffi::{borrowed_c_string, Api};
use crate::error::{ErrorCode, NativeError, Result};

static LOADED: Mutex<Vec<(PathBuf, &'static Api)>> = Mutex::new(Vec::new());

/// Loads (or returns the already loaded) DuckDB C API from `path`.
pub fn load(path: &str) -> Result<&'static Api> {
    if path.is_empty() {
        return Err(NativeError::invalid_argument("libduckdb path is empty"));
    }
    let failed =
        |message: String| NativeError::new(ErrorCode::DuckdbLoadFailed, message).with("path", path);
    // An explicit existence check gives a clearer message than dlopen, and keeps dlopen from
    // searching LD_LIBRARY_PATH for a bare file name.
    let canonical = std::fs::canonicalize(Path::new(path))
        .map_err(|e| failed(format!("cannot load libduckdb from {path}: {e}")))?;

    let mut loaded = LOADED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, api)) = loaded.iter().find(|(p, _)| *p == canonical) {
        return Ok(api);
    }
    // SAFETY: loading a shared library runs its initialisers; libduckdb's are benign.
    let library = unsafe { Library::new(&canonical) }
        .map_err(|e| failed(format!("cannot load libduckdb from {path}: {e}")))?;
    let api: &'static Api = Box::leak(Box::new(
        Api::from_library(library).map_err(|e| e.with("path", path))?,
    ));
    loaded.push((canonical, api));
    Ok(api)
}

/// DuckDB's version string, e.g. `v1.4.1`.
pub fn library_version(api: &Api) -> String {
    // SAFETY: duckdb_library_version returns a static NUL-terminated string.
    unsafe { borrowed_c_string((api.duckdb_library_version)()) }.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_a_load_error_with_the_path() {
        let err = load("/nonexistent/libduckdb.so")
            .err()
            .map(|e| (e.code, e.detail("path").map(str::to_string)));
        assert_eq!(
            err,
            Some((
                ErrorCode::DuckdbLoadFailed,
                Some("/nonexistent/libduckdb.so".to_string())
            ))
        );
    }

    #[test]
    fn a_file_that_is_not_a_library_is_a_load_error() {
        let err = load(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
            .err()
            .map(|e| e.code);
        assert_eq!(err, Some(ErrorCode::DuckdbLoadFailed));
    }

    #[test]
    fn an_empty_path_is_an_invalid_argument() {
        assert_eq!(
            load("").err().map(|e| e.code),
            Some(ErrorCode::InvalidArgument)
        );
    }
}
