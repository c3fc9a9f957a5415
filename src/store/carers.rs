//! Pupils, carers and the links between them.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
use crate::domain::school::Scope;

#[derive(Debug, Clone)]
pub struct Carer {
    pub id: i64,
    pub school_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    pub left_on: Option<String>,
    /// Their language tag (`cy`, `en-GB`, `pl`…), if known.
    pub language: Option<String>,
    /// Who set it: `roster` or `carer` (see migration 0013).
    pub language_source: Option<String>,
    /// When the carer's details were erased (the row stays, empty), if they were.
    pub erased_at: Option<String>,
}

impl Carer {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }
}

/// A pupil as a carer's page shows them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Child {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub class_name: String,
}

impl Child {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// One of a school's carers (none for another school's).
pub async fn carer(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
) -> Result<Option<Carer>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        Carer,
        r#"SELECT id, school_id, first_name, last_name, email, phone, address, postcode,
                  left_on AS "left_on?", language AS "language?", language_source AS "language_source?",
                  erased_at AS "erased_at?"
           FROM carers WHERE id = ? AND school_id = ?"#,
        id,
        school_id
    )
    .fetch_optional(ex)
    .await
}

/// Records the language a carer chose on their own pages (an import leaves it alone after this).
pub async fn choose_language(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
    tag: &str,
) -> Result<(), sqlx::Error> {
    let school_id = scope.id();
    sqlx::query!(
        "UPDATE carers SET language = ?, language_source = 'carer' WHERE id = ? AND school_id = ?",
        tag,
        carer_id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Every carer's language tag in a school, by carer id (for letters to many carers at once).
pub async fn languages(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<std::collections::HashMap<i64, String>, sqlx::Error> {
    let school_id = scope.id();
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", language AS "language!" FROM carers
           WHERE school_id = ? AND language IS NOT NULL"#,
        school_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.language)).collect())
}

/// The names of the other schools in the portal where someone with this carer's email address or
/// phone number is a current carer: what their pages mention, and nothing more. Deliberately
/// across schools, so it takes no scope.
pub async fn also_at(
    ex: impl SqliteExecutor<'_>,
    carer_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT DISTINCT s.name AS "name!: String"
           FROM carers me
           JOIN carers o ON o.school_id <> me.school_id AND o.left_on IS NULL
                AND ((me.email <> '' AND o.email = me.email COLLATE NOCASE AND o.email <> '')
                  OR (me.phone <> '' AND o.phone = me.phone AND o.phone <> ''))
           JOIN schools s ON s.id = o.school_id
           WHERE me.id = ?1
           ORDER BY s.name"#,
        carer_id
    )
    .fetch_all(ex)
    .await
}

/// The carer's children who have not left, by class then name.
pub async fn children(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<Child>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        Child,
        r#"SELECT p.id AS "id!", p.first_name, p.last_name, p.class_name
         FROM carer_pupils cp JOIN pupils p ON p.id = cp.pupil_id
         WHERE cp.carer_id = ? AND p.school_id = ? AND p.left_on IS NULL
         ORDER BY p.class_name, p.last_name, p.first_name"#,
        carer_id,
        school_id
    )
    .fetch_all(ex)
    .await
}

pub struct NewPupil<'a> {
    pub scope: Scope,
    pub mis_id: Option<&'a str>,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub class_name: &'a str,
    pub year_group: &'a str,
}

pub async fn insert_pupil(
    ex: impl SqliteExecutor<'_>,
    p: NewPupil<'_>,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let now = stamp(now);
    let school_id = p.scope.id();
    let res = sqlx::query!(
        "INSERT INTO pupils (school_id, mis_id, first_name, last_name, class_name, year_group, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        school_id,
        p.mis_id,
        p.first_name,
        p.last_name,
        p.class_name,
        p.year_group,
        now,
        now
    )
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

pub struct NewCarer<'a> {
    pub scope: Scope,
    pub mis_id: Option<&'a str>,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
    pub postcode: &'a str,
}

pub async fn insert_carer(
    ex: impl SqliteExecutor<'_>,
    c: NewCarer<'_>,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let now = stamp(now);
    let school_id = c.scope.id();
    let res = sqlx::query!(
        "INSERT INTO carers (school_id, mis_id, first_name, last_name, email, phone, address, postcode, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        school_id,
        c.mis_id,
        c.first_name,
        c.last_name,
        c.email,
        c.phone,
        c.address,
        c.postcode,
        now,
        now
    )
    .execute(ex)
    .await?;
    Ok(res.last_insert_rowid())
}

/// Links a school's carer to a pupil (of the same school: a trigger refuses any other); nothing
/// is written when the carer is not the school's.
pub async fn link(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
    pupil_id: i64,
    relationship: &str,
) -> Result<(), sqlx::Error> {
    let school_id = scope.id();
    sqlx::query!(
        "INSERT INTO carer_pupils (carer_id, pupil_id, relationship)
         SELECT id, ?, ? FROM carers WHERE id = ? AND school_id = ?
         ON CONFLICT DO NOTHING",
        pupil_id,
        relationship,
        carer_id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// The ids of a school's carers who have not left, oldest first.
pub async fn current_ids(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<Vec<i64>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM carers WHERE school_id = ? AND left_on IS NULL ORDER BY id"#,
        school_id
    )
    .fetch_all(ex)
    .await
}

/// Up to `limit` current carers of a school who have never signed anything, oldest first.
pub async fn unsigned_ids(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_scalar!(
        r#"SELECT c.id AS "id!" FROM carers c
         WHERE c.school_id = ? AND c.left_on IS NULL
           AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.carer_id = c.id)
         ORDER BY c.id LIMIT ?"#,
        school_id,
        limit
    )
    .fetch_all(ex)
    .await
}
