//! Signing codes the office hands out: a new one replaces the old at once.

use crate::app::{AppError, AppState};
use crate::domain::code::SigningCode;
use crate::domain::role::Actor;
use crate::store::carers::Carer;
use crate::store::{Touched, audit, codes};

/// Issues `carer` a new code (the old one stops working) with its audit event; the code is
/// returned to be shown once and is stored only as a hash.
pub async fn issue(state: &AppState, me: &Actor, carer: &Carer) -> Result<SigningCode, AppError> {
    let code = SigningCode::generate();
    let now = state.clock.now();
    let mut tx = state
        .db
        .begin()
        .await?
        .touching(Touched::Carers(vec![carer.id]));
    codes::replace(&mut tx, me.scope, carer.id, &code.hash(), now, Some(me.id)).await?;
    audit::by_staff(
        &mut *tx,
        me,
        now,
        "code.issued",
        &format!("carer:{}", carer.id),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// Issues fresh codes for many carers at once (for printed letters), in one transaction with
/// one audit event; returns the codes in the order of `carer_ids`. Codes sent in emails and
/// texts keep working, so a letter never breaks a link a carer already has.
pub async fn issue_for_letters(
    state: &AppState,
    me: &Actor,
    carer_ids: &[i64],
    document_id: i64,
    filter: &str,
) -> Result<Vec<SigningCode>, AppError> {
    let now = state.clock.now();
    let issued: Vec<SigningCode> = carer_ids.iter().map(|_| SigningCode::generate()).collect();
    let hashes: Vec<(i64, String)> = carer_ids
        .iter()
        .zip(&issued)
        .map(|(&carer_id, code)| (carer_id, code.hash()))
        .collect();
    // New codes for these carers only: their kept pages go; the office's reports stay.
    let mut tx = state
        .db
        .begin()
        .await?
        .touching(Touched::Carers(carer_ids.to_vec()));
    codes::replace_for_letters(&mut tx, me.scope, &hashes, now, Some(me.id)).await?;
    audit::by_staff(
        &mut *tx,
        me,
        now,
        "letters.printed",
        &format!("document:{document_id}"),
        &format!(
            "{} letters, fresh codes issued; filter {filter}",
            carer_ids.len()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(issued)
}
