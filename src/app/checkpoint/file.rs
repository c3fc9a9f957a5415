//! The checkpoint file a headteacher downloads for the governors: plain text a person can read,
//! whose lines between the BEGIN and END markers are signed with the portal's Ed25519 key.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::clock::parse_stamp;

const BEGIN: &str = "-----BEGIN SIGNED CHECKPOINT-----";
const END: &str = "-----END SIGNED CHECKPOINT-----";
const SIGNATURE: &str = "Signature (Ed25519):";
const PUBLIC_KEY: &str = "Public key (Ed25519):";
/// Put before the signed lines, so a signature over a checkpoint is good for nothing else.
const CONTEXT: &[u8] = b"signoff checkpoint v1\n";

/// What a checkpoint records of one school's chain.
pub struct Contents<'a> {
    pub school: &'a str,
    pub made: OffsetDateTime,
    pub seq: i64,
    pub row_hash: &'a str,
    /// When the newest entry was made (a UTC stamp).
    pub last_at: &'a str,
    pub file_name: &'a str,
}

/// The portal's key from its stored form (the secret's 64 hex characters).
pub fn key_from_hex(stored: &str) -> Option<SigningKey> {
    let bytes: [u8; 32] = hex::decode(stored.trim()).ok()?.try_into().ok()?;
    Some(SigningKey::from_bytes(&bytes))
}

/// A fresh key's stored form.
pub fn new_key_hex() -> String {
    hex::encode(crate::domain::secret::random_bytes::<32>())
}

/// A public key's short fingerprint for people to compare: the first 8 bytes of its SHA-256, in
/// four groups, like `3F2A 91C0 7B44 E1D2`.
pub fn fingerprint(key: &VerifyingKey) -> String {
    let digest = Sha256::digest(key.as_bytes());
    digest[..8]
        .chunks(2)
        .map(hex::encode_upper)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `2026-11-29 06:30:00 UTC`.
fn utc(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second] UTC"
    ))
    .unwrap_or_default()
}

/// The bytes the signature covers: the lines between the markers, each trimmed, so an editor
/// that changes line ends or trailing spaces does not break it.
fn message(lines: &[&str]) -> Vec<u8> {
    let mut m = CONTEXT.to_vec();
    for line in lines {
        m.extend_from_slice(line.trim().as_bytes());
        m.push(b'\n');
    }
    m
}

/// The checkpoint's text, signed with `key`.
pub fn write(c: &Contents<'_>, key: &SigningKey) -> String {
    let last = parse_stamp(c.last_at).map_or_else(|| c.last_at.to_string(), utc);
    let head_line = format!(
        "{}: {} entries in the chain; head {}",
        c.school, c.seq, c.row_hash
    );
    let signed = [
        format!("School: {}", c.school),
        format!("Made: {}", utc(c.made)),
        format!("Newest entry made: {last}"),
        head_line,
    ];
    let lines: Vec<&str> = signed.iter().map(String::as_str).collect();
    let signature = key.sign(&message(&lines));
    let public = key.verifying_key();
    format!(
        "Signoff checkpoint: {school}\n\
         \n\
         A signed record of the school's evidence chain as it stood when this file was made.\n\
         Every declaration a parent signs joins the chain, linked to the one before it by its\n\
         hash, so a record changed or removed at or before the place written below changes that\n\
         hash.\n\
         Governors: keep this file (and a printed copy) with the term's papers, and write the key\n\
         fingerprint below in the minutes.\n\
         \n\
         {BEGIN}\n\
         {signed}\n\
         {END}\n\
         \n\
         {SIGNATURE} {signature}\n\
         {PUBLIC_KEY} {public}\n\
         Key fingerprint: {fingerprint}\n\
         \n\
         How to check it\n\
         Whoever runs the portal copies this file to the server and runs:\n\
         \n\
         \x20 signoff verify --against {file}\n\
         \n\
         It says whether the chain still has the same entry at the place written above (a chain\n\
         rewritten at or before it is found), whether the signed lines are as they were made\n\
         (any change to the lines between BEGIN and END breaks the signature), and whether they\n\
         were signed with the portal's current key (compare the fingerprint it prints with the\n\
         one in the minutes).\n",
        school = c.school,
        signed = signed.join("\n"),
        signature = hex::encode(signature.to_bytes()),
        public = hex::encode(public.as_bytes()),
        fingerprint = fingerprint(&public),
        file = c.file_name,
    )
}

/// A checkpoint file's signed part, once its signature is found to match its lines.
#[derive(Debug)]
pub struct SignedPart<'a> {
    /// The signed lines (only these are trusted).
    pub lines: Vec<&'a str>,
    pub key: VerifyingKey,
}

/// What [`read`] refuses: a signed part that cannot be read, or one changed after signing.
pub const CHANGED: &str =
    "the checkpoint's signature does not match its lines: it was changed after it was downloaded";

/// The signed part of a checkpoint, checked: `None` for a file without one (an earlier
/// `verify`'s output), or why it cannot be trusted.
pub fn read(text: &str) -> Option<Result<SignedPart<'_>, String>> {
    let all: Vec<&str> = text.lines().collect();
    let start = all.iter().position(|l| l.trim() == BEGIN)?;
    Some(checked(&all, start))
}

fn checked<'a>(all: &[&'a str], start: usize) -> Result<SignedPart<'a>, String> {
    let Some(len) = all[start + 1..].iter().position(|l| l.trim() == END) else {
        return Err(format!(
            "the checkpoint's signed lines have no end (the line \"{END}\" is missing)"
        ));
    };
    let lines = all[start + 1..start + 1 + len].to_vec();
    let value = |label: &str| {
        all.iter()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(str::trim)
    };
    let (Some(signature), Some(public)) = (value(SIGNATURE), value(PUBLIC_KEY)) else {
        return Err(format!(
            "the checkpoint has signed lines but no \"{SIGNATURE}\" or \"{PUBLIC_KEY}\" line"
        ));
    };
    let key = hex::decode(public)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or_else(|| format!("the checkpoint's public key \"{public}\" cannot be read"))?;
    let signature = hex::decode(signature)
        .ok()
        .and_then(|b| Signature::from_slice(&b).ok())
        .ok_or_else(|| CHANGED.to_string())?;
    key.verify_strict(&message(&lines), &signature)
        .map_err(|_| CHANGED.to_string())?;
    Ok(SignedPart { lines, key })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (String, SigningKey) {
        let key = key_from_hex(&new_key_hex()).unwrap_or_else(|| SigningKey::from_bytes(&[7; 32]));
        let text = write(
            &Contents {
                school: "Oakfield Primary",
                made: time::macros::datetime!(2026-11-29 06:30:00 UTC),
                seq: 3,
                row_hash: &"ab".repeat(32),
                last_at: "2026-11-21T10:48:29Z",
                file_name: "signoff-checkpoint-oakfield-2026-11-29.txt",
            },
            &key,
        );
        (text, key)
    }

    #[test]
    fn a_written_checkpoint_reads_back_and_an_edit_breaks_it() {
        let (text, key) = sample();
        let head = format!(
            "Oakfield Primary: 3 entries in the chain; head {}",
            "ab".repeat(32)
        );
        assert!(text.contains(&head), "{text}");
        assert!(text.contains("Made: 2026-11-29 06:30:00 UTC"), "{text}");
        let part = read(&text).and_then(Result::ok);
        assert!(part.as_ref().is_some_and(|p| p.key == key.verifying_key()));
        assert!(part.is_some_and(|p| p.lines.contains(&head.as_str())));
        // Windows line ends still read.
        assert!(read(&text.replace('\n', "\r\n")).is_some_and(|r| r.is_ok()));

        let edited = text.replace(&head, &head.replace("head ab", "head ac"));
        assert_eq!(
            read(&edited).and_then(Result::err).as_deref(),
            Some(CHANGED)
        );
        let edited = text.replace("Made: 2026", "Made: 2025");
        assert_eq!(
            read(&edited).and_then(Result::err).as_deref(),
            Some(CHANGED)
        );
        assert!(read("Oakfield: 3 entries in the chain; head ab").is_none());
    }

    #[test]
    fn fingerprints_are_short_and_stable() {
        let key = SigningKey::from_bytes(&[1; 32]).verifying_key();
        let f = fingerprint(&key);
        assert_eq!(f.len(), 19, "{f}");
        assert_eq!(f, fingerprint(&key));
    }
}
