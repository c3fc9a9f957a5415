//! The reminder schedule: once a minute in sending hours, each document with reminders switched
//! on queues a reminder for every carer it invited who has not signed and whose next reminder is
//! due on the cadence.

use std::collections::{HashMap, HashSet};

use super::campaign::{By, Reach, Reachability, plan, queue};
use super::setup::setup;
use crate::app::{AppError, AppState, reports};
use crate::domain::dates::read_date;
use crate::domain::outreach::schedule::{Plan, within_sending_hours};
use crate::domain::school::Scope;
use crate::store::{delivery, messaging};

/// Queues what is due now; returns how many carers were reminded.
pub async fn queue_due(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now();
    if !within_sending_hours(now) {
        return Ok(0);
    }
    let mut queued = 0;
    for row in messaging::active_plans(&state.db.read).await? {
        let Ok(days) = Plan::parse_days(&row.days) else {
            continue;
        };
        let cadence = Plan {
            days,
            weekly: row.weekly,
            deadline: read_date(&row.deadline),
        };
        let today = crate::domain::london::to_london(now).date();
        if cadence.deadline.is_some_and(|d| today > d) {
            continue;
        }
        // Reminder number → carers due for it.
        let mut due: HashMap<usize, HashSet<i64>> = HashMap::new();
        for (carer, invited, last) in
            delivery::invitations(&state.db.read, row.scope, row.document_id).await?
        {
            if let Some((number, at)) = cadence.next(invited, last)
                && at <= now
            {
                due.entry(number).or_default().insert(carer);
            }
        }
        if due.is_empty() {
            continue;
        }
        let su = setup(state, row.scope).await?;
        if su.blocked().is_some() {
            continue;
        }
        let loaded = reports::load_for(state, row.scope, Some(row.document_id)).await?;
        let known = Reachability::load(state, row.scope).await?;
        let mut numbers: Vec<_> = due.into_iter().collect();
        numbers.sort_by_key(|(n, _)| *n);
        for (number, carers) in numbers {
            let chosen: Vec<_> = loaded
                .report
                .carers
                .iter()
                .filter(|c| carers.contains(&c.record.id))
                .collect();
            let p = plan(&su, &chosen, Reach::EmailFirst, &known);
            if p.recipients.is_empty() {
                continue;
            }
            queued += p.recipients.len();
            queue(
                state,
                By::System,
                row.scope,
                row.document_id,
                "reminder",
                &ordinal_after(number as i64),
                &p,
            )
            .await?;
        }
    }
    Ok(queued)
}

/// A document's reminder cadence as the page shows it.
pub struct Cadence {
    pub active: bool,
    pub days: String,
    pub weekly: bool,
    pub deadline: String,
}

/// The reminder cadence of one of the school's documents, or the defaults before it is saved.
pub async fn cadence(
    state: &AppState,
    scope: Scope,
    document_id: i64,
) -> Result<Cadence, AppError> {
    let saved = messaging::plan(&state.db.read, scope, document_id).await?;
    Ok(match saved {
        Some(p) => Cadence {
            active: p.active,
            days: p.days,
            weekly: p.weekly,
            // Shown as the hint writes dates, so what is shown can be typed back.
            deadline: read_date(&p.deadline)
                .map(|d| format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()))
                .unwrap_or_default(),
        },
        None => Cadence {
            active: false,
            days: "7, 14".into(),
            weekly: true,
            deadline: String::new(),
        },
    })
}

/// Saves a document's cadence with its audit event, or says what to put right.
pub async fn save_cadence(
    state: &AppState,
    me: &crate::domain::role::Actor,
    document_id: i64,
    typed: &Cadence,
) -> Result<Result<(), crate::app::FieldErrors>, AppError> {
    let mut errors = Vec::new();
    let days = match Plan::parse_days(&typed.days) {
        Ok(d) => d,
        Err(why) => {
            errors.push(("days".to_string(), why.to_string()));
            Vec::new()
        }
    };
    let deadline = typed.deadline.trim();
    let today = crate::domain::london::to_london(state.clock.now()).date();
    let parsed = if deadline.is_empty() {
        None
    } else {
        match read_date(deadline) {
            Some(d) if d < today => {
                errors.push((
                    "deadline".into(),
                    "The deadline has passed: choose a date from today on, or leave it blank."
                        .into(),
                ));
                None
            }
            Some(d) => Some(d),
            None => {
                errors.push((
                    "deadline".into(),
                    "Enter the deadline as a date, like 12/12/2026, or leave it blank.".into(),
                ));
                None
            }
        }
    };
    if typed.weekly && parsed.is_none() && errors.is_empty() {
        errors.push((
            "deadline".into(),
            "Weekly reminders need a deadline to stop at: enter one, or untick weekly reminders."
                .into(),
        ));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let doc = crate::store::documents::document(&state.db.read, me.scope, document_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = messaging::PlanRow {
        document_id: doc.id,
        scope: me.scope,
        active: typed.active,
        days: days
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        weekly: typed.weekly,
        deadline: parsed.map(|d| d.to_string()).unwrap_or_default(),
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    messaging::save_plan(&mut *tx, &row, now).await?;
    crate::store::audit::by_staff(
        &mut *tx,
        me,
        now,
        "reminders.changed",
        &format!("document:{}", doc.id),
        &format!(
            "{}; days {}; weekly {}; deadline {}",
            if row.active { "on" } else { "off" },
            row.days,
            row.weekly,
            if row.deadline.is_empty() {
                "none"
            } else {
                &row.deadline
            }
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// "1st after the invitation", "2nd after…", for the campaign list.
fn ordinal_after(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix} after the invitation")
}

#[cfg(test)]
mod tests {
    #[test]
    fn ordinals() {
        let o = super::ordinal_after;
        assert_eq!(o(1), "1st after the invitation");
        assert_eq!(o(2), "2nd after the invitation");
        assert_eq!(o(3), "3rd after the invitation");
        assert_eq!(o(4), "4th after the invitation");
        assert_eq!(o(11), "11th after the invitation");
        assert_eq!(o(22), "22nd after the invitation");
    }
}
