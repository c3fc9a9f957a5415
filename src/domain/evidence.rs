//! Evidence hashing: the hash chain over declarations (a version's canonical text is
//! `domain::wording`).
//!
//! Both are plain, documented byte layouts so that anyone can recompute them with `sha256sum`.

use serde::{Deserialize, Serialize};

use super::secret::sha256_hex;

/// The `prev_hash` of the first declaration in a school's chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A child a declaration covers, as stored in its `children` column (a JSON array, keys in
/// alphabetical order, as the first declarations were written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoveredChild {
    pub class: String,
    /// Read as 0 from a row written without it, so a receipt still names the child.
    #[serde(default)]
    pub id: i64,
    pub name: String,
}

impl CoveredChild {
    /// The `children` column for these children.
    pub fn to_json(children: &[CoveredChild]) -> String {
        serde_json::to_string(children).unwrap_or_else(|_| "[]".into())
    }

    /// The children a stored declaration covers; an unreadable column reads as none.
    pub fn from_json(column: &str) -> Vec<CoveredChild> {
        serde_json::from_str(column).unwrap_or_default()
    }
}

/// What a carer signed and how: everything a declaration records but its place in the chain.
#[derive(Debug, Clone, Serialize)]
pub struct Signed {
    pub carer_id: i64,
    pub document_id: i64,
    pub version_id: i64,
    /// The children covered, as [`CoveredChild::to_json`] wrote them.
    pub children: String,
    pub carer_name: String,
    pub typed_name: String,
    pub declaration_text: String,
    pub text_sha256: String,
    pub signed_at: String,
    /// `online` or `paper`.
    pub method: String,
    pub ip: String,
    pub user_agent: String,
    pub recorded_by: Option<i64>,
    pub received_on: Option<String>,
    pub note: String,
    /// The language of each text the parent was shown when signing online, in order (`en`;
    /// `cy`; `cy en` side by side): see [`crate::domain::translation::Shown`]. Empty on paper and
    /// on declarations from before languages were recorded, whose hashes leave it out.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// The SHA-256 of each of those texts, in the same order.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub shown_sha256: String,
}

/// Every evidential field of a declaration, in a fixed order: its place in the school's chain
/// around what was signed. Its hash is the row's `row_hash`; the JSON it hashes lists the fields
/// flat, exactly as when they were one struct (the test below pins the layout).
#[derive(Debug, Clone, Serialize)]
pub struct DeclarationRecord {
    pub id: i64,
    pub school_id: i64,
    pub seq: i64,
    #[serde(flatten)]
    pub signed: Signed,
    pub prev_hash: String,
    /// The salt of [`DeclarationRecord::personal_commitment`]; emptied when the carer is erased.
    /// Empty on declarations made before commitments (formats v1 and v2).
    #[serde(skip)]
    pub personal_salt: String,
    /// The commitment to the personal fields (format v3), kept after erasure; else empty.
    #[serde(skip)]
    pub personal_sha256: String,
}

/// The personal fields of a declaration, which erasure removes, in the order committed to.
#[derive(Serialize)]
struct Personal<'a> {
    carer_name: &'a str,
    typed_name: &'a str,
    children: &'a str,
    ip: &'a str,
    user_agent: &'a str,
    note: &'a str,
}

/// A v3 declaration as hashed: every field but the personal ones, which it commits to through
/// `personal_sha256`.
#[derive(Serialize)]
struct Kept<'a> {
    id: i64,
    school_id: i64,
    seq: i64,
    carer_id: i64,
    document_id: i64,
    version_id: i64,
    declaration_text: &'a str,
    text_sha256: &'a str,
    signed_at: &'a str,
    method: &'a str,
    recorded_by: Option<i64>,
    received_on: Option<&'a str>,
    language: &'a str,
    shown_sha256: &'a str,
    personal_sha256: &'a str,
    prev_hash: &'a str,
}

impl std::ops::Deref for DeclarationRecord {
    type Target = Signed;
    fn deref(&self) -> &Signed {
        &self.signed
    }
}

impl DeclarationRecord {
    /// The row hash, in the record's format:
    /// - `v3` (declarations since erasure existed, which carry `personal_sha256`): SHA-256 over
    ///   `signoff-declaration-v3\n` and the compact JSON of every field except the personal ones
    ///   (names, children, IP, user agent, note), with `personal_sha256` in their place; so the
    ///   hash still recomputes once those are erased.
    /// - `v1`: over `signoff-declaration-v1\n` and the whole record as compact JSON; `v2` when it
    ///   records what was shown (its language and fingerprints, which v1 records, made before
    ///   they existed, leave out of the JSON, so they hash exactly as they always did).
    pub fn row_hash(&self) -> String {
        if !self.personal_sha256.is_empty() {
            let json = serde_json::to_string(&self.kept()).unwrap_or_default();
            return sha256_hex(format!("signoff-declaration-v3\n{json}"));
        }
        // Serialising a plain struct of strings and integers cannot fail.
        let json = serde_json::to_string(self).unwrap_or_default();
        let format = if self.language.is_empty() && self.shown_sha256.is_empty() {
            "v1"
        } else {
            "v2"
        };
        sha256_hex(format!("signoff-declaration-{format}\n{json}"))
    }

    /// The fingerprint of what erasure keeps of a declaration made before commitments (v1, v2):
    /// SHA-256 over `signoff-kept-v1\n` and the same JSON a v3 row hash covers (with an empty
    /// `personal_sha256`). Its erasure records it, so what is kept can still be checked.
    pub fn kept_sha256(&self) -> String {
        let json = serde_json::to_string(&self.kept()).unwrap_or_default();
        sha256_hex(format!("signoff-kept-v1\n{json}"))
    }

    /// How an erasure records this declaration's kept fields: by its row hash (v3), or by
    /// [`DeclarationRecord::kept_sha256`].
    pub fn kept_mark(&self) -> String {
        if self.personal_sha256.is_empty() {
            self.kept_sha256()
        } else {
            super::chain::KEPT_BY_ROW_HASH.to_string()
        }
    }

    fn kept(&self) -> Kept<'_> {
        let s = &self.signed;
        {
            Kept {
                id: self.id,
                school_id: self.school_id,
                seq: self.seq,
                carer_id: s.carer_id,
                document_id: s.document_id,
                version_id: s.version_id,
                declaration_text: &s.declaration_text,
                text_sha256: &s.text_sha256,
                signed_at: &s.signed_at,
                method: &s.method,
                recorded_by: s.recorded_by,
                received_on: s.received_on.as_deref(),
                language: &s.language,
                shown_sha256: &s.shown_sha256,
                personal_sha256: &self.personal_sha256,
                prev_hash: &self.prev_hash,
            }
        }
    }

    /// The commitment to the personal fields under `salt`: SHA-256 over
    /// `signoff-personal-v1\n`, the salt, a newline and the compact JSON of `carer_name`,
    /// `typed_name`, `children`, `ip`, `user_agent` and `note`. Without the salt (erased with
    /// them) nobody can test a guessed name against it.
    pub fn personal_commitment(&self, salt: &str) -> String {
        let s = &self.signed;
        let personal = Personal {
            carer_name: &s.carer_name,
            typed_name: &s.typed_name,
            children: &s.children,
            ip: &s.ip,
            user_agent: &s.user_agent,
            note: &s.note,
        };
        let json = serde_json::to_string(&personal).unwrap_or_default();
        sha256_hex(format!("signoff-personal-v1\n{salt}\n{json}"))
    }

    /// Makes this record commit to its personal fields under a fresh salt (format v3).
    pub fn commit_personal(&mut self) {
        let salt = hex(&super::secret::random_bytes::<16>());
        self.personal_sha256 = self.personal_commitment(&salt);
        self.personal_salt = salt;
    }

    /// Empties the personal fields and the salt, as erasure leaves them.
    pub fn redact(&mut self) {
        let s = &mut self.signed;
        for f in [
            &mut s.carer_name,
            &mut s.typed_name,
            &mut s.ip,
            &mut s.user_agent,
            &mut s.note,
        ] {
            f.clear();
        }
        s.children = "[]".into();
        self.personal_salt.clear();
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored declaration: the record its hash covers, the hash, and (where the query joins it
/// in, `store::declarations::for_carer`) the signed version's number, else 0.
#[derive(Debug, Clone)]
pub struct Declaration {
    pub record: DeclarationRecord,
    pub row_hash: String,
    pub version_number: i64,
    /// The erasure that redacted it, if its carer was erased.
    pub erasure_id: Option<i64>,
}

impl std::ops::Deref for Declaration {
    type Target = DeclarationRecord;
    fn deref(&self) -> &DeclarationRecord {
        &self.record
    }
}

impl Declaration {
    /// The reference printed on receipts.
    pub fn reference(&self) -> String {
        reference(self.id)
    }
}

/// The reference for a declaration id: `SO-000123`.
pub fn reference(id: i64) -> String {
    format!("SO-{id:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covered_children_keep_the_first_layout() {
        let kids = vec![CoveredChild {
            class: "3B".into(),
            id: 7,
            name: "Ava Jones".into(),
        }];
        let json = CoveredChild::to_json(&kids);
        assert_eq!(json, r#"[{"class":"3B","id":7,"name":"Ava Jones"}]"#);
        assert_eq!(CoveredChild::from_json(&json), kids);
        assert!(CoveredChild::from_json("not json").is_empty());
    }

    #[test]
    fn any_change_changes_the_row_hash() {
        let rec = DeclarationRecord {
            id: 1,
            school_id: 1,
            seq: 1,
            signed: Signed {
                carer_id: 2,
                document_id: 1,
                version_id: 1,
                children: "[]".into(),
                carer_name: "A B".into(),
                typed_name: "A B".into(),
                declaration_text: "I agree.".into(),
                text_sha256: "x".into(),
                signed_at: "2026-11-21T10:00:00Z".into(),
                method: "online".into(),
                ip: "127.0.0.1".into(),
                user_agent: "t".into(),
                recorded_by: None,
                received_on: None,
                note: String::new(),
                language: String::new(),
                shown_sha256: String::new(),
            },
            prev_hash: GENESIS.into(),
            personal_salt: String::new(),
            personal_sha256: String::new(),
        };
        let h = rec.row_hash();
        // The layout every stored row_hash was made with: it must never change.
        assert_eq!(
            serde_json::to_string(&rec).unwrap_or_default(),
            r#"{"id":1,"school_id":1,"seq":1,"carer_id":2,"document_id":1,"version_id":1,"children":"[]","carer_name":"A B","typed_name":"A B","declaration_text":"I agree.","text_sha256":"x","signed_at":"2026-11-21T10:00:00Z","method":"online","ip":"127.0.0.1","user_agent":"t","recorded_by":null,"received_on":null,"note":"","prev_hash":"0000000000000000000000000000000000000000000000000000000000000000"}"#
        );
        assert_eq!(
            h,
            "c4cd40c3da15e65a36adbc6e2eeb6841a14ae9d81b687f873d24ea01d0a6ccf9"
        );
        let mut other = rec.clone();
        other.signed.typed_name = "A C".into();
        assert_ne!(h, other.row_hash());
        let mut other = rec.clone();
        other.prev_hash = "1".repeat(64);
        assert_ne!(h, other.row_hash());
        assert_eq!(h, rec.row_hash());

        // A record of what was shown (v2): its language and fingerprint are hashed, and
        // removing them does not give back a hash the row could have had.
        let mut shown = rec.clone();
        shown.signed.language = "cy".into();
        shown.signed.shown_sha256 = "y".into();
        let json = serde_json::to_string(&shown).unwrap_or_default();
        assert!(json.contains(r#""note":"","language":"cy","shown_sha256":"y","prev_hash""#));
        let v2 = shown.row_hash();
        assert_eq!(v2, sha256_hex(format!("signoff-declaration-v2\n{json}")));
        let mut other = shown.clone();
        other.signed.language = "en".into();
        assert_ne!(v2, other.row_hash());
        other.signed.language = String::new();
        assert_ne!(v2, other.row_hash());
    }
}

#[cfg(test)]
#[path = "evidence_v3_tests.rs"]
mod v3_tests;
