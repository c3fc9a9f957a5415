//! Loading a school's roster for comparison, applying an import plan, and pending uploads.

use sqlx::{SqliteConnection, SqliteExecutor};
use time::{Date, OffsetDateTime};

use crate::clock::stamp;

pub use crate::domain::roster::Upload;
use crate::domain::roster::plan::Slot;
use crate::domain::roster::{Existing, ExistingCarer, ExistingPupil, Plan};
use crate::store::carers;

pub async fn existing(
    conn: &mut SqliteConnection,
    school_id: i64,
) -> Result<Existing, sqlx::Error> {
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
                  left_on AS "left_on?"
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

/// Applies a plan inside the caller's transaction. Leavers are marked, never deleted.
pub async fn apply(
    conn: &mut SqliteConnection,
    school_id: i64,
    plan: &Plan,
    now: OffsetDateTime,
    today: Date,
) -> Result<(), sqlx::Error> {
    let stamped = stamp(now);
    let today = today.to_string();
    // The ids given to the pupils and carers the plan adds, in its order.
    let mut new_pupils: Vec<i64> = Vec::with_capacity(plan.add_pupils.len());
    let mut new_carers: Vec<i64> = Vec::with_capacity(plan.add_carers.len());
    for p in &plan.add_pupils {
        let pupil = carers::NewPupil {
            school_id,
            mis_id: p.mis_id.as_deref(),
            first_name: &p.first_name,
            last_name: &p.last_name,
            class_name: &p.class_name,
            year_group: &p.year_group,
        };
        new_pupils.push(carers::insert_pupil(&mut *conn, pupil, now).await?);
    }
    for (e, p) in &plan.update_pupils {
        let id = &e.id;
        sqlx::query!(
            "UPDATE pupils SET mis_id = ?, first_name = ?, last_name = ?, class_name = ?, year_group = ?, left_on = NULL,
             updated_at = ? WHERE id = ? AND school_id = ?",
            p.mis_id,
            p.first_name,
            p.last_name,
            p.class_name,
            p.year_group,
            stamped,
            id,
            school_id
        )
        .execute(&mut *conn)
        .await?;
    }
    for id in plan.leave_pupils.iter().map(|e| e.id) {
        sqlx::query!(
            "UPDATE pupils SET left_on = ?, updated_at = ? WHERE id = ? AND school_id = ?",
            today,
            stamped,
            id,
            school_id
        )
        .execute(&mut *conn)
        .await?;
    }
    for c in &plan.add_carers {
        let res = sqlx::query!(
            "INSERT INTO carers (school_id, mis_id, title, first_name, last_name, email, phone, address, postcode, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            school_id,
            c.mis_id,
            c.title,
            c.first_name,
            c.last_name,
            c.email,
            c.phone,
            c.address,
            c.postcode,
            stamped,
            stamped
        )
        .execute(&mut *conn)
        .await?;
        new_carers.push(res.last_insert_rowid());
    }
    for (id, c) in &plan.update_carers {
        sqlx::query!(
            "UPDATE carers SET mis_id = ?, title = ?, first_name = ?, last_name = ?, email = ?, phone = ?, address = ?,
             postcode = ?, left_on = NULL, updated_at = ? WHERE id = ? AND school_id = ?",
            c.mis_id,
            c.title,
            c.first_name,
            c.last_name,
            c.email,
            c.phone,
            c.address,
            c.postcode,
            stamped,
            id,
            school_id
        )
        .execute(&mut *conn)
        .await?;
    }
    for id in plan.leave_carers.iter().map(|e| e.id) {
        sqlx::query!(
            "UPDATE carers SET left_on = ?, updated_at = ? WHERE id = ? AND school_id = ?",
            today,
            stamped,
            id,
            school_id
        )
        .execute(&mut *conn)
        .await?;
    }
    for (carer_id, pupil_id) in &plan.remove_links {
        sqlx::query!(
            "DELETE FROM carer_pupils WHERE carer_id = ? AND pupil_id = ?",
            carer_id,
            pupil_id
        )
        .execute(&mut *conn)
        .await?;
    }
    let id = |slot: Slot, new: &[i64]| match slot {
        Slot::Existing(id) => Some(id),
        Slot::New(i) => new.get(i).copied(),
    };
    for link in &plan.add_links {
        if let (Some(c), Some(p)) = (id(link.carer, &new_carers), id(link.pupil, &new_pupils)) {
            carers::link(&mut *conn, c, p, &link.relationship).await?;
        }
    }
    Ok(())
}

pub async fn insert_upload(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    staff_user_id: Option<i64>,
    filename: &str,
    content: &str,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let now = stamp(now);
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

pub async fn upload(ex: impl SqliteExecutor<'_>, id: i64) -> Result<Option<Upload>, sqlx::Error> {
    sqlx::query_as!(
        Upload,
        r#"SELECT id AS "id!", school_id, filename, content, imported_at AS "imported_at?: OffsetDateTime", mapping AS "mapping?",
                  result AS "result?"
           FROM roster_uploads WHERE id = ?"#,
        id
    )
    .fetch_optional(ex)
    .await
}

/// Marks an upload imported and empties it: only the skipped rows (if any) and what the import
/// did are kept. False if it already was imported (a second click).
pub async fn finish_upload(
    ex: impl SqliteExecutor<'_>,
    id: i64,
    skipped_rows: &str,
    result: &str,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let now = stamp(now);
    let res = sqlx::query!(
        "UPDATE roster_uploads SET imported_at = ?, content = ?, result = ? WHERE id = ? AND imported_at IS NULL",
        now,
        skipped_rows,
        result,
        id
    )
    .execute(ex)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// Deletes uploads made before `before`: a roster file holds personal data and is only needed
/// between its preview and its import (an imported one keeps only its row, to answer a second click).
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
    id: i64,
    mapping: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE roster_uploads SET mapping = ? WHERE id = ?",
        mapping,
        id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Deletes an upload the office cancelled (it holds personal data).
pub async fn delete_upload(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    id: i64,
) -> Result<(), sqlx::Error> {
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
    school_id: i64,
    signature: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
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
    school_id: i64,
    signature: &str,
    mapping: &str,
    staff_user_id: Option<i64>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
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
