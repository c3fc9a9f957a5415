//! Roster files uploaded on the office page: kept until imported or cancelled, and for a day
//! at most.

use crate::app::{AppError, AppState};
use crate::domain::role::Actor;
use crate::store::roster::{self, Upload};

/// The upload named in the address, if it is `me`'s school's.
pub async fn load(state: &AppState, me: &Actor, id: &str) -> Result<Upload, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    roster::upload(&state.db.read, me.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Keeps a file for its preview (forgetting uploads older than a day); returns its id.
pub async fn keep(
    state: &AppState,
    me: &Actor,
    filename: &str,
    text: &str,
) -> Result<i64, AppError> {
    let now = state.clock.now();
    roster::purge_uploads(&state.db.write, now - time::Duration::days(1)).await?;
    Ok(roster::insert_upload(&state.db.write, me.scope, Some(me.id), filename, text, now).await?)
}

/// Forgets an upload: nothing was imported.
pub async fn cancel(state: &AppState, me: &Actor, upload: &Upload) -> Result<(), AppError> {
    roster::delete_upload(&state.db.write, me.scope, upload.id).await?;
    Ok(())
}
