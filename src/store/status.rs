//! The rows behind every status view: current carers with their best signature, and their children.

use sqlx::SqliteExecutor;

use crate::domain::status::{CarerRecord, PupilLink};

/// A school's current carers, each with the highest version they signed of `document_id`.
pub async fn carer_records(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
    document_id: i64,
) -> Result<Vec<CarerRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.title, c.first_name, c.last_name, c.email, c.phone, c.address, c.postcode,
                b.number AS best_signed, b.method AS best_method, b.signed_at AS best_signed_at
         FROM carers c
         LEFT JOIN (
             SELECT d.carer_id, v.number, d.method, d.signed_at,
                    ROW_NUMBER() OVER (PARTITION BY d.carer_id ORDER BY v.number DESC, d.id DESC) AS rn
             FROM declarations d JOIN versions v ON v.id = d.version_id
             WHERE d.document_id = ?
         ) b ON b.carer_id = c.id AND b.rn = 1
         WHERE c.school_id = ? AND c.left_on IS NULL",
    )
    .bind(document_id)
    .bind(school_id)
    .fetch_all(ex)
    .await
}

/// Links between a school's current carers and current pupils.
pub async fn links(
    ex: impl SqliteExecutor<'_>,
    school_id: i64,
) -> Result<Vec<PupilLink>, sqlx::Error> {
    sqlx::query_as(
        "SELECT cp.carer_id, p.id AS pupil_id, p.first_name, p.last_name, p.class_name, p.year_group
         FROM carer_pupils cp
         JOIN pupils p ON p.id = cp.pupil_id
         JOIN carers c ON c.id = cp.carer_id
         WHERE p.school_id = ? AND p.left_on IS NULL AND c.left_on IS NULL",
    )
    .bind(school_id)
    .fetch_all(ex)
    .await
}
