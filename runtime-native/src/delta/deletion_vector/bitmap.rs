//! Decoding deletion vectors (PROTOCOL.md "Deletion Vector Format"): the `RoaringBitmapArray`
//! serialization (64-bit roaring: buckets of 32-bit portable Roaring bitmaps keyed by the high 32
//! bits), stored inline (Z85) or in a DV file (`u` / `p`) as `size | bitmap | CRC-32` at `offset`.
//!
//! The decoder is pure over bytes; [`read_deleted_rows`] fetches them through [`Storage`].

use crate::delta::actions::DeletionVector;
use crate::delta::storage::Storage;
use crate::delta::uri::FileLocation;
use crate::error::{ErrorCode, NativeError, Result};

use super::{file_location, Z85};

/// Magic number of the `RoaringBitmapArray` portable serialization (little endian).
const MAGIC: u32 = 1_681_511_377;
const SERIAL_COOKIE_NO_RUNCONTAINER: u32 = 12346;
const SERIAL_COOKIE: u32 = 12347;
const NO_OFFSET_THRESHOLD: usize = 4;

fn corrupt(why: impl Into<String>) -> NativeError {
    NativeError::new(
        ErrorCode::DeltaDeletionVectorCorrupt,
        format!("invalid deletion vector: {}", why.into()),
    )
}

/// A little-endian reader over a byte slice that fails instead of panicking.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or_else(|| corrupt("the bitmap is truncated"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }
    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}

/// Decodes one portable 32-bit Roaring bitmap, appending `high << 32 | value` to `out`.
fn decode_roaring32(reader: &mut Reader<'_>, high: u64, out: &mut Vec<u64>) -> Result<()> {
    let cookie = reader.u32()?;
    let (count, run_flags) = if cookie & 0xFFFF == SERIAL_COOKIE {
        let count = (cookie >> 16) as usize + 1;
        let flags = reader.take(count.div_ceil(8))?.to_vec();
        (count, Some(flags))
    } else if cookie == SERIAL_COOKIE_NO_RUNCONTAINER {
        (reader.u32()? as usize, None)
    } else {
        return Err(corrupt(format!("unknown Roaring cookie {cookie}")));
    };
    if count > 1 << 16 {
        return Err(corrupt(format!("{count} containers in one bucket")));
    }
    let mut headers = Vec::with_capacity(count);
    for _ in 0..count {
        let key = reader.u16()?;
        let cardinality = reader.u16()? as usize + 1;
        headers.push((key, cardinality));
    }
    if run_flags.is_none() || count >= NO_OFFSET_THRESHOLD {
        reader.take(4 * count)?; // offsets: containers follow in order, so they are not needed
    }
    for (i, (key, cardinality)) in headers.into_iter().enumerate() {
        let base = (high << 32) | (u64::from(key) << 16);
        let is_run = run_flags
            .as_ref()
            .is_some_and(|flags| flags[i / 8] & (1 << (i % 8)) != 0);
        if is_run {
            let runs = reader.u16()?;
            for _ in 0..runs {
                let start = u64::from(reader.u16()?);
                let length = u64::from(reader.u16()?);
                if start + length > 0xFFFF {
                    return Err(corrupt("a run container overflows its 16-bit range"));
                }
                out.extend((start..=start + length).map(|v| base | v));
            }
        } else if cardinality > 4096 {
            let words = reader.take(8192)?;
            for (w, chunk) in words.chunks_exact(8).enumerate() {
                let mut a = [0u8; 8];
                a.copy_from_slice(chunk);
                let mut word = u64::from_le_bytes(a);
                while word != 0 {
                    let bit = u64::from(word.trailing_zeros());
                    out.push(base | (w as u64 * 64 + bit));
                    word &= word - 1;
                }
            }
        } else {
            for _ in 0..cardinality {
                out.push(base | u64::from(reader.u16()?));
            }
        }
    }
    Ok(())
}

/// Decodes a serialized `RoaringBitmapArray` into its sorted row indexes.
pub fn decode_bitmap_array(bytes: &[u8]) -> Result<Vec<u64>> {
    let mut reader = Reader { bytes, at: 0 };
    let magic = reader.u32()?;
    if magic != MAGIC {
        return Err(corrupt(format!(
            "bad magic number {magic} (expected {MAGIC})"
        )));
    }
    let buckets = reader.u64()?;
    let mut out = Vec::new();
    let mut previous: Option<u64> = None;
    for _ in 0..buckets {
        let high = u64::from(reader.u32()?);
        if previous.is_some_and(|p| p >= high) {
            return Err(corrupt("bucket keys are not increasing"));
        }
        previous = Some(high);
        decode_roaring32(&mut reader, high, &mut out)?;
    }
    // Containers are written in key order and their values sorted; keep the guarantee anyway.
    if !out.windows(2).all(|w| w[0] < w[1]) {
        out.sort_unstable();
        out.dedup();
    }
    Ok(out)
}

/// Decodes an inline deletion vector's Z85 text into its `size` bytes.
///
/// Writers disagree on the last, partial block. Delta's Java codec zero-pads the input to whole
/// 4-byte blocks, so the last block is an ordinary 32-bit value whose trailing bytes are padding.
/// Others (e.g. delta-kernel-rs' test writers) spell a tail of `n` bytes as `4 - n` padding
/// characters `#` followed by the `n + 1`-character encoding of those bytes — a block that
/// overflows 32 bits when read the ordinary way. Both are read back to the same bytes here.
fn z85_decode_inline(text: &str, size: usize) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(5) || size > bytes.len() / 5 * 4 {
        return None;
    }
    let digit = |c: u8| Z85.iter().position(|&z| z == c).map(|d| d as u64);
    let mut out = Vec::with_capacity(bytes.len() / 5 * 4);
    let blocks = bytes.len() / 5;
    for (i, chunk) in bytes.chunks(5).enumerate() {
        let mut value: u64 = 0;
        for &c in chunk {
            value = value * 85 + digit(c)?;
        }
        let tail = size - (4 * i).min(size);
        if let Ok(v) = u32::try_from(value) {
            out.extend_from_slice(&v.to_be_bytes());
            continue;
        }
        // An overflowing block is only valid as the padded spelling of a partial last block.
        let pad = 4usize.checked_sub(tail)?;
        if i + 1 != blocks || pad == 0 || !chunk[..pad].iter().all(|&c| c == b'#') {
            return None;
        }
        let mut v: u64 = 0;
        for &c in &chunk[pad..] {
            v = v * 85 + digit(c)?;
        }
        let be = u32::try_from(v).ok()?.to_be_bytes();
        out.extend_from_slice(&be[pad..]);
        out.extend(std::iter::repeat_n(0u8, pad));
    }
    out.truncate(size);
    Some(out)
}

/// CRC-32 (IEEE 802.3, as `java.util.zip.CRC32`).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// The bitmap bytes of one DV inside a DV file: `offset` points at its 4-byte big-endian size,
/// followed by the bitmap and its big-endian CRC-32.
pub fn bitmap_in_file(file: &[u8], offset: usize, size_in_bytes: usize) -> Result<&[u8]> {
    let size = be_u32(file, offset)
        .ok_or_else(|| corrupt(format!("offset {offset} is beyond the end of the DV file")))?
        as usize;
    if size != size_in_bytes {
        return Err(corrupt(format!(
            "the DV file says {size} bytes at offset {offset}, the log says {size_in_bytes}"
        )));
    }
    let start = offset + 4;
    let data = file
        .get(start..start + size)
        .ok_or_else(|| corrupt("the DV file is truncated"))?;
    let expected =
        be_u32(file, start + size).ok_or_else(|| corrupt("the DV file lacks its checksum"))?;
    if crc32(data) != expected {
        return Err(corrupt("checksum mismatch"));
    }
    Ok(data)
}

/// The deleted row indexes of `dv` (sorted), checked against its cardinality.
pub fn read_deleted_rows(storage: &dyn Storage, dv: &DeletionVector) -> Result<Vec<u64>> {
    let with_id = |e: NativeError| e.with("deletionVector", dv.unique_id());
    let size = usize::try_from(dv.size_in_bytes).map_err(|_| with_id(corrupt("negative size")))?;
    let rows = match file_location(dv)? {
        None => {
            let data = z85_decode_inline(&dv.path_or_inline_dv, size).ok_or_else(|| {
                with_id(corrupt(
                    "the inline bitmap is not valid Z85 of sizeInBytes bytes",
                ))
            })?;
            decode_bitmap_array(&data).map_err(with_id)?
        }
        Some(location) => {
            let path = match &location {
                FileLocation::Relative(p) => p.clone(),
                FileLocation::Local(p) => p.clone(),
                FileLocation::Remote(p) => {
                    return Err(NativeError::new(
                        ErrorCode::StorageIo,
                        format!("cannot read deletion vector {p}: only local files can be read"),
                    )
                    .with("path", p.clone()))
                }
            };
            let bytes = match &location {
                FileLocation::Local(p) => std::fs::read(p).map_err(|e| {
                    NativeError::new(
                        if e.kind() == std::io::ErrorKind::NotFound {
                            ErrorCode::StorageNotFound
                        } else {
                            ErrorCode::StorageIo
                        },
                        format!("cannot read deletion vector file {p}: {e}"),
                    )
                    .with("path", p.clone())
                })?,
                _ => storage.read(&path)?,
            };
            let offset = usize::try_from(dv.offset.unwrap_or(1))
                .map_err(|_| with_id(corrupt("negative offset")))?;
            decode_bitmap_array(bitmap_in_file(&bytes, offset, size).map_err(with_id)?)
                .map_err(with_id)?
        }
    };
    if i64::try_from(rows.len()).ok() != Some(dv.cardinality) {
        return Err(with_id(corrupt(format!(
            "the bitmap holds {} rows, the log says cardinality {}",
            rows.len(),
            dv.cardinality
        ))));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_z85_tails_of_both_writers_decode_to_the_same_rows() {
        // delta-kernel-rs' cdf-table-with-dv, version 5: 34 bytes, the last 2 spelled `##093`
        // (two padding characters, then the 3-character encoding of 0x0300) — row 3.
        let kernel = "^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093";
        let rows =
            decode_bitmap_array(&z85_decode_inline(kernel, 34).expect("valid")).expect("bitmap");
        assert_eq!(rows, vec![3]);
        // Java's codec zero-pads instead: the same 34 bytes end in block 0x03000000.
        let mut padded = z85_decode_inline(kernel, 34).expect("valid");
        padded.extend([0, 0]);
        let java: String = padded
            .chunks(4)
            .map(|b| {
                let mut v = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as u64;
                let mut out = [0u8; 5];
                for o in out.iter_mut().rev() {
                    *o = Z85[(v % 85) as usize];
                    v /= 85;
                }
                String::from_utf8(out.to_vec()).expect("ascii")
            })
            .collect();
        assert_ne!(java, kernel);
        assert_eq!(
            decode_bitmap_array(&z85_decode_inline(&java, 34).expect("valid")).expect("bitmap"),
            vec![3]
        );
        // An overflowing block anywhere else, or without padding characters, is corrupt.
        assert!(z85_decode_inline("#####00000", 8).is_none());
        assert!(z85_decode_inline("%%%%%", 3).is_none());
    }

    /// Serializes row indexes the way Delta does (array containers, no runs).
    pub fn encode(rows: &[u64]) -> Vec<u8> {
        let mut buckets: std::collections::BTreeMap<
            u32,
            std::collections::BTreeMap<u16, Vec<u16>>,
        > = Default::default();
        for &r in rows {
            buckets
                .entry((r >> 32) as u32)
                .or_default()
                .entry(((r >> 16) & 0xFFFF) as u16)
                .or_default()
                .push((r & 0xFFFF) as u16);
        }
        let mut out = MAGIC.to_le_bytes().to_vec();
        out.extend((buckets.len() as u64).to_le_bytes());
        for (high, containers) in buckets {
            out.extend(high.to_le_bytes());
            out.extend(SERIAL_COOKIE_NO_RUNCONTAINER.to_le_bytes());
            out.extend((containers.len() as u32).to_le_bytes());
            for (key, values) in &containers {
                out.extend(key.to_le_bytes());
                out.extend(((values.len() - 1) as u16).to_le_bytes());
            }
            let mut offset = 0u32;
            for values in containers.values() {
                out.extend(offset.to_le_bytes());
                offset += values.len() as u32 * 2;
            }
            for values in containers.values() {
                for v in values {
                    out.extend(v.to_le_bytes());
                }
            }
        }
        out
    }

    #[test]
    fn arrays_across_buckets_round_trip() {
        let rows = vec![0, 3, 65_535, 65_536, 1 << 32, (1 << 32) + 7];
        assert_eq!(decode_bitmap_array(&encode(&rows)).unwrap(), rows);
        assert_eq!(
            decode_bitmap_array(&encode(&[])).unwrap(),
            Vec::<u64>::new()
        );
    }

    #[test]
    fn run_and_bitmap_containers() {
        // One bucket, two containers: a run [5, 9] (key 0) and a bitmap (key 1) with 5000 values.
        let mut bytes = MAGIC.to_le_bytes().to_vec();
        bytes.extend(1u64.to_le_bytes());
        bytes.extend(0u32.to_le_bytes());
        bytes.extend((SERIAL_COOKIE | (1 << 16)).to_le_bytes()); // 2 containers
        bytes.push(0b01); // container 0 is a run
        bytes.extend([0u16, 4, 1, 4999].iter().flat_map(|v| v.to_le_bytes()));
        bytes.extend(1u16.to_le_bytes()); // one run
        bytes.extend([5u16, 4].iter().flat_map(|v| v.to_le_bytes()));
        let mut words = [0u64; 1024];
        for v in 0..5000 {
            words[v / 64] |= 1 << (v % 64);
        }
        bytes.extend(words.iter().flat_map(|w| w.to_le_bytes()));
        let rows = decode_bitmap_array(&bytes).unwrap();
        assert_eq!(&rows[..5], &[5, 6, 7, 8, 9]);
        assert_eq!(rows.len(), 5005);
        assert_eq!(rows[5], 65_536);
        assert_eq!(rows[5004], 65_536 + 4999);
    }

    #[test]
    fn dv_file_framing_and_checksum() {
        let bitmap = encode(&[1, 2]);
        let mut file = vec![1u8];
        file.extend((bitmap.len() as u32).to_be_bytes());
        file.extend(&bitmap);
        file.extend(crc32(&bitmap).to_be_bytes());
        assert_eq!(bitmap_in_file(&file, 1, bitmap.len()).unwrap(), &bitmap[..]);
        let last = file.len() - 1;
        file[last] ^= 1;
        assert_eq!(
            bitmap_in_file(&file, 1, bitmap.len()).unwrap_err().code,
            ErrorCode::DeltaDeletionVectorCorrupt
        );
        assert!(bitmap_in_file(&file, 100, 3).is_err());
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode_bitmap_array(&[1, 2, 3]).is_err());
        let mut bytes = encode(&[1, 2, 3]);
        bytes.truncate(bytes.len() - 1);
        assert!(decode_bitmap_array(&bytes).is_err());
        let mut bytes = encode(&[1]);
        bytes[16] = 0xFF; // cookie (after magic, bucket count, bucket key)
        assert!(decode_bitmap_array(&bytes).is_err());
    }

    #[test]
    fn an_inline_dv_written_by_delta_decodes() {
        // From the corpus table dv-inline-cdf.
        let dv = DeletionVector {
            storage_type: "i".into(),
            path_or_inline_dv: "^Bg9^0rr910000000000iXQKl0rr91000935c8Xg000311onP9".into(),
            offset: None,
            size_in_bytes: 40,
            cardinality: 4,
            max_row_index: None,
        };
        let storage = crate::delta::storage::MemoryStorage::new();
        assert_eq!(read_deleted_rows(&storage, &dv).unwrap().len(), 4);
    }
}
