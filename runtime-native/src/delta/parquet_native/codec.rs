//! Page decompression: uncompressed, Snappy (decoded here) and ZSTD (the system's libzstd,
//! loaded on first use with a decompression context per reader). Any other codec — or ZSTD
//! without a libzstd — is `Err(Unreadable)`: the caller leaves the file to DuckDB.

use std::ffi::c_void;
use std::sync::OnceLock;

use libloading::os::unix::{Library, Symbol};

use super::thrift::{Res, Unreadable};

pub const UNCOMPRESSED: i32 = 0;
pub const SNAPPY: i32 = 1;
pub const ZSTD: i32 = 6;

/// The largest page (uncompressed) this reader decodes.
const MAX_PAGE: usize = 256 << 20;

type CreateDctx = unsafe extern "C" fn() -> *mut c_void;
type FreeDctx = unsafe extern "C" fn(*mut c_void) -> usize;
type DecompressDctx =
    unsafe extern "C" fn(*mut c_void, *mut c_void, usize, *const c_void, usize) -> usize;
type IsError = unsafe extern "C" fn(usize) -> u32;

struct Zstd {
    create: CreateDctx,
    free: FreeDctx,
    decompress: DecompressDctx,
    is_error: IsError,
    _library: Library,
}

/// libzstd, when the system has one (loaded once for the process).
fn zstd() -> Option<&'static Zstd> {
    static ZSTD_LIB: OnceLock<Option<Zstd>> = OnceLock::new();
    ZSTD_LIB
        .get_or_init(|| {
            [
                "libzstd.so.1",
                "libzstd.so",
                "libzstd.1.dylib",
                "libzstd.dylib",
            ]
            .iter()
            .find_map(|name| {
                // SAFETY: libzstd's initialisers are benign; the symbols are looked up with
                // their documented C signatures (zstd.h, stable API).
                unsafe {
                    let library = Library::new(name).ok()?;
                    let create: Symbol<CreateDctx> = library.get(b"ZSTD_createDCtx\0").ok()?;
                    let free: Symbol<FreeDctx> = library.get(b"ZSTD_freeDCtx\0").ok()?;
                    let decompress: Symbol<DecompressDctx> =
                        library.get(b"ZSTD_decompressDCtx\0").ok()?;
                    let is_error: Symbol<IsError> = library.get(b"ZSTD_isError\0").ok()?;
                    Some(Zstd {
                        create: *create,
                        free: *free,
                        decompress: *decompress,
                        is_error: *is_error,
                        _library: library,
                    })
                }
            })
        })
        .as_ref()
}

/// Decompresses pages; holds a ZSTD context once one was needed.
#[derive(Default)]
pub struct Decompressor {
    dctx: Option<*mut c_void>,
}

impl Drop for Decompressor {
    fn drop(&mut self) {
        if let (Some(dctx), Some(z)) = (self.dctx, zstd()) {
            // SAFETY: created by ZSTD_createDCtx of the same library, freed once.
            unsafe { (z.free)(dctx) };
        }
    }
}

impl Decompressor {
    /// `data` decompressed with `codec` into exactly `size` bytes.
    pub fn decompress(&mut self, codec: i32, data: &[u8], size: usize) -> Res<Vec<u8>> {
        // A page claiming more is malformed or not a checkpoint's: not allocated here.
        if size > MAX_PAGE {
            return Err(Unreadable);
        }
        let out = match codec {
            UNCOMPRESSED => data.to_vec(),
            SNAPPY => snappy(data)?,
            ZSTD => self.zstd(data, size)?,
            _ => return Err(Unreadable),
        };
        if out.len() != size {
            return Err(Unreadable);
        }
        Ok(out)
    }

    fn zstd(&mut self, data: &[u8], size: usize) -> Res<Vec<u8>> {
        let z = zstd().ok_or(Unreadable)?;
        let dctx = match self.dctx {
            Some(dctx) => dctx,
            None => {
                // SAFETY: plain constructor; NULL on allocation failure.
                let dctx = unsafe { (z.create)() };
                if dctx.is_null() {
                    return Err(Unreadable);
                }
                *self.dctx.insert(dctx)
            }
        };
        let mut out = vec![0u8; size];
        // SAFETY: `out` has `size` writable bytes, `data` is a live slice; the context is ours.
        let written = unsafe {
            (z.decompress)(
                dctx,
                out.as_mut_ptr().cast(),
                size,
                data.as_ptr().cast(),
                data.len(),
            )
        };
        // SAFETY: ZSTD_isError only inspects the code.
        if unsafe { (z.is_error)(written) } != 0 || written != size {
            return Err(Unreadable);
        }
        Ok(out)
    }
}

fn varint(data: &[u8], at: &mut usize) -> Res<usize> {
    let mut value = 0usize;
    for shift in (0..35).step_by(7) {
        let b = *data.get(*at).ok_or(Unreadable)?;
        *at += 1;
        value |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(Unreadable)
}

/// Raw Snappy (the block format Parquet uses).
pub fn snappy(data: &[u8]) -> Res<Vec<u8>> {
    let mut at = 0;
    let length = varint(data, &mut at)?;
    if length > data.len().saturating_mul(64).saturating_add(64) {
        return Err(Unreadable);
    }
    let mut out: Vec<u8> = Vec::with_capacity(length);
    while at < data.len() {
        let tag = data[at];
        at += 1;
        let (len, offset) = match tag & 3 {
            0 => {
                let mut len = usize::from(tag >> 2) + 1;
                if len > 60 {
                    let bytes = len - 60;
                    let raw = data.get(at..at + bytes).ok_or(Unreadable)?;
                    at += bytes;
                    len = raw
                        .iter()
                        .rev()
                        .fold(0usize, |v, b| (v << 8) | usize::from(*b))
                        + 1;
                }
                let literal = data
                    .get(at..at.checked_add(len).ok_or(Unreadable)?)
                    .ok_or(Unreadable)?;
                out.extend_from_slice(literal);
                at += len;
                continue;
            }
            1 => {
                let b = usize::from(*data.get(at).ok_or(Unreadable)?);
                at += 1;
                (
                    usize::from((tag >> 2) & 7) + 4,
                    (usize::from(tag >> 5) << 8) | b,
                )
            }
            2 => {
                let raw = data.get(at..at + 2).ok_or(Unreadable)?;
                at += 2;
                (
                    usize::from(tag >> 2) + 1,
                    usize::from(u16::from_le_bytes([raw[0], raw[1]])),
                )
            }
            _ => {
                let raw = data.get(at..at + 4).ok_or(Unreadable)?;
                at += 4;
                (
                    usize::from(tag >> 2) + 1,
                    u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]) as usize,
                )
            }
        };
        if offset == 0 || offset > out.len() || out.len() + len > length {
            return Err(Unreadable);
        }
        let start = out.len() - offset;
        for i in 0..len {
            let b = out[start + i];
            out.push(b);
        }
    }
    if out.len() != length {
        return Err(Unreadable);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snappy_literals_and_copies() {
        // "abcd" literal, then a 1-byte-offset copy of 8 bytes at offset 4 → "abcdabcdabcd".
        let data = [12, 0x0c, b'a', b'b', b'c', b'd', 0x11, 0x04];
        assert_eq!(snappy(&data).unwrap(), b"abcdabcdabcd");
        // Overlong, zero offset and truncated input are errors.
        assert!(snappy(&[3, 0x0c, b'a', b'b', b'c', b'd']).is_err());
        assert!(snappy(&[8, 0x0c, b'a', b'b', b'c', b'd', 0x11, 0x00]).is_err());
        assert!(snappy(&[4, 0x0c, b'a']).is_err());
    }

    #[test]
    fn bad_zstd_frames_and_other_codecs_are_errors() {
        let mut d = Decompressor::default();
        let not_a_frame = [0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x11];
        assert!(d.decompress(ZSTD, &not_a_frame, 17).is_err());
        assert!(d.decompress(2, b"gzip", 4).is_err());
        assert_eq!(d.decompress(UNCOMPRESSED, b"abc", 3).unwrap(), b"abc");
        assert!(d.decompress(UNCOMPRESSED, b"abc", 4).is_err());
    }
}
