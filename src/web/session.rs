//! Staff sessions over HTTP: the cookie (built and read with axum-extra's `CookieJar`) and the
//! extractors that check it ([`Staff`], [`Head`]). What a session is, and its limits, live in
//! `app::sessions`.

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::Method;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use super::csrf;
use super::error::AppError;
use crate::app::AppState;
use crate::app::sessions::{self, Resumed};
pub use crate::domain::role::{Actor, Role};

/// A signed-in staff member, with the token for this session's forms.
#[derive(Debug, Clone)]
pub struct Staff {
    pub actor: Actor,
    /// Token for this session's forms.
    pub csrf: String,
}

impl std::ops::Deref for Staff {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.actor
    }
}

impl Staff {
    /// Refuses a form whose token is not this session's.
    pub fn check_form(&self, given: Option<&str>) -> Result<(), AppError> {
        if given.is_some_and(|g| csrf::same(g.trim(), &self.csrf)) {
            Ok(())
        } else {
            Err(csrf::expired_form())
        }
    }
}

/// The cookie's name: `__Host-` prefixed when served over https.
fn cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies() {
        "__Host-signoff_staff"
    } else {
        "signoff_staff"
    }
}

fn base_cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build((cookie_name(state), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .build()
}

/// The jar with a cookie that starts a session (lasting the session's absolute limit).
pub fn start_cookie(state: &AppState, jar: CookieJar, token: String) -> CookieJar {
    let mut cookie = base_cookie(state, token);
    cookie.set_max_age(state.config.session_absolute);
    jar.add(cookie)
}

/// The jar with a cookie that ends the session in the browser.
pub fn end_cookie(state: &AppState, jar: CookieJar) -> CookieJar {
    let mut cookie = base_cookie(state, String::new());
    cookie.set_max_age(time::Duration::ZERO);
    jar.add(cookie)
}

/// The session token from the request's cookies, if any.
pub fn session_token(state: &AppState, jar: &CookieJar) -> Option<String> {
    jar.get(cookie_name(state))
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

/// Why there is no usable session.
pub enum NoSession {
    SignedOut { next: Option<String> },
    Expired { next: Option<String> },
    Error(AppError),
}

/// A value percent-encoded for a query string; `/` is kept, so a return address stays readable.
pub fn encode(s: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    const QUERY_VALUE: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'/');
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

impl IntoResponse for NoSession {
    fn into_response(self) -> Response {
        let to = |next: Option<String>, expired: bool| {
            let mut q = Vec::new();
            if expired {
                q.push("expired=1".to_string());
            }
            if let Some(n) = next {
                q.push(format!("next={}", encode(&n)));
            }
            let url = match q.is_empty() {
                true => "/staff/sign-in".to_string(),
                false => format!("/staff/sign-in?{}", q.join("&")),
            };
            Redirect::to(&url).into_response()
        };
        match self {
            NoSession::SignedOut { next } => to(next, false),
            NoSession::Expired { next } => to(next, true),
            NoSession::Error(e) => e.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = NoSession;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, NoSession> {
        let next = (parts.method == Method::GET).then(|| {
            parts
                .extensions
                .get::<OriginalUri>()
                .map(|u| u.0.to_string())
                .unwrap_or_else(|| parts.uri.to_string())
        });
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = session_token(state, &jar) else {
            return Err(NoSession::SignedOut { next });
        };
        match sessions::resume(state, &token).await {
            Err(e) => Err(NoSession::Error(e)),
            Ok(Resumed::SignedOut) => Err(NoSession::SignedOut { next: None }),
            Ok(Resumed::Expired) => Err(NoSession::Expired { next }),
            Ok(Resumed::Active { actor, hash }) => Ok(Staff {
                actor,
                csrf: csrf::token(&state.secret, &format!("staff:{hash}")),
            }),
        }
    }
}

/// A signed-in headteacher; office staff get a clear refusal.
pub struct Head(pub Staff);

impl FromRequestParts<AppState> for Head {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let staff = Staff::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if staff.is_head() {
            Ok(Head(staff))
        } else {
            Err(AppError::Forbidden(
                "Only a headteacher can do this. Ask your headteacher if it needs doing.".into(),
            )
            .into_response())
        }
    }
}
