//! Roster import from start to finish, shared by the office page and `signoff import-roster`.

use crate::domain::roster::{self, Parsed, Plan};
use crate::store::{self, Db, audit};

/// Reads the file and compares it with the database, changing nothing.
pub async fn preview(db: &Db, school_id: i64, text: &str) -> Result<(Parsed, Plan), sqlx::Error> {
    let parsed = roster::parse(text);
    let mut conn = db.read.acquire().await?;
    let existing = store::roster::existing(&mut conn, school_id).await?;
    let plan = roster::plan(&parsed, &existing);
    Ok((parsed, plan))
}

/// What an import did, or why it did nothing.
pub enum Outcome {
    Imported(Plan),
    Problems(Parsed),
}

/// Imports the file in one transaction: all of it, or (with any problem) none of it. The plan is
/// worked out again inside the transaction, so it matches the database it is applied to.
pub async fn import(
    db: &Db,
    school_id: i64,
    text: &str,
    actor: &str,
    now: &str,
    today: &str,
) -> Result<Outcome, sqlx::Error> {
    let parsed = roster::parse(text);
    if !parsed.problems.is_empty() {
        return Ok(Outcome::Problems(parsed));
    }
    let mut tx = db.begin().await?;
    let existing = store::roster::existing(&mut tx, school_id).await?;
    let plan = roster::plan(&parsed, &existing);
    store::roster::apply(&mut tx, school_id, &plan, now, today).await?;
    let detail = format!(
        "pupils +{} ~{} left {}; carers +{} ~{} left {}; links +{} -{}",
        plan.add_pupils.len(),
        plan.update_pupils.len(),
        plan.leave_pupils.len(),
        plan.add_carers.len(),
        plan.update_carers.len(),
        plan.leave_carers.len(),
        plan.add_links.len(),
        plan.remove_links.len()
    );
    audit::record(
        &mut *tx,
        audit::Event {
            school_id,
            at: now,
            actor,
            action: "roster.imported",
            subject: &format!("school:{school_id}"),
            detail: &detail,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome::Imported(plan))
}
