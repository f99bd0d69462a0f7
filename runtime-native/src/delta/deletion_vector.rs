//! Where a deletion vector lives (PROTOCOL.md "Deletion Vectors", derived field `absolutePath`).
//! [`bitmap`] decodes the bitmaps (the scan applies them); the snapshot only locates them.

pub mod bitmap;

use super::actions::DeletionVector;
use super::uri::{decode_file_path, FileLocation};
use crate::error::{ErrorCode, NativeError, Result};

pub(crate) const Z85: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

fn corrupt(dv: &DeletionVector, why: &str) -> NativeError {
    NativeError::new(
        ErrorCode::DeltaLogCorrupt,
        format!("invalid deletion vector {:?}: {why}", dv.unique_id()),
    )
    .with("deletionVector", dv.unique_id())
}

/// Decodes Z85 (ZeroMQ base85); the input length must be a multiple of 5.
pub fn z85_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(5) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 5 * 4);
    for chunk in bytes.chunks(5) {
        let mut value: u64 = 0;
        for &c in chunk {
            let digit = Z85.iter().position(|&z| z == c)? as u64;
            value = value * 85 + digit;
        }
        let value = u32::try_from(value).ok()?;
        out.extend_from_slice(&value.to_be_bytes());
    }
    Some(out)
}

fn uuid_text(bytes: &[u8]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    crate::sql_text::uuid_from_hex(&hex)
}

/// Checks the descriptor's fields.
pub fn validate(dv: &DeletionVector) -> Result<()> {
    if !matches!(dv.storage_type.as_str(), "u" | "i" | "p") {
        return Err(corrupt(
            dv,
            &format!("unknown storageType {:?}", dv.storage_type),
        ));
    }
    if dv.cardinality < 0 || dv.size_in_bytes < 0 {
        return Err(corrupt(dv, "negative cardinality or size"));
    }
    Ok(())
}

/// The DV file: relative to the table root for `u`, absolute for `p`, `None` when inline.
pub fn file_location(dv: &DeletionVector) -> Result<Option<FileLocation>> {
    match dv.storage_type.as_str() {
        "i" => Ok(None),
        "p" => decode_file_path(&dv.path_or_inline_dv).map(Some),
        "u" => {
            let text = &dv.path_or_inline_dv;
            if text.len() < 20 || !text.is_char_boundary(text.len() - 20) {
                return Err(corrupt(
                    dv,
                    "a 'u' path must end with a 20-character encoded UUID",
                ));
            }
            let (prefix, encoded) = text.split_at(text.len() - 20);
            let uuid =
                z85_decode(encoded).ok_or_else(|| corrupt(dv, "the UUID is not valid Z85"))?;
            let name = format!("deletion_vector_{}.bin", uuid_text(&uuid));
            Ok(Some(FileLocation::Relative(if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            })))
        }
        other => Err(corrupt(dv, &format!("unknown storageType {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dv(storage_type: &str, path: &str) -> DeletionVector {
        DeletionVector {
            storage_type: storage_type.into(),
            path_or_inline_dv: path.into(),
            offset: Some(4),
            size_in_bytes: 40,
            cardinality: 6,
            max_row_index: None,
        }
    }

    #[test]
    fn relative_dv_paths_follow_the_protocol_example() {
        let location = file_location(&dv("u", "ab^-aqEH.-t@S}K{vb[*k^")).unwrap();
        assert_eq!(
            location,
            Some(FileLocation::Relative(
                "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin".into()
            ))
        );
        let location = file_location(&dv("u", "^-aqEH.-t@S}K{vb[*k^")).unwrap();
        assert_eq!(
            location.unwrap().as_str(),
            "deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin"
        );
    }

    #[test]
    fn absolute_and_inline_dvs() {
        assert_eq!(
            file_location(&dv("p", "s3://mytable/deletion_vector_x.bin")).unwrap(),
            Some(FileLocation::Remote(
                "s3://mytable/deletion_vector_x.bin".into()
            ))
        );
        assert_eq!(
            file_location(&dv(
                "i",
                "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L"
            ))
            .unwrap(),
            None
        );
    }

    #[test]
    fn bad_descriptors_are_corrupt() {
        assert!(validate(&dv("x", "abc")).is_err());
        assert!(file_location(&dv("u", "short")).is_err());
        assert!(file_location(&dv("u", "~~~~~~~~~~~~~~~~~~~~")).is_err());
        assert_eq!(
            z85_decode("HelloWorld"),
            Some(vec![0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
        );
    }
}
