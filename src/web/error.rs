//! One error type for every handler: 4xx say what to fix, 5xx are logged and shown calmly.

use askama::Template;
use axum::body::Body;

use axum::http::StatusCode;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use crate::app::AppState;
use crate::app::school::{self, Contact};
use crate::domain::i18n::{Lang, Tr};

pub use crate::app::AppError;

/// The status each kind of problem is answered with.
pub fn status_code(e: &AppError) -> StatusCode {
    match e {
        AppError::NotFound | AppError::Gone(_) => StatusCode::NOT_FOUND,
        AppError::BadRequest(_) | AppError::Parent(_) => StatusCode::BAD_REQUEST,
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
    contact: Contact,
    heading: String,
    message: String,
    tr: Tr,
}

/// What an error page says, kept on the response so [`with_school`] can render it again with
/// the school's name and contact details, in the page's language (an error is made where no
/// state is at hand).
#[derive(Clone)]
struct ErrorText {
    heading: String,
    message: String,
    /// The heading and message in the catalogues, for the errors parents meet.
    keys: Option<(&'static str, &'static str)>,
}

fn render(school_name: String, contact: Contact, text: &ErrorText, tr: Tr) -> String {
    let (heading, message) = match text.keys {
        Some((h, m)) if tr.lang != Lang::English => (tr.t(h), tr.t(m)),
        _ => (text.heading.clone(), text.message.clone()),
    };
    let page = ErrorPage {
        school_name,
        contact,
        heading,
        message,
        tr,
    };
    page.render()
        .unwrap_or_else(|_| "Something went wrong.".to_string())
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = status_code(&self);
        let keys = match &self {
            AppError::NotFound => Some(("error-not-found-heading", "error-not-found")),
            AppError::Internal(_) => Some(("error-internal-heading", "error-internal")),
            AppError::FormExpired(m) if m == super::csrf::EXPIRED => {
                Some(("error-expired-heading", "error-expired"))
            }
            AppError::WrongMethod(m) if m == WRONG_METHOD => {
                Some(("error-wrong-method-heading", "error-wrong-method"))
            }
            AppError::Parent(p) => Some(("error-bad-request-heading", p.key())),
            AppError::TooLarge(_) => Some(("error-too-large-heading", "error-too-large")),
            AppError::Forbidden(m) if m == super::csrf::CROSS_SITE => {
                Some(("error-cross-site-heading", "error-cross-site"))
            }
            AppError::BadRequest(m) if m.starts_with(super::extract::UNREADABLE) => {
                Some(("error-bad-request-heading", "error-unreadable"))
            }
            _ => None,
        };
        let (heading, message) = match self {
            AppError::NotFound => (
                "Page not found".to_string(),
                "There is no page at this address. If you typed it, check it; if you followed a link from a letter, try typing your code at the signing page instead.".to_string(),
            ),
            AppError::BadRequest(m) => ("There is a problem with what was sent".to_string(), m),
            AppError::Parent(p) => (
                "There is a problem with what was sent".to_string(),
                Tr::new(Lang::English).t(p.key()),
            ),
            AppError::Forbidden(m) => ("Not allowed".to_string(), m),
            AppError::Gone(m) => ("This is no longer here".to_string(), m),
            AppError::FormExpired(m) => ("This form has expired".to_string(), m),
            AppError::Conflict(m) => ("Something changed in the meantime".to_string(), m),
            AppError::TooLarge(m) => ("Too much was sent".to_string(), m),
            AppError::WrongMethod(m) => ("This page cannot be used that way".to_string(), m),
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "request failed");
                (
                    "Sorry, something went wrong".to_string(),
                    "Nothing you sent was lost or half-saved. Please try again in a minute; if it keeps happening, tell the school office.".to_string(),
                )
            }
        };
        let text = ErrorText {
            heading,
            message,
            keys,
        };
        let body = render(String::new(), Contact::default(), &text, Tr::default());
        let mut response = (status, Html(body)).into_response();
        response.extensions_mut().insert(text);
        response
    }
}

/// The fallback for unknown addresses.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// A known address used with the wrong method (a form sent by GET, a page fetched by POST).
pub async fn wrong_method() -> AppError {
    AppError::WrongMethod(WRONG_METHOD.into())
}

const WRONG_METHOD: &str =
    "This page cannot be used that way. Go back to the page before, reload it and try again.";

/// Renders every error page again with the school's name and how to reach the office, so a
/// parent who meets an error knows whom to ask: the school whose own host name the request came
/// to (its `Host`), else the only school. Falls back to the plain page if the school cannot be
/// read (the database may be what failed). `tr` is the page's language.
pub async fn with_school(
    state: &AppState,
    host: Option<&axum::http::HeaderValue>,
    tr: Tr,
    mut response: Response,
) -> Response {
    let Some(text) = response.extensions_mut().remove::<ErrorText>() else {
        return response;
    };
    let host = host
        .and_then(|h| h.to_str().ok())
        .and_then(crate::domain::school::request_host);
    let Ok(contact) = school::contact_at_host(state, host.as_deref()).await else {
        return response;
    };
    let body = render(contact.school.clone(), contact, &text, tr);
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}
