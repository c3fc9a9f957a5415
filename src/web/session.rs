//! Staff sessions over HTTP: the cookie (built and read with axum-extra's `CookieJar`) and the
//! extractors that check it ([`Staff`], [`Head`], [`Trustee`]). What a session is, and its limits, live in
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
pub use crate::domain::role::{Actor, Role, TrustAdmin};
use crate::domain::school::Scope;

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
    SignedOut {
        next: Option<String>,
    },
    Expired {
        next: Option<String>,
    },
    /// A trust administrator who is not looking at any school: their pages are the trust's.
    TrustPages,
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
            NoSession::TrustPages => Redirect::to("/trust").into_response(),
            NoSession::Error(e) => e.into_response(),
        }
    }
}

/// The live session behind the request's cookie, or why there is none.
async fn live(parts: &Parts, state: &AppState) -> Result<Resumed, NoSession> {
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
        Ok(live) => Ok(live),
    }
}

fn form_token(state: &AppState, hash: &str) -> String {
    csrf::token(&state.secret, &format!("staff:{hash}"))
}

/// What a trust administrator is told when they try to change a school's records.
pub const READ_ONLY: &str = "You are looking at this school as a trust administrator, so you can read its records but not change them. Ask the school's office or headteacher to make the change.";

impl FromRequestParts<AppState> for Staff {
    type Rejection = NoSession;

    /// A school's staff; or a trust administrator looking at a school, for reading only: every
    /// change is a POST (DESIGN.md, invariant 5), so any other method is refused here, once for
    /// every handler.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, NoSession> {
        match live(parts, state).await? {
            Resumed::Active { actor, hash } => Ok(Staff {
                actor,
                csrf: form_token(state, &hash),
            }),
            Resumed::Trust {
                admin,
                viewing: Some(scope),
                hash,
                ..
            } => {
                if !matches!(parts.method, Method::GET | Method::HEAD) {
                    return Err(NoSession::Error(AppError::Forbidden(READ_ONLY.into())));
                }
                Ok(Staff {
                    actor: admin.looking_at(scope),
                    csrf: form_token(state, &hash),
                })
            }
            Resumed::Trust { viewing: None, .. } => Err(NoSession::TrustPages),
            Resumed::SignedOut | Resumed::Expired => Err(NoSession::SignedOut { next: None }),
        }
    }
}

/// A signed-in trust administrator, on the trust's own pages.
#[derive(Debug, Clone)]
pub struct Trustee {
    pub admin: TrustAdmin,
    /// Their session, and the school it is looking at, if any.
    pub session_id: i64,
    pub viewing: Option<Scope>,
    /// Token for this session's forms.
    pub csrf: String,
}

impl Trustee {
    /// Refuses a form whose token is not this session's.
    pub fn check_form(&self, given: Option<&str>) -> Result<(), AppError> {
        if given.is_some_and(|g| csrf::same(g.trim(), &self.csrf)) {
            Ok(())
        } else {
            Err(csrf::expired_form())
        }
    }
}

impl FromRequestParts<AppState> for Trustee {
    type Rejection = NoSession;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, NoSession> {
        match live(parts, state).await? {
            Resumed::Trust {
                admin,
                viewing,
                session_id,
                hash,
            } => Ok(Trustee {
                admin,
                session_id,
                viewing,
                csrf: form_token(state, &hash),
            }),
            Resumed::Active { .. } => Err(NoSession::Error(AppError::Forbidden(
                "Only a trust administrator can open the trust's pages. Your own school's pages are under Dashboard.".into(),
            ))),
            Resumed::SignedOut | Resumed::Expired => Err(NoSession::SignedOut { next: None }),
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
