//! Extractors: the client's address, and form bodies whose problems become clear pages.

use std::net::{IpAddr, SocketAddr};

use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use axum::response::{IntoResponse, Response};

use super::error::AppError;
use super::session::{Head, Staff};
use crate::app::AppState;

/// The address a request came from (the proxy's `X-Forwarded-For` when so configured).
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if state.config.behind_proxy {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(ClientIp(ip))
    }
}

/// The host name a request came to (its `Host`, lower case, without a default port): which
/// school's own host it is decides whose pages the addresses without a school show. `None`
/// when the request names none.
pub struct RequestHost(pub Option<String>);

impl RequestHost {
    /// Read from a request's headers (or, for an absolute address, its URI).
    pub fn of(headers: &axum::http::HeaderMap, uri: &axum::http::Uri) -> RequestHost {
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .or_else(|| uri.authority().map(|a| a.as_str()));
        RequestHost(host.and_then(crate::domain::school::request_host))
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl FromRequestParts<AppState> for RequestHost {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(RequestHost::of(&parts.headers, &parts.uri))
    }
}

/// How a form that could not be read is described (a parent reads it in their language:
/// `error-unreadable`).
pub const UNREADABLE: &str = "The form could not be read";

/// `application/x-www-form-urlencoded` bodies; a malformed or oversized one gets a page that
/// says so instead of a bare status.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(FormRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(AppError::TooLarge(format!(
                    "That was more than the {} KB a form can take. Shorten what you typed and send it again.",
                    super::FORM_LIMIT / 1024
                )))
            }
            Err(e) => Err(AppError::BadRequest(format!(
                "{UNREADABLE} ({}). Go back, reload the page and try again.",
                e.body_text()
            ))),
        }
    }
}

/// A form's token beside its own fields.
#[derive(serde::Deserialize)]
struct Tokened<T> {
    csrf: Option<String>,
    #[serde(flatten)]
    fields: T,
}

/// A form from a signed-in member of staff, its token checked against their session: the
/// handler gets who sent it and the form's fields, or the request never reaches it.
pub struct StaffForm<T>(pub Staff, pub T);

/// Reads the form of a request whose sender is known, and checks its token.
async fn checked<T: DeserializeOwned + Send>(
    staff: &Staff,
    req: Request,
    state: &AppState,
) -> Result<T, Response> {
    let Form(Tokened { csrf, fields }) = Form::<Tokened<T>>::from_request(req, state)
        .await
        .map_err(IntoResponse::into_response)?;
    staff
        .check_form(csrf.as_deref())
        .map_err(IntoResponse::into_response)?;
    Ok(fields)
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for StaffForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields = checked(&staff, Request::from_parts(parts, body), state).await?;
        Ok(StaffForm(staff, fields))
    }
}

/// Like [`StaffForm`], for a headteacher only: office staff are refused before the form is read,
/// as the [`Head`] extractor refuses them.
pub struct HeadForm<T>(pub Staff, pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for HeadForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Head(staff) = Head::from_request_parts(&mut parts, state).await?;
        let fields = checked(&staff, Request::from_parts(parts, body), state).await?;
        Ok(HeadForm(staff, fields))
    }
}

/// A form with no fields of its own: a button that does one thing.
#[derive(serde::Deserialize)]
pub struct Button {}

/// Deserialisers that give form structs typed fields, read once where the form is parsed.
pub mod field {
    use serde::{Deserialize, Deserializer};

    /// A checkbox or yes/no choice: `yes` is true; anything else, or nothing, is false.
    pub fn yes<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(Option::<String>::deserialize(d)?.as_deref() == Some("yes"))
    }

    /// A record's id from a hidden field or a select: anything but a whole number is none.
    pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.and_then(|v| v.trim().parse().ok()))
    }
}
