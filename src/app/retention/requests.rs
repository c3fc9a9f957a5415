//! A carer's request to be erased: recorded for a headteacher when the office makes it, carried
//! out when a headteacher does or approves it.

use crate::app::{AppError, AppState, FieldErrors};
use crate::clock::stamp;
use crate::domain::chain::Erasure;
use crate::domain::role::Actor;
use crate::domain::text::is_plain;
use crate::store::erasure::{self, NewErasure};
use crate::store::retention::{self, Request};
use crate::store::{audit, staff};

/// Checks a reason typed for a request or an override.
fn reason_problem(reason: &str) -> Option<&'static str> {
    let n = reason.chars().count();
    if n < 5 {
        Some("Say why, in a few words (at least 5 characters), without the carer's name.")
    } else if n > 500 || !is_plain(reason) {
        Some("Keep the reason to 500 characters of plain text.")
    } else {
        None
    }
}

/// What a request to erase a carer led to.
pub enum Asked {
    /// An office request, waiting for a headteacher.
    Waiting,
    /// A headteacher's: the carer is erased.
    Erased(Box<Erasure>),
}

/// A request to erase a carer before the rule would: recorded for a headteacher's approval when
/// the office makes it; carried out at once when a headteacher does. A carer with a child still
/// at the school is erased only with the headteacher's `override_reason`.
pub async fn ask(
    state: &AppState,
    me: &Actor,
    carer_id: i64,
    reason: &str,
    override_reason: &str,
) -> Result<Result<Asked, FieldErrors>, AppError> {
    let (reason, override_reason) = (reason.trim(), override_reason.trim());
    let carer = crate::store::carers::carer(&state.db.read, me.scope, carer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if carer.erased_at.is_some() {
        return Err(AppError::Gone(
            "This carer's details were already erased.".into(),
        ));
    }
    let mut errors = Vec::new();
    if let Some(p) = reason_problem(reason) {
        errors.push(("reason".to_string(), p.to_string()));
    }
    if !me.is_head() {
        if !retention::waiting(&state.db.read, me.scope, Some(carer_id))
            .await?
            .is_empty()
        {
            return Err(AppError::Conflict(
                "A request to erase this carer is already waiting for the headteacher.".into(),
            ));
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let now = state.clock.now();
        let mut tx = state
            .db
            .begin()
            .await?
            .touching(crate::store::Touched::Nothing);
        let id = retention::request(&mut *tx, me.scope, carer_id, reason, me.id, now).await?;
        audit::by_staff(
            &mut *tx,
            me,
            now,
            "erasure.requested",
            &format!("carer:{carer_id}"),
            &format!("request:{id}"),
        )
        .await?;
        tx.commit().await?;
        return Ok(Ok(Asked::Waiting));
    }
    if let Some(p) = override_problem(state, me, carer_id, override_reason).await? {
        errors.push(("override".to_string(), p));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let e = erase_by_head(state, me, carer_id, reason, override_reason, String::new()).await?;
    Ok(Ok(Asked::Erased(Box::new(e))))
}

/// Why the override is missing or unfit, when the carer has a child still at the school.
async fn override_problem(
    state: &AppState,
    me: &Actor,
    carer_id: i64,
    override_reason: &str,
) -> Result<Option<String>, AppError> {
    if !retention::has_current_child(&state.db.read, me.scope, carer_id).await? {
        return Ok(None);
    }
    Ok(if override_reason.is_empty() {
        Some(
            "This carer has a child still at the school, whose declaration the school may still need. \
             To erase them anyway, say why here."
                .into(),
        )
    } else {
        reason_problem(override_reason).map(str::to_string)
    })
}

/// A headteacher's decision on a waiting request: `approve` erases the carer (with an override
/// reason if they have a child still at the school), otherwise it is declined.
pub async fn decide(
    state: &AppState,
    me: &Actor,
    request_id: i64,
    approve: bool,
    override_reason: &str,
) -> Result<Result<(), FieldErrors>, AppError> {
    let waiting = retention::waiting(&state.db.read, me.scope, None).await?;
    let Some(r) = waiting.into_iter().find(|r| r.id == request_id) else {
        return Err(AppError::Gone(
            "That request was already decided. The carer's page shows what happened.".into(),
        ));
    };
    let now = state.clock.now();
    if !approve {
        let mut tx = state
            .db
            .begin()
            .await?
            .touching(crate::store::Touched::Nothing);
        if retention::decide(&mut *tx, me.scope, r.id, "declined", me.id, now, None).await? {
            audit::by_staff(
                &mut *tx,
                me,
                now,
                "erasure.declined",
                &format!("carer:{}", r.carer_id),
                &format!("request:{}", r.id),
            )
            .await?;
        }
        tx.commit().await?;
        return Ok(Ok(()));
    }
    let override_reason = override_reason.trim();
    if let Some(p) = override_problem(state, me, r.carer_id, override_reason).await? {
        return Ok(Err(vec![("override".to_string(), p)]));
    }
    let people = staff::users(&state.db.read, me.scope).await?;
    let requested_by = r
        .requested_by
        .and_then(|id| people.iter().find(|p| p.id == id))
        .map_or_else(String::new, |p| format!("{} (staff {})", p.name, p.id));
    erase_by_head(
        state,
        me,
        r.carer_id,
        &r.reason,
        override_reason,
        requested_by,
    )
    .await?;
    Ok(Ok(()))
}

async fn erase_by_head(
    state: &AppState,
    me: &Actor,
    carer_id: i64,
    reason: &str,
    override_reason: &str,
    requested_by: String,
) -> Result<Erasure, AppError> {
    let now = state.clock.now();
    let e = NewErasure {
        carer_id,
        erased_at: stamp(now),
        basis: "request",
        reason: reason.to_string(),
        override_reason: override_reason.to_string(),
        requested_by,
        approved_by: format!("{} (headteacher, staff {})", me.name, me.id),
        actor: me.actor(),
    };
    let mut tx = state.db.begin().await?;
    let erased = erasure::erase(&mut tx, me.scope, e).await?;
    for r in retention::waiting(&mut *tx, me.scope, Some(carer_id)).await? {
        retention::decide(
            &mut *tx,
            me.scope,
            r.id,
            "erased",
            me.id,
            now,
            Some(erased.id),
        )
        .await?;
    }
    tx.commit().await?;
    state.db.forget_erased().await?;
    Ok(erased)
}

/// Where a carer stands: erased (and how), or a request waiting, and whether a child of theirs
/// is still at the school.
pub struct CarerErasure {
    pub erasure: Option<Erasure>,
    pub waiting: Option<Request>,
    /// Who asked, by name.
    pub waiting_by: String,
    pub current_child: bool,
}

pub async fn for_carer(
    state: &AppState,
    me: &Actor,
    carer_id: i64,
) -> Result<CarerErasure, AppError> {
    let db = &state.db.read;
    let waiting = retention::waiting(db, me.scope, Some(carer_id))
        .await?
        .into_iter()
        .next();
    let waiting_by = match waiting.as_ref().and_then(|w| w.requested_by) {
        Some(id) => staff::users(db, me.scope)
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .map(|p| p.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(CarerErasure {
        erasure: erasure::of_carer(db, me.scope, carer_id).await?,
        waiting,
        waiting_by,
        current_child: retention::has_current_child(db, me.scope, carer_id).await?,
    })
}
