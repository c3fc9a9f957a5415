//! How a chain with erasures is checked: an erased declaration must be named, with its hash, by
//! an erasure in its school's chain, and hold nothing personal; a declaration that commits to its
//! personal fields (v3) and still holds them must match that commitment.

use super::chain::{Erasure, KEPT_BY_ROW_HASH, Kind, Link};
use super::evidence::Declaration;

/// A school's declarations and erasures as one chain, in order. A declaration's hash is
/// recomputed from its fields; one that commits to its personal fields (v3) and still holds them
/// must also match that commitment, or it counts as altered. An erased declaration made before
/// commitments (v1, v2) is checked by its links here, and by the fingerprint of its kept fields
/// its erasure recorded (`redaction_problem`).
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
/// its hash), and every declaration an erasure names was emptied; whether what an erased
/// declaration keeps is as its erasure recorded it (by its row hash for v3, by the fingerprint of
/// its kept fields before that); and whether every declaration from `v3_from` on (the place in
/// the chain where the school's declarations began to commit to their personal fields) does.
pub fn redaction_problem(
    rows: &[Declaration],
    erasures: &[Erasure],
    v3_from: i64,
) -> Option<String> {
    let mut lists = Vec::with_capacity(erasures.len());
    for e in erasures {
        let Some(list) = e.redacted() else {
            return Some(format!(
                "erasure {} has a list of emptied declarations that cannot be read: it was altered",
                e.id
            ));
        };
        lists.push((e, list));
    }
    for d in rows {
        // Before the boundary no declaration committed (migration 0018 set it at the first that
        // did): one that does shows the boundary was moved, to pass later ones off as older.
        if d.seq < v3_from && !d.personal_sha256.is_empty() {
            return Some(format!(
                "declaration {} (no. {}) commits to its personal fields, but the chain's record of where \
                 commitments begin says no. {v3_from}: that record was moved",
                d.id, d.seq
            ));
        }
        if d.seq >= v3_from && d.personal_sha256.is_empty() {
            return Some(format!(
                "declaration {} (no. {}) has no commitment to its personal fields, which every declaration \
                 from no. {v3_from} on has: it was altered",
                d.id, d.seq
            ));
        }
        let Some(eid) = d.erasure_id else { continue };
        let Some((e, list)) = lists.iter().find(|(e, _)| e.id == eid) else {
            return Some(format!(
                "declaration {} was emptied as if erased, but no erasure in its school's chain records it: \
                 personal details were removed outside the portal",
                d.id
            ));
        };
        let Some(entry) = list
            .iter()
            .find(|r| r.id == d.id)
            .filter(|_| e.carer_id == d.carer_id)
        else {
            return Some(format!(
                "declaration {} is marked as emptied by erasure {}, which does not name it",
                d.id, e.id
            ));
        };
        let kept_as_recorded = if entry.kept == KEPT_BY_ROW_HASH {
            // Its row hash covers what it keeps (checked with the chain).
            !d.personal_sha256.is_empty()
        } else {
            d.personal_sha256.is_empty() && d.record.kept_sha256() == entry.kept
        };
        if !kept_as_recorded {
            return Some(format!(
                "declaration {} was altered after erasure {} emptied it: what it keeps no longer matches \
                 what the erasure recorded",
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
    for (e, list) in &lists {
        for r in list {
            let id = r.id;
            match rows.iter().find(|d| d.id == id) {
                None => {
                    return Some(format!(
                        "erasure {} names declaration {id}, which is missing: it was deleted",
                        e.id
                    ));
                }
                Some(d) if d.row_hash != r.row_hash => {
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
