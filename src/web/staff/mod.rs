//! Staff who are not signed in yet: signing in and out, and setting a password from a link.

mod setup;
mod sign_in;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/staff/sign-in",
            get(sign_in::show_sign_in).post(sign_in::sign_in),
        )
        .route("/staff/sign-out", post(sign_in::sign_out))
        .route(
            "/setup/{token}",
            get(setup::show_setup).post(setup::finish_setup),
        )
}
