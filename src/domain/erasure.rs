//! How a chain with erasures is checked: an erased declaration must be named, with its hash, by
//! an erasure in its school's chain, and hold nothing personal; a declaration that commits to its
//! personal fields (v3) and still holds them must match that commitment.

use super::chain::{Erasure, Kind, Link};
use super::evidence::Declaration;

/// A school's declarations and erasures as one chain, in order. A declaration's hash is
/// recomputed from its fields; one that commits to its personal fields (v3) and still holds them
/// must also match that commitment, or it counts as altered. An erased declaration made before
/// commitments (v1, v2) can only be checked by its links.
pub fn links(rows: &[Declaration], erasures: &[Erasure]) -> Vec<Link> {
    let mut out: Vec<Link> = rows
        .iter()
        .map(|d| {
            let v3 = !d.personal_sha256.is_empty();
            let computed = match (v3, d.erasure_id) {
                (true, Some(_)) => Some(d.record.row_hash()),
                (true, None) if d.personal_commitment(&d.personal_salt) != d.personal_sha256 => {
                    Some("its personal fields no longer match their commitment".into())
                }
                (true, None) | (false, None) => Some(d.record.row_hash()),
                (false, Some(_)) => None,
            };
            Link {
                kind: Kind::Declaration,
                id: d.id,
                seq: d.seq,
                prev_hash: d.prev_hash.clone(),
                row_hash: d.row_hash.clone(),
                computed,
            }
        })
        .collect();
    out.extend(erasures.iter().map(|e| Link {
        kind: Kind::Erasure,
        id: e.id,
        seq: e.seq,
        prev_hash: e.prev_hash.clone(),
        row_hash: e.row_hash.clone(),
        computed: Some(e.record.row_hash()),
    }));
    out.sort_by_key(|l| (l.seq, l.kind == Kind::Erasure, l.id));
    out
}

/// Whether every emptied declaration was emptied by an erasure in the chain that names it (and
/// its hash), and every declaration an erasure names was emptied.
pub fn redaction_problem(rows: &[Declaration], erasures: &[Erasure]) -> Option<String> {
    for d in rows {
        let Some(eid) = d.erasure_id else { continue };
        let Some(e) = erasures.iter().find(|e| e.id == eid) else {
            return Some(format!(
                "declaration {} was emptied as if erased, but no erasure in its school's chain records it: \
                 personal details were removed outside the portal",
                d.id
            ));
        };
        if e.carer_id != d.carer_id || !e.redacted().iter().any(|(id, _)| *id == d.id) {
            return Some(format!(
                "declaration {} is marked as emptied by erasure {}, which does not name it",
                d.id, e.id
            ));
        }
        let s = &d.signed;
        if [&s.carer_name, &s.typed_name, &s.ip, &s.user_agent, &s.note]
            .iter()
            .any(|f| !f.is_empty())
            || s.children != "[]"
            || !d.personal_salt.is_empty()
        {
            return Some(format!(
                "declaration {} is marked as erased but holds personal details: they were written back",
                d.id
            ));
        }
    }
    for e in erasures {
        for (id, hash) in e.redacted() {
            match rows.iter().find(|d| d.id == id) {
                None => {
                    return Some(format!(
                        "erasure {} names declaration {id}, which is missing: it was deleted",
                        e.id
                    ));
                }
                Some(d) if d.row_hash != hash => {
                    return Some(format!(
                        "declaration {id} no longer has the hash erasure {} recorded when it emptied it: \
                         it was altered",
                        e.id
                    ));
                }
                Some(d) if d.erasure_id != Some(e.id) => {
                    return Some(format!(
                        "erasure {} says it emptied declaration {id}, which still holds its personal details",
                        e.id
                    ));
                }
                Some(_) => {}
            }
        }
    }
    None
}
