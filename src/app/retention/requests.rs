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

/// The message for a reason that holds `term`, one of the family's names or contact details.
fn named(term: &str) -> String {
    format!(
        "\u{201c}{term}\u{201d} is the carer's or a child's name or contact detail: leave it out. \
         This reason is kept in the school's record for good, after their details are erased. \
         (For a date, write it in figures, such as 3/5/2027.)"
    )
}

/// The carer's names, email and phone, and their children's names, to keep out of reasons.
async fn personal_of(
    state: &AppState,
    me: &Actor,
    carer: &crate::store::carers::Carer,
) -> Result<Vec<String>, AppError> {
    let mut out = vec![
        carer.first_name.clone(),
        carer.last_name.clone(),
        carer.email.clone(),
        carer.phone.clone(),
    ];
    for c in crate::store::carers::children(&state.db.read, me.scope, carer.id).await? {
        out.extend([c.first_name, c.last_name]);
    }
    Ok(out)
}

/// Which of these names (as whole words, in any case; a double-barrelled name by each part),
/// email addresses or phone numbers (by their last ten digits) `text` holds, if any, as stored.
fn named_in(text: &str, personal: &[String]) -> Option<String> {
    let norm = |s: &str| s.to_lowercase().replace('\u{2019}', "'");
    let lower = norm(text);
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        // "Kit's" names Kit.
        .map(|w| w.strip_suffix("'s").unwrap_or(w))
        .collect();
    let last10 = |s: &str| {
        let d: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
        d[d.len().saturating_sub(10)..].iter().collect::<String>()
    };
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    personal
        .iter()
        .find(|p| {
            let p = norm(p.trim());
            let p_digits = last10(&p);
            if p.contains('@') {
                lower.contains(&p)
            } else if p_digits.len() >= 6 {
                digits.contains(&p_digits)
            } else {
                p.split(|c: char| !c.is_alphanumeric() && c != '\'')
                    .filter(|part| part.chars().count() >= 2)
                    .any(|part| words.contains(&part))
            }
        })
        .map(|p| p.trim().to_string())
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
    let personal = personal_of(state, me, &carer).await?;
    let mut errors = Vec::new();
    if let Some(p) = reason_problem(reason) {
        errors.push(("reason".to_string(), p.to_string()));
    } else if let Some(term) = named_in(reason, &personal) {
        errors.push(("reason".to_string(), named(&term)));
    }
    if me.is_head()
        && let Some(term) = named_in(override_reason, &personal)
    {
        errors.push(("override".to_string(), named(&term)));
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
        let Some(id) = retention::request(&mut *tx, me.scope, carer_id, reason, me.id, now).await?
        else {
            return Err(AppError::Gone(
                "This carer's details were erased meanwhile. Their page shows when and why.".into(),
            ));
        };
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
    let e = erase_by_head(
        state,
        me,
        carer_id,
        None,
        reason,
        override_reason,
        String::new(),
    )
    .await?;
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
        if !retention::decide(&mut *tx, me.scope, r.id, "declined", me.id, now, None).await? {
            return Err(AppError::Gone(
                "That request was decided meanwhile. The carer's page shows what happened.".into(),
            ));
        }
        {
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
    if let Some(carer) = crate::store::carers::carer(&state.db.read, me.scope, r.carer_id).await?
        && let Some(term) = named_in(override_reason, &personal_of(state, me, &carer).await?)
    {
        return Ok(Err(vec![("override".to_string(), named(&term))]));
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
        Some(r.id),
        &r.reason,
        override_reason,
        requested_by,
    )
    .await?;
    Ok(Ok(()))
}

/// Erases a carer on a headteacher's authority, closing any request waiting for them; `request`
/// is the one being approved, which must still be waiting. Compacting the file afterwards is
/// tried, and logged if it fails: the erasure itself has been committed by then.
async fn erase_by_head(
    state: &AppState,
    me: &Actor,
    carer_id: i64,
    request: Option<i64>,
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
        approver: Some(me.id),
        actor: me.actor(),
    };
    let mut tx = state.db.begin().await?;
    // Decided meanwhile by another headteacher (approved or declined): nothing is done.
    if let Some(id) = request
        && !retention::waiting(&mut *tx, me.scope, Some(carer_id))
            .await?
            .iter()
            .any(|r| r.id == id)
    {
        return Err(AppError::Gone(
            "That request was decided meanwhile. The carer's page shows what happened.".into(),
        ));
    }
    let Some(erased) = erasure::erase(&mut tx, me.scope, e).await? else {
        return Err(AppError::Gone(
            "This carer's details were already erased. The carer's page shows when and why.".into(),
        ));
    };
    tx.commit().await?;
    super::forget(state).await;
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

#[cfg(test)]
mod tests {
    use super::named_in;

    #[test]
    fn a_reason_naming_the_family_is_caught_and_says_which_word() {
        let p: Vec<String> = [
            "Amélie",
            "O\u{2019}Brien-Hale",
            "amelie@example.org",
            "+44 (0)7700 900123",
            "Kit",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for (named, term) in [
            ("Mrs O'Brien asked", "O\u{2019}Brien-Hale"),
            ("Mrs Hale asked", "O\u{2019}Brien-Hale"),
            ("AMÉLIE phoned", "Amélie"),
            ("mail from amelie@example.org", "amelie@example.org"),
            ("rang from 07700 900123", "+44 (0)7700 900123"),
            ("for kit's mother", "Kit"),
        ] {
            assert_eq!(named_in(named, &p).as_deref(), Some(term), "{named}");
        }
        for plain in [
            "Asked in writing on 3/3/2027",
            "Kitchen staff passed on a letter",
            "",
        ] {
            assert_eq!(named_in(plain, &p), None, "{plain}");
        }
    }
}
