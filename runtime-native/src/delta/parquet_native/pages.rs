//! One column chunk decoded: its definition and repetition levels and the values of the entries
//! that are defined, from data pages (V1 and V2) with PLAIN or dictionary encoding. Anything else
//! (other encodings, physical types) is `Err(Unreadable)`.

use super::codec::Decompressor;
use super::footer::{
    page_header, Chunk, BOOLEAN, BYTE_ARRAY, DATA_PAGE, DATA_PAGE_V2, DICTIONARY_PAGE, INT32, INT64,
};
use super::thrift::{Reader, Res, Unreadable};

const PLAIN: i32 = 0;
const PLAIN_DICTIONARY: i32 = 2;
const RLE: i32 = 3;
const RLE_DICTIONARY: i32 = 8;

/// The most entries a column chunk may have here.
const MAX_ENTRIES: usize = 1 << 26;

/// A decoded physical value.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Bool(bool),
    Int(i64),
    Bytes(Vec<u8>),
}

/// A column chunk's entries: levels per entry, values per defined entry.
#[derive(Debug, Default)]
pub struct Column {
    pub defs: Vec<u16>,
    pub reps: Vec<u16>,
    pub values: Vec<Raw>,
}

/// The bit width of levels up to `max`.
fn width(max: u16) -> u32 {
    16 - max.leading_zeros()
}

/// RLE / bit-packed hybrid values of `bit_width` bits, `count` of them, given to `emit` as
/// (value, times).
fn hybrid(
    data: &[u8],
    bit_width: u32,
    count: usize,
    mut emit: impl FnMut(u32, usize) -> Res<()>,
) -> Res<()> {
    if bit_width > 32 {
        return Err(Unreadable);
    }
    let mut r = Reader::new(data);
    let mut left = count;
    let bytes = bit_width.div_ceil(8) as usize;
    let mask = if bit_width == 32 {
        u32::MAX
    } else {
        (1u32 << bit_width) - 1
    };
    while left > 0 {
        let header = r.varint()?;
        if header >> 1 == 0 {
            // An empty run makes no progress: malformed.
            return Err(Unreadable);
        }
        if header & 1 == 0 {
            let run = usize::try_from(header >> 1).map_err(|_| Unreadable)?;
            let raw = r.take(bytes)?;
            let value = raw.iter().rev().fold(0u32, |v, b| (v << 8) | u32::from(*b));
            let n = run.min(left);
            emit(value, n)?;
            left -= n;
        } else {
            let groups = usize::try_from(header >> 1).map_err(|_| Unreadable)?;
            let packed = r.take(groups.checked_mul(bit_width as usize).ok_or(Unreadable)?)?;
            let values = groups.saturating_mul(8).min(left);
            for i in 0..values {
                let bit = i * bit_width as usize;
                let mut v: u64 = 0;
                for k in 0..bytes + 1 {
                    if let Some(b) = packed.get(bit / 8 + k) {
                        v |= u64::from(*b) << (8 * k);
                    }
                }
                emit(((v >> (bit % 8)) as u32) & mask, 1)?;
            }
            left -= values;
        }
    }
    Ok(())
}

/// Levels of a V1 page (4-byte length prefix + hybrid data); returns the bytes consumed.
fn levels_v1(data: &[u8], max: u16, count: usize, out: &mut Vec<u16>) -> Res<usize> {
    if max == 0 {
        out.extend(std::iter::repeat_n(0, count));
        return Ok(0);
    }
    let len = u32::from_le_bytes(
        data.get(..4)
            .ok_or(Unreadable)?
            .try_into()
            .map_err(|_| Unreadable)?,
    ) as usize;
    let body = data.get(4..4 + len).ok_or(Unreadable)?;
    levels(body, max, count, out)?;
    Ok(4 + len)
}

fn levels(body: &[u8], max: u16, count: usize, out: &mut Vec<u16>) -> Res<()> {
    if max == 0 {
        out.extend(std::iter::repeat_n(0, count));
        return Ok(());
    }
    hybrid(body, width(max), count, |v, n| {
        let v = u16::try_from(v).map_err(|_| Unreadable)?;
        if v > max {
            return Err(Unreadable);
        }
        out.extend(std::iter::repeat_n(v, n));
        Ok(())
    })
}

/// `count` PLAIN values of `physical`.
fn plain(data: &[u8], physical: i32, count: usize, out: &mut Vec<Raw>) -> Res<()> {
    let mut r = Reader::new(data);
    match physical {
        BOOLEAN => {
            for i in 0..count {
                let byte = *data.get(i / 8).ok_or(Unreadable)?;
                out.push(Raw::Bool(byte >> (i % 8) & 1 == 1));
            }
        }
        INT32 => {
            for _ in 0..count {
                let b = r.take(4)?;
                out.push(Raw::Int(i64::from(i32::from_le_bytes(
                    b.try_into().map_err(|_| Unreadable)?,
                ))));
            }
        }
        INT64 => {
            for _ in 0..count {
                let b = r.take(8)?;
                out.push(Raw::Int(i64::from_le_bytes(
                    b.try_into().map_err(|_| Unreadable)?,
                )));
            }
        }
        BYTE_ARRAY => {
            for _ in 0..count {
                let len =
                    u32::from_le_bytes(r.take(4)?.try_into().map_err(|_| Unreadable)?) as usize;
                out.push(Raw::Bytes(r.take(len)?.to_vec()));
            }
        }
        _ => return Err(Unreadable),
    }
    Ok(())
}

/// Decodes the chunk whose bytes are `file[offset..]`, with the given level maxima.
pub fn read_chunk(
    file: &[u8],
    chunk: &Chunk,
    max_def: u16,
    max_rep: u16,
    decompressor: &mut Decompressor,
) -> Res<Column> {
    if chunk.external {
        return Err(Unreadable);
    }
    let start = chunk
        .dictionary_page_offset
        .filter(|d| *d > 0 && *d < chunk.data_page_offset)
        .unwrap_or(chunk.data_page_offset);
    let start = usize::try_from(start).map_err(|_| Unreadable)?;
    let size = usize::try_from(chunk.total_compressed_size).map_err(|_| Unreadable)?;
    let bytes = file
        .get(start..start.checked_add(size).ok_or(Unreadable)?)
        .ok_or(Unreadable)?;
    let total = usize::try_from(chunk.num_values).map_err(|_| Unreadable)?;
    // More entries than any checkpoint's row group holds: left to DuckDB (and never allocated).
    if total > MAX_ENTRIES {
        return Err(Unreadable);
    }
    let mut column = Column::default();
    let mut dictionary: Option<Vec<Raw>> = None;
    let mut r = Reader::new(bytes);
    while column.defs.len() < total {
        let header = page_header(&mut r)?;
        if header.num_values > total - column.defs.len() && header.kind != DICTIONARY_PAGE
            || header.num_values > MAX_ENTRIES
        {
            return Err(Unreadable);
        }
        let body = r.take(header.compressed_size)?;
        match header.kind {
            DICTIONARY_PAGE => {
                if !matches!(header.encoding, PLAIN | PLAIN_DICTIONARY) {
                    return Err(Unreadable);
                }
                let page = decompressor.decompress(chunk.codec, body, header.uncompressed_size)?;
                let mut values = Vec::with_capacity(header.num_values);
                plain(&page, chunk.physical, header.num_values, &mut values)?;
                dictionary = Some(values);
            }
            DATA_PAGE => {
                if header.def_encoding != RLE && max_def > 0
                    || header.rep_encoding != RLE && max_rep > 0
                {
                    return Err(Unreadable);
                }
                let page = decompressor.decompress(chunk.codec, body, header.uncompressed_size)?;
                let n = header.num_values;
                let mut at = levels_v1(&page, max_rep, n, &mut column.reps)?;
                let before = column.defs.len();
                at += levels_v1(
                    page.get(at..).ok_or(Unreadable)?,
                    max_def,
                    n,
                    &mut column.defs,
                )?;
                let defined = column.defs[before..]
                    .iter()
                    .filter(|d| **d == max_def)
                    .count();
                values(
                    page.get(at..).ok_or(Unreadable)?,
                    &header.encoding,
                    chunk.physical,
                    defined,
                    dictionary.as_deref(),
                    &mut column.values,
                )?;
            }
            DATA_PAGE_V2 => {
                let n = header.num_values;
                let rep = r_slice(body, 0, header.rep_length)?;
                let def = r_slice(body, header.rep_length, header.def_length)?;
                levels(rep, max_rep, n, &mut column.reps)?;
                let before = column.defs.len();
                levels(def, max_def, n, &mut column.defs)?;
                let rest = body
                    .get(header.rep_length + header.def_length..)
                    .ok_or(Unreadable)?;
                let values_size = header
                    .uncompressed_size
                    .checked_sub(header.rep_length + header.def_length)
                    .ok_or(Unreadable)?;
                let page = if header.compressed {
                    decompressor.decompress(chunk.codec, rest, values_size)?
                } else {
                    rest.to_vec()
                };
                let defined = column.defs[before..]
                    .iter()
                    .filter(|d| **d == max_def)
                    .count();
                values(
                    &page,
                    &header.encoding,
                    chunk.physical,
                    defined,
                    dictionary.as_deref(),
                    &mut column.values,
                )?;
            }
            _ => {}
        }
    }
    if column.defs.len() != total || column.reps.len() != total {
        return Err(Unreadable);
    }
    Ok(column)
}

fn r_slice(body: &[u8], start: usize, len: usize) -> Res<&[u8]> {
    body.get(start..start.checked_add(len).ok_or(Unreadable)?)
        .ok_or(Unreadable)
}

fn values(
    data: &[u8],
    encoding: &i32,
    physical: i32,
    count: usize,
    dictionary: Option<&[Raw]>,
    out: &mut Vec<Raw>,
) -> Res<()> {
    match *encoding {
        PLAIN => plain(data, physical, count, out),
        PLAIN_DICTIONARY | RLE_DICTIONARY => {
            let dictionary = dictionary.ok_or(Unreadable)?;
            if count == 0 {
                return Ok(());
            }
            let bit_width = u32::from(*data.first().ok_or(Unreadable)?);
            hybrid(
                data.get(1..).ok_or(Unreadable)?,
                bit_width,
                count,
                |i, n| {
                    let value = dictionary.get(i as usize).ok_or(Unreadable)?;
                    out.extend(std::iter::repeat_n(value, n).cloned());
                    Ok(())
                },
            )
        }
        RLE if physical == BOOLEAN => {
            // V2 booleans: a 4-byte length, then the hybrid with bit width 1.
            let len = u32::from_le_bytes(
                data.get(..4)
                    .ok_or(Unreadable)?
                    .try_into()
                    .map_err(|_| Unreadable)?,
            );
            let body = data.get(4..4 + len as usize).ok_or(Unreadable)?;
            hybrid(body, 1, count, |v, n| {
                out.extend(std::iter::repeat_n(Raw::Bool(v == 1), n));
                Ok(())
            })
        }
        _ => Err(Unreadable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hybrid_reads_runs_and_bit_packed_groups() {
        let decode = |data: &[u8], width: u32, count: usize| {
            let mut out = Vec::new();
            hybrid(data, width, count, |v, n| {
                out.extend(std::iter::repeat_n(v, n));
                Ok(())
            })
            .map(|_| out)
        };
        // RLE run of 5 × 3 (width 2), then one bit-packed group of 8 values 0..7 (width 3).
        assert_eq!(decode(&[0x0a, 0x03], 2, 5).unwrap(), [3, 3, 3, 3, 3]);
        assert_eq!(
            decode(&[0x03, 0x88, 0xc6, 0xfa], 3, 8).unwrap(),
            [0, 1, 2, 3, 4, 5, 6, 7]
        );
        // Fewer wanted than a group holds; truncated and empty runs.
        assert_eq!(decode(&[0x03, 0x88, 0xc6, 0xfa], 3, 3).unwrap(), [0, 1, 2]);
        assert!(decode(&[0x0a], 2, 5).is_err());
        assert!(decode(&[0x00], 2, 5).is_err());
    }

    #[test]
    fn plain_values() {
        let mut out = Vec::new();
        plain(&[0b101], BOOLEAN, 3, &mut out).unwrap();
        plain(&7i32.to_le_bytes(), INT32, 1, &mut out).unwrap();
        plain(&[2, 0, 0, 0, b'h', b'i'], BYTE_ARRAY, 1, &mut out).unwrap();
        assert_eq!(
            out,
            [
                Raw::Bool(true),
                Raw::Bool(false),
                Raw::Bool(true),
                Raw::Int(7),
                Raw::Bytes(b"hi".to_vec())
            ]
        );
        assert!(plain(&[9, 0, 0, 0, b'h'], BYTE_ARRAY, 1, &mut out).is_err());
    }
}
