//! The stable-id encodings behind `cpg_id` and `cpg_key_id` (pure; no engine involved).
//!
//! An id is the first 8 bytes of SHA-256 over an unambiguous byte encoding of the inputs, written
//! as 16 lowercase hex characters. It depends only on the inputs — never on the engine, its
//! version, the machine or the run — so any tool can recompute it (README "Stable ids" gives the
//! Python one-liner, and `tests.rs` checks python3 agrees).
//!
//! ```text
//! str(s)  = u64 little-endian byte length of UTF-8(s) ‖ UTF-8(s)
//! i64(n)  = 8 bytes, little-endian two's complement
//! cpg_id(kind, path, bstart, bend) = hex(sha256(str("cpg-id-v1") ‖ str(kind) ‖ str(path) ‖ i64(bstart) ‖ i64(bend))[..8])
//! cpg_key_id(kind, key)            = hex(sha256(str("cpg-key-id-v1") ‖ str(kind) ‖ str(key))[..8])
//! ```
//!
//! The tags version the encoding (a change gets a new tag and new function names, never a silent
//! change of ids) and keep the two functions' id spaces apart.

use sha2::{Digest, Sha256};

/// Version tag of [`cpg_id`]'s encoding.
pub const CPG_ID_TAG: &str = "cpg-id-v1";
/// Version tag of [`cpg_key_id`]'s encoding.
pub const CPG_KEY_ID_TAG: &str = "cpg-key-id-v1";
/// Length of an id in characters (8 bytes as lowercase hex).
pub const ID_LEN: usize = 16;

/// An id: 16 lowercase hex ASCII bytes.
pub type Id = [u8; ID_LEN];

/// One argument of an id function, borrowed from the engine's vectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg<'a> {
    /// A VARCHAR's bytes (UTF-8).
    Str(&'a [u8]),
    /// A BIGINT.
    Int(i64),
}

/// Incremental builder of the byte encoding (reused across rows to avoid allocations).
#[derive(Default)]
pub struct Encoder {
    hasher: Sha256,
}

impl Encoder {
    /// Hashes `tag` followed by `args` and returns the id.
    pub fn id(&mut self, tag: &str, args: &[Arg<'_>]) -> Id {
        self.str(tag.as_bytes());
        for arg in args {
            match *arg {
                Arg::Str(bytes) => self.str(bytes),
                Arg::Int(n) => self.hasher.update(n.to_le_bytes()),
            }
        }
        let digest = self.hasher.finalize_reset();
        let mut id = [0u8; ID_LEN];
        for (pair, byte) in id.chunks_exact_mut(2).zip(digest.iter()) {
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 0x0f)];
        }
        id
    }

    fn str(&mut self, bytes: &[u8]) {
        self.hasher.update((bytes.len() as u64).to_le_bytes());
        self.hasher.update(bytes);
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `cpg_id(kind, path, bstart, bend)` as a `String`.
pub fn cpg_id(kind: &str, path: &str, bstart: i64, bend: i64) -> String {
    let id = Encoder::default().id(
        CPG_ID_TAG,
        &[
            Arg::Str(kind.as_bytes()),
            Arg::Str(path.as_bytes()),
            Arg::Int(bstart),
            Arg::Int(bend),
        ],
    );
    id_string(&id)
}

/// `cpg_key_id(kind, key)` as a `String`.
pub fn cpg_key_id(kind: &str, key: &str) -> String {
    let id = Encoder::default().id(
        CPG_KEY_ID_TAG,
        &[Arg::Str(kind.as_bytes()), Arg::Str(key.as_bytes())],
    );
    id_string(&id)
}

fn id_string(id: &Id) -> String {
    // An id is ASCII hex by construction.
    id.iter().map(|&b| char::from(b)).collect()
}
