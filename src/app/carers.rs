//! One carer as the office sees them: children, declarations, codes, and the versions a paper
//! form could be for.

use crate::app::{AppError, AppState};
use crate::domain::role::Actor;
use crate::store::carers::{self, Carer, Child};
use crate::store::codes::{self, CodeRecord};
use crate::store::declarations::{self, Declaration};
use crate::store::documents::{self, Current, Version};
use crate::store::staff::{self, StaffUser};

/// Everything the carer page shows.
pub struct CarerRecord {
    pub carer: Carer,
    pub children: Vec<Child>,
    /// The school's documents with their current versions.
    pub docs: Vec<Current>,
    /// The carer's declarations, newest first.
    pub signed: Vec<Declaration>,
    pub codes: Vec<CodeRecord>,
    /// Every published version of every document, by document, newest first.
    pub versions: Vec<Version>,
    /// The school's staff, to name who recorded a paper form.
    pub people: Vec<StaffUser>,
}

/// Loads a carer of `me`'s school.
pub async fn record(state: &AppState, me: &Actor, id: i64) -> Result<CarerRecord, AppError> {
    let db = &state.db.read;
    let carer = carers::carer(db, me.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let docs = documents::current_for_school(db, me.scope).await?;
    let mut versions = Vec::new();
    for d in &docs {
        versions.extend(documents::versions_of(db, me.scope, d.document.id).await?);
    }
    Ok(CarerRecord {
        children: carers::children(db, me.scope, id).await?,
        signed: declarations::for_carer(db, me.scope, id).await?,
        codes: codes::for_carer(db, me.scope, id).await?,
        people: staff::users(db, me.scope).await?,
        carer,
        docs,
        versions,
    })
}

/// Remembers the language a carer chose with the switch on their own pages (their code's
/// carer); nothing is written when it is already their own choice.
pub async fn choose_language(
    state: &AppState,
    owner: &crate::store::codes::CodeOwner,
    lang: crate::domain::language::Lang,
) -> Result<(), AppError> {
    let carer = carers::carer(&state.db.read, owner.scope, owner.carer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Switching the pages to English keeps a language that has no pages of its own (Polish, say):
    // that carer's pages are English already, and their language still picks their translation.
    if lang == crate::domain::language::Lang::English
        && carer
            .language
            .as_deref()
            .is_some_and(|t| crate::domain::language::Lang::parse(t).is_none())
    {
        return Ok(());
    }
    set_language(state, owner, &carer, lang.code()).await
}

/// Remembers the language a carer chose to read the code in ("Read it in: Polski"): a
/// translation's tag, or `en-GB` for the original.
pub async fn choose_text_language(
    state: &AppState,
    owner: &crate::store::codes::CodeOwner,
    tag: &str,
) -> Result<(), AppError> {
    let carer = carers::carer(&state.db.read, owner.scope, owner.carer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    set_language(state, owner, &carer, tag).await
}

async fn set_language(
    state: &AppState,
    owner: &crate::store::codes::CodeOwner,
    carer: &carers::Carer,
    tag: &str,
) -> Result<(), AppError> {
    if carer.language.as_deref() == Some(tag) && carer.language_source.as_deref() == Some("carer") {
        return Ok(());
    }
    // Only this carer's pages show it: their kept page is made again, nothing else.
    let mut tx = state
        .db
        .begin()
        .await?
        .touching(crate::store::Touched::Carers(vec![owner.carer_id]));
    carers::choose_language(&mut *tx, owner.scope, owner.carer_id, tag).await?;
    tx.commit().await?;
    Ok(())
}

/// Every carer's language tag in `me`'s school, by carer id (those with none are left out).
pub async fn languages(
    state: &AppState,
    me: &Actor,
) -> Result<std::collections::HashMap<i64, String>, AppError> {
    Ok(carers::languages(&state.db.read, me.scope).await?)
}
