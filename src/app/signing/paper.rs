//! A paper declaration that came back to the office, recorded through the same writer and the
//! same evidence as an online one.

use crate::app::signing::evidence::{self, Method};
use crate::app::{AppError, AppState, FieldErrors};
use crate::domain::dates::{format_instant, read_date};
use crate::domain::role::Actor;
use crate::store::carers::{self, Carer};
use crate::store::declarations::Appended;
use crate::store::documents;

/// A carer of `me`'s school, by the id in the address.
pub async fn own_carer(state: &AppState, me: &Actor, id: &str) -> Result<Carer, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let carer = carers::carer(&state.db.read, me.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Nothing new is recorded about a carer whose details were erased: it could never be
    // erased again.
    if carer.erased_at.is_some() {
        return Err(AppError::Gone(
            "This carer's details were erased, so nothing more can be recorded for them. If they \
             are back at the school, the next roster import adds them afresh."
                .into(),
        ));
    }
    Ok(carer)
}

/// A paper form as the office typed it.
pub struct Typed<'a> {
    pub version_id: Option<i64>,
    pub received_on: &'a str,
    pub note: &'a str,
}

/// Whether a form was recorded now or had been already.
pub enum Recorded {
    New,
    Already,
}

/// Records a paper declaration for `carer`, or says what to put right (nothing is stored then).
pub async fn record(
    state: &AppState,
    me: &Actor,
    carer: &Carer,
    typed: Typed<'_>,
) -> Result<Result<Recorded, FieldErrors>, AppError> {
    let now = state.clock.now();
    let mut errors = Vec::new();
    let version = match typed.version_id {
        Some(vid) => documents::version(&state.db.read, me.scope, vid).await?,
        None => None,
    };
    if version.is_none() {
        errors.push((
            "version_id".to_string(),
            "Choose which version the parent signed on paper.".to_string(),
        ));
    }
    let received_on = match read_date(typed.received_on) {
        None => {
            errors.push((
                "received_on".into(),
                "Enter the date the form came back, like 21/11/2026.".into(),
            ));
            None
        }
        Some(d) if d > now.date() => {
            errors.push((
                "received_on".into(),
                "The date the form came back cannot be in the future.".into(),
            ));
            None
        }
        Some(d) => match &version {
            Some(v) if d < v.published_at.date() => {
                errors.push((
                    "received_on".into(),
                    format!("Version {} was published on {}, so its form cannot have come back before then.", v.number, format_instant(v.published_at)),
                ));
                None
            }
            _ => Some(d),
        },
    };
    let note = typed.note;
    if note.chars().count() > 500
        || note
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        errors.push((
            "note".into(),
            "Keep the note to 500 characters of plain text.".into(),
        ));
    }
    let (Some(version), Some(received_on), true) = (version, received_on, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let children = carers::children(&state.db.read, me.scope, carer.id).await?;
    let new = evidence::declaration(
        me.scope,
        carer,
        &children,
        &version,
        now,
        Method::Paper {
            recorded_by: me.id,
            received_on,
            note,
        },
    );
    Ok(Ok(match state.committer.append(new, me.actor()).await? {
        Appended::New(_) => Recorded::New,
        Appended::Existing(_) => Recorded::Already,
    }))
}
