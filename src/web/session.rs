//! Staff sessions: the cookie, the extractor that checks it, and role checks.
//!
//! The cookie carries a random token; the database keeps only its SHA-256. Sessions end after
//! 30 minutes without a request or 8 hours in all, checked here on every request.

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::csrf;
use super::error::AppError;
use crate::AppState;
use crate::clock::{parse_stamp, stamp};
use crate::domain::secret::sha256_hex;
use crate::store::staff;

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Headteacher,
    Office,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "headteacher" => Some(Role::Headteacher),
            "office" => Some(Role::Office),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Headteacher => "headteacher",
            Role::Office => "office",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Headteacher => "Headteacher",
            Role::Office => "Office staff",
        }
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone)]
pub struct Staff {
    pub id: i64,
    pub school_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Token for this session's forms.
    pub csrf: String,
}

impl Staff {
    pub fn is_head(&self) -> bool {
        self.role == Role::Headteacher
    }

    /// The audit log's name for this person.
    pub fn actor(&self) -> String {
        format!("staff:{}", self.id)
    }

    /// Refuses a form whose token is not this session's.
    pub fn check_form(&self, given: Option<&str>) -> Result<(), AppError> {
        if given.is_some_and(|g| constant_eq(g.trim(), &self.csrf)) {
            Ok(())
        } else {
            Err(csrf::expired_form())
        }
    }
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The cookie's name: `__Host-` prefixed when served over https.
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies() {
        "__Host-signoff_staff"
    } else {
        "signoff_staff"
    }
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let max_age = state.config.session_absolute.whole_seconds();
    HeaderValue::from_str(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        cookie_name(state)
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that ends a session in the browser.
pub fn clear_cookie(state: &AppState) -> HeaderValue {
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        cookie_name(state)
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// The session token from the request's cookies, if any.
pub fn session_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let name = cookie_name(state);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_string())
}

/// Why there is no usable session.
pub enum NoSession {
    SignedOut { next: Option<String> },
    Expired { next: Option<String> },
    Error(AppError),
}

impl IntoResponse for NoSession {
    fn into_response(self) -> Response {
        let to = |next: Option<String>, expired: bool| {
            let mut url = String::from("/staff/sign-in");
            let mut q = Vec::new();
            if expired {
                q.push("expired=1".to_string());
            }
            if let Some(n) = next {
                q.push(format!("next={}", encode(&n)));
            }
            if !q.is_empty() {
                url.push('?');
                url.push_str(&q.join("&"));
            }
            Redirect::to(&url).into_response()
        };
        match self {
            NoSession::SignedOut { next } => to(next, false),
            NoSession::Expired { next } => to(next, true),
            NoSession::Error(e) => e.into_response(),
        }
    }
}

/// Percent-encodes a path for a query string.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
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
        let Some(token) = session_token(state, &parts.headers) else {
            return Err(NoSession::SignedOut { next });
        };
        let hash = sha256_hex(&token);
        let row = staff::session(&state.db.read, &hash)
            .await
            .map_err(|e| NoSession::Error(e.into()))?;
        let Some(row) = row else {
            return Err(NoSession::SignedOut { next });
        };
        let now = state.clock.now();
        let created = parse_stamp(&row.session_created_at);
        let seen = parse_stamp(&row.last_seen_at);
        let expired = match (created, seen) {
            (Some(c), Some(s)) => {
                now - s > state.config.session_idle || now - c > state.config.session_absolute
            }
            _ => true,
        };
        if expired || !row.user.active {
            staff::delete_session(&state.db.write, &hash)
                .await
                .map_err(|e| NoSession::Error(e.into()))?;
            return Err(if expired {
                NoSession::Expired { next }
            } else {
                NoSession::SignedOut { next: None }
            });
        }
        if seen.is_some_and(|s| now - s > time::Duration::seconds(30)) {
            staff::touch_session(&state.db.write, row.session_id, &stamp(now))
                .await
                .map_err(|e| NoSession::Error(e.into()))?;
        }
        let Some(role) = Role::parse(&row.user.role) else {
            return Err(NoSession::SignedOut { next: None });
        };
        Ok(Staff {
            id: row.user.id,
            school_id: row.user.school_id,
            name: row.user.name,
            email: row.user.email,
            role,
            csrf: csrf::token(&state.secret, &format!("staff:{hash}")),
        })
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
