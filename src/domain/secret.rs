//! Random secrets and their one-way hashes: codes, tokens and session ids are stored only hashed.

use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: impl AsRef<[u8]>) -> String {
    let digest = Sha256::digest(bytes.as_ref());
    // Into a buffer of exactly the right size: hex::encode's per-character pushes showed in the
    // signing page's profile (every view hashes its code).
    let mut out = [0u8; 64];
    if hex::encode_to_slice(digest, &mut out).is_err() {
        return hex::encode(digest);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `n` bytes from the operating system's generator.
///
/// The OS generator failing means the machine cannot make secrets at all; there is no safe
/// fallback, so this is treated like running out of memory.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut buf).expect("the operating system's random number generator failed");
    buf
}

/// A URL-safe random token of 32 bytes (256 bits), hex encoded.
pub fn new_token() -> String {
    hex::encode(random_bytes::<32>())
}
