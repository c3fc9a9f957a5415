//! The office's counts counted by SQL (no row per carer leaves the database), and what new
//! declarations moved since they were counted.
//!
//! A carer's best signature of a document is encoded as `number * 2 + paper`: the highest version
//! number they signed, and whether that one was on paper (a carer signs a version once).
//!
//! What a few new declarations moved must cost in proportion to them, never to the school: the
//! queries for it fix their join order (`CROSS JOIN`) and keep SQLite from the school-wide
//! indexes (`+school_id`), which it would otherwise scan for every row (minutes at 100,000).

use std::collections::BTreeMap;

use sqlx::SqliteConnection;

use crate::domain::status::{
    CarerMove, CarerRecord, Counts, CoverRule, LinkMove, Standing, Status, Summary,
};

/// A standing from SQL's status code: 0 not signed, 1 must re-sign, 2 signed, 3 signed on paper.
fn from_code(code: i64) -> Standing {
    match code {
        3 => (Status::Signed, true),
        2 => (Status::Signed, false),
        1 => (Status::MustResign, false),
        _ => (Status::NotSigned, false),
    }
}

/// A standing from an encoded best signature.
fn from_best(best: Option<i64>, latest_material: i64) -> Standing {
    match best {
        None => (Status::NotSigned, false),
        Some(b) if b / 2 >= latest_material => (Status::Signed, b % 2 == 1),
        Some(_) => (Status::MustResign, false),
    }
}

/// The id of the last declaration (0 for none): what a summary read in the same transaction
/// has counted up to.
pub async fn last_declaration(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT COALESCE(MAX(id), 0) AS "id!: i64" FROM declarations"#)
        .fetch_one(conn)
        .await
}

/// A school's counts for one document.
pub async fn summary(
    conn: &mut SqliteConnection,
    school_id: i64,
    document_id: i64,
    latest_material: i64,
    rule: CoverRule,
) -> Result<Summary, sqlx::Error> {
    let rows = sqlx::query!(
        r#"WITH best AS MATERIALIZED (
               SELECT d.carer_id, MAX(v.number * 2 + (d.method = 'paper')) AS b
               FROM declarations d JOIN versions v ON v.id = d.version_id
               WHERE d.document_id = ?1
               GROUP BY d.carer_id),
           cs AS MATERIALIZED (
               SELECT c.id, CASE WHEN best.b IS NULL THEN 0
                                 WHEN best.b / 2 >= ?3 THEN 2 + best.b % 2
                                 ELSE 1 END AS s
               FROM carers c LEFT JOIN best ON best.carer_id = c.id
               WHERE c.school_id = ?2 AND c.left_on IS NULL),
           links AS MATERIALIZED (
               SELECT cp.carer_id, cp.pupil_id, p.class_name, p.year_group, cs.s
               FROM carer_pupils cp
               JOIN pupils p ON p.id = cp.pupil_id
               JOIN cs ON cs.id = cp.carer_id
               WHERE p.school_id = ?2 AND p.left_on IS NULL),
           per_pupil AS (
               SELECT pupil_id, SUM(s >= 2) AS signed, COUNT(*) AS n FROM links GROUP BY pupil_id)
           SELECT 0 AS "kind!: i64", '' AS "key!: String", s AS "s!: i64", COUNT(*) AS "n!: i64"
               FROM cs GROUP BY s
           UNION ALL
           SELECT 1, class_name, s, COUNT(DISTINCT carer_id) FROM links GROUP BY class_name, s
           UNION ALL
           SELECT 2, year_group, s, COUNT(DISTINCT carer_id) FROM links
               WHERE year_group <> '' GROUP BY year_group, s
           UNION ALL
           SELECT 3, '', 0, COUNT(*) FROM per_pupil
           UNION ALL
           SELECT 4, '', 0, COALESCE(SUM(signed > 0), 0) FROM per_pupil
           UNION ALL
           SELECT 5, '', 0, COALESCE(SUM(signed = n), 0) FROM per_pupil"#,
        document_id,
        school_id,
        latest_material
    )
    .fetch_all(conn)
    .await?;
    let mut s = Summary::default();
    let (mut classes, mut years) = (BTreeMap::new(), BTreeMap::new());
    let (mut one, mut every) = (0, 0);
    for r in rows {
        let n = usize::try_from(r.n).unwrap_or_default();
        match r.kind {
            0 => s.overall.add_many(from_code(r.s), n),
            1 => classes
                .entry(r.key)
                .or_insert_with(Counts::default)
                .add_many(from_code(r.s), n),
            2 => years
                .entry(r.key)
                .or_insert_with(Counts::default)
                .add_many(from_code(r.s), n),
            3 => s.pupils = n,
            4 => one = n,
            _ => every = n,
        }
    }
    s.by_class = classes.into_iter().collect();
    s.by_year = years.into_iter().collect();
    s.pupils_covered = match rule {
        CoverRule::OneCarer => one,
        CoverRule::EveryCarer => every,
    };
    Ok(s)
}

/// What declarations after `since` (a [`last_declaration`]) moved for one document: each current
/// carer who made one, and every link of every current pupil of theirs, with each carer's
/// standing before and after. Read in the same transaction as the `last_declaration` that
/// becomes the next `since`.
pub async fn moves(
    conn: &mut SqliteConnection,
    school_id: i64,
    document_id: i64,
    latest_material: i64,
    since: i64,
) -> Result<(Vec<CarerMove>, Vec<LinkMove>), sqlx::Error> {
    let carers = sqlx::query!(
        r#"WITH moved AS (SELECT DISTINCT carer_id FROM declarations
                          WHERE id > ?1 AND +document_id = ?2 AND +school_id = ?3)
           SELECT m.carer_id AS "carer_id!: i64",
                  (SELECT MAX(v.number * 2 + (d.method = 'paper')) FROM declarations d
                   JOIN versions v ON v.id = d.version_id
                   WHERE d.document_id = ?2 AND d.carer_id = m.carer_id AND d.id <= ?1) AS "before?: i64",
                  (SELECT MAX(v.number * 2 + (d.method = 'paper')) FROM declarations d
                   JOIN versions v ON v.id = d.version_id
                   WHERE d.document_id = ?2 AND d.carer_id = m.carer_id) AS "after?: i64"
           FROM moved m CROSS JOIN carers c ON c.id = m.carer_id
           WHERE +c.school_id = ?3 AND c.left_on IS NULL"#,
        since,
        document_id,
        school_id
    )
    .fetch_all(&mut *conn)
    .await?;
    if carers.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let links = sqlx::query!(
        r#"WITH moved AS (SELECT DISTINCT carer_id FROM declarations
                          WHERE id > ?1 AND +document_id = ?2 AND +school_id = ?3),
           touched AS (SELECT DISTINCT cp.pupil_id FROM carer_pupils cp
                       WHERE cp.carer_id IN (SELECT carer_id FROM moved))
           SELECT cp.pupil_id AS "pupil_id!: i64", cp.carer_id AS "carer_id!: i64",
                  p.class_name AS "class_name!: String", p.year_group AS "year_group!: String",
                  (SELECT MAX(v.number * 2 + (d.method = 'paper')) FROM declarations d
                   JOIN versions v ON v.id = d.version_id
                   WHERE d.document_id = ?2 AND d.carer_id = cp.carer_id AND d.id <= ?1) AS "before?: i64",
                  (SELECT MAX(v.number * 2 + (d.method = 'paper')) FROM declarations d
                   JOIN versions v ON v.id = d.version_id
                   WHERE d.document_id = ?2 AND d.carer_id = cp.carer_id) AS "after?: i64"
           FROM touched t
           CROSS JOIN carer_pupils cp ON cp.pupil_id = t.pupil_id
           CROSS JOIN pupils p ON p.id = cp.pupil_id
           CROSS JOIN carers c ON c.id = cp.carer_id
           WHERE +p.school_id = ?3 AND p.left_on IS NULL AND +c.school_id = ?3 AND c.left_on IS NULL"#,
        since,
        document_id,
        school_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let standing = |b| from_best(b, latest_material);
    Ok((
        carers
            .into_iter()
            .map(|r| CarerMove {
                carer_id: r.carer_id,
                before: standing(r.before),
                after: standing(r.after),
            })
            .collect(),
        links
            .into_iter()
            .map(|r| LinkMove {
                pupil_id: r.pupil_id,
                carer_id: r.carer_id,
                class_name: r.class_name,
                year_group: r.year_group,
                before: standing(r.before),
                after: standing(r.after),
            })
            .collect(),
    ))
}

/// The records of the current carers who made declarations of the document after `since`, as
/// [`super::carer_records`] reads them, to update a kept report.
pub async fn records_since(
    conn: &mut SqliteConnection,
    school_id: i64,
    document_id: i64,
    since: i64,
) -> Result<Vec<CarerRecord>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT c.id AS "id!", c.title, c.first_name, c.last_name, c.email, c.phone, c.address, c.postcode,
                  bv.number AS "best_signed?: i64", b.method AS "best_method?: String",
                  b.signed_at AS "best_signed_at?: String"
           FROM carers c
           LEFT JOIN declarations b ON b.id = (
               SELECT d.id FROM declarations d JOIN versions v ON v.id = d.version_id
               WHERE d.document_id = ?1 AND d.carer_id = c.id ORDER BY v.number DESC, d.id DESC LIMIT 1)
           LEFT JOIN versions bv ON bv.id = b.version_id
           WHERE +c.school_id = ?2 AND c.left_on IS NULL
             AND c.id IN (SELECT carer_id FROM declarations WHERE id > ?3 AND +document_id = ?1)"#,
        document_id,
        school_id,
        since
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| carer_record!(r)).collect())
}
