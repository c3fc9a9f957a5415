//! Staff passwords: what is accepted, and argon2id hashing.
//!
//! At least 12 characters, no composition rules, paste allowed, the most common long passwords
//! refused (NIST SP 800-63B's advice).

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 256;

/// Passwords of 12 or more characters that appear near the top of published breach lists.
const COMMON: &[&str] = &[
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "password1234567",
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "1234567891011",
    "111111111111",
    "000000000000",
    "123123123123",
    "121212121212",
    "112233445566",
    "qwertyuiop12",
    "qwerty123456",
    "qwertyuiopasdfgh",
    "qwertyuiopas",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "qazwsxedcrfv",
    "asdfghjkl123",
    "asdfghjkl;'",
    "abcdefghijkl",
    "abc123456789",
    "abcd12345678",
    "aaaaaaaaaaaa",
    "iloveyou1234",
    "letmein12345",
    "welcome12345",
    "welcome123456",
    "football1234",
    "monkey123456",
    "princess1234",
    "sunshine1234",
    "baseball1234",
    "superman1234",
    "changeme1234",
    "administrator",
    "administrator1",
    "passw0rd1234",
    "p@ssw0rd1234",
    "p@ssword1234",
    "computer1234",
    "trustno11234",
    "starwars1234",
    "liverpool123",
    "liverpool1234",
    "chelsea12345",
    "arsenal12345",
    "manchester123",
    "manchesterunited",
    "school123456",
    "teacher12345",
    "headteacher1",
    "headteacher123",
    "office123456",
    "password!234",
    "Password1234",
    "Password123!",
    "Welcome12345",
    "Qwerty123456",
    "iloveyouiloveyou",
];

/// Why a chosen password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
    TooCommon,
}

impl std::fmt::Display for PasswordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PasswordError::TooShort => write!(f, "Use at least {MIN_LEN} characters. A few unrelated words make a good password."),
            PasswordError::TooLong => write!(f, "Use at most {MAX_LEN} characters."),
            PasswordError::TooCommon => f.write_str("That password is one of the most commonly used, so it is easy to guess. Choose another."),
        }
    }
}

/// Checks a new password against the rules.
pub fn check_new(password: &str, also_not: &[&str]) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(PasswordError::TooShort);
    }
    if n > MAX_LEN {
        return Err(PasswordError::TooLong);
    }
    let lower = password.to_lowercase();
    let first = lower.chars().next();
    let one_char = first.is_some_and(|c| lower.chars().all(|x| x == c));
    if one_char
        || COMMON.iter().any(|c| c.eq_ignore_ascii_case(&lower))
        || also_not
            .iter()
            .any(|s| !s.is_empty() && s.to_lowercase() == lower)
    {
        return Err(PasswordError::TooCommon);
    }
    Ok(())
}

/// argon2id with the crate's default cost (19 MiB, 2 passes). Slow on purpose: call it off the
/// async runtime.
pub fn hash(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches a stored hash. A malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), stored)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(check_new("short", &[]), Err(PasswordError::TooShort));
        assert_eq!(
            check_new("Password1234", &[]),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new("zzzzzzzzzzzzzz", &[]),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_new("head@oakfield.sch.uk", &["head@oakfield.sch.uk"]),
            Err(PasswordError::TooCommon)
        );
        assert!(check_new("correct horse battery", &[]).is_ok());
    }

    #[test]
    fn hashes_verify() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterY", &h));
        assert!(!verify("x", "not a hash"));
    }
}
