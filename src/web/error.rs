//! One error type for every handler: 4xx say what to fix, 5xx are logged and shown calmly.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug)]
pub enum AppError {
    NotFound,
    BadRequest(String),
    Forbidden(String),
    Status(StatusCode, String),
    Internal(anyhow::Error),
}

impl AppError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Status(s, _) => *s,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
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
        let status = self.status_code();
        let (heading, message) = match self {
            AppError::NotFound => (
                "Page not found".to_string(),
                "There is no page at this address. If you typed it, check it; if you followed a link from a letter, try typing your code at the signing page instead.".to_string(),
            ),
            AppError::BadRequest(m) => ("There is a problem with what was sent".to_string(), m),
            AppError::Forbidden(m) => ("Not allowed".to_string(), m),
            AppError::Status(s, m) => (s.canonical_reason().unwrap_or("Problem").to_string(), m),
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
    AppError::Status(
        StatusCode::METHOD_NOT_ALLOWED,
        "This page cannot be used that way. Go back to the page before, reload it and try again."
            .into(),
    )
}
