//! Declarations: append-only, hash-chained evidence that a carer signed a version.

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::domain::evidence::{DeclarationRecord, GENESIS};
use crate::store::audit;

#[derive(Debug, Clone)]
pub struct Declaration {
    pub id: i64,
    pub school_id: i64,
    pub seq: i64,
    pub carer_id: i64,
    pub document_id: i64,
    pub version_id: i64,
    pub children: String,
    pub carer_name: String,
    pub typed_name: String,
    pub declaration_text: String,
    pub text_sha256: String,
    pub signed_at: String,
    pub method: String,
    pub ip: String,
    pub user_agent: String,
    pub recorded_by: Option<i64>,
    pub received_on: Option<String>,
    pub note: String,
    pub prev_hash: String,
    pub row_hash: String,
    /// The signed version's number where the query joins it in ([`for_carer`]), else 0.
    pub version_number: i64,
}

impl Declaration {
    /// The stored row as the fields its hash covers.
    pub fn record(&self) -> DeclarationRecord {
        DeclarationRecord {
            id: self.id,
            school_id: self.school_id,
            seq: self.seq,
            carer_id: self.carer_id,
            document_id: self.document_id,
            version_id: self.version_id,
            children: self.children.clone(),
            carer_name: self.carer_name.clone(),
            typed_name: self.typed_name.clone(),
            declaration_text: self.declaration_text.clone(),
            text_sha256: self.text_sha256.clone(),
            signed_at: self.signed_at.clone(),
            method: self.method.clone(),
            ip: self.ip.clone(),
            user_agent: self.user_agent.clone(),
            recorded_by: self.recorded_by,
            received_on: self.received_on.clone(),
            note: self.note.clone(),
            prev_hash: self.prev_hash.clone(),
        }
    }

    fn from_record(r: DeclarationRecord, row_hash: String) -> Declaration {
        Declaration {
            id: r.id,
            school_id: r.school_id,
            seq: r.seq,
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
            prev_hash: r.prev_hash,
            row_hash,
            version_number: 0,
        }
    }

    /// The reference printed on receipts.
    pub fn reference(&self) -> String {
        reference(self.id)
    }
}

/// The reference for a declaration id: `SO-000123`.
pub fn reference(id: i64) -> String {
    format!("SO-{id:06}")
}

pub async fn get(ex: impl SqliteExecutor<'_>, id: i64) -> Result<Option<Declaration>, sqlx::Error> {
    sqlx::query_as!(
        Declaration,
        r#"SELECT id AS "id!", school_id, seq, carer_id, document_id, version_id, children, carer_name, typed_name,
                  declaration_text, text_sha256, signed_at, method, ip, user_agent,
                  recorded_by AS "recorded_by?", received_on AS "received_on?", note, prev_hash, row_hash,
                  0 AS "version_number!: i64"
           FROM declarations WHERE id = ?"#,
        id
    )
    .fetch_optional(ex)
    .await
}

/// A carer's declarations with their version numbers, newest first.
pub async fn for_carer(
    ex: impl SqliteExecutor<'_>,
    carer_id: i64,
) -> Result<Vec<Declaration>, sqlx::Error> {
    sqlx::query_as!(
        Declaration,
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
}

/// A school's declarations in chain order, for `signoff verify`.
pub async fn chain(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
) -> Result<Vec<Declaration>, sqlx::Error> {
    sqlx::query_as!(
        Declaration,
        r#"SELECT id AS "id!", school_id, seq, carer_id, document_id, version_id, children, carer_name, typed_name,
                  declaration_text, text_sha256, signed_at, method, ip, user_agent,
                  recorded_by AS "recorded_by?", received_on AS "received_on?", note, prev_hash, row_hash,
                  0 AS "version_number!: i64"
           FROM declarations WHERE school_id = ? ORDER BY seq, id"#,
        school_id
    )
    .fetch_all(ex)
    .await
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

/// A declaration to append; the id, chain link and hash are filled in by [`append`].
#[derive(Debug, Clone)]
pub struct NewDeclaration {
    pub school_id: i64,
    pub carer_id: i64,
    pub document_id: i64,
    pub version_id: i64,
    pub children: String,
    pub carer_name: String,
    pub typed_name: String,
    pub declaration_text: String,
    pub text_sha256: String,
    pub signed_at: String,
    pub method: &'static str,
    pub ip: String,
    pub user_agent: String,
    pub recorded_by: Option<i64>,
    pub received_on: Option<String>,
    pub note: String,
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
    let existing = sqlx::query_as!(
        Declaration,
        r#"SELECT id AS "id!", school_id, seq, carer_id, document_id, version_id, children, carer_name, typed_name,
                  declaration_text, text_sha256, signed_at, method, ip, user_agent,
                  recorded_by AS "recorded_by?", received_on AS "received_on?", note, prev_hash, row_hash,
                  0 AS "version_number!: i64"
           FROM declarations WHERE carer_id = ? AND version_id = ?"#,
        d.carer_id,
        d.version_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(existing) = existing {
        return Ok(Appended::Existing(existing));
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
        carer_id: d.carer_id,
        document_id: d.document_id,
        version_id: d.version_id,
        children: d.children,
        carer_name: d.carer_name,
        typed_name: d.typed_name,
        declaration_text: d.declaration_text,
        text_sha256: d.text_sha256,
        signed_at: d.signed_at,
        method: d.method.to_string(),
        ip: d.ip,
        user_agent: d.user_agent,
        recorded_by: d.recorded_by,
        received_on: d.received_on,
        note: d.note,
        prev_hash: last.map_or_else(|| GENESIS.to_string(), |(_, hash)| hash),
    };
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
            at: &record.signed_at,
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
    Ok(Appended::New(Declaration::from_record(record, row_hash)))
}
