//! Finding bytes in text eight at a time: a word of eight bytes is tested as one number, the
//! lowest byte that matches found from the lowest bit set. Names and values in eftPay's messages
//! are mostly eight to thirty bytes long, where this takes a few steps and a byte-by-byte loop
//! takes one per byte; wider vectors would seldom fill.

/// Eight copies of `byte`.
const fn repeated(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

const ONES: u64 = repeated(0x01);
const TOPS: u64 = repeated(0x80);

/// The top bit of each byte of `word` that is zero. A borrow only runs upward, past the first
/// zero byte, so the lowest bit set is exact; bits above it may not be.
const fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & TOPS
}

/// The top bit of each byte of `word` equal to `byte` (the lowest exact, as [`zero_bytes`]).
pub(crate) const fn bytes_equal(word: u64, byte: u8) -> u64 {
    zero_bytes(word ^ repeated(byte))
}

/// The top bit of each byte of `word` below `limit`, for `limit` up to 0x80 (the lowest exact:
/// subtracting `limit` from each byte borrows for those below it; bytes of 0x80 and up never
/// match).
pub(crate) const fn bytes_below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(repeated(limit)) & !word & TOPS
}

/// The index of the first byte of `bytes` that `in_word` marks (a word read little-endian, so
/// its lowest bits are its first byte) and `is_match` accepts — the two saying the same of a
/// byte, one for eight at a time, one for the last few.
pub(crate) fn first_match(bytes: &[u8], in_word: impl Fn(u64) -> u64, is_match: impl Fn(u8) -> bool) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8]));
        let found = in_word(word);
        if found != 0 {
            return Some(offset + found.trailing_zeros() as usize / 8);
        }
        offset += 8;
    }
    chunks.remainder().iter().position(|&byte| is_match(byte)).map(|at| offset + at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn eight_at_a_time_finds_what_one_by_one_finds(
            bytes in proptest::collection::vec(prop_oneof![any::<u8>(), Just(b'&'), Just(b'='), 0x1e_u8..0x22, 0x7f_u8..0x82], 0..40)
        ) {
            let is_match = |byte: u8| byte == b'&' || byte == b'=' || byte < 0x20;
            let in_word = |word: u64| bytes_equal(word, b'&') | bytes_equal(word, b'=') | bytes_below(word, 0x20);
            prop_assert_eq!(first_match(&bytes, in_word, is_match), bytes.iter().position(|&byte| is_match(byte)));
        }
    }
}
