//! Writing an import plan set-based: each kind of change is a few statements over JSON arrays
//! (`json_each`), not one statement a row, so a 100,000-row file is a few dozen round trips to
//! SQLite instead of a quarter of a million.

use serde::Serialize;
use sqlx::SqliteConnection;
use time::{Date, OffsetDateTime};

use crate::clock::stamp;
use crate::domain::roster::Plan;
use crate::domain::roster::plan::Slot;
use crate::domain::school::Scope;

/// Rows per statement: bounds the JSON text held at once while keeping round trips few.
const CHUNK: usize = 5_000;

/// The rows in chunks, each chunk as one JSON array of arrays.
fn chunks<T: Serialize>(rows: &[T]) -> impl Iterator<Item = Result<String, sqlx::Error>> {
    rows.chunks(CHUNK)
        .map(|c| serde_json::to_string(c).map_err(|e| sqlx::Error::Encode(Box::new(e))))
}

// In the updates, `+school_id` keeps SQLite from scanning the school's rows through its index for
// every row of the chunk: each row is found by its id, and the school is checked on it. Links have
// no school of their own: the carer's is checked (a trigger keeps the pupil in the same school).

/// Applies a plan inside the caller's transaction. Leavers are marked, never deleted. The caller
/// holds the write lock (`BEGIN IMMEDIATE`), so the ids of new rows are given here, after the
/// highest there is, and the links to them need no reading back.
pub async fn apply(
    conn: &mut SqliteConnection,
    scope: Scope,
    plan: &Plan,
    now: OffsetDateTime,
    today: Date,
) -> Result<(), sqlx::Error> {
    let school_id = scope.id();
    let stamped = stamp(now);
    let today = today.to_string();
    let first_pupil =
        sqlx::query_scalar!(r#"SELECT COALESCE(MAX(id), 0) + 1 AS "id!: i64" FROM pupils"#)
            .fetch_one(&mut *conn)
            .await?;
    let first_carer =
        sqlx::query_scalar!(r#"SELECT COALESCE(MAX(id), 0) + 1 AS "id!: i64" FROM carers"#)
            .fetch_one(&mut *conn)
            .await?;
    let new_id = |first: i64, i: usize| first + i as i64;

    let rows: Vec<_> = plan
        .add_pupils
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let id = new_id(first_pupil, i);
            (
                id,
                &p.mis_id,
                &p.first_name,
                &p.last_name,
                &p.class_name,
                &p.year_group,
            )
        })
        .collect();
    for json in chunks(&rows) {
        let json = json?;
        sqlx::query!(
            "INSERT INTO pupils (id, school_id, mis_id, first_name, last_name, class_name, year_group, created_at, updated_at)
             SELECT value ->> 0, ?1, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, ?2, ?2
             FROM json_each(?3)",
            school_id,
            stamped,
            json
        )
        .execute(&mut *conn)
        .await?;
    }

    let rows: Vec<_> = plan
        .update_pupils
        .iter()
        .map(|(e, p)| {
            (
                e.id,
                &p.mis_id,
                &p.first_name,
                &p.last_name,
                &p.class_name,
                &p.year_group,
            )
        })
        .collect();
    for json in chunks(&rows) {
        let json = json?;
        sqlx::query!(
            "UPDATE pupils SET mis_id = u.value ->> 1, first_name = u.value ->> 2, last_name = u.value ->> 3,
                    class_name = u.value ->> 4, year_group = u.value ->> 5, left_on = NULL, updated_at = ?1
             FROM json_each(?2) AS u
             WHERE pupils.id = u.value ->> 0 AND +pupils.school_id = ?3",
            stamped,
            json,
            school_id
        )
        .execute(&mut *conn)
        .await?;
    }

    let rows: Vec<i64> = plan.leave_pupils.iter().map(|e| e.id).collect();
    for json in chunks(&rows) {
        let json = json?;
        sqlx::query!(
            "UPDATE pupils SET left_on = ?1, updated_at = ?2
             WHERE +school_id = ?3 AND id IN (SELECT value FROM json_each(?4))",
            today,
            stamped,
            school_id,
            json
        )
        .execute(&mut *conn)
        .await?;
    }

    let rows: Vec<_> = plan
        .add_carers
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let id = new_id(first_carer, i);
            let fields = (&c.title, &c.first_name, &c.last_name, &c.email, &c.phone);
            (id, &c.mis_id, fields, &c.address, &c.postcode, &c.language)
        })
        .collect();
    for json in chunks(&rows) {
        let json = json?;
        sqlx::query!(
            "INSERT INTO carers (id, school_id, mis_id, title, first_name, last_name, email, phone, address, postcode,
                                 language, language_source, created_at, updated_at)
             SELECT value ->> 0, ?1, value ->> 1, value ->> '$[2][0]', value ->> '$[2][1]', value ->> '$[2][2]',
                    value ->> '$[2][3]', value ->> '$[2][4]', value ->> 3, value ->> 4,
                    value ->> 5, CASE WHEN value ->> 5 IS NULL THEN NULL ELSE 'roster' END, ?2, ?2
             FROM json_each(?3)",
            school_id,
            stamped,
            json
        )
        .execute(&mut *conn)
        .await?;
    }

    let rows: Vec<_> = plan
        .update_carers
        .iter()
        .map(|(id, c)| {
            let fields = (&c.title, &c.first_name, &c.last_name, &c.email, &c.phone);
            (id, &c.mis_id, fields, &c.address, &c.postcode, &c.language)
        })
        .collect();
    for json in chunks(&rows) {
        let json = json?;
        sqlx::query!(
            "UPDATE carers SET mis_id = u.value ->> 1, title = u.value ->> '$[2][0]',
                    first_name = u.value ->> '$[2][1]', last_name = u.value ->> '$[2][2]',
                    email = u.value ->> '$[2][3]', phone = u.value ->> '$[2][4]', address = u.value ->> 3,
                    postcode = u.value ->> 4, left_on = NULL, updated_at = ?1,
                    -- A language the carer chose stays; a file without one changes nothing.
                    language = CASE WHEN carers.language_source = 'carer' OR u.value ->> 5 IS NULL
                                    THEN carers.language ELSE u.value ->> 5 END,
                    language_source = CASE WHEN carers.language_source = 'carer' THEN 'carer'
                                           WHEN u.value ->> 5 IS NULL THEN carers.language_source
                                           ELSE 'roster' END
             FROM json_each(?2) AS u
             WHERE carers.id = u.value ->> 0 AND +carers.school_id = ?3",
            stamped,
            json,
            school_id
        )
        .execute(&mut *conn)
        .await?;
    }

    let rows: Vec<i64> = plan.leave_carers.iter().map(|e| e.id).collect();
    for json in chunks(&rows) {
        let json = json?;
        sqlx::query!(
            "UPDATE carers SET left_on = ?1, updated_at = ?2
             WHERE +school_id = ?3 AND id IN (SELECT value FROM json_each(?4))",
            today,
            stamped,
            school_id,
            json
        )
        .execute(&mut *conn)
        .await?;
    }

    for json in chunks(&plan.remove_links) {
        let json = json?;
        sqlx::query!(
            "DELETE FROM carer_pupils
             WHERE (carer_id, pupil_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?1))
               AND EXISTS (SELECT 1 FROM carers c WHERE c.id = carer_pupils.carer_id AND +c.school_id = ?2)",
            json,
            school_id
        )
        .execute(&mut *conn)
        .await?;
    }

    // A link to a row the plan does not add is left out, as before.
    let id = |slot: Slot, first: i64, added: usize| match slot {
        Slot::Existing(id) => Some(id),
        Slot::New(i) => (i < added).then(|| new_id(first, i)),
    };
    let rows: Vec<_> = plan
        .add_links
        .iter()
        .filter_map(|l| {
            let carer = id(l.carer, first_carer, plan.add_carers.len())?;
            let pupil = id(l.pupil, first_pupil, plan.add_pupils.len())?;
            Some((carer, pupil, &l.relationship))
        })
        .collect();
    for json in chunks(&rows) {
        let json = json?;
        sqlx::query!(
            "INSERT INTO carer_pupils (carer_id, pupil_id, relationship)
             SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?1)
             WHERE EXISTS (SELECT 1 FROM carers c WHERE c.id = value ->> 0 AND +c.school_id = ?2)
             ON CONFLICT DO NOTHING",
            json,
            school_id
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
