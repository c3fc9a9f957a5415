//! Password hashing off the async threads, one at a time, so a sign-in storm cannot starve parents.

use crate::app::{AppError, AppState};
use crate::domain::password;

/// Verified against when the account does not exist, so an unknown email costs as much time as a
/// wrong password (argon2id, the default cost).
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$dJXCFtwrm24nY7hKkjXemA$OUhuEq4zFaAp8yDzQThvSRjepgMYS4j1GUphLf9R4iY";

/// Whether `password` matches `hash`, run on the blocking pool.
pub async fn verify(state: &AppState, password: String, hash: String) -> Result<bool, AppError> {
    let _permit = state
        .hashing
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tokio::task::spawn_blocking(move || password::verify(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

/// Hashes a new password on the blocking pool.
pub async fn hash(state: &AppState, password: String) -> Result<String, AppError> {
    let _permit = state
        .hashing
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}
