//! Parquet file metadata (the footer) and page headers, decoded with [`super::thrift`]: the schema
//! elements, and per row group the column chunks (path, type, codec, where their pages are).

use super::thrift::{Reader, Res, Unreadable, BOOL_FALSE, BOOL_TRUE, LIST, STRUCT};

/// Physical types.
pub const BOOLEAN: i32 = 0;
pub const INT32: i32 = 1;
pub const INT64: i32 = 2;
pub const BYTE_ARRAY: i32 = 6;

/// Repetition types.
pub const OPTIONAL: i32 = 1;
pub const REPEATED: i32 = 2;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaElement {
    pub physical: Option<i32>,
    pub repetition: Option<i32>,
    pub name: String,
    pub num_children: usize,
    pub converted: Option<i32>,
    /// The id of the LogicalType union's member (1 STRING, 2 MAP, 3 LIST, ..., 10 INTEGER).
    pub logical: Option<i16>,
    /// For an INTEGER logical type: (bit width, signed).
    pub integer: Option<(i8, bool)>,
    /// Set when the element carries something this reader does not interpret (decimal scale,
    /// type length, ...): such a file is left to DuckDB.
    pub unusual: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chunk {
    pub path: Vec<String>,
    pub physical: i32,
    pub codec: i32,
    pub num_values: i64,
    pub data_page_offset: i64,
    pub dictionary_page_offset: Option<i64>,
    pub total_compressed_size: i64,
    /// Chunks stored in another file are not supported.
    pub external: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileMeta {
    pub schema: Vec<SchemaElement>,
    pub row_groups: Vec<Vec<Chunk>>,
}

/// The footer of a whole Parquet file's bytes.
pub fn file_meta(bytes: &[u8]) -> Res<FileMeta> {
    let n = bytes.len();
    if n < 12 || &bytes[n - 4..] != b"PAR1" || &bytes[..4] != b"PAR1" {
        return Err(Unreadable);
    }
    let len = u32::from_le_bytes(bytes[n - 8..n - 4].try_into().map_err(|_| Unreadable)?) as usize;
    let start = (n - 8).checked_sub(len).ok_or(Unreadable)?;
    let mut r = Reader::new(&bytes[start..n - 8]);
    let mut meta = FileMeta::default();
    let mut last = 0;
    while let Some((id, kind)) = r.field(&mut last)? {
        match (id, kind) {
            (2, LIST) => {
                let (_, size) = r.list()?;
                for _ in 0..size {
                    meta.schema.push(schema_element(&mut r)?);
                }
            }
            (4, LIST) => {
                let (_, size) = r.list()?;
                for _ in 0..size {
                    meta.row_groups.push(row_group(&mut r)?);
                }
            }
            _ => r.skip(kind)?,
        }
    }
    Ok(meta)
}

fn schema_element(r: &mut Reader) -> Res<SchemaElement> {
    let mut e = SchemaElement::default();
    let mut last = 0;
    while let Some((id, kind)) = r.field(&mut last)? {
        match id {
            1 => e.physical = Some(r.i32()?),
            3 => e.repetition = Some(r.i32()?),
            4 => e.name = r.string()?,
            5 => e.num_children = usize::try_from(r.i32()?).map_err(|_| Unreadable)?,
            6 => e.converted = Some(r.i32()?),
            // Field ids only name columns; the reader does not need them.
            9 => r.skip(kind)?,
            10 if kind == STRUCT => logical_type(r, &mut e)?,
            _ => {
                e.unusual = true;
                r.skip(kind)?;
            }
        }
    }
    Ok(e)
}

fn logical_type(r: &mut Reader, e: &mut SchemaElement) -> Res<()> {
    let mut last = 0;
    while let Some((id, kind)) = r.field(&mut last)? {
        e.logical = Some(id);
        if id == 10 && kind == STRUCT {
            // IntType {1: bitWidth i8, 2: isSigned bool}.
            let (mut width, mut signed) = (None, None);
            let mut inner = 0;
            while let Some((field, kind)) = r.field(&mut inner)? {
                match (field, kind) {
                    (1, 3) => width = Some(r.byte()? as i8),
                    (2, BOOL_TRUE) => signed = Some(true),
                    (2, BOOL_FALSE) => signed = Some(false),
                    _ => r.skip(kind)?,
                }
            }
            e.integer = Some((width.ok_or(Unreadable)?, signed.ok_or(Unreadable)?));
        } else {
            r.skip(kind)?;
        }
    }
    Ok(())
}

fn row_group(r: &mut Reader) -> Res<Vec<Chunk>> {
    let mut chunks = Vec::new();
    let mut last = 0;
    while let Some((id, kind)) = r.field(&mut last)? {
        if (id, kind) == (1, LIST) {
            let (_, size) = r.list()?;
            for _ in 0..size {
                chunks.push(column_chunk(r)?);
            }
        } else {
            r.skip(kind)?;
        }
    }
    Ok(chunks)
}

fn column_chunk(r: &mut Reader) -> Res<Chunk> {
    let mut chunk = Chunk::default();
    let mut found = false;
    let mut last = 0;
    while let Some((id, kind)) = r.field(&mut last)? {
        match (id, kind) {
            (1, _) => {
                chunk.external = true;
                r.skip(kind)?;
            }
            (3, STRUCT) => {
                column_meta(r, &mut chunk)?;
                found = true;
            }
            _ => r.skip(kind)?,
        }
    }
    if found {
        Ok(chunk)
    } else {
        Err(Unreadable)
    }
}

fn column_meta(r: &mut Reader, c: &mut Chunk) -> Res<()> {
    let mut last = 0;
    while let Some((id, kind)) = r.field(&mut last)? {
        match id {
            1 => c.physical = r.i32()?,
            3 if kind == LIST => {
                let (_, size) = r.list()?;
                for _ in 0..size {
                    c.path.push(r.string()?);
                }
            }
            4 => c.codec = r.i32()?,
            5 => c.num_values = r.zigzag()?,
            7 => c.total_compressed_size = r.zigzag()?,
            9 => c.data_page_offset = r.zigzag()?,
            11 => c.dictionary_page_offset = Some(r.zigzag()?),
            _ => r.skip(kind)?,
        }
    }
    Ok(())
}

/// Page types.
pub const DATA_PAGE: i32 = 0;
pub const DICTIONARY_PAGE: i32 = 2;
pub const DATA_PAGE_V2: i32 = 3;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageHeader {
    pub kind: i32,
    pub uncompressed_size: usize,
    pub compressed_size: usize,
    pub num_values: usize,
    pub encoding: i32,
    pub def_encoding: i32,
    pub rep_encoding: i32,
    /// V2: the level byte lengths (uncompressed, before the values) and whether the values are
    /// compressed.
    pub def_length: usize,
    pub rep_length: usize,
    pub compressed: bool,
}

/// A page header at the start of `r`'s remaining bytes.
pub fn page_header(r: &mut Reader) -> Res<PageHeader> {
    let mut h = PageHeader {
        compressed: true,
        ..PageHeader::default()
    };
    let size = |v: i32| usize::try_from(v).map_err(|_| Unreadable);
    let mut last = 0;
    while let Some((id, kind)) = r.field(&mut last)? {
        match (id, kind) {
            (1, _) => h.kind = r.i32()?,
            (2, _) => h.uncompressed_size = size(r.i32()?)?,
            (3, _) => h.compressed_size = size(r.i32()?)?,
            (5, STRUCT) | (7, STRUCT) | (8, STRUCT) => {
                let mut inner = 0;
                while let Some((field, kind)) = r.field(&mut inner)? {
                    match (id, field) {
                        (_, 1) => h.num_values = size(r.i32()?)?,
                        (5, 2) | (7, 2) | (8, 4) => h.encoding = r.i32()?,
                        (5, 3) => h.def_encoding = r.i32()?,
                        (5, 4) => h.rep_encoding = r.i32()?,
                        (8, 5) => h.def_length = size(r.i32()?)?,
                        (8, 6) => h.rep_length = size(r.i32()?)?,
                        (8, 7) => h.compressed = kind == BOOL_TRUE,
                        _ => r.skip(kind)?,
                    }
                }
            }
            _ => r.skip(kind)?,
        }
    }
    Ok(h)
}
