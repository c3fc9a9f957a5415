//! The office's figures: each school's status report for one document, computed once per write.

use std::sync::Arc;

use crate::app::{AppError, AppState};
use crate::domain::role::Actor;
use crate::domain::status::{CoverRule, Report};
use crate::store::documents::{self, Current};
use crate::store::{schools, status};

/// One document's report for the signed-in person's school.
pub struct Loaded {
    pub school_name: String,
    pub cover_every: bool,
    pub docs: Vec<Current>,
    pub doc: Current,
    pub report: Report,
}

/// (school, chosen document) → (generation, report).
type ReportMap = std::collections::HashMap<(i64, Option<i64>), (u64, Arc<Loaded>)>;

/// Each school's computed report per chosen document, kept while the write generation is unchanged:
/// the office looks again and again at the same numbers, and any write (a signature, an import, a
/// code) moves the generation on, so a kept report is never out of date.
#[derive(Default)]
pub struct ReportCache(std::sync::Mutex<ReportMap>);

/// Loads the chosen document (default: the first) and its report, from the cache when current.
pub async fn load(
    state: &AppState,
    me: &Actor,
    doc: Option<&str>,
) -> Result<Arc<Loaded>, AppError> {
    let wanted: Option<i64> = doc.and_then(|d| d.trim().parse().ok());
    load_for(state, me.school_id, wanted).await
}

/// [`load`] for a school by id (for the sender, the reminder schedule and commands).
pub async fn load_for(
    state: &AppState,
    school_id: i64,
    wanted: Option<i64>,
) -> Result<Arc<Loaded>, AppError> {
    let key = (school_id, wanted);
    let generation = state.db.fresh_generation().await?;
    {
        let cache = state.reports.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((g, loaded)) = cache.get(&key)
            && *g == generation
        {
            return Ok(loaded.clone());
        }
    }
    let loaded = Arc::new(compute(state, school_id, wanted).await?);
    let mut cache = state.reports.0.lock().unwrap_or_else(|e| e.into_inner());
    // Keep only current entries: an old generation's reports are of no further use.
    cache.retain(|_, (g, _)| *g == generation);
    cache.insert(key, (generation, loaded.clone()));
    Ok(loaded)
}

async fn compute(
    state: &AppState,
    school_id: i64,
    wanted: Option<i64>,
) -> Result<Loaded, AppError> {
    let db = &state.db.read;
    let school = schools::get(db, school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let docs = documents::current_for_school(db, school.id).await?;
    let doc = match wanted {
        Some(id) => docs
            .iter()
            .find(|d| d.document.id == id)
            .cloned()
            .ok_or(AppError::NotFound)?,
        None => docs.first().cloned().ok_or(AppError::NotFound)?,
    };
    let (carer_rows, links) = tokio::try_join!(
        status::carer_records(db, school.id, doc.document.id),
        status::links(db, school.id)
    )?;
    let report = Report::build(
        carer_rows,
        links,
        doc.latest_material,
        CoverRule::parse(&school.cover_rule),
    );
    Ok(Loaded {
        cover_every: school.cover_rule == "all",
        school_name: school.name,
        docs,
        doc,
        report,
    })
}
