//! Personal signing codes: easy to read aloud and type, stored only as a hash.
//!
//! A code is ten characters from an alphabet without 0/O/1/I/L, shown as `KDFR-7QXP-M3`.
//! Case, spaces and hyphens are ignored when a parent types one.

use std::fmt;

use super::secret::{random_bytes, sha256_hex};

/// The 31 characters a code may contain.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a code, not counting the hyphens.
pub const LENGTH: usize = 10;

/// A well-formed signing code (normalised: upper case, no separators).
#[derive(Clone, PartialEq, Eq)]
pub struct SigningCode(String);

/// Why typed text is not a well-formed code. Never says whether some other code exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    Empty,
    WrongLength(usize),
    BadCharacter(char),
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeError::Empty => write!(
                f,
                "Enter the code from your letter, for example KDFR-7QXP-M3."
            ),
            CodeError::WrongLength(n) => write!(
                f,
                "A code has {LENGTH} letters and numbers, but you typed {n}. Check it against your letter."
            ),
            CodeError::BadCharacter(c) => write!(
                f,
                "Codes never contain \u{201c}{c}\u{201d}. Check it against your letter: codes use no 0, O, 1, I or L."
            ),
        }
    }
}

impl SigningCode {
    /// Reads a code as a person typed it.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let mut out = String::with_capacity(LENGTH);
        let mut count = 0usize;
        for c in input.chars() {
            if c.is_whitespace() || c == '-' || c == '\u{2010}' || c == '\u{2013}' {
                continue;
            }
            count += 1;
            let upper = c.to_ascii_uppercase();
            if !upper.is_ascii() || !ALPHABET.contains(&(upper as u8)) {
                return Err(CodeError::BadCharacter(c));
            }
            if count <= LENGTH {
                out.push(upper);
            }
        }
        match count {
            0 => Err(CodeError::Empty),
            LENGTH => Ok(SigningCode(out)),
            n => Err(CodeError::WrongLength(n)),
        }
    }

    /// A fresh random code. Rejection sampling keeps every character equally likely.
    pub fn generate() -> Self {
        let mut out = String::with_capacity(LENGTH);
        while out.len() < LENGTH {
            for b in random_bytes::<16>() {
                // 248 is the largest multiple of 31 below 256.
                if b < 248 && out.len() < LENGTH {
                    out.push(ALPHABET[(b % 31) as usize] as char);
                }
            }
        }
        SigningCode(out)
    }

    /// The normalised form, used in personal links (`/s/KDFR7QXPM3`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The stored form: SHA-256 of the normalised code.
    pub fn hash(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }

    /// Grouped for reading aloud: `KDFR-7QXP-M3`.
    pub fn display(&self) -> String {
        format!("{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }
}

impl fmt::Debug for SigningCode {
    // Codes are secrets: never in logs, even by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningCode(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_is_forgiving() {
        let a = SigningCode::parse("kdfr-7qxp-m3").unwrap();
        let b = SigningCode::parse(" KDFR 7QXP M3 ").unwrap();
        let c = SigningCode::parse("KDFR7QXPM3").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(a.display(), "KDFR-7QXP-M3");
        assert_eq!(a.hash(), c.hash());
    }

    #[test]
    fn ambiguous_characters_are_refused() {
        for bad in [
            "KDFR-7QXP-M0",
            "KDFR-7QXP-MO",
            "KDFR-7QXP-M1",
            "KDFR-7QXP-MI",
            "KDFR-7QXP-ML",
        ] {
            assert!(
                matches!(SigningCode::parse(bad), Err(CodeError::BadCharacter(_))),
                "{bad}"
            );
        }
        assert_eq!(SigningCode::parse("  "), Err(CodeError::Empty));
        assert_eq!(
            SigningCode::parse("KDFR-7QXP"),
            Err(CodeError::WrongLength(8))
        );
        assert_eq!(
            SigningCode::parse("KDFR-7QXP-M3X"),
            Err(CodeError::WrongLength(11))
        );
        assert!(SigningCode::parse("KDFR-7QXP-M\u{e9}").is_err());
    }

    #[test]
    fn generated_codes_are_well_formed_and_differ() {
        let a = SigningCode::generate();
        let b = SigningCode::generate();
        assert_ne!(a, b);
        assert_eq!(SigningCode::parse(&a.display()).unwrap(), a);
        assert!(!format!("{a:?}").contains(a.as_str()));
    }
}
