//! Schools: the tenant every other row belongs to. The functions that find a school (by its
//! address, its host name, as the only or first one, for the directory) make its [`Scope`].

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
pub use crate::domain::school::{School, Scope};

/// A `schools` row as the queries read it.
struct Row {
    id: i64,
    slug: String,
    name: String,
    address: String,
    cover_rule: String,
    letter_text: String,
    phone: String,
    email: String,
    office_hours: String,
    host: Option<String>,
}

impl From<Row> for School {
    fn from(r: Row) -> School {
        School {
            id: r.id,
            scope: Scope::from_row(r.id),
            slug: r.slug,
            name: r.name,
            address: r.address,
            cover_rule: r.cover_rule,
            letter_text: r.letter_text,
            phone: r.phone,
            email: r.email,
            office_hours: r.office_hours,
            host: r.host,
        }
    }
}

/// The school of a scope (none if it was removed since).
pub async fn get(ex: impl SqliteExecutor<'_>, scope: Scope) -> Result<Option<School>, sqlx::Error> {
    let id = scope.id();
    sqlx::query_as!(
        Row,
        "SELECT id, slug, name, address, cover_rule, letter_text, phone, email, office_hours, \
         host FROM schools WHERE id = ?",
        id
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(School::from))
}

/// The instance's first school: the one `/` belongs to.
pub async fn first(ex: impl SqliteExecutor<'_>) -> Result<Option<School>, sqlx::Error> {
    sqlx::query_as!(
        Row,
        "SELECT id, slug, name, address, cover_rule, letter_text, phone, email, office_hours, \
         host FROM schools ORDER BY id LIMIT 1"
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(School::from))
}

/// The instance's school when it has only one: what pages that belong to no school in
/// particular (the code box, sign-in, error pages) show. `None` with several.
pub async fn only(ex: impl SqliteExecutor<'_>) -> Result<Option<School>, sqlx::Error> {
    sqlx::query_as!(
        Row,
        r#"SELECT id AS "id!", slug, name, address, cover_rule, letter_text, phone, email,
                  office_hours, host FROM schools WHERE (SELECT COUNT(*) FROM schools) = 1"#
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(School::from))
}

/// The school whose own host name `host` is (lower case, as [`crate::domain::school::request_host`]
/// makes it), else the instance's only school: what an address without a school shows. One
/// query, as [`only`] was, so a single school's pages cost no more.
pub async fn by_host_or_only(
    ex: impl SqliteExecutor<'_>,
    host: &str,
) -> Result<Option<School>, sqlx::Error> {
    sqlx::query_as!(
        Row,
        r#"SELECT id AS "id!", slug, name, address, cover_rule, letter_text, phone, email,
                  office_hours, host FROM schools
           WHERE host = ?1 COLLATE NOCASE OR (SELECT COUNT(*) FROM schools) = 1
           ORDER BY host = ?1 COLLATE NOCASE DESC LIMIT 1"#,
        host
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(School::from))
}

/// The school with the host name `host`, if any (compared without case).
pub async fn by_host(
    ex: impl SqliteExecutor<'_>,
    host: &str,
) -> Result<Option<School>, sqlx::Error> {
    sqlx::query_as!(
        Row,
        r#"SELECT id AS "id!", slug, name, address, cover_rule, letter_text, phone, email,
                  office_hours, host FROM schools WHERE host = ? COLLATE NOCASE"#,
        host
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(School::from))
}

/// Gives a school its own host name, or takes it away (`None`).
pub async fn set_host(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    host: Option<&str>,
) -> Result<(), sqlx::Error> {
    let id = scope.id();
    sqlx::query!("UPDATE schools SET host = ? WHERE id = ?", host, id)
        .execute(ex)
        .await?;
    Ok(())
}

/// The school at an address (`/{slug}/…`).
pub async fn by_slug(
    ex: impl SqliteExecutor<'_>,
    slug: &str,
) -> Result<Option<School>, sqlx::Error> {
    sqlx::query_as!(
        Row,
        r#"SELECT id AS "id!", slug, name, address, cover_rule, letter_text, phone, email,
                  office_hours, host FROM schools WHERE slug = ?"#,
        slug
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(School::from))
}
pub async fn directory(ex: impl SqliteExecutor<'_>) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query!("SELECT slug, name FROM schools ORDER BY name COLLATE NOCASE, id")
        .fetch_all(ex)
        .await?;
    Ok(rows.into_iter().map(|r| (r.slug, r.name)).collect())
}

/// Every school's scope and name, oldest first: for the jobs that go through every school.
pub async fn names(ex: impl SqliteExecutor<'_>) -> Result<Vec<(Scope, String)>, sqlx::Error> {
    let rows = sqlx::query!("SELECT id, name FROM schools ORDER BY id")
        .fetch_all(ex)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (Scope::from_row(r.id), r.name))
        .collect())
}

/// Adds a school; returns its scope.
pub async fn insert(
    ex: impl SqliteExecutor<'_>,
    slug: &str,
    name: &str,
    address: &str,
    letter_text: &str,
    now: OffsetDateTime,
) -> Result<Scope, sqlx::Error> {
    let now = stamp(now);
    let res = sqlx::query!(
        "INSERT INTO schools (slug, name, address, letter_text, created_at) VALUES (?, ?, ?, ?, ?)",
        slug,
        name,
        address,
        letter_text,
        now
    )
    .execute(ex)
    .await?;
    Ok(Scope::from_row(res.last_insert_rowid()))
}

/// Saves what the headteacher's settings page edits: everything in `s` but its id and slug.
pub async fn update_settings(ex: impl SqliteExecutor<'_>, s: &School) -> Result<(), sqlx::Error> {
    let id = s.scope.id();
    sqlx::query!(
        "UPDATE schools SET name = ?, address = ?, cover_rule = ?, letter_text = ?, \
         phone = ?, email = ?, office_hours = ? WHERE id = ?",
        s.name,
        s.address,
        s.cover_rule,
        s.letter_text,
        s.phone,
        s.email,
        s.office_hours,
        id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// The language a bilingual school shows beside the original on the signing page ('' for none).
pub async fn side_by_side(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<String, sqlx::Error> {
    let id = scope.id();
    Ok(
        sqlx::query_scalar!("SELECT side_by_side FROM schools WHERE id = ?", id)
            .fetch_optional(ex)
            .await?
            .unwrap_or_default(),
    )
}

/// Sets the language shown beside the original ('' for none).
pub async fn set_side_by_side(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    language: &str,
) -> Result<(), sqlx::Error> {
    let id = scope.id();
    sqlx::query!(
        "UPDATE schools SET side_by_side = ? WHERE id = ?",
        language,
        id
    )
    .execute(ex)
    .await?;
    Ok(())
}
