//! A school's chain: its declarations and erasures, numbered together from 1, each carrying the
//! hash of the entry before it (the first, [`GENESIS`]), so that anything altered, inserted or
//! removed shows.

use serde::Serialize;

use super::evidence::GENESIS;
use super::secret::sha256_hex;

/// What an entry of the chain is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Declaration,
    Erasure,
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Declaration => "declaration",
            Kind::Erasure => "erasure",
        })
    }
}

/// One entry of a school's chain, for checking.
#[derive(Debug, Clone)]
pub struct Link {
    pub kind: Kind,
    pub id: i64,
    pub seq: i64,
    pub prev_hash: String,
    /// The hash stored with the entry.
    pub row_hash: String,
    /// The hash recomputed from the entry's fields; `None` for a declaration made before
    /// commitments (v1, v2) whose personal fields were erased: only its links can be checked,
    /// and the erasure that emptied it names its hash.
    pub computed: Option<String>,
}

/// An erasure: a tombstone in the school's chain saying what was erased, when, why and by whom.
/// It never names the carer; `redacted` lists the declarations it emptied.
#[derive(Debug, Clone, Serialize)]
pub struct ErasureRecord {
    pub id: i64,
    pub school_id: i64,
    pub seq: i64,
    pub carer_id: i64,
    pub erased_at: String,
    /// `rule` or `request`.
    pub basis: String,
    pub reason: String,
    #[serde(rename = "override")]
    pub override_reason: String,
    pub requested_by: String,
    pub approved_by: String,
    pub erased: String,
    /// A JSON array of `[id, row_hash]`, one per declaration redacted.
    pub redacted: String,
    pub prev_hash: String,
}

impl ErasureRecord {
    /// SHA-256 over `signoff-erasure-v1\n` and the record as compact JSON.
    pub fn row_hash(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        sha256_hex(format!("signoff-erasure-v1\n{json}"))
    }

    /// The declarations it redacted, as `(id, row_hash)`; an unreadable list reads as none.
    pub fn redacted(&self) -> Vec<(i64, String)> {
        serde_json::from_str(&self.redacted).unwrap_or_default()
    }

    /// The `redacted` column for these declarations.
    pub fn redacted_json(entries: &[(i64, String)]) -> String {
        serde_json::to_string(entries).unwrap_or_else(|_| "[]".into())
    }
}

/// A stored erasure: the record and the hash stored with it.
#[derive(Debug, Clone)]
pub struct Erasure {
    pub record: ErasureRecord,
    pub row_hash: String,
}

impl std::ops::Deref for Erasure {
    type Target = ErasureRecord;
    fn deref(&self) -> &ErasureRecord {
        &self.record
    }
}

/// Where a school's chain breaks first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The row's fields no longer produce its hash.
    Altered { kind: Kind, id: i64, seq: i64 },
    /// A row whose place in the chain is already taken, or that a later row skips over.
    Inserted { kind: Kind, id: i64, seq: i64 },
    /// Rows missing: the chain jumps from `after_seq` to the row `id`.
    Removed {
        kind: Kind,
        id: i64,
        seq: i64,
        after_seq: i64,
    },
    /// The row does not carry the hash of the row before it.
    Unlinked { kind: Kind, id: i64, seq: i64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Altered { kind, id, seq } => write!(
                f,
                "{kind} {id} (no. {seq} in its school's chain) was altered: its contents no longer match its hash"
            ),
            Break::Inserted { kind, id, seq } => write!(
                f,
                "{kind} {id} was inserted: no. {seq} in its school's chain belongs to an earlier entry"
            ),
            Break::Removed {
                kind,
                id,
                seq,
                after_seq,
            } => write!(
                f,
                "declaration(s) removed: no. {} to {} are missing before {kind} {id} (no. {seq})",
                after_seq + 1,
                seq - 1
            ),
            Break::Unlinked { kind, id, seq } => write!(
                f,
                "{kind} {id} (no. {seq}) does not follow the entry before it: one of them was inserted or replaced"
            ),
        }
    }
}

/// Checks one school's chain, ordered by `seq` then id. Returns how many entries were checked.
pub fn check_chain(rows: &[Link]) -> Result<usize, Break> {
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1;
    for (i, row) in rows.iter().enumerate() {
        let (kind, id, seq) = (row.kind, row.id, row.seq);
        if row.computed.as_ref().is_some_and(|h| *h != row.row_hash) {
            return Err(Break::Altered { kind, id, seq });
        }
        if seq < expected_seq {
            return Err(Break::Inserted { kind, id, seq });
        }
        if seq > expected_seq {
            return Err(Break::Removed {
                kind,
                id,
                seq,
                after_seq: expected_seq - 1,
            });
        }
        if row.prev_hash != expected_prev {
            // A row slipped in before this one: this row links to the row two back.
            if i >= 2 && row.prev_hash == rows[i - 2].row_hash {
                let slipped = &rows[i - 1];
                return Err(Break::Inserted {
                    kind: slipped.kind,
                    id: slipped.id,
                    seq: slipped.seq,
                });
            }
            return Err(Break::Unlinked { kind, id, seq });
        }
        expected_prev = row.row_hash.clone();
        expected_seq = seq + 1;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod chain_tests {
    use super::*;
    use crate::domain::evidence::{DeclarationRecord, Signed};

    fn record(i: i64, prev: &str) -> DeclarationRecord {
        DeclarationRecord {
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
            prev_hash: prev.into(),
            personal_salt: String::new(),
            personal_sha256: String::new(),
        }
    }

    fn link(r: &DeclarationRecord) -> Link {
        Link {
            kind: Kind::Declaration,
            id: r.id,
            seq: r.seq,
            prev_hash: r.prev_hash.clone(),
            row_hash: r.row_hash(),
            computed: Some(r.row_hash()),
        }
    }

    fn chain(n: i64) -> Vec<Link> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|i| {
                let l = link(&record(i, &prev));
                prev = l.row_hash.clone();
                l
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_passes() {
        assert_eq!(check_chain(&chain(4)), Ok(4));
        assert_eq!(check_chain(&[]), Ok(0));
        // An erased v1 declaration is checked by its links alone.
        let mut erased = chain(4);
        erased[1].computed = None;
        assert_eq!(check_chain(&erased), Ok(4));
    }

    #[test]
    fn each_kind_of_tampering_is_named() {
        let d = Kind::Declaration;
        let mut altered = chain(4);
        let mut r = record(3, &altered[1].row_hash);
        r.signed.typed_name = "Someone Else".into();
        altered[2].computed = Some(r.row_hash());
        assert_eq!(
            check_chain(&altered),
            Err(Break::Altered {
                kind: d,
                id: 30,
                seq: 3
            })
        );

        let mut removed = chain(4);
        removed.remove(1);
        assert_eq!(
            check_chain(&removed),
            Err(Break::Removed {
                kind: d,
                id: 30,
                seq: 3,
                after_seq: 1
            })
        );

        // A forged row that takes no. 3 and links correctly to no. 2.
        let mut inserted = chain(4);
        let mut forged = record(3, &inserted[1].row_hash);
        forged.id = 99;
        forged.signed.typed_name = "Forged".into();
        inserted.insert(3, link(&forged));
        assert_eq!(
            check_chain(&inserted),
            Err(Break::Inserted {
                kind: d,
                id: 99,
                seq: 3
            })
        );

        // An erased entry's stored hash changed breaks the next link.
        let mut relinked = chain(4);
        relinked[1].computed = None;
        relinked[1].row_hash = "1".repeat(64);
        assert_eq!(
            check_chain(&relinked),
            Err(Break::Unlinked {
                kind: d,
                id: 30,
                seq: 3
            })
        );
    }
}
