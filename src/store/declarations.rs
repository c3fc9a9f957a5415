//! Declarations: append-only, hash-chained evidence that a carer signed a version.

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::clock::parse_stamp;
pub use crate::domain::evidence::{Declaration, reference};
use crate::domain::evidence::{DeclarationRecord, GENESIS, Signed};
use crate::store::audit;

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
                },
                prev_hash: r.prev_hash,
            },
            row_hash: r.row_hash,
            version_number: $version_number,
        }
    }};
}

pub async fn get(ex: impl SqliteExecutor<'_>, id: i64) -> Result<Option<Declaration>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT id AS "id!", school_id, seq, carer_id, document_id, version_id, children, carer_name, typed_name,
                  declaration_text, text_sha256, signed_at, method, ip, user_agent,
                  recorded_by AS "recorded_by?", received_on AS "received_on?", note, prev_hash, row_hash
           FROM declarations WHERE id = ?"#,
        id
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(|r| declaration!(r, 0)))
}

/// A carer's declarations with their version numbers, newest first.
pub async fn for_carer(
    ex: impl SqliteExecutor<'_>,
    carer_id: i64,
) -> Result<Vec<Declaration>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT d.id AS "id!", d.school_id, d.seq, d.carer_id, d.document_id, d.version_id, d.children,
                  d.carer_name, d.typed_name, d.declaration_text, d.text_sha256, d.signed_at, d.method, d.ip,
                  d.user_agent, d.recorded_by AS "recorded_by?", d.received_on AS "received_on?", d.note,
                  d.prev_hash, d.row_hash, v.number AS version_number
           FROM declarations d JOIN versions v ON v.id = d.version_id
           WHERE d.carer_id = ? ORDER BY d.id DESC"#,
        carer_id
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
    school_id: i64,
) -> Result<Vec<Declaration>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT id AS "id!", school_id, seq, carer_id, document_id, version_id, children, carer_name, typed_name,
                  declaration_text, text_sha256, signed_at, method, ip, user_agent,
                  recorded_by AS "recorded_by?", received_on AS "received_on?", note, prev_hash, row_hash
           FROM declarations WHERE school_id = ? ORDER BY seq, id"#,
        school_id
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(|r| declaration!(r, 0)).collect())
}

/// The first declaration that has no audit event (so was written outside the portal), if any.
pub async fn first_unaudited(ex: impl SqliteExecutor<'_>) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT d.id AS "id!" FROM declarations d WHERE NOT EXISTS
             (SELECT 1 FROM audit_events a WHERE a.subject = 'declaration:' || d.id) ORDER BY d.id LIMIT 1"#
    )
    .fetch_optional(ex)
    .await
}

pub async fn count(ex: impl SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT COUNT(*) AS "count!: i64" FROM declarations"#)
        .fetch_one(ex)
        .await
}

/// A declaration to append: the school's chain it joins and what was signed. The id, the place
/// in the chain and the hash are filled in by [`append`].
#[derive(Debug, Clone)]
pub struct NewDeclaration {
    pub school_id: i64,
    pub signed: Signed,
}

/// What [`append`] did.
pub enum Appended {
    /// A new declaration was written.
    New(Declaration),
    /// The carer had already signed this version (a double submit): nothing was written.
    Existing(Declaration),
}

/// Appends a declaration and its audit event inside the caller's `BEGIN IMMEDIATE` transaction.
///
/// The write lock is held, so reading the chain's last hash and the next id cannot race another
/// writer. If the carer already signed this version, the existing row is returned instead.
pub async fn append(
    tx: &mut SqliteConnection,
    d: NewDeclaration,
    actor: &str,
) -> Result<Appended, sqlx::Error> {
    let existing = sqlx::query!(
        r#"SELECT id AS "id!", school_id, seq, carer_id, document_id, version_id, children, carer_name, typed_name,
                  declaration_text, text_sha256, signed_at, method, ip, user_agent,
                  recorded_by AS "recorded_by?", received_on AS "received_on?", note, prev_hash, row_hash
           FROM declarations WHERE carer_id = ? AND version_id = ?"#,
        d.signed.carer_id,
        d.signed.version_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(existing) = existing {
        return Ok(Appended::Existing(declaration!(existing, 0)));
    }
    let last = sqlx::query!(
        "SELECT seq, row_hash FROM declarations WHERE school_id = ? ORDER BY seq DESC LIMIT 1",
        d.school_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| (r.seq, r.row_hash));
    let id =
        sqlx::query_scalar!(r#"SELECT COALESCE(MAX(id), 0) + 1 AS "id!: i64" FROM declarations"#)
            .fetch_one(&mut *tx)
            .await?;
    let record = DeclarationRecord {
        id,
        school_id: d.school_id,
        seq: last.as_ref().map_or(1, |(seq, _)| seq + 1),
        signed: d.signed,
        prev_hash: last.map_or_else(|| GENESIS.to_string(), |(_, hash)| hash),
    };
    // The audit event is dated by the declaration's own stamp; one that is not a stamp is refused.
    let at = parse_stamp(&record.signed_at).ok_or_else(|| {
        sqlx::Error::Protocol("a declaration's signed_at must be a UTC stamp".into())
    })?;
    let row_hash = record.row_hash();
    sqlx::query!(
        "INSERT INTO declarations (id, school_id, seq, carer_id, document_id, version_id, children, carer_name,
             typed_name, declaration_text, text_sha256, signed_at, method, ip, user_agent, recorded_by, received_on,
             note, prev_hash, row_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        record.id,
        record.school_id,
        record.seq,
        record.carer_id,
        record.document_id,
        record.version_id,
        record.children,
        record.carer_name,
        record.typed_name,
        record.declaration_text,
        record.text_sha256,
        record.signed_at,
        record.method,
        record.ip,
        record.user_agent,
        record.recorded_by,
        record.received_on,
        record.note,
        record.prev_hash,
        row_hash
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: record.school_id,
            at,
            actor,
            action: if record.method == "paper" {
                "declaration.paper_recorded"
            } else {
                "declaration.signed"
            },
            subject: &format!("declaration:{id}"),
            detail: &format!("version:{} carer:{}", record.version_id, record.carer_id),
        },
    )
    .await?;
    Ok(Appended::New(Declaration {
        record,
        row_hash,
        version_number: 0,
    }))
}
