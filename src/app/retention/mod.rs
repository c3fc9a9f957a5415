//! Retention and erasure: the school's rule, who it makes due, the daily run (and
//! `signoff retention`), and carers' requests to be erased.
//!
//! Erasing a carer appends a tombstone to the school's chain and empties their personal details
//! everywhere (`store::erasure`), then compacts the file so the old bytes are gone too.

use time::{Date, Duration, Month};

use crate::app::{AppError, AppState, FieldErrors};
use crate::clock::stamp;
use crate::domain::chain::Erasure;
use crate::domain::london::to_london;
use crate::domain::role::Actor;
use crate::domain::school::Scope;
use crate::store::erasure::{self, NewErasure};
use crate::store::retention::{self, Leaver, Request, Rule};

mod requests;
use crate::store::{audit, schools, staff};
pub use requests::{Asked, CarerErasure, ask, decide, for_carer};

/// The longest rule a school can set, in years.
pub const MAX_YEARS: i64 = 25;
/// How far ahead the preview looks for carers who will become due.
const LOOK_AHEAD_DAYS: i64 = 90;
/// At most this many carers are listed in each part of the preview.
const LISTED: i64 = 200;

/// What the retention page shows.
pub struct Preview {
    pub rule: Rule,
    /// Who confirmed the rule, by name.
    pub confirmed_by: Option<String>,
    /// Carers the rule erases at its next daily run (if confirmed): the first 200, and how
    /// many there are in all.
    pub due_now: Vec<Leaver>,
    pub due_count: i64,
    /// Carers who become due within the next 90 days, with the date each does.
    pub coming: Vec<(Leaver, String)>,
    /// Requests waiting for a headteacher.
    pub waiting: Vec<Request>,
}

/// The last day a carer whose last child left on or before it is due, `years` before `today`.
fn cutoff(today: Date, years: i64) -> Date {
    let year = today.year() - i32::try_from(years).unwrap_or(0);
    Date::from_calendar_date(year, today.month(), today.day())
        .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
        .unwrap_or(today)
}

/// The day a carer whose last child left on `left` (`YYYY-MM-DD`) becomes due under `years`.
fn due_on(left: &str, years: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(left, &format) {
        Ok(d) => {
            let year = d.year() + i32::try_from(years).unwrap_or(0);
            let due = Date::from_calendar_date(year, d.month(), d.day())
                .or_else(|_| Date::from_calendar_date(year, Month::March, 1))
                .unwrap_or(d);
            crate::domain::dates::format_iso(&due.to_string())
        }
        Err(_) => left.to_string(),
    }
}

fn today(state: &AppState) -> Date {
    to_london(state.clock.now()).date()
}

/// The rule and who it will erase, for the headteacher's page (and the office's view of it).
pub async fn preview(state: &AppState, me: &Actor) -> Result<Preview, AppError> {
    let db = &state.db.read;
    let rule = retention::rule(db, me.scope).await?;
    let people = staff::users(db, me.scope).await?;
    let confirmed_by = rule
        .confirmed_by
        .and_then(|id| people.iter().find(|p| p.id == id))
        .map(|p| p.name.clone());
    let today = today(state);
    let now = cutoff(today, rule.years);
    let due_now = retention::leavers(db, me.scope, &now.to_string(), LISTED).await?;
    let due_count = retention::count_leavers(db, me.scope, &now.to_string()).await?;
    let later = now + Duration::days(LOOK_AHEAD_DAYS);
    let coming = retention::leavers(
        db,
        me.scope,
        &later.to_string(),
        LISTED + due_now.len() as i64,
    )
    .await?
    .into_iter()
    .filter(|l| l.last_left.as_str() > now.to_string().as_str())
    .map(|l| {
        let on = due_on(&l.last_left, rule.years);
        (l, on)
    })
    .collect();
    Ok(Preview {
        waiting: retention::waiting(db, me.scope, None).await?,
        rule,
        confirmed_by,
        due_now,
        due_count,
        coming,
    })
}

/// Sets the school's rule. The headteacher must tick that they have read who it erases; until a
/// rule is confirmed nothing is erased by it.
pub async fn save_rule(
    state: &AppState,
    me: &Actor,
    years: &str,
    confirmed: bool,
) -> Result<Result<i64, FieldErrors>, AppError> {
    let mut errors = Vec::new();
    let years = match years.trim().parse::<i64>() {
        Ok(y) if (1..=MAX_YEARS).contains(&y) => Some(y),
        _ => {
            errors.push((
                "years".to_string(),
                format!(
                    "Enter a whole number of years from 1 to {MAX_YEARS}, such as 1: how long after a family's last child leaves their records are kept."
                ),
            ));
            None
        }
    };
    if !confirmed {
        errors.push((
            "confirm".to_string(),
            "Tick the box to confirm you have read who this rule will erase.".to_string(),
        ));
    }
    let Some(years) = years.filter(|_| errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    retention::set_rule(&mut *tx, me.scope, years, me.id, now).await?;
    audit::by_staff(
        &mut *tx,
        me,
        now,
        "retention.rule_set",
        &format!("school:{}", me.scope.id()),
        &format!("{years} years after the last child left"),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(years))
}

/// What a run of the rule found in one school.
pub enum Run {
    /// No headteacher has confirmed the rule yet: nothing is erased.
    NotConfirmed,
    /// The carers erased (or, in a dry run, who would be).
    Erased(Vec<Leaver>),
    /// The run failed (logged); tried again the next day.
    Failed,
}

/// Runs a school's rule: erases every carer it makes due (or only lists them, `dry_run`). The
/// file is compacted afterwards by [`run_all`], once for every school.
pub async fn run(state: &AppState, scope: Scope, dry_run: bool) -> Result<Run, AppError> {
    let rule = retention::rule(&state.db.read, scope).await?;
    let Some(confirmed_at) = rule.confirmed_at.clone() else {
        return Ok(Run::NotConfirmed);
    };
    let due = retention::leavers(
        &state.db.read,
        scope,
        &cutoff(today(state), rule.years).to_string(),
        i64::MAX,
    )
    .await?;
    if dry_run || due.is_empty() {
        return Ok(Run::Erased(due));
    }
    let people = staff::users(&state.db.read, scope).await?;
    let by = rule
        .confirmed_by
        .and_then(|id| people.iter().find(|p| p.id == id))
        .map_or_else(|| "a headteacher".to_string(), |p| p.name.clone());
    let mut erased = Vec::with_capacity(due.len());
    for l in due {
        let e = NewErasure {
            carer_id: l.carer_id,
            erased_at: stamp(state.clock.now()),
            basis: "rule",
            reason: format!(
                "Retention rule: kept {} years after the last child left; the last child left on {}",
                rule.years, l.last_left
            ),
            override_reason: String::new(),
            requested_by: String::new(),
            approved_by: format!(
                "the school's retention rule, confirmed by {by} on {}",
                confirmed_at.get(..10).unwrap_or(&confirmed_at)
            ),
            approver: None,
            actor: "system".into(),
        };
        // One carer at a time: one that fails is logged and left for the next run, and the
        // others go on; one erased meanwhile by a headteacher is skipped.
        let one = async {
            let mut tx = state.db.begin().await?;
            let done = erasure::erase(&mut tx, scope, e).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(done.is_some())
        };
        match one.await {
            Ok(true) => erased.push(l),
            Ok(false) => {}
            Err(err) => {
                tracing::error!(error = %err, carer = l.carer_id, "retention rule: could not erase a carer")
            }
        }
    }
    Ok(Run::Erased(erased))
}

/// Compacts the file after erasures (see [`crate::store::Db::forget_erased`]); a failure or a
/// log that could not be emptied is logged, and the next erasure or daily run tries again.
pub(crate) async fn forget(state: &AppState) {
    match state.db.forget_erased().await {
        Ok(true) => {}
        Ok(false) => tracing::warn!(
            "after an erasure the write-ahead log could not be emptied (a reader held it); the next daily run tries again"
        ),
        Err(e) => {
            tracing::error!(error = %e, "after an erasure the database file could not be compacted")
        }
    }
}

/// Runs every school's rule, for the daily job and `signoff retention`.
pub async fn run_all(state: &AppState, dry_run: bool) -> Result<Vec<(String, Run)>, AppError> {
    let mut out = Vec::new();
    for (scope, name) in schools::names(&state.db.read).await? {
        match run(state, scope, dry_run).await {
            Ok(r) => out.push((name, r)),
            // One school's failure does not stop the others'.
            Err(e) => {
                tracing::error!(error = ?e, school = %name, "retention rule: the run failed");
                out.push((name, Run::Failed));
            }
        }
    }
    // Tried every day, so a log a reader once held is emptied in the end.
    if !dry_run {
        forget(state).await;
    }
    Ok(out)
}

/// Every erasure in a school's chain, newest first (for the retention page).
pub async fn erasures(state: &AppState, me: &Actor) -> Result<Vec<Erasure>, AppError> {
    let mut all = erasure::chain(&state.db.read, me.scope).await?;
    all.reverse();
    Ok(all)
}

/// The daily job, for as long as the server runs: a minute after it starts, then every 24 hours,
/// each school's confirmed rule is applied. A failure is logged and tried again the next day.
pub async fn daily(state: AppState) {
    let mut next = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        tokio::time::sleep_until(next).await;
        next += std::time::Duration::from_secs(24 * 60 * 60);
        match run_all(&state, false).await {
            Ok(runs) => {
                for (school, run) in runs {
                    if let Run::Erased(erased) = run
                        && !erased.is_empty()
                    {
                        tracing::info!(%school, carers = erased.len(), "retention rule: carers erased");
                    }
                }
            }
            Err(e) => tracing::error!(error = ?e, "retention rule: the daily run failed"),
        }
    }
}

/// What `signoff retention` prints: each school's outcome and the carers concerned.
pub fn report(runs: &[(String, Run)], dry_run: bool) -> String {
    let mut out = String::new();
    for (school, run) in runs {
        match run {
            Run::NotConfirmed => out.push_str(&format!(
                "{school}: no retention rule confirmed yet (a headteacher confirms it under Settings → Keeping records); nothing erased\n"
            )),
            Run::Failed => out.push_str(&format!(
                "{school}: the run failed (see the log); nothing more was erased there\n"
            )),
            Run::Erased(carers) => {
                let verb = if dry_run { "would be erased" } else { "erased" };
                out.push_str(&format!("{school}: {} carer(s) {verb}\n", carers.len()));
                for l in carers {
                    out.push_str(&format!(
                        "  carer no. {}{}: last child left {}\n",
                        l.carer_id,
                        if l.name.is_empty() || !dry_run { String::new() } else { format!(" ({})", l.name) },
                        l.last_left
                    ));
                }
            }
        }
    }
    out
}
