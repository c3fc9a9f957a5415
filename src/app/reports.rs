//! The office's figures: each school's counts and lists for one document, kept between requests
//! and brought up to date by what was written since rather than counted again.
//!
//! A kept entry stays whole while [`Db::generation`] has not moved: every write that could change
//! a report other than by appending declarations moves it (an import, a publish, a setting), and
//! so does anything written by another process. Declarations are append-only and numbered in the
//! order they were committed, so an entry notes the last one it counted; the next request adds
//! those after it as moves of the carers who made them ([`Summary::apply`],
//! [`Report::with_records`]). Counts come from SQL; the lists (every carer's row) are read only
//! when a page needs them.
//!
//! [`Db::generation`]: crate::store::Db::generation

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use sqlx::SqliteConnection;

use crate::app::{AppError, AppState};
use crate::domain::role::Actor;
use crate::domain::school::Scope;
use crate::domain::status::{CoverRule, Report, Summary};
use crate::store::documents::{self, Current};
use crate::store::{schools, status};

/// One document's counts for a school.
#[derive(Debug, Clone)]
pub struct Counted {
    pub school_name: String,
    pub cover_every: bool,
    pub docs: Vec<Current>,
    pub doc: Current,
    pub summary: Summary,
}

/// One document's counts and lists for a school.
pub struct Loaded {
    counted: Arc<Counted>,
    pub report: Arc<Report>,
}

impl Deref for Loaded {
    type Target = Counted;
    fn deref(&self) -> &Counted {
        &self.counted
    }
}

/// A kept report: the generation it is whole for, the last declaration its counts counted, and
/// its lists, if read, with the last declaration they show.
#[derive(Clone)]
struct Entry {
    generation: u64,
    upto: i64,
    counted: Arc<Counted>,
    report: Option<(i64, Arc<Report>)>,
}

/// (school, chosen document) → its kept report.
#[derive(Default)]
pub struct ReportCache(Mutex<HashMap<(Scope, Option<i64>), Entry>>);

impl ReportCache {
    fn get(&self, key: (Scope, Option<i64>)) -> Option<Entry> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&key).cloned()
    }

    fn put(&self, key: (Scope, Option<i64>), entry: Entry) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // An entry of an older generation is of no further use.
        map.retain(|_, e| e.generation >= entry.generation);
        map.insert(key, entry);
    }
}

fn wanted(doc: Option<&str>) -> Option<i64> {
    doc.and_then(|d| d.trim().parse().ok())
}

/// The chosen document's (default: the first) counts for the signed-in person's school.
pub async fn counts(
    state: &AppState,
    me: &Actor,
    doc: Option<&str>,
) -> Result<Arc<Counted>, AppError> {
    counts_for(state, me.scope, wanted(doc)).await
}

/// [`counts`] for a school by id.
pub async fn counts_for(
    state: &AppState,
    scope: Scope,
    wanted: Option<i64>,
) -> Result<Arc<Counted>, AppError> {
    Ok(entry(state, scope, wanted, false).await?.counted)
}

/// The chosen document's (default: the first) counts and lists for the signed-in person's school.
pub async fn load(
    state: &AppState,
    me: &Actor,
    doc: Option<&str>,
) -> Result<Arc<Loaded>, AppError> {
    load_for(state, me.scope, wanted(doc)).await
}

/// [`load`] for a school by id (for the sender, the reminder schedule and commands).
pub async fn load_for(
    state: &AppState,
    scope: Scope,
    wanted: Option<i64>,
) -> Result<Arc<Loaded>, AppError> {
    let e = entry(state, scope, wanted, true).await?;
    let (_, report) = e.report.ok_or(AppError::NotFound)?;
    Ok(Arc::new(Loaded {
        counted: e.counted,
        report,
    }))
}

/// The kept entry, brought up to date, with lists when `lists`.
async fn entry(
    state: &AppState,
    scope: Scope,
    wanted: Option<i64>,
    lists: bool,
) -> Result<Entry, AppError> {
    let key = (scope, wanted);
    let generation = state.db.generation().await?;
    if let Some(kept) = state
        .reports
        .get(key)
        .filter(|e| e.generation == generation)
    {
        match catch_up(state, scope, kept, lists).await? {
            Some((same, false)) => return Ok(same),
            // What was read must not mix with a write that changed more than declarations and
            // has not yet said so: such a write holds the gate until it has.
            Some((next, true)) if state.db.settled_generation().await == generation => {
                state.reports.put(key, next.clone());
                return Ok(next);
            }
            _ => {}
        }
    }
    let fresh = build(state, scope, wanted, generation, lists).await?;
    state.reports.put(key, fresh.clone());
    Ok(fresh)
}

/// Adds the declarations committed since `kept` was counted, saying whether there were any: to
/// the counts, and to the lists when `lists` (the dashboard never touches them). `None` when
/// lists are wanted and were never read (then the whole report is read).
async fn catch_up(
    state: &AppState,
    scope: Scope,
    kept: Entry,
    lists: bool,
) -> Result<Option<(Entry, bool)>, AppError> {
    if lists && kept.report.is_none() {
        return Ok(None);
    }
    let mut tx = state.db.read.begin().await?;
    let upto = status::last_declaration(&mut tx).await?;
    let report_behind = lists && kept.report.as_ref().is_some_and(|(at, _)| *at != upto);
    if upto == kept.upto && !report_behind {
        return Ok(Some((kept, false)));
    }
    let c = &kept.counted;
    let doc = c.doc.document.id;
    let mut next = kept.clone();
    if upto != kept.upto {
        let latest = c.doc.latest_material;
        let (carers, links) = status::moves(&mut tx, scope, doc, latest, kept.upto).await?;
        let mut counted = Counted::clone(c);
        counted.summary.apply(&carers, &links, rule_of(c));
        next.counted = Arc::new(counted);
        next.upto = upto;
    }
    if let Some((at, report)) = kept.report.as_ref().filter(|_| report_behind) {
        let records = status::records_since(&mut tx, scope, doc, *at).await?;
        next.report = Some((upto, Arc::new(report.with_records(records))));
    }
    Ok(Some((next, true)))
}

fn rule_of(c: &Counted) -> CoverRule {
    if c.cover_every {
        CoverRule::EveryCarer
    } else {
        CoverRule::OneCarer
    }
}

/// Reads a report from scratch: the counts from SQL, and the lists when `lists`.
async fn build(
    state: &AppState,
    scope: Scope,
    wanted: Option<i64>,
    generation: u64,
    lists: bool,
) -> Result<Entry, AppError> {
    let mut tx = state.db.read.begin().await?;
    let conn: &mut SqliteConnection = &mut tx;
    let upto = status::last_declaration(conn).await?;
    let school = schools::get(&mut *conn, scope)
        .await?
        .ok_or(AppError::NotFound)?;
    let docs = documents::current_for_school(&mut *conn, school.scope).await?;
    let doc = match wanted {
        Some(id) => docs
            .iter()
            .find(|d| d.document.id == id)
            .cloned()
            .ok_or(AppError::NotFound)?,
        None => docs.first().cloned().ok_or(AppError::NotFound)?,
    };
    let rule = CoverRule::parse(&school.cover_rule);
    let (summary, report) = if lists {
        let carers = status::carer_records(&mut *conn, school.scope, doc.document.id).await?;
        let links = status::links(&mut *conn, school.scope).await?;
        let report = Report::build(carers, links, doc.latest_material, rule);
        (Summary::of(&report), Some((upto, Arc::new(report))))
    } else {
        let summary = status::summary(
            &mut *conn,
            school.scope,
            doc.document.id,
            doc.latest_material,
            rule,
        )
        .await?;
        (summary, None)
    };
    Ok(Entry {
        generation,
        upto,
        counted: Arc::new(Counted {
            cover_every: rule == CoverRule::EveryCarer,
            school_name: school.name,
            docs,
            doc,
            summary,
        }),
        report,
    })
}
