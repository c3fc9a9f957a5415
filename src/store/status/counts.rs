//! The office's counts read from the bare roster (no row per carer is decoded), and what new
//! declarations moved since they were counted.
//!
//! A carer's best signature of a document is encoded as `number * 2 + paper`: the highest version
//! number they signed, and whether that one was on paper (a carer signs a version once).
//!
//! What a few new declarations moved must cost in proportion to them, never to the school: the
//! queries for it fix their join order (`CROSS JOIN`) and keep SQLite from the school-wide
//! indexes (`+school_id`), which it would otherwise scan for every row (minutes at 100,000).

use std::collections::HashMap;

use sqlx::SqliteConnection;

use crate::domain::school::Scope;
use crate::domain::status::{
    CarerMove, CarerRecord, CoverRule, LinkMove, Roster, Standing, Status, Summary,
};

/// A standing from an encoded best signature.
fn from_best(best: Option<i64>, latest_material: i64) -> Standing {
    match best {
        None => (Status::NotSigned, false),
        Some(b) if b / 2 >= latest_material => (Status::Signed, b % 2 == 1),
        Some(_) => (Status::MustResign, false),
    }
}

/// The id of the last declaration (0 for none), in every school: what a summary read in the same
/// transaction has counted up to (a watermark, not a school's data).
pub async fn last_declaration(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT COALESCE(MAX(id), 0) AS "id!: i64" FROM declarations"#)
        .fetch_one(conn)
        .await
}

/// A school's counts for one document, counted from scratch.
///
/// Three statements read the bare roster, each as one string of numbers: decoding a row per
/// carer through the driver costs more than the whole count in Rust ([`Summary::count`]).
pub async fn summary(
    conn: &mut SqliteConnection,
    scope: Scope,
    document_id: i64,
    latest_material: i64,
    rule: CoverRule,
) -> Result<Summary, sqlx::Error> {
    let school_id = scope.id();
    // The school is checked on the document (its declarations are all the school's), which keeps
    // the count on the covering index.
    let best = sqlx::query_scalar!(
        r#"SELECT group_concat(carer_id || ',' || b) AS "best?: String" FROM (
               SELECT d.carer_id, MAX(v.number * 2 + (d.method = 'paper')) AS b
               FROM declarations d JOIN versions v ON v.id = d.version_id
               WHERE d.document_id = (SELECT id FROM documents WHERE id = ?1 AND school_id = ?2)
               GROUP BY d.carer_id)"#,
        document_id,
        school_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let best: HashMap<i64, i64> = pairs(best.as_deref())?.into_iter().collect();
    // Every current carer, with each of their children (0 for a carer with none).
    let carers = sqlx::query_scalar!(
        r#"SELECT group_concat(c.id || ',' || COALESCE(cp.pupil_id, 0)) AS "links?: String"
           FROM carers c LEFT JOIN carer_pupils cp ON cp.carer_id = c.id
           WHERE c.school_id = ?1 AND c.left_on IS NULL"#,
        school_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let links = pairs(carers.as_deref())?;
    let groups = sqlx::query!(
        r#"SELECT class_name AS "class_name!: String", year_group AS "year_group!: String",
                  group_concat(id) AS "ids!: String"
           FROM pupils WHERE school_id = ?1 AND left_on IS NULL
           GROUP BY class_name, year_group"#,
        school_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut roster = Roster {
        carers: links
            .iter()
            .map(|&(id, _)| (id, from_best(best.get(&id).copied(), latest_material)))
            .collect(),
        links: links.into_iter().filter(|&(_, p)| p != 0).collect(),
        groups: Vec::with_capacity(groups.len()),
    };
    for g in groups {
        let ids = numbers(&g.ids).collect::<Result<_, _>>()?;
        roster.groups.push((g.class_name, g.year_group, ids));
    }
    Ok(Summary::count(&roster, rule))
}

/// The numbers in a `group_concat` of integers.
fn numbers(list: &str) -> impl Iterator<Item = Result<i64, sqlx::Error>> + '_ {
    list.split(',').map(|n| {
        n.parse::<i64>()
            .map_err(|e| sqlx::Error::Decode(format!("a number in a list ({n:?}): {e}").into()))
    })
}

/// The pairs in a `group_concat` of `a || ',' || b` (none for NULL, the concat of no rows).
fn pairs(list: Option<&str>) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    let mut numbers = numbers(list);
    let mut out = Vec::new();
    while let Some(a) = numbers.next() {
        let b = numbers
            .next()
            .ok_or_else(|| sqlx::Error::Decode("a list of pairs with an odd length".into()))?;
        out.push((a?, b?));
    }
    Ok(out)
}

/// What declarations after `since` (a [`last_declaration`]) moved for one document: each current
/// carer who made one, and every link of every current pupil of theirs, with each carer's
/// standing before and after. Read in the same transaction as the `last_declaration` that
/// becomes the next `since`. (`NOT INDEXED` keeps the search on the id range, a handful of new
/// rows, where the planner would otherwise walk the whole `(carer_id, version_id)` index for the
/// `DISTINCT`: 80 to 100 ms at 100,000 declarations instead of a few.)
pub async fn moves(
    conn: &mut SqliteConnection,
    scope: Scope,
    document_id: i64,
    latest_material: i64,
    since: i64,
) -> Result<(Vec<CarerMove>, Vec<LinkMove>), sqlx::Error> {
    let school_id = scope.id();
    let carers = sqlx::query!(
        r#"WITH moved AS (SELECT DISTINCT carer_id FROM declarations NOT INDEXED
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
        r#"WITH moved AS (SELECT DISTINCT carer_id FROM declarations NOT INDEXED
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
    scope: Scope,
    document_id: i64,
    since: i64,
) -> Result<Vec<CarerRecord>, sqlx::Error> {
    let school_id = scope.id();
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
