//! Anchors of each school's evidence chain kept outside the database (issue 18): the signed
//! checkpoint a headteacher downloads for the governors, `signoff verify --against` that checks
//! one, and checking a parent's receipt against the school's record.
//!
//! Every look at "the entry at no. N" or "the chain's head" goes through
//! [`declarations::hash_at`] and [`declarations::head_of`], so whatever comes to share the chain's
//! numbering is checked the same way.

pub mod file;

use ed25519_dalek::{SigningKey, VerifyingKey};

use crate::app::{AppError, AppState, FieldErrors};
use crate::domain::role::Actor;
use crate::domain::school::Scope;
use crate::store::declarations::{self, ChainHead};
use crate::store::{Db, Touched, audit, schools, settings};

/// Where the portal's signing key (its secret, hex) is kept in `settings`.
const KEY_SETTING: &str = "checkpoint_signing_key";

/// What the checkpoint page shows: the school's chain head (none while nobody has signed) and
/// the fingerprint of the key checkpoints are signed with (none until the first download).
pub struct Overview {
    pub head: Option<ChainHead>,
    pub fingerprint: Option<String>,
}

/// The school's chain as a checkpoint would record it now.
pub async fn overview(state: &AppState, scope: Scope) -> Result<Overview, AppError> {
    Ok(Overview {
        head: declarations::head_of(&state.db.read, scope).await?,
        fingerprint: current_key(&state.db).await?.map(|k| file::fingerprint(&k)),
    })
}

/// The portal's current public key, if it has made one.
async fn current_key(db: &Db) -> Result<Option<VerifyingKey>, sqlx::Error> {
    Ok(settings::get(&db.read, KEY_SETTING)
        .await?
        .as_deref()
        .and_then(file::key_from_hex)
        .map(|k| k.verifying_key()))
}

/// A checkpoint to download.
pub struct Download {
    pub file_name: String,
    pub text: String,
}

/// Makes the school's signed checkpoint (the key on first use) and records that it was
/// downloaded; `None` while the chain is empty (there is nothing to anchor).
pub async fn download(state: &AppState, me: &Actor) -> Result<Option<Download>, AppError> {
    let school = crate::app::school::of(state, me).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(head) = declarations::head_of(&mut *tx, me.scope).await? else {
        return Ok(None);
    };
    let stored = settings::get_or_insert(&mut tx, KEY_SETTING, &file::new_key_hex()).await?;
    let key: SigningKey = file::key_from_hex(&stored).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!(
            "the stored checkpoint signing key cannot be read"
        ))
    })?;
    let date = now
        .format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default();
    let file_name = format!("signoff-checkpoint-{}-{date}.txt", school.slug);
    let text = file::write(
        &file::Contents {
            school: &school.name,
            made: now,
            seq: head.seq,
            row_hash: &head.row_hash,
            last_at: &head.at,
            file_name: &file_name,
        },
        &key,
    );
    audit::by_staff(
        &mut *tx,
        me,
        now,
        "checkpoint.downloaded",
        &format!("school:{}", me.scope.id()),
        &format!(
            "no. {} head {}; key {}",
            head.seq,
            head.row_hash,
            file::fingerprint(&key.verifying_key())
        ),
    )
    .await?;
    tx.touching(Touched::Nothing).commit().await?;
    Ok(Some(Download { file_name, text }))
}

/// What `verify --against` found when every head a checkpoint names is in place.
#[derive(Debug)]
pub struct Held {
    /// How many chain heads were checked.
    pub heads: usize,
    /// For a signed checkpoint, what its key is.
    pub signed: Option<Signer>,
    /// Erasures made since the checkpoint that emptied declarations from before it: legitimate
    /// when the school made them (its Keeping records page lists each), to be recognised.
    pub erased_since: Vec<String>,
}

/// Who signed a checkpoint whose signature matches its lines.
#[derive(Debug)]
pub struct Signer {
    pub fingerprint: String,
    /// The portal's key now (`None`: it has none yet).
    pub current: Option<String>,
}

impl Held {
    /// What `verify` prints about the checkpoint.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "Checkpoint: all {} chain heads it names are still in place",
            self.heads
        )];
        out.extend(self.erased_since.iter().cloned());
        if let Some(s) = &self.signed {
            out.push(match &s.current {
                Some(c) if *c == s.fingerprint => format!(
                    "Checkpoint signature: good, made with this portal's signing key (fingerprint {})",
                    s.fingerprint
                ),
                Some(c) => format!(
                    "Checkpoint signature: good, but made with the key {}, which is NOT this portal's \
                     current key ({c}): compare it with the fingerprint the governors wrote down",
                    s.fingerprint
                ),
                None => format!(
                    "Checkpoint signature: good, but made with the key {}, and this portal has no \
                     signing key: compare it with the fingerprint the governors wrote down",
                    s.fingerprint
                ),
            });
        }
        out
    }
}

/// Checks a checkpoint against the chains now: each line "NAME: N entries in the chain; head
/// HASH" (or "... declarations in the chain ...", as checkpoints made before erasures say) must
/// still find HASH at no. N of that school's chain. A signed checkpoint (one downloaded from the
/// checkpoint page) must first match its signature, and then only its signed lines count; an
/// unsigned one (an earlier `verify`'s output) is read whole. Returns what held, or the first
/// problem (a changed file, a chain rewritten before that point, or cut short).
pub async fn against(db: &Db, checkpoint: &str) -> Result<Result<Held, String>, sqlx::Error> {
    // "entries" since erasures share the chain; "declarations" in checkpoints made before.
    const MARKS: [&str; 2] = [
        " entries in the chain; head ",
        " declarations in the chain; head ",
    ];
    let (lines, signed) = match file::read(checkpoint) {
        None => (checkpoint.lines().collect::<Vec<_>>(), None),
        Some(Err(problem)) => return Ok(Err(problem)),
        Some(Ok(part)) => (part.lines, Some(part.key)),
    };
    let schools = schools::names(&db.read).await?;
    let mut checked = 0;
    let mut erased_since = Vec::new();
    for line in lines {
        let Some((before, hash)) = MARKS.iter().find_map(|m| line.split_once(m)) else {
            continue;
        };
        let Some((name, seq)) = before.rsplit_once(": ") else {
            continue;
        };
        let (name, hash) = (name.trim(), hash.trim());
        let Ok(seq) = seq.trim().parse::<i64>() else {
            return Ok(Err(format!("cannot read the line \"{}\"", line.trim())));
        };
        let Some((scope, _)) = schools.iter().find(|(_, n)| n == name) else {
            return Ok(Err(format!(
                "the checkpoint names {name}, which is not a school of this portal"
            )));
        };
        match declarations::hash_at(&db.read, *scope, seq).await? {
            Some(h) if h == hash => {
                checked += 1;
                erased_since.extend(erasures_after(db, *scope, name, seq).await?);
            }
            Some(h) => {
                return Ok(Err(format!(
                    "{name}'s entry no. {seq} has the hash {h}, the checkpoint says {hash}: \
                     the chain was rewritten at or before no. {seq}"
                )));
            }
            None => {
                return Ok(Err(format!(
                    "{name}'s chain has no entry no. {seq}, which the checkpoint names: \
                     entries were removed"
                )));
            }
        }
    }
    if checked == 0 {
        return Ok(Err("the checkpoint names no chain head (lines like \"NAME: N entries in the chain; head HASH\")".into()));
    }
    let signed = match signed {
        None => None,
        Some(key) => Some(Signer {
            fingerprint: file::fingerprint(&key),
            current: current_key(db).await?.map(|k| file::fingerprint(&k)),
        }),
    };
    Ok(Ok(Held {
        heads: checked,
        signed,
        erased_since,
    }))
}

/// Each erasure after place `seq` of a school's chain that emptied declarations at or before it.
async fn erasures_after(
    db: &Db,
    scope: Scope,
    name: &str,
    seq: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let erasures = crate::store::erasure::chain(&db.read, scope).await?;
    if erasures.iter().all(|e| e.seq <= seq) {
        return Ok(Vec::new());
    }
    let rows = declarations::chain(&db.read, scope).await?;
    Ok(erasures
        .iter()
        .filter(|e| e.seq > seq)
        .filter_map(|e| {
            let before = e
                .redacted()
                .unwrap_or_default()
                .iter()
                .filter(|r| rows.iter().any(|d| d.id == r.id && d.seq <= seq))
                .count();
            (before > 0).then(|| {
                format!(
                    "Since the checkpoint: {name}'s erasure at no. {} ({}, {}) emptied {before} \
                     declaration(s) from before it; ask the headteacher to confirm the school made it",
                    e.seq, e.erased_at, e.basis
                )
            })
        })
        .collect())
}

/// What a parent's receipt was found to be, against the school's record.
#[derive(Debug, PartialEq, Eq)]
pub enum Receipt {
    /// The record has the receipt's hash at its number.
    Matches { seq: i64 },
    /// The record has another hash there.
    Differs { seq: i64 },
    /// The record has no entry at that number (`newest`: its newest, if any).
    Missing { seq: i64, newest: Option<i64> },
}

impl Receipt {
    pub fn matches(&self) -> bool {
        matches!(self, Receipt::Matches { .. })
    }

    /// The answer in words.
    pub fn message(&self) -> String {
        match self {
            Receipt::Matches { seq } => format!(
                "The receipt matches the school's record: no. {seq} has exactly this hash, so the \
                 record is as it was when the parent signed, up to and including no. {seq}."
            ),
            Receipt::Differs { seq } => format!(
                "The receipt does not match: the school's record no. {seq} has a different hash: \
                 the record was rewritten at or before no. {seq}, or the receipt is not from this \
                 school."
            ),
            Receipt::Missing { seq, newest } => format!(
                "The school's record has no no. {seq} ({}): the receipt is not from this school, \
                 or entries were removed.",
                match newest {
                    Some(n) => format!("its newest is no. {n}"),
                    None => "it has no entries yet".to_string(),
                }
            ),
        }
    }
}

/// A receipt's number as typed: `12`, `no. 12`, `No 12`, `#12`.
fn read_number(typed: &str) -> Option<i64> {
    let t = typed.trim().to_ascii_lowercase();
    let t = t
        .strip_prefix("no")
        .map_or(t.as_str(), |r| r.trim_start_matches('.'));
    let t = t.trim().trim_start_matches('#').trim();
    t.parse::<i64>().ok().filter(|n| *n > 0)
}

/// A receipt's hash as typed or pasted from print: 64 hex characters, spaces and line breaks
/// ignored, any case.
fn read_hash(typed: &str) -> Option<String> {
    let h: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    (h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit())).then_some(h)
}

/// Checks the number and hash a parent's receipt shows against the school's record, or says
/// what to type again.
pub async fn check_receipt(
    state: &AppState,
    scope: Scope,
    number: &str,
    hash: &str,
) -> Result<Result<Receipt, FieldErrors>, AppError> {
    let mut errors = Vec::new();
    let seq = read_number(number);
    if seq.is_none() {
        errors.push((
            "number".to_string(),
            "Enter the number the receipt shows after \"no.\", like 12.".to_string(),
        ));
    }
    let typed = read_hash(hash);
    if typed.is_none() {
        errors.push((
            "hash".to_string(),
            "Enter the 64 letters and digits (0 to 9, a to f) the receipt shows beside \
             \"The school's record after your signature\"."
                .to_string(),
        ));
    }
    let (Some(seq), Some(typed)) = (seq, typed) else {
        return Ok(Err(errors));
    };
    Ok(Ok(
        match declarations::hash_at(&state.db.read, scope, seq).await? {
            Some(found) if found == typed => Receipt::Matches { seq },
            Some(_) => Receipt::Differs { seq },
            None => Receipt::Missing {
                seq,
                newest: declarations::head_of(&state.db.read, scope)
                    .await?
                    .map(|h| h.seq),
            },
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::{read_hash, read_number};

    #[test]
    fn receipts_are_read_as_people_type_them() {
        for (typed, n) in [("12", 12), (" no. 12 ", 12), ("No 7", 7), ("#3", 3)] {
            assert_eq!(read_number(typed), Some(n), "{typed}");
        }
        for bad in ["", "twelve", "0", "-4", "1.5"] {
            assert_eq!(read_number(bad), None, "{bad}");
        }
        let hash = "ab".repeat(32);
        let printed = format!("{}\n {}", &hash[..32].to_uppercase(), &hash[32..]);
        assert_eq!(read_hash(&printed), Some(hash.clone()));
        assert_eq!(read_hash(&hash[..63]), None);
        assert_eq!(read_hash(&format!("{}zz", &hash[..62])), None);
    }
}
