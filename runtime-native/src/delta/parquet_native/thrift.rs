//! Thrift's compact protocol, as much as Parquet metadata needs: varints, zigzag integers,
//! binaries, and struct fields read one by one (unknown ones skipped). Every read is bounded by
//! the input: malformed bytes are an `Err(Unreadable)`, never a panic.

/// Input this reader cannot (or will not) decode: the caller reads the file another way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

pub type Res<T> = std::result::Result<T, Unreadable>;

/// Compact-protocol type ids.
pub const BOOL_TRUE: u8 = 1;
pub const BOOL_FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
pub const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
pub const STRUCT: u8 = 12;

/// How deep structures may nest before the input is refused.
const MAX_DEPTH: u32 = 64;

pub struct Reader<'a> {
    bytes: &'a [u8],
    pub at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    pub fn byte(&mut self) -> Res<u8> {
        let b = *self.bytes.get(self.at).ok_or(Unreadable)?;
        self.at += 1;
        Ok(b)
    }

    pub fn take(&mut self, n: usize) -> Res<&'a [u8]> {
        let end = self.at.checked_add(n).ok_or(Unreadable)?;
        let slice = self.bytes.get(self.at..end).ok_or(Unreadable)?;
        self.at = end;
        Ok(slice)
    }

    pub fn varint(&mut self) -> Res<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Unreadable)
    }

    pub fn zigzag(&mut self) -> Res<i64> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    pub fn i32(&mut self) -> Res<i32> {
        i32::try_from(self.zigzag()?).map_err(|_| Unreadable)
    }

    pub fn binary(&mut self) -> Res<&'a [u8]> {
        let n = usize::try_from(self.varint()?).map_err(|_| Unreadable)?;
        self.take(n)
    }

    pub fn string(&mut self) -> Res<String> {
        String::from_utf8(self.binary()?.to_vec()).map_err(|_| Unreadable)
    }

    /// The next field header of a struct: `None` at its end, else (field id, type). `last` is
    /// the previous field id (0 at the start).
    pub fn field(&mut self, last: &mut i16) -> Res<Option<(i16, u8)>> {
        let header = self.byte()?;
        if header == 0 {
            return Ok(None);
        }
        let kind = header & 0x0f;
        let delta = i16::from(header >> 4);
        let id = if delta == 0 {
            i16::try_from(self.zigzag()?).map_err(|_| Unreadable)?
        } else {
            last.checked_add(delta).ok_or(Unreadable)?
        };
        *last = id;
        Ok(Some((id, kind)))
    }

    /// A list header: (element type, size).
    pub fn list(&mut self) -> Res<(u8, usize)> {
        let header = self.byte()?;
        let size = match header >> 4 {
            15 => usize::try_from(self.varint()?).map_err(|_| Unreadable)?,
            n => usize::from(n),
        };
        // Each element takes at least one byte (bools too): a larger size is malformed.
        if size > self.bytes.len().saturating_sub(self.at) {
            return Err(Unreadable);
        }
        Ok((header & 0x0f, size))
    }

    /// Skips a value of type `kind` (a struct field's bool has no payload).
    pub fn skip(&mut self, kind: u8) -> Res<()> {
        self.skip_at(kind, 0)
    }

    fn skip_at(&mut self, kind: u8, depth: u32) -> Res<()> {
        if depth > MAX_DEPTH {
            return Err(Unreadable);
        }
        match kind {
            BOOL_TRUE | BOOL_FALSE => Ok(()),
            BYTE => self.byte().map(|_| ()),
            I16 | I32 | I64 => self.varint().map(|_| ()),
            DOUBLE => self.take(8).map(|_| ()),
            BINARY => self.binary().map(|_| ()),
            LIST | SET => {
                let (element, size) = self.list()?;
                for _ in 0..size {
                    if element == BOOL_TRUE || element == BOOL_FALSE {
                        self.byte()?;
                    } else {
                        self.skip_at(element, depth + 1)?;
                    }
                }
                Ok(())
            }
            MAP => {
                let size = usize::try_from(self.varint()?).map_err(|_| Unreadable)?;
                if size == 0 {
                    return Ok(());
                }
                if size > self.bytes.len().saturating_sub(self.at) {
                    return Err(Unreadable);
                }
                let types = self.byte()?;
                for _ in 0..size {
                    for kind in [types >> 4, types & 0x0f] {
                        if kind == BOOL_TRUE || kind == BOOL_FALSE {
                            self.byte()?;
                        } else {
                            self.skip_at(kind, depth + 1)?;
                        }
                    }
                }
                Ok(())
            }
            STRUCT => {
                let mut last = 0;
                while let Some((_, kind)) = self.field(&mut last)? {
                    self.skip_at(kind, depth + 1)?;
                }
                Ok(())
            }
            _ => Err(Unreadable),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_zigzag_and_fields() {
        // Field 1 (delta 1, i32) = -3; field 4 (delta 3, binary) = "ab"; a long-form field id
        // 20 (i64) = 300; a struct field skipped; stop.
        let bytes = [
            0x15, 0x05, 0x38, 0x02, b'a', b'b', 0x06, 0x28, 0xd8, 0x04, 0x1c, 0x15, 0x02, 0x00,
            0x00,
        ];
        let mut r = Reader::new(&bytes);
        let mut last = 0;
        assert_eq!(r.field(&mut last), Ok(Some((1, I32))));
        assert_eq!(r.i32(), Ok(-3));
        assert_eq!(r.field(&mut last), Ok(Some((4, BINARY))));
        assert_eq!(r.string(), Ok("ab".to_string()));
        assert_eq!(r.field(&mut last), Ok(Some((20, I64))));
        assert_eq!(r.zigzag(), Ok(300));
        assert_eq!(r.field(&mut last), Ok(Some((21, STRUCT))));
        assert_eq!(r.skip(STRUCT), Ok(()));
        assert_eq!(r.field(&mut last), Ok(None));
    }

    #[test]
    fn truncated_or_absurd_input_is_an_error() {
        assert!(Reader::new(&[0x80]).varint().is_err());
        assert!(Reader::new(&[0x05, b'a']).binary().is_err());
        // A list claiming more elements than bytes left.
        assert!(Reader::new(&[0xf5, 0xff, 0x01]).list().is_err());
        // Nesting beyond the limit.
        let deep = vec![0x1c; 200];
        assert!(Reader::new(&deep).skip(STRUCT).is_err());
    }
}
