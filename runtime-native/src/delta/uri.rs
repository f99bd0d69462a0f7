//! Paths in the log are URIs (RFC 2396): decode them exactly once.
//!
//! `add.path` of a file in directory `x=A%2FA` (a Hive-escaped `/`) is written as `x=A%252FA`;
//! decoding once yields the on-disk name `x=A%2FA/...`. Decoding twice would be wrong.

use crate::error::{ErrorCode, NativeError, Result};

/// A decoded file path from the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileLocation {
    /// Relative to the table root (the usual case), `/`-separated.
    Relative(String),
    /// An absolute local path (from a `file:` URI or an absolute path).
    Local(String),
    /// An absolute URI of another scheme (`s3://...`), decoded.
    Remote(String),
}

impl FileLocation {
    /// The decoded path as written in the log (relative, absolute local, or URI).
    pub fn as_str(&self) -> &str {
        match self {
            FileLocation::Relative(p) | FileLocation::Local(p) | FileLocation::Remote(p) => p,
        }
    }
}

fn corrupt(path: &str, why: &str) -> NativeError {
    NativeError::new(
        ErrorCode::DeltaLogCorrupt,
        format!("file path {path:?} in the log is not a valid URI: {why}"),
    )
    .with("path", path)
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes once (`+` stays `+`); the result must be UTF-8.
pub fn percent_decode(text: &str) -> Result<String> {
    if !text.contains('%') {
        return Ok(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = bytes.get(i + 1).copied().and_then(hex);
            let low = bytes.get(i + 2).copied().and_then(hex);
            match (high, low) {
                (Some(h), Some(l)) => out.push(h * 16 + l),
                _ => return Err(corrupt(text, "a '%' is not followed by two hex digits")),
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| corrupt(text, "the decoded bytes are not UTF-8"))
}

/// Whether `text` starts with a URI scheme (`scheme:`), RFC 3986 style.
fn scheme(text: &str) -> Option<&str> {
    let colon = text.find(':')?;
    let candidate = &text[..colon];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    // A one-letter "scheme" is a Windows drive letter, not a URI.
    (first.is_ascii_alphabetic()
        && candidate.len() > 1
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(candidate)
}

/// Decodes a path of an `add`/`remove`/`cdc`/`sidecar` action.
pub fn decode_file_path(raw: &str) -> Result<FileLocation> {
    if raw.is_empty() {
        return Err(corrupt(raw, "the path is empty"));
    }
    match scheme(raw) {
        Some(s) if s.eq_ignore_ascii_case("file") => {
            let rest = &raw[s.len() + 1..];
            // file:///abs, file://localhost/abs and file:/abs are the same local path.
            let rest = rest
                .strip_prefix("//localhost")
                .or_else(|| rest.strip_prefix("//"))
                .unwrap_or(rest);
            if !rest.starts_with('/') {
                return Err(corrupt(raw, "a file: URI must hold an absolute path"));
            }
            Ok(FileLocation::Local(percent_decode(rest)?))
        }
        Some(_) => Ok(FileLocation::Remote(percent_decode(raw)?)),
        None if raw.starts_with('/') => Ok(FileLocation::Local(percent_decode(raw)?)),
        None => {
            let decoded = percent_decode(raw)?;
            if decoded.split('/').any(|segment| segment == "..") {
                return Err(corrupt(raw, "a relative path may not contain '..'"));
            }
            Ok(FileLocation::Relative(decoded))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_exactly_once() {
        assert_eq!(
            decode_file_path("x=A%252FA/part-0.parquet").unwrap(),
            FileLocation::Relative("x=A%2FA/part-0.parquet".into())
        );
        assert_eq!(
            decode_file_path("x=B%2520B/p.parquet").unwrap().as_str(),
            "x=B%20B/p.parquet"
        );
        assert_eq!(
            decode_file_path("test%25file%25prefix-part.parquet")
                .unwrap()
                .as_str(),
            "test%file%prefix-part.parquet"
        );
        assert_eq!(
            decode_file_path("a+b.parquet").unwrap().as_str(),
            "a+b.parquet"
        );
        assert_eq!(
            decode_file_path("caf%C3%A9.parquet").unwrap().as_str(),
            "café.parquet"
        );
    }

    #[test]
    fn absolute_paths_and_uris() {
        assert_eq!(
            decode_file_path("file:///data/t/a%20b.parquet").unwrap(),
            FileLocation::Local("/data/t/a b.parquet".into())
        );
        assert_eq!(
            decode_file_path("file:/data/t/x.parquet").unwrap(),
            FileLocation::Local("/data/t/x.parquet".into())
        );
        assert_eq!(
            decode_file_path("/data/t/x.parquet").unwrap(),
            FileLocation::Local("/data/t/x.parquet".into())
        );
        assert_eq!(
            decode_file_path("s3://bucket/t/x%3Dy.parquet").unwrap(),
            FileLocation::Remote("s3://bucket/t/x=y.parquet".into())
        );
        // A colon later in a relative path is not a scheme.
        assert_eq!(
            decode_file_path("ts=2021-01-01%2010%253A00/p.parquet")
                .unwrap()
                .as_str(),
            "ts=2021-01-01 10%3A00/p.parquet"
        );
    }

    #[test]
    fn invalid_encodings_are_corrupt_log_errors() {
        for bad in [
            "a%zz.parquet",
            "a%2",
            "%FF.parquet",
            "",
            "../escape.parquet",
            "file:relative",
        ] {
            let err = decode_file_path(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::DeltaLogCorrupt, "{bad}");
        }
    }
}
