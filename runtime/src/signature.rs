//! A signature as the rule computes it (`docs/protocol.md` §2): its 32 bytes, the streaming
//! hash that writes `secret ‖ text` without building the text, and its hex form. Below both the
//! outgoing wire code and `signing`, which apply the rule to messages.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::credentials::Secret;

/// The name of the field that carries the signature. It belongs to the signature rule rather than
/// to any one table: every message of every scene carries its signature under this name, and the
/// spec's fields of concept `sign` are all called this (a test checks the catalog agrees).
pub const SIGN_FIELD: &str = "sign";

/// A SHA-256 signature as bytes: computed over `secret ‖ text`, compared as bytes, written as
/// lowercase hex only when it is sent.
#[derive(Clone, Copy)]
pub(crate) struct Signature([u8; 32]);

impl Signature {
    /// The signature of `signed_text` (the `name=value&…` text, without the secret): the secret
    /// and the text in two updates, the fewest the rule allows without copying the secret.
    pub(crate) fn of(secret: &Secret, signed_text: &str) -> Signature {
        let mut sha = Sha256::new();
        sha.update(secret.as_bytes());
        sha.update(signed_text.as_bytes());
        Signature(sha.finalize().into())
    }

    /// Reads a received `sign`: 64 hex digits, either case. `None` for anything else.
    pub(crate) fn from_hex(text: &str) -> Option<Signature> {
        // Decoded in line rather than through the `hex` crate's decoder (1.3 % of the verify
        // bench's profile, `runtime/benches/verify.rs`). The received text is not secret; stopping at the first
        // character that is not a digit reveals nothing.
        let nibble = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        };
        let text = text.as_bytes();
        if text.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
            let [high, low] = pair else { return None };
            *byte = nibble(*high)? << 4 | nibble(*low)?;
        }
        Some(Signature(bytes))
    }

    /// Whether two signatures are equal, in time independent of where they differ.
    pub(crate) fn matches(&self, other: &Signature) -> bool {
        bool::from(self.0.ct_eq(&other.0))
    }

    /// The lowercase hex text `sign` carries.
    pub(crate) fn to_hex(self) -> SignatureHex {
        // Each byte's two digits computed in line rather than through the `hex` crate's
        // iterators: ~10 ns less per signature (`runtime/benches/signing.rs`).
        let digit = |nibble: u8| nibble + if nibble < 10 { b'0' } else { b'a' - 10 };
        let mut text = [b'0'; 64];
        for (pair, byte) in text.chunks_exact_mut(2).zip(self.0) {
            if let [high, low] = pair {
                *high = digit(byte >> 4);
                *low = digit(byte & 0x0f);
            }
        }
        SignatureHex(text)
    }
}

/// Bytes gathered on the stack: a place-order request's whole `secret ‖ text` (~360 bytes)
/// fits, so the buffer seldom spills; whole blocks are handed to SHA-256 as they fill
/// ([`EAGER_BYTES`]), the rest at the end.
const STREAM_BUFFER: usize = 512;

/// SHA-256's block.
const BLOCK: usize = 64;

/// How many bytes gather before whole blocks are hashed while the text is still being written.
const EAGER_BYTES: usize = 2 * BLOCK;

/// SHA-256 over `secret ‖ text` fed as the text is produced, gathered in a stack buffer so the
/// hash sees few updates of whole blocks; no text is kept. The buffer's copy of the secret is wiped when
/// it is dropped.
pub(crate) struct StreamingSignature {
    sha: Sha256,
    buffer: [u8; STREAM_BUFFER],
    len: usize,
    /// How many bytes at the buffer's start were hashed already.
    hashed: usize,
    /// How many bytes at the buffer's start held the secret.
    secret_len: usize,
}

impl StreamingSignature {
    /// Starts with the secret in front (`docs/protocol.md` §2).
    pub(crate) fn new(secret: &Secret) -> StreamingSignature {
        let secret = secret.as_bytes();
        let mut stream = StreamingSignature {
            sha: Sha256::new(),
            buffer: [0; STREAM_BUFFER],
            len: 0,
            hashed: 0,
            secret_len: secret.len(),
        };
        stream.push(secret);
        stream
    }

    /// Appends `bytes` to the hashed text.
    #[inline]
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if let Some(room) = self.buffer.get_mut(self.len..end) {
            copy_short(room, bytes);
            self.len = end;
        } else {
            self.spill(bytes);
        }
    }

    /// Appends one signed pair, `&name=value` (`name=value` for the first): one check for room
    /// rather than one per piece, as most pairs fit in what is left of the buffer.
    #[inline]
    pub(crate) fn push_pair(&mut self, first: bool, name: &[u8], value: &[u8]) {
        let separator = usize::from(!first);
        let start = self.len;
        let equals = start + separator + name.len();
        let end = equals + 1 + value.len();
        if end > STREAM_BUFFER {
            if !first {
                self.push(b"&");
            }
            self.push(name);
            self.push(b"=");
            self.push(value);
            return;
        }
        if let Some(slot) = self.buffer.get_mut(start).filter(|_| !first) {
            *slot = b'&';
        }
        if let Some(room) = self.buffer.get_mut(start + separator..equals) {
            copy_short(room, name);
        }
        if let Some(slot) = self.buffer.get_mut(equals) {
            *slot = b'=';
        }
        if let Some(room) = self.buffer.get_mut(equals + 1..end) {
            copy_short(room, value);
        }
        self.len = end;
        self.hash_blocks();
    }

    /// Hashes the whole blocks gathered since the last call, once there are a few: the hash
    /// of one block then overlaps with writing the next pairs, rather than all of it waiting
    /// for the end.
    #[inline]
    fn hash_blocks(&mut self) {
        let pending = self.len - self.hashed;
        if pending >= EAGER_BYTES {
            let blocks = pending - pending % BLOCK;
            if let Some(whole) = self.buffer.get(self.hashed..self.hashed + blocks) {
                self.sha.update(whole);
            }
            self.hashed += blocks;
        }
    }

    /// The buffer is full: hashes what it holds, then keeps `bytes` (or hashes them too, when
    /// they are longer than the buffer).
    #[cold]
    fn spill(&mut self, bytes: &[u8]) {
        self.sha.update(self.buffer.get(self.hashed..self.len).unwrap_or_default());
        self.len = 0;
        self.hashed = 0;
        if let Some(room) = self.buffer.get_mut(..bytes.len()) {
            room.copy_from_slice(bytes);
            self.len = bytes.len();
        } else {
            self.sha.update(bytes);
        }
    }

    /// The signature of everything pushed. Borrows rather than consumes: moving the stream
    /// (its buffer) to consume it cost more than the rest of finishing, bar the hash. What
    /// it held is gone afterwards: pushing more starts a hash without the secret.
    pub(crate) fn finish(&mut self) -> Signature {
        let mut sha = std::mem::take(&mut self.sha);
        sha.update(self.buffer.get(self.hashed..self.len).unwrap_or_default());
        self.len = 0;
        self.hashed = 0;
        Signature(sha.finalize().into())
    }
}

/// `dst.copy_from_slice(src)` (same lengths), in line for the short pieces a signed text is
/// made of (`&`, a name, `=`, a code, a URL): two overlapping fixed-size copies instead of a
/// call to `memcpy` per piece, which costs more than the copy itself.
#[inline]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    match (dst, n) {
        (_, 0) => {}
        (dst, 1..=3) => {
            for (d, s) in dst.iter_mut().zip(src) {
                *d = *s;
            }
        }
        (dst, 4..=7) => copy_overlapping::<4>(dst, src),
        (dst, 8..=16) => copy_overlapping::<8>(dst, src),
        (dst, 17..=32) => copy_overlapping::<16>(dst, src),
        (dst, 33..=64) => copy_overlapping::<32>(dst, src),
        (dst, _) => dst.copy_from_slice(src),
    }
}

/// Copies `src` (between `N` and `2N` bytes) as its first and last `N` bytes.
#[inline]
fn copy_overlapping<const N: usize>(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if let (Some(d), Some(s)) = (dst.get_mut(..N), src.get(..N)) {
        d.copy_from_slice(s);
    }
    let tail = n.saturating_sub(N);
    if let (Some(d), Some(s)) = (dst.get_mut(tail..n), src.get(tail..n)) {
        d.copy_from_slice(s);
    }
}

impl Drop for StreamingSignature {
    fn drop(&mut self) {
        let secret = self.secret_len.min(STREAM_BUFFER);
        if let Some(copy) = self.buffer.get_mut(..secret) {
            zeroize::Zeroize::zeroize(copy);
        }
    }
}

/// A signature's 64 lowercase hex digits, held on the stack until written into a body.
pub(crate) struct SignatureHex([u8; 64]);

impl SignatureHex {
    pub(crate) fn as_str(&self) -> &str {
        // Hex digits are ASCII, so this is always valid UTF-8.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_and_reads_back() {
        for seed in 0..=255u8 {
            let bytes: [u8; 32] =
                std::array::from_fn(|at| seed.wrapping_mul(31).wrapping_add(u8::try_from(at * 8).unwrap()));
            let hex = Signature(bytes).to_hex();
            assert_eq!(hex.as_str(), hex::encode(bytes));
            assert!(Signature::from_hex(hex.as_str()).unwrap().matches(&Signature(bytes)));
            assert!(Signature::from_hex(&hex.as_str().to_uppercase()).unwrap().matches(&Signature(bytes)));
        }
        let good = "0123456789abcdefABCDEF".repeat(3);
        let good = &good[..64];
        assert!(Signature::from_hex(good).is_some());
        for bad in ["", &good[..63], &format!("{good}0"), &format!("g{}", &good[1..]), &format!("{}G", &good[..63])] {
            assert!(Signature::from_hex(bad).is_none(), "{bad}");
        }
        let non_ascii = format!("\u{e9}{}", &good[2..]);
        assert!(Signature::from_hex(&non_ascii).is_none());
    }
}
