//! The rows behind every status view: current carers with their best signature, and their children.

/// A row of [`carer_records`]' columns (as `query!` returns it) as a [`CarerRecord`].
macro_rules! carer_record {
    ($r:expr) => {{
        let r = $r;
        CarerRecord {
            id: r.id,
            title: r.title,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email,
            phone: r.phone,
            address: r.address,
            postcode: r.postcode,
            best_signed: r.best_signed,
            best_method: r.best_method,
            best_signed_at: r.best_signed_at,
        }
    }};
}

mod counts;

pub use counts::{last_declaration, moves, records_since, summary};

use sqlx::SqliteExecutor;

use crate::domain::school::Scope;
use crate::domain::status::{CarerRecord, PupilLink};

/// A school's current carers, each with the highest version they signed of `document_id`.
pub async fn carer_records(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
) -> Result<Vec<CarerRecord>, sqlx::Error> {
    let school_id = scope.id();
    let rows = sqlx::query!(
        r#"SELECT c.id AS "id!", c.title, c.first_name, c.last_name, c.email, c.phone, c.address, c.postcode,
                b.number AS "best_signed?: i64", b.method AS "best_method?: String",
                b.signed_at AS "best_signed_at?: String"
         FROM carers c
         LEFT JOIN (
             SELECT d.carer_id, v.number, d.method, d.signed_at,
                    ROW_NUMBER() OVER (PARTITION BY d.carer_id ORDER BY v.number DESC, d.id DESC) AS rn
             FROM declarations d JOIN versions v ON v.id = d.version_id
             WHERE d.document_id = ?
         ) b ON b.carer_id = c.id AND b.rn = 1
         WHERE c.school_id = ? AND c.left_on IS NULL"#,
        document_id,
        school_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|r| carer_record!(r)).collect())
}

/// Links between a school's current carers and current pupils.
pub async fn links(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<Vec<PupilLink>, sqlx::Error> {
    let school_id = scope.id();
    let rows = sqlx::query!(
        r#"SELECT cp.carer_id, p.id AS "pupil_id!", p.first_name, p.last_name, p.class_name, p.year_group
         FROM carer_pupils cp
         JOIN pupils p ON p.id = cp.pupil_id
         JOIN carers c ON c.id = cp.carer_id
         WHERE p.school_id = ? AND p.left_on IS NULL AND c.left_on IS NULL"#,
        school_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PupilLink {
            carer_id: r.carer_id,
            pupil_id: r.pupil_id,
            first_name: r.first_name,
            last_name: r.last_name,
            class_name: r.class_name,
            year_group: r.year_group,
        })
        .collect())
}

/// Whether a current carer still needs to sign a document: not left, and no signature of a
/// version at or after its latest material one. `None` when the carer has left or is unknown.
pub async fn still_to_sign(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
    document_id: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let school_id = scope.id();
    let row = sqlx::query!(
        r#"SELECT (SELECT MAX(v.number) FROM declarations d JOIN versions v ON v.id = d.version_id
                   WHERE d.carer_id = c.id AND d.document_id = ?) AS "best?: i64",
                  COALESCE((SELECT MAX(m.number) FROM versions m WHERE m.document_id = ? AND m.material = 1), 1)
                      AS "material!: i64"
           FROM carers c WHERE c.id = ? AND c.school_id = ? AND c.left_on IS NULL"#,
        document_id,
        document_id,
        carer_id,
        school_id
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| r.best.is_none_or(|b| b < r.material)))
}

/// How many of these carers are current and still to sign a document (not signed, or must
/// re-sign).
pub async fn outstanding_among(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
    latest_material: i64,
    carer_ids: &[i64],
) -> Result<i64, sqlx::Error> {
    let ids = serde_json::to_string(carer_ids).unwrap_or_else(|_| "[]".into());
    let school_id = scope.id();
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM carers c
           WHERE c.id IN (SELECT value FROM json_each(?1)) AND +c.school_id = ?2 AND c.left_on IS NULL
             AND COALESCE((SELECT MAX(v.number) FROM declarations d JOIN versions v ON v.id = d.version_id
                           WHERE d.document_id = ?3 AND d.carer_id = c.id), 0) < ?4"#,
        ids,
        school_id,
        document_id,
        latest_material
    )
    .fetch_one(ex)
    .await
}
