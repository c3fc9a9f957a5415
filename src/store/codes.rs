//! Signing codes, stored only as hashes.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
use crate::domain::school::Scope;

/// A live (unrevoked) code's owner.
#[derive(Debug, Clone)]
pub struct CodeOwner {
    pub code_id: i64,
    /// The code's school, as the store read it: what the parent's pages are scoped by.
    pub scope: Scope,
    pub carer_id: i64,
    pub last_used_at: Option<OffsetDateTime>,
}

/// Finds the unrevoked code with this hash, if any, whose carer has not left: codes are unique
/// across the portal, so the code makes its school's scope.
pub async fn find_live(
    ex: impl SqliteExecutor<'_>,
    code_hash: &str,
) -> Result<Option<CodeOwner>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT sc.id AS "code_id!", sc.school_id, sc.carer_id, sc.last_used_at AS "last_used_at?: OffsetDateTime"
         FROM signing_codes sc JOIN carers c ON c.id = sc.carer_id
         WHERE sc.code_hash = ? AND sc.revoked_at IS NULL AND c.left_on IS NULL"#,
        code_hash
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| CodeOwner {
        code_id: r.code_id,
        scope: Scope::from_row(r.school_id),
        carer_id: r.carer_id,
        last_used_at: r.last_used_at,
    }))
}

/// Revokes every live code of a carer, then stores a new one.
pub async fn replace(
    ex: &mut sqlx::SqliteConnection,
    scope: Scope,
    carer_id: i64,
    code_hash: &str,
    now: OffsetDateTime,
    by: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    sqlx::query!(
        "UPDATE signing_codes SET revoked_at = ?
         WHERE carer_id = ? AND school_id = ? AND revoked_at IS NULL",
        now,
        carer_id,
        school_id
    )
    .execute(&mut *ex)
    .await?;
    insert(ex, scope, carer_id, code_hash, &now, by).await
}

/// For printed letters, in two statements however many there are: revokes each carer's live
/// codes except those sent in email or text messages (whose links must keep working), then stores
/// each carer's new code, in the order of `issued` (carer id, code hash). A fresh letter replaces
/// the last letter's code.
pub async fn replace_for_letters(
    ex: &mut sqlx::SqliteConnection,
    scope: Scope,
    issued: &[(i64, String)],
    now: OffsetDateTime,
    by: Option<i64>,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    let carers: Vec<i64> = issued.iter().map(|(id, _)| *id).collect();
    let carers = serde_json::to_string(&carers).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let issued = serde_json::to_string(issued).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query!(
        "UPDATE signing_codes SET revoked_at = ?
         WHERE revoked_at IS NULL
           AND carer_id IN (SELECT value FROM json_each(?)) AND +school_id = ?
           AND NOT EXISTS (SELECT 1 FROM messages m
                           WHERE m.carer_id = signing_codes.carer_id AND m.code_id = signing_codes.id)",
        now,
        carers,
        school_id
    )
    .execute(&mut *ex)
    .await?;
    sqlx::query!(
        "INSERT INTO signing_codes (school_id, carer_id, code_hash, created_at, created_by)
         SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?, ?
         FROM json_each(?) ORDER BY key",
        school_id,
        now,
        by,
        issued
    )
    .execute(&mut *ex)
    .await?;
    Ok(())
}

/// Stores one more live code for a carer, leaving their others working: each message carries its
/// own code, so an earlier letter's or email's link still opens the form.
pub async fn add(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
    code_hash: &str,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    insert(ex, scope, carer_id, code_hash, &stamp(now), None).await
}

async fn insert(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
    code_hash: &str,
    now: &str,
    by: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let school_id = scope.id();
    let res = sqlx::query!(
        "INSERT INTO signing_codes (school_id, carer_id, code_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
        school_id,
        carer_id,
        code_hash,
        now,
        by
    )
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

/// Stops one code working (a message that carried it was never delivered).
pub async fn revoke(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    code_id: i64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    sqlx::query!(
        "UPDATE signing_codes SET revoked_at = ? WHERE id = ? AND school_id = ? AND revoked_at IS NULL",
        now,
        code_id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Notes when a code was last used to open the signing page.
pub async fn touch(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    code_id: i64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    sqlx::query!(
        "UPDATE signing_codes SET last_used_at = ?, first_used_at = COALESCE(first_used_at, ?)
         WHERE id = ? AND school_id = ?",
        now,
        now,
        code_id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// A code as the carer's page lists it (never the code itself).
#[derive(Debug, Clone)]
pub struct CodeRecord {
    pub id: i64,
    pub created_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
    pub created_by_name: Option<String>,
    /// The channel of the message that carried this code, if one did.
    pub sent_by: Option<String>,
}

pub async fn for_carer(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<CodeRecord>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        CodeRecord,
        r#"SELECT sc.id AS "id!", sc.created_at AS "created_at: OffsetDateTime",
                  sc.revoked_at AS "revoked_at?: OffsetDateTime",
                  sc.last_used_at AS "last_used_at?: OffsetDateTime", u.name AS "created_by_name?",
                  (SELECT m.channel FROM messages m WHERE m.code_id = sc.id LIMIT 1) AS "sent_by?: String"
         FROM signing_codes sc LEFT JOIN staff_users u ON u.id = sc.created_by
         WHERE sc.carer_id = ? AND sc.school_id = ? ORDER BY sc.id DESC"#,
        carer_id,
        school_id
    )
    .fetch_all(ex)
    .await
}
