//! Declarations: append-only, hash-chained evidence that a carer signed a version.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{SqliteConnection, SqliteExecutor};

use crate::clock::parse_stamp;
pub use crate::domain::evidence::{Declaration, reference};
use crate::domain::evidence::{DeclarationRecord, GENESIS, Signed};
use crate::domain::school::Scope;

/// A row of `declarations` (as `query!` returns it) as a [`Declaration`].
macro_rules! declaration {
    ($r:expr, $version_number:expr) => {{
        let r = $r;
        Declaration {
            record: DeclarationRecord {
                id: r.id,
                school_id: r.school_id,
                seq: r.seq,
                signed: Signed {
                    carer_id: r.carer_id,
                    document_id: r.document_id,
                    version_id: r.version_id,
                    children: r.children,
                    carer_name: r.carer_name,
                    typed_name: r.typed_name,
                    declaration_text: r.declaration_text,
                    text_sha256: r.text_sha256,
                    signed_at: r.signed_at,
                    method: r.method,
                    ip: r.ip,
                    user_agent: r.user_agent,
                    recorded_by: r.recorded_by,
                    received_on: r.received_on,
                    note: r.note,
                    language: r.language,
                    shown_sha256: r.shown_sha256,
                },
                prev_hash: r.prev_hash,
                personal_salt: r.personal_salt,
                personal_sha256: r.personal_sha256,
            },
            row_hash: r.row_hash,
            version_number: $version_number,
            erasure_id: r.erasure_id,
        }
    }};
}

/// One of a school's declarations by id.
pub async fn get(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
) -> Result<Option<Declaration>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query!(
        r#"SELECT id AS "id!", school_id, seq, carer_id, document_id, version_id, children, carer_name, typed_name,
                  declaration_text, text_sha256, signed_at, method, ip, user_agent,
                  recorded_by AS "recorded_by?", received_on AS "received_on?", note, language, shown_sha256,
                  prev_hash, row_hash, personal_salt, personal_sha256, erasure_id AS "erasure_id?"
           FROM declarations WHERE id = ? AND school_id = ?"#,
        id,
        school_id
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(|r| declaration!(r, 0)))
}

/// A carer's declarations with their version numbers, newest first.
pub async fn for_carer(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<Declaration>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query!(
        r#"SELECT d.id AS "id!", d.school_id, d.seq, d.carer_id, d.document_id, d.version_id, d.children,
                  d.carer_name, d.typed_name, d.declaration_text, d.text_sha256, d.signed_at, d.method, d.ip,
                  d.user_agent, d.recorded_by AS "recorded_by?", d.received_on AS "received_on?", d.note,
                  d.language, d.shown_sha256, d.prev_hash, d.row_hash, d.personal_salt, d.personal_sha256,
                  d.erasure_id AS "erasure_id?", v.number AS version_number
           FROM declarations d JOIN versions v ON v.id = d.version_id
           WHERE d.carer_id = ? AND d.school_id = ? ORDER BY d.id DESC"#,
        carer_id,
        school_id
    )
    .fetch_all(ex)
    .await
    .map(|rows| {
        rows.into_iter()
            .map(|r| {
                let number = r.version_number;
                declaration!(r, number)
            })
            .collect()
    })
}

/// A school's declarations in chain order, for `signoff verify`.
pub async fn chain(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<Vec<Declaration>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query!(
        r#"SELECT id AS "id!", school_id, seq, carer_id, document_id, version_id, children, carer_name, typed_name,
                  declaration_text, text_sha256, signed_at, method, ip, user_agent,
                  recorded_by AS "recorded_by?", received_on AS "received_on?", note, language, shown_sha256,
                  prev_hash, row_hash, personal_salt, personal_sha256, erasure_id AS "erasure_id?"
           FROM declarations WHERE school_id = ? ORDER BY seq, id"#,
        school_id
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(|r| declaration!(r, 0)).collect())
}

/// The first declaration that has no audit event (so was written outside the portal), if any:
/// `signoff verify` checks the whole file.
pub async fn first_unaudited(ex: impl SqliteExecutor<'_>) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT d.id AS "id!" FROM declarations d WHERE NOT EXISTS
             (SELECT 1 FROM audit_events a WHERE a.subject = 'declaration:' || d.id) ORDER BY d.id LIMIT 1"#
    )
    .fetch_optional(ex)
    .await
}

/// How many declarations the file holds, in every school (for `signoff verify` and tests).
pub async fn count(ex: impl SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT COUNT(*) AS "count!: i64" FROM declarations"#)
        .fetch_one(ex)
        .await
}

/// A declaration to append: the school's chain it joins and what was signed. The id, the place
/// in the chain and the hash are filled in by [`append`].
#[derive(Debug, Clone)]
pub struct NewDeclaration {
    pub scope: Scope,
    pub signed: Signed,
}

/// What [`append`] did.
pub enum Appended {
    /// A new declaration was written.
    New(Declaration),
    /// The carer had already signed this version (a double submit): nothing was written.
    Existing(Declaration),
}

/// Appends a declaration and its audit event inside the caller's `BEGIN IMMEDIATE` transaction;
/// if the carer already signed this version, the existing row is returned instead.
pub async fn append(
    tx: &mut SqliteConnection,
    d: NewDeclaration,
    actor: &str,
) -> Result<Appended, sqlx::Error> {
    let mut out = append_all(tx, vec![(d, actor.to_string())]).await?;
    out.pop()
        .ok_or_else(|| sqlx::Error::Protocol("nothing appended".into()))
}

/// Appends declarations (each with the actor for its audit event) in order, inside the caller's
/// `BEGIN IMMEDIATE` transaction, with a fixed number of statements however many there are: one
/// to find repeats, one per school for its chain's head, one for the next id, one insert for the
/// declarations and one for their audit events.
///
/// The write lock is held, so the chain heads and the next id cannot race another writer. A
/// declaration of a version its carer already signed (in the database or earlier in `batch`) is
/// not written: that one is returned as [`Appended::Existing`]. If one row cannot be written, none
/// is (the caller's transaction fails whole).
pub async fn append_all(
    tx: &mut SqliteConnection,
    batch: Vec<(NewDeclaration, String)>,
) -> Result<Vec<Appended>, sqlx::Error> {
    let pairs: Vec<(i64, i64)> = batch
        .iter()
        .map(|(d, _)| (d.signed.carer_id, d.signed.version_id))
        .collect();
    let pairs_json = serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into());
    let mut known: HashMap<(i64, i64), Declaration> = sqlx::query!(
        r#"SELECT id AS "id!", school_id, seq, carer_id, document_id, version_id, children, carer_name, typed_name,
                  declaration_text, text_sha256, signed_at, method, ip, user_agent,
                  recorded_by AS "recorded_by?", received_on AS "received_on?", note, language, shown_sha256,
                  prev_hash, row_hash, personal_salt, personal_sha256, erasure_id AS "erasure_id?"
           FROM declarations WHERE id IN (
               SELECT d.id FROM json_each(?) j
               JOIN declarations d ON d.carer_id = j.value ->> 0 AND d.version_id = j.value ->> 1)"#,
        pairs_json
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| {
        let d = declaration!(r, 0);
        ((d.carer_id, d.version_id), d)
    })
    .collect();

    let mut heads: HashMap<i64, (i64, String)> = HashMap::new();
    let mut next_id =
        sqlx::query_scalar!(r#"SELECT COALESCE(MAX(id), 0) + 1 AS "id!: i64" FROM declarations"#)
            .fetch_one(&mut *tx)
            .await?;
    let mut out = Vec::with_capacity(batch.len());
    let mut events = Vec::new();
    for (d, actor) in batch {
        let pair = (d.signed.carer_id, d.signed.version_id);
        if let Some(existing) = known.get(&pair) {
            out.push(Appended::Existing(existing.clone()));
            continue;
        }
        let school_id = d.scope.id();
        let (seq, prev_hash) = match heads.get(&school_id) {
            Some(head) => head.clone(),
            None => head_of(&mut *tx, d.scope)
                .await?
                .map_or((0, GENESIS.to_string()), |h| (h.seq, h.row_hash)),
        };
        let mut record = DeclarationRecord {
            id: next_id,
            school_id,
            seq: seq + 1,
            signed: d.signed,
            prev_hash,
            personal_salt: String::new(),
            personal_sha256: String::new(),
        };
        record.commit_personal();
        // The audit event is dated by the declaration's own stamp; one that is not a stamp is refused.
        if parse_stamp(&record.signed_at).is_none() {
            return Err(sqlx::Error::Protocol(
                "a declaration's signed_at must be a UTC stamp".into(),
            ));
        }
        let row_hash = record.row_hash();
        heads.insert(record.school_id, (record.seq, row_hash.clone()));
        next_id += 1;
        events.push(AuditRow {
            school_id: record.school_id,
            at: record.signed_at.clone(),
            action: if record.method == "paper" {
                "declaration.paper_recorded"
            } else {
                "declaration.signed"
            },
            subject: format!("declaration:{}", record.id),
            detail: format!("version:{} carer:{}", record.version_id, record.carer_id),
            actor,
        });
        let declaration = Declaration {
            record,
            row_hash,
            version_number: 0,
            erasure_id: None,
        };
        known.insert(pair, declaration.clone());
        out.push(Appended::New(declaration));
    }
    let rows: Vec<Row<'_>> = out
        .iter()
        .filter_map(|a| match a {
            Appended::New(d) => Some(Row {
                record: &d.record,
                row_hash: &d.row_hash,
                personal_salt: &d.personal_salt,
                personal_sha256: &d.personal_sha256,
            }),
            Appended::Existing(_) => None,
        })
        .collect();
    if rows.is_empty() {
        return Ok(out);
    }
    let (rows, events) = (json(&rows)?, json(&events)?);
    sqlx::query!(
        "INSERT INTO declarations (id, school_id, seq, carer_id, document_id, version_id, children, carer_name,
             typed_name, declaration_text, text_sha256, signed_at, method, ip, user_agent, recorded_by, received_on,
             note, language, shown_sha256, prev_hash, row_hash, personal_salt, personal_sha256)
         SELECT value ->> 'id', value ->> 'school_id', value ->> 'seq', value ->> 'carer_id',
                value ->> 'document_id', value ->> 'version_id', value ->> 'children', value ->> 'carer_name',
                value ->> 'typed_name', value ->> 'declaration_text', value ->> 'text_sha256',
                value ->> 'signed_at', value ->> 'method', value ->> 'ip', value ->> 'user_agent',
                value ->> 'recorded_by', value ->> 'received_on', value ->> 'note',
                COALESCE(value ->> 'language', ''), COALESCE(value ->> 'shown_sha256', ''),
                value ->> 'prev_hash', value ->> 'row_hash', value ->> 'personal_salt',
                value ->> 'personal_sha256'
         FROM json_each(?) ORDER BY key",
        rows
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO audit_events (school_id, at, actor, action, subject, detail)
         SELECT value ->> 'school_id', value ->> 'at', value ->> 'actor', value ->> 'action',
                value ->> 'subject', value ->> 'detail'
         FROM json_each(?) ORDER BY key",
        events
    )
    .execute(&mut *tx)
    .await?;
    Ok(out)
}

/// A declaration as one element of the JSON array [`append_all`] inserts from.
#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    record: &'a DeclarationRecord,
    row_hash: &'a str,
    personal_salt: &'a str,
    personal_sha256: &'a str,
}

/// A declaration's audit event, likewise.
#[derive(Serialize)]
struct AuditRow {
    school_id: i64,
    at: String,
    actor: String,
    action: &'static str,
    subject: String,
    detail: String,
}

fn json<T: Serialize>(rows: &T) -> Result<String, sqlx::Error> {
    serde_json::to_string(rows).map_err(|e| sqlx::Error::Protocol(e.to_string()))
}

/// The newest entry of a school's chain (a declaration or an erasure: they are numbered together).
#[derive(Debug, Clone)]
pub struct ChainHead {
    pub seq: i64,
    pub row_hash: String,
    /// When it was made (a UTC stamp).
    pub at: String,
}

/// The head of a school's chain, if it has any entry.
pub async fn head_of(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<Option<ChainHead>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        ChainHead,
        r#"SELECT seq AS "seq!", row_hash AS "row_hash!", at AS "at!" FROM (
               SELECT seq, row_hash, signed_at AS at FROM declarations WHERE school_id = ?1
               UNION ALL
               SELECT seq, row_hash, erased_at AS at FROM erasures WHERE school_id = ?1)
           ORDER BY seq DESC LIMIT 1"#,
        school_id
    )
    .fetch_optional(ex)
    .await
}

/// The hash of the entry at place `seq` of a school's chain, if there is one.
pub async fn hash_at(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    seq: i64,
) -> Result<Option<String>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_scalar!(
        r#"SELECT row_hash AS "row_hash!" FROM declarations WHERE school_id = ?1 AND seq = ?2
           UNION ALL
           SELECT row_hash FROM erasures WHERE school_id = ?1 AND seq = ?2
           LIMIT 1"#,
        school_id,
        seq
    )
    .fetch_optional(ex)
    .await
}
