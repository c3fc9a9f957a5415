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
}

impl std::ops::Deref for DeclarationRecord {
    type Target = Signed;
    fn deref(&self) -> &Signed {
        &self.signed
    }
}

impl DeclarationRecord {
    /// SHA-256 over `signoff-declaration-v1\n` followed by the record as compact JSON; `-v2`
    /// when it records what was shown (its language and fingerprints, which v1 records, made
    /// before they existed, leave out of the JSON, so they hash exactly as they always did).
    pub fn row_hash(&self) -> String {
        // Serialising a plain struct of strings and integers cannot fail.
        let json = serde_json::to_string(self).unwrap_or_default();
        let format = if self.language.is_empty() && self.shown_sha256.is_empty() {
            "v1"
        } else {
            "v2"
        };
        sha256_hex(format!("signoff-declaration-{format}\n{json}"))
    }
}

/// A stored declaration: the record its hash covers, the hash, and (where the query joins it
/// in, `store::declarations::for_carer`) the signed version's number, else 0.
#[derive(Debug, Clone)]
pub struct Declaration {
    pub record: DeclarationRecord,
    pub row_hash: String,
    pub version_number: i64,
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

/// Where a school's chain of declarations breaks first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The row's fields no longer produce its hash.
    Altered { id: i64, seq: i64 },
    /// A row whose place in the chain is already taken, or that a later row skips over.
    Inserted { id: i64, seq: i64 },
    /// Rows missing: the chain jumps from `after_seq` to the row `id`.
    Removed { id: i64, seq: i64, after_seq: i64 },
    /// The row does not carry the hash of the row before it.
    Unlinked { id: i64, seq: i64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Altered { id, seq } => {
                write!(
                    f,
                    "declaration {id} (no. {seq} in its school's chain) was altered: its contents no longer match its hash"
                )
            }
            Break::Inserted { id, seq } => {
                write!(
                    f,
                    "declaration {id} was inserted: no. {seq} in its school's chain belongs to an earlier declaration"
                )
            }
            Break::Removed { id, seq, after_seq } => write!(
                f,
                "declaration(s) removed: no. {} to {} are missing before declaration {id} (no. {seq})",
                after_seq + 1,
                seq - 1
            ),
            Break::Unlinked { id, seq } => write!(
                f,
                "declaration {id} (no. {seq}) does not follow the declaration before it: one of them was inserted or replaced"
            ),
        }
    }
}

/// A stored declaration for checking: its fields and the hash stored with them.
pub struct ChainRow {
    pub record: DeclarationRecord,
    pub row_hash: String,
}

/// Checks one school's declarations, ordered by `seq` then `id`. Returns how many were checked.
pub fn check_chain(rows: &[ChainRow]) -> Result<usize, Break> {
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1;
    for (i, row) in rows.iter().enumerate() {
        let (id, seq) = (row.record.id, row.record.seq);
        if row.record.row_hash() != row.row_hash {
            return Err(Break::Altered { id, seq });
        }
        if seq < expected_seq {
            return Err(Break::Inserted { id, seq });
        }
        if seq > expected_seq {
            return Err(Break::Removed {
                id,
                seq,
                after_seq: expected_seq - 1,
            });
        }
        if row.record.prev_hash != expected_prev {
            // A row slipped in before this one: this row links to the row two back.
            if i >= 2 && row.record.prev_hash == rows[i - 2].row_hash {
                return Err(Break::Inserted {
                    id: rows[i - 1].record.id,
                    seq: rows[i - 1].record.seq,
                });
            }
            return Err(Break::Unlinked { id, seq });
        }
        expected_prev = row.row_hash.clone();
        expected_seq = seq + 1;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod chain_tests {
    use super::*;

    fn chain(n: i64) -> Vec<ChainRow> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|i| {
                let record = DeclarationRecord {
                    id: i * 10,
                    school_id: 1,
                    seq: i,
                    signed: Signed {
                        carer_id: i,
                        document_id: 1,
                        version_id: 1,
                        children: "[]".into(),
                        carer_name: format!("Carer {i}"),
                        typed_name: format!("Carer {i}"),
                        declaration_text: "I agree.".into(),
                        text_sha256: "x".into(),
                        signed_at: "2026-11-21T10:00:00Z".into(),
                        method: "online".into(),
                        ip: String::new(),
                        user_agent: String::new(),
                        recorded_by: None,
                        received_on: None,
                        note: String::new(),
                        language: String::new(),
                        shown_sha256: String::new(),
                    },
                    prev_hash: prev.clone(),
                };
                let row_hash = record.row_hash();
                prev = row_hash.clone();
                ChainRow { record, row_hash }
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_passes() {
        assert_eq!(check_chain(&chain(4)), Ok(4));
        assert_eq!(check_chain(&[]), Ok(0));
    }

    #[test]
    fn each_kind_of_tampering_is_named() {
        let mut altered = chain(4);
        altered[2].record.signed.typed_name = "Someone Else".into();
        assert_eq!(
            check_chain(&altered),
            Err(Break::Altered { id: 30, seq: 3 })
        );

        let mut removed = chain(4);
        removed.remove(1);
        assert_eq!(
            check_chain(&removed),
            Err(Break::Removed {
                id: 30,
                seq: 3,
                after_seq: 1
            })
        );

        // A forged row that takes no. 3 and links correctly to no. 2.
        let mut inserted = chain(4);
        let mut forged = inserted[2].record.clone();
        forged.id = 99;
        forged.signed.typed_name = "Forged".into();
        let h = forged.row_hash();
        inserted.insert(
            3,
            ChainRow {
                record: forged,
                row_hash: h,
            },
        );
        assert_eq!(
            check_chain(&inserted),
            Err(Break::Inserted { id: 99, seq: 3 })
        );
    }
}
