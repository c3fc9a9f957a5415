//! A school's retention rule, the carers it makes due for erasure, and carers' requests to be
//! erased.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
use crate::domain::school::Scope;

/// A school's retention rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Years kept after the last child left.
    pub years: i64,
    /// When a headteacher confirmed it (until then it erases nothing), and who.
    pub confirmed_at: Option<String>,
    pub confirmed_by: Option<i64>,
}

pub async fn rule(ex: impl SqliteExecutor<'_>, scope: Scope) -> Result<Rule, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        Rule,
        r#"SELECT retention_years AS years, retention_confirmed_at AS "confirmed_at?",
                  retention_confirmed_by AS "confirmed_by?"
           FROM schools WHERE id = ?"#,
        school_id
    )
    .fetch_one(ex)
    .await
}

/// Sets the rule, confirmed by a headteacher now.
pub async fn set_rule(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    years: i64,
    by: i64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let (school_id, now) = (scope.id(), stamp(now));
    sqlx::query!(
        "UPDATE schools SET retention_years = ?, retention_confirmed_at = ?, retention_confirmed_by = ?
         WHERE id = ?",
        years,
        now,
        by,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// A carer none of whose children is still at the school.
#[derive(Debug, Clone)]
pub struct Leaver {
    pub carer_id: i64,
    pub name: String,
    /// When the last of their children (or they) left: `YYYY-MM-DD`.
    pub last_left: String,
    /// Their children's names, as the school knows them.
    pub children: String,
}

/// The school's carers who are not erased, have no child still at the school, and whose last
/// child (or who themselves) left on or before `cutoff` (`YYYY-MM-DD`), earliest first, at most
/// `limit`.
pub async fn leavers(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    cutoff: &str,
    limit: i64,
) -> Result<Vec<Leaver>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        Leaver,
        r#"SELECT carer_id AS "carer_id!", name AS "name!: String", last_left AS "last_left!: String", children AS "children!: String"
           FROM (
             SELECT c.id AS carer_id, trim(c.first_name || ' ' || c.last_name) AS name,
                    max(COALESCE(substr(c.left_on, 1, 10), ''),
                        COALESCE((SELECT max(substr(p.left_on, 1, 10)) FROM carer_pupils cp
                                  JOIN pupils p ON p.id = cp.pupil_id WHERE cp.carer_id = c.id), '')) AS last_left,
                    COALESCE((SELECT group_concat(p.first_name || ' ' || p.last_name, ', ') FROM carer_pupils cp
                              JOIN pupils p ON p.id = cp.pupil_id WHERE cp.carer_id = c.id), '') AS children
             FROM carers c
             WHERE c.school_id = ?1 AND c.erased_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM carer_pupils cp JOIN pupils p ON p.id = cp.pupil_id
                               WHERE cp.carer_id = c.id AND p.left_on IS NULL))
           WHERE last_left <> '' AND last_left <= ?2
           ORDER BY last_left, carer_id LIMIT ?3"#,
        school_id,
        cutoff,
        limit
    )
    .fetch_all(ex)
    .await
}

/// How many carers [`leavers`] would find with no limit.
pub async fn count_leavers(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    cutoff: &str,
) -> Result<i64, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM (
             SELECT max(COALESCE(substr(c.left_on, 1, 10), ''),
                        COALESCE((SELECT max(substr(p.left_on, 1, 10)) FROM carer_pupils cp
                                  JOIN pupils p ON p.id = cp.pupil_id WHERE cp.carer_id = c.id), '')) AS last_left
             FROM carers c
             WHERE c.school_id = ?1 AND c.erased_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM carer_pupils cp JOIN pupils p ON p.id = cp.pupil_id
                               WHERE cp.carer_id = c.id AND p.left_on IS NULL))
           WHERE last_left <> '' AND last_left <= ?2"#,
        school_id,
        cutoff
    )
    .fetch_one(ex)
    .await
}

/// Whether a carer has a child still at the school.
pub async fn has_current_child(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<bool, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM carer_pupils cp JOIN pupils p ON p.id = cp.pupil_id
                          WHERE cp.carer_id = ? AND p.school_id = ? AND p.left_on IS NULL) AS "yes!: bool""#,
        carer_id,
        school_id
    )
    .fetch_one(ex)
    .await
}

/// A carer's request to be erased.
#[derive(Debug, Clone)]
pub struct Request {
    pub id: i64,
    pub carer_id: i64,
    pub carer_name: String,
    pub reason: String,
    pub requested_by: Option<i64>,
    pub requested_at: String,
}

/// Records a request, waiting for a headteacher; `None` if the carer was erased meanwhile.
pub async fn request(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
    reason: &str,
    by: i64,
    now: OffsetDateTime,
) -> Result<Option<i64>, sqlx::Error> {
    let (school_id, now) = (scope.id(), stamp(now));
    let done = sqlx::query!(
        "INSERT INTO erasure_requests (school_id, carer_id, reason, requested_by, requested_at)
         SELECT ?1, ?2, ?3, ?4, ?5 FROM carers WHERE id = ?2 AND school_id = ?1 AND erased_at IS NULL",
        school_id,
        carer_id,
        reason,
        by,
        now
    )
    .execute(ex)
    .await?;
    Ok((done.rows_affected() == 1).then(|| done.last_insert_rowid()))
}

/// The requests waiting for a headteacher, oldest first; one carer's alone when `carer` is given.
pub async fn waiting(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer: Option<i64>,
) -> Result<Vec<Request>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        Request,
        r#"SELECT r.id AS "id!", r.carer_id, trim(c.first_name || ' ' || c.last_name) AS "carer_name!: String",
                  r.reason, r.requested_by AS "requested_by?", r.requested_at
           FROM erasure_requests r JOIN carers c ON c.id = r.carer_id
           WHERE r.school_id = ?1 AND r.outcome = 'waiting' AND (?2 IS NULL OR r.carer_id = ?2)
           ORDER BY r.id"#,
        school_id,
        carer
    )
    .fetch_all(ex)
    .await
}

/// Closes a waiting request: `erased` (with its erasure) or `declined`. False if it was not
/// waiting (decided already, or not this school's).
pub async fn decide(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    id: i64,
    outcome: &str,
    by: i64,
    now: OffsetDateTime,
    erasure_id: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let (school_id, now) = (scope.id(), stamp(now));
    let done = sqlx::query!(
        "UPDATE erasure_requests SET outcome = ?, decided_by = ?, decided_at = ?, erasure_id = ?
         WHERE id = ? AND school_id = ? AND outcome = 'waiting'",
        outcome,
        by,
        now,
        erasure_id,
        id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}
