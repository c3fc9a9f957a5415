//! One error type for every handler: 4xx say what to fix, 5xx are logged and shown calmly.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub use crate::app::AppError;

/// The status each kind of problem is answered with.
pub fn status_code(e: &AppError) -> StatusCode {
    match e {
        AppError::NotFound | AppError::Gone(_) => StatusCode::NOT_FOUND,
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::Forbidden(_) | AppError::FormExpired(_) => StatusCode::FORBIDDEN,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::WrongMethod(_) => StatusCode::METHOD_NOT_ALLOWED,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    school_name: String,
    heading: String,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = status_code(&self);
        let (heading, message) = match self {
            AppError::NotFound => (
                "Page not found".to_string(),
                "There is no page at this address. If you typed it, check it; if you followed a link from a letter, try typing your code at the signing page instead.".to_string(),
            ),
            AppError::BadRequest(m) => ("There is a problem with what was sent".to_string(), m),
            AppError::Forbidden(m) => ("Not allowed".to_string(), m),
            AppError::Gone(m) => ("Not Found".to_string(), m),
            AppError::FormExpired(m) => ("Forbidden".to_string(), m),
            AppError::Conflict(m) => ("Conflict".to_string(), m),
            AppError::TooLarge(m) => ("Payload Too Large".to_string(), m),
            AppError::WrongMethod(m) => ("Method Not Allowed".to_string(), m),
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "request failed");
                (
                    "Sorry, something went wrong".to_string(),
                    "Nothing you sent was lost or half-saved. Please try again in a minute; if it keeps happening, tell the school office.".to_string(),
                )
            }
        };
        let page = ErrorPage {
            school_name: String::new(),
            heading,
            message,
        };
        let body = page
            .render()
            .unwrap_or_else(|_| "Something went wrong.".to_string());
        (status, Html(body)).into_response()
    }
}

/// The fallback for unknown addresses.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// A known address used with the wrong method (a form sent by GET, a page fetched by POST).
pub async fn wrong_method() -> AppError {
    AppError::WrongMethod(
        "This page cannot be used that way. Go back to the page before, reload it and try again."
            .into(),
    )
}
