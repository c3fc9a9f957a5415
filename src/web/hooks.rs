//! What outside services post back: GOV.UK Notify's delivery reports, authenticated by the
//! bearer token the headteacher gave Notify.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;

use crate::app::AppState;
use crate::app::outreach::log::{self, Report};
use crate::web::error::AppError;

pub fn router() -> Router<AppState> {
    Router::new().route("/notify/callback", post(receive_delivery_report))
}

/// `POST /notify/callback`: one message's status from Notify.
pub async fn receive_delivery_report(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, &'static str), AppError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if bearer.trim().is_empty() {
        return Ok((StatusCode::UNAUTHORIZED, "A bearer token is needed.\n"));
    }
    let Ok(report) = serde_json::from_slice::<Report>(&body) else {
        return Ok((
            StatusCode::BAD_REQUEST,
            "The body is not a Notify status report.\n",
        ));
    };
    if log::delivery_report(&state, bearer, &report).await? {
        Ok((StatusCode::NO_CONTENT, ""))
    } else {
        Ok((
            StatusCode::UNAUTHORIZED,
            "That token is not one this portal gave out.\n",
        ))
    }
}
