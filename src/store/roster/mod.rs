//! Loading a school's roster for comparison, applying an import plan, and pending uploads.

mod apply;

use sqlx::{SqliteConnection, SqliteExecutor};
use time::OffsetDateTime;

use crate::clock::stamp;
use crate::domain::school::Scope;

pub use crate::domain::roster::Upload;
use crate::domain::roster::{Existing, ExistingCarer, ExistingPupil};
pub use apply::apply;

pub async fn existing(conn: &mut SqliteConnection, scope: Scope) -> Result<Existing, sqlx::Error> {
    let school_id = scope.id();
    let pupils = sqlx::query!(
        r#"SELECT id AS "id!", mis_id AS "mis_id?", first_name, last_name, class_name, year_group,
                  left_on AS "left_on?"
           FROM pupils WHERE school_id = ? ORDER BY id"#,
        school_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| ExistingPupil {
        id: r.id,
        mis_id: r.mis_id,
        first_name: r.first_name,
        last_name: r.last_name,
        class_name: r.class_name,
        year_group: r.year_group,
        left_on: r.left_on,
    })
    .collect();
    let carers = sqlx::query!(
        r#"SELECT id AS "id!", mis_id AS "mis_id?", title, first_name, last_name, email, phone, address, postcode,
                  left_on AS "left_on?", language AS "language?",
                  coalesce(language_source = 'carer', 0) AS "language_chosen!: bool"
           FROM carers WHERE school_id = ? ORDER BY id"#,
        school_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| ExistingCarer {
        id: r.id,
        mis_id: r.mis_id,
        title: r.title,
        first_name: r.first_name,
        last_name: r.last_name,
        email: r.email,
        phone: r.phone,
        address: r.address,
        postcode: r.postcode,
        left_on: r.left_on,
        language: r.language,
        language_chosen: r.language_chosen,
    })
    .collect();
    let links = sqlx::query!(
        "SELECT cp.carer_id, cp.pupil_id FROM carer_pupils cp JOIN pupils p ON p.id = cp.pupil_id WHERE p.school_id = ?",
        school_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.carer_id, r.pupil_id))
    .collect();
    Ok(Existing {
        pupils,
        carers,
        links,
    })
}

pub async fn insert_upload(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    staff_user_id: Option<i64>,
    filename: &str,
    content: &str,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    let res = sqlx::query!(
        "INSERT INTO roster_uploads (school_id, staff_user_id, filename, content, created_at) VALUES (?, ?, ?, ?, ?)",
        school_id,
        staff_user_id,
        filename,
        content,
        now
    )
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

/// One of a school's uploads by id.
pub async fn upload(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
) -> Result<Option<Upload>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        Upload,
        r#"SELECT id AS "id!", school_id, filename, content, imported_at AS "imported_at?: OffsetDateTime", mapping AS "mapping?",
                  result AS "result?"
           FROM roster_uploads WHERE id = ? AND school_id = ?"#,
        id,
        school_id
    )
    .fetch_optional(ex)
    .await
}

/// Marks an upload imported and empties it: only the skipped rows (if any) and what the import
/// did are kept. False if it already was imported (a second click).
pub async fn finish_upload(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
    skipped_rows: &str,
    result: &str,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    let res = sqlx::query!(
        "UPDATE roster_uploads SET imported_at = ?, content = ?, result = ?
         WHERE id = ? AND school_id = ? AND imported_at IS NULL",
        now,
        skipped_rows,
        result,
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// Deletes uploads made before `before`: a roster file holds personal data and is only needed
/// between its preview and its import (an imported one keeps only its row, to answer a second click).
/// Housekeeping in every school, by age alone.
pub async fn purge_uploads(
    ex: impl SqliteExecutor<'_>,
    before: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let before = stamp(before);
    sqlx::query!("DELETE FROM roster_uploads WHERE created_at < ?", before)
        .execute(ex)
        .await?;
    Ok(())
}

/// Sets the office's column choices for an upload.
pub async fn set_upload_mapping(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
    mapping: &str,
) -> Result<(), sqlx::Error> {
    let school_id = scope.id();
    sqlx::query!(
        "UPDATE roster_uploads SET mapping = ? WHERE id = ? AND school_id = ?",
        mapping,
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Deletes an upload the office cancelled (it holds personal data).
pub async fn delete_upload(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
) -> Result<(), sqlx::Error> {
    let school_id = scope.id();
    sqlx::query!(
        "DELETE FROM roster_uploads WHERE id = ? AND school_id = ? AND imported_at IS NULL",
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// The column choices remembered for files with these headers, and when they were made.
pub async fn remembered_mapping(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    signature: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let school_id = scope.id();
    let row = sqlx::query!(
        "SELECT mapping, chosen_at FROM roster_mappings WHERE school_id = ? AND signature = ?",
        school_id,
        signature
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| (r.mapping, r.chosen_at)))
}

/// Remembers column choices for the next file with the same headers.
pub async fn remember_mapping(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    signature: &str,
    mapping: &str,
    staff_user_id: Option<i64>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    sqlx::query!(
        "INSERT INTO roster_mappings (school_id, signature, mapping, chosen_by, chosen_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (school_id, signature) DO UPDATE SET mapping = excluded.mapping,
         chosen_by = excluded.chosen_by, chosen_at = excluded.chosen_at",
        school_id,
        signature,
        mapping,
        staff_user_id,
        now
    )
    .execute(ex)
    .await?;
    Ok(())
}
