//! Roster import from start to finish, shared by the office pages and `signoff import-roster`:
//! read the file, decide its columns, preview, and import exactly what the preview showed.

pub mod cli;
pub mod text;
pub mod uploads;
mod worker;

use crate::domain::roster::columns::{SKIPPED_COLUMNS, signature};
use crate::domain::roster::{self, Mapping, Parsed, Plan, Summary, Table};
use crate::domain::school::Scope;
use crate::store::{self, Db, WriteTx, audit};

/// Where the column choices came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingSource {
    /// Signoff read every header by itself.
    Headers,
    /// Chosen by the office for this file.
    Chosen,
    /// Chosen for an earlier file with the same headers (when).
    Remembered(String),
}

/// A file whose columns are known, read and compared with the database.
#[derive(Debug, Clone)]
pub struct Preview {
    pub table: Table,
    pub mapping: Mapping,
    pub source: MappingSource,
    pub parsed: Parsed,
    pub plan: Plan,
}

/// What reading an uploaded file gives.
#[derive(Debug, Clone)]
pub enum Reading {
    /// Not a table at all: say why.
    Unreadable(String),
    /// Another file of this school's is being read or imported right now.
    Busy,
    /// Some columns are unknown or something needed is missing: the office chooses.
    NeedsMapping {
        table: Table,
        mapping: Mapping,
        /// Columns Signoff could not place.
        unknown: Vec<usize>,
        gaps: Vec<String>,
    },
    Ready(Box<Preview>),
}

/// How strict to be about a file Signoff cannot read entirely by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// Ask the office about unrecognised columns (the web pages).
    Ask,
    /// Ignore unrecognised columns when nothing needed is missing (the command line).
    Ignore,
}

/// Reads a file with the upload's own choices, else the school's remembered ones, else its
/// headers, and compares it with the roster; changes nothing.
pub async fn read(
    db: &Db,
    scope: Scope,
    text: String,
    chosen: Option<&str>,
    unknown_columns: Unknown,
) -> Result<Reading, sqlx::Error> {
    let preview = match read_rows(db, scope, text, chosen, unknown_columns).await? {
        Ok(p) => p,
        Err(not_ready) => return Ok(not_ready),
    };
    Ok(Reading::Ready(plan_now(db, scope, preview).await?))
}

/// Compares read rows with the roster as it is now, without taking the write lock.
async fn plan_now(
    db: &Db,
    scope: Scope,
    mut preview: Preview,
) -> Result<Box<Preview>, sqlx::Error> {
    let mut conn = db.read.acquire().await?;
    let existing = store::roster::existing(&mut conn, scope).await?;
    preview.plan = roster::plan(&mut preview.parsed, &existing);
    Ok(Box::new(preview))
}

/// Reads the file's rows without comparing them with the roster (a [`Preview`] with an empty
/// plan), or says why it cannot.
pub async fn read_rows(
    db: &Db,
    scope: Scope,
    text: String,
    chosen: Option<&str>,
    unknown_columns: Unknown,
) -> Result<Result<Preview, Reading>, sqlx::Error> {
    let Some(_turn) = db.start_job("roster", scope) else {
        return Ok(Err(Reading::Busy));
    };
    rows_in_turn(db, scope, text, chosen, unknown_columns).await
}

/// [`read_rows`] for a caller that already has the school's turn.
async fn rows_in_turn(
    db: &Db,
    scope: Scope,
    text: String,
    chosen: Option<&str>,
    unknown_columns: Unknown,
) -> Result<Result<Preview, Reading>, sqlx::Error> {
    let table = match worker::run(move || Table::read(text)).await? {
        Ok(t) => t,
        Err(e) => return Ok(Err(Reading::Unreadable(e))),
    };
    let mut remembered =
        store::roster::remembered_mapping(&db.read, scope, &signature(&table.headers)).await?;
    // A file of skipped rows downloaded from a preview: the columns before Signoff's own two.
    if let Some(base) = table.headers.len().checked_sub(SKIPPED_COLUMNS.len())
        && remembered.is_none()
        && table.headers[base..] == SKIPPED_COLUMNS
    {
        remembered =
            store::roster::remembered_mapping(&db.read, scope, &signature(&table.headers[..base]))
                .await?
                .map(|(m, at)| (format!("{m}\nignore\nignore"), at));
    }
    let from = |text: &str| Mapping::from_text(&table.headers, text);
    let remembered = remembered.and_then(|(text, at)| from(&text).map(|m| (m, at)));
    let (mapping, source, unknown) = match (chosen.and_then(from), remembered) {
        (Some(m), _) => (m, MappingSource::Chosen, Vec::new()),
        (None, Some((m, at))) => (m, MappingSource::Remembered(at), Vec::new()),
        _ => {
            let (m, unknown) = Mapping::guess(&table.headers);
            (m, MappingSource::Headers, unknown)
        }
    };
    let gaps = mapping.gaps();
    let ask = unknown_columns == Unknown::Ask && !unknown.is_empty();
    if !gaps.is_empty() || ask {
        return Ok(Err(Reading::NeedsMapping {
            table,
            mapping,
            unknown,
            gaps,
        }));
    }
    let (table, mapping, parsed) = worker::run(move || {
        let parsed = roster::read(&table, &mapping);
        (table, mapping, parsed)
    })
    .await?;
    Ok(Ok(Preview {
        table,
        mapping,
        source,
        parsed,
        plan: Plan::default(),
    }))
}

/// Remembers the office's column choices for this upload and for later files with its headers.
pub async fn choose_columns(
    db: &Db,
    scope: Scope,
    upload_id: i64,
    mapping: &Mapping,
    staff_user_id: Option<i64>,
    now: time::OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let headers: Vec<String> = mapping.columns.iter().map(|c| c.header.clone()).collect();
    let text = mapping.to_text();
    let mut tx = db.begin().await?;
    store::roster::set_upload_mapping(&mut *tx, scope, upload_id, &text).await?;
    store::roster::remember_mapping(
        &mut *tx,
        scope,
        &signature(&headers),
        &text,
        staff_user_id,
        now,
    )
    .await?;
    tx.commit().await
}

/// What the office agreed to on the preview.
#[derive(Debug, Clone, Default)]
pub struct Consent {
    /// The preview's [`Plan::digest`]: the import happens only if the plan is still exactly that.
    pub digest: Option<String>,
    /// Rows with errors may be skipped.
    pub skip_invalid: bool,
    /// Many pupils may be marked as left.
    pub confirm_leavers: bool,
}

/// What an import did, or why it did nothing.
#[derive(Debug)]
pub enum Outcome {
    /// Imported: what it did.
    Imported(Summary),
    /// The file cannot be read, or its columns need choosing.
    NotReady(Reading),
    /// Some rows have errors and skipping them was not agreed.
    HasErrors(Box<Preview>),
    /// Many pupils would be marked as left and that was not confirmed.
    NeedsLeaverConfirmation(Box<Preview>),
    /// The database changed since the preview: here is the new one.
    Changed(Box<Preview>),
}

/// One import: whose, which file, and what was agreed.
pub struct Request<'a> {
    pub scope: Scope,
    /// The office's upload, emptied in the same transaction (none from the command line).
    pub upload_id: Option<i64>,
    pub text: String,
    pub chosen: Option<&'a str>,
    pub unknown_columns: Unknown,
    pub consent: Consent,
    pub actor: &'a str,
    pub now: time::OffsetDateTime,
}

/// Imports a file in one transaction, and only what the office agreed to: the plan is worked out
/// again inside the transaction and must match the preview's digest (when one is given).
pub async fn import(db: &Db, r: Request<'_>) -> Result<Outcome, sqlx::Error> {
    let Some(_turn) = db.start_job("roster", r.scope) else {
        return Ok(Outcome::NotReady(Reading::Busy));
    };
    let preview = match rows_in_turn(db, r.scope, r.text, r.chosen, r.unknown_columns).await? {
        Ok(p) => p,
        Err(not_ready) => return Ok(Outcome::NotReady(not_ready)),
    };
    let terms = Terms {
        scope: r.scope,
        upload_id: r.upload_id,
        consent: r.consent,
        actor: r.actor,
        now: r.now,
    };
    let mut tx = db.begin().await?;
    let fresh = plan_in(&mut tx, r.scope, preview).await?;
    finish(tx, fresh, &terms).await
}

/// What an import was agreed to do, once its file is read.
struct Terms<'a> {
    scope: Scope,
    upload_id: Option<i64>,
    consent: Consent,
    actor: &'a str,
    now: time::OffsetDateTime,
}

/// Compares read rows with the roster as this transaction sees it.
async fn plan_in(
    tx: &mut WriteTx,
    scope: Scope,
    mut preview: Preview,
) -> Result<Box<Preview>, sqlx::Error> {
    let existing = store::roster::existing(tx, scope).await?;
    preview.plan = roster::plan(&mut preview.parsed, &existing);
    Ok(Box::new(preview))
}

/// Checks a plan made inside `tx` against what was agreed, then applies it, empties the upload,
/// records the audit event and commits; or does nothing and says why.
async fn finish(
    mut tx: WriteTx,
    fresh: Box<Preview>,
    r: &Terms<'_>,
) -> Result<Outcome, sqlx::Error> {
    let plan = &fresh.plan;
    if r.consent
        .digest
        .as_ref()
        .is_some_and(|d| *d != plan.digest())
    {
        return Ok(Outcome::Changed(fresh));
    }
    let skipped = fresh.parsed.skipped.len();
    if skipped > 0 && !r.consent.skip_invalid {
        return Ok(Outcome::HasErrors(fresh));
    }
    if plan.needs_leaver_confirmation() && !r.consent.confirm_leavers {
        return Ok(Outcome::NeedsLeaverConfirmation(fresh));
    }
    store::roster::apply(&mut tx, r.scope, plan, r.now, r.now.date()).await?;
    let summary = Summary::of(plan, skipped);
    if let Some(id) = r.upload_id {
        let rows = if skipped > 0 {
            skipped_csv(&fresh)
        } else {
            String::new()
        };
        if !store::roster::finish_upload(&mut *tx, r.scope, id, &rows, &summary.to_text(), r.now)
            .await?
        {
            return Ok(Outcome::Changed(fresh));
        }
    }
    let detail = format!(
        "{summary}; links +{} -{}; rows skipped {skipped}",
        plan.add_links.len(),
        plan.remove_links.len(),
    );
    audit::record(
        &mut *tx,
        audit::Event {
            scope: r.scope,
            at: r.now,
            actor: r.actor,
            action: "roster.imported",
            subject: &format!("school:{}", r.scope.id()),
            detail: &detail,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome::Imported(summary))
}

/// The rows an import skips, as CSV the office can fix and import again: the file's own columns,
/// then the row number and the reasons.
pub fn skipped_csv(preview: &Preview) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header: Vec<String> = preview.table.headers.clone();
    header.extend(SKIPPED_COLUMNS.iter().map(|s| s.to_string()));
    let _ = w.write_record(&header);
    for (row, reason) in &preview.parsed.skipped {
        {
            let mut cells: Vec<String> = row
                .cells
                .iter()
                .map(|c| crate::domain::csv_safe::cell(c))
                .collect();
            cells.resize(preview.table.headers.len(), String::new());
            cells.push(row.number.to_string());
            cells.push(crate::domain::csv_safe::cell(reason));
            let _ = w.write_record(&cells);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
