//! Extractors: the client's address, and form bodies whose problems become clear pages.

use std::net::{IpAddr, SocketAddr};

use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::AppError;
use crate::AppState;

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
                Err(AppError::Status(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!(
                        "That was more than the {} KB a form can take. Shorten what you typed and send it again.",
                        super::FORM_LIMIT / 1024
                    ),
                ))
            }
            Err(e) => Err(AppError::BadRequest(format!(
                "The form could not be read ({}). Go back, reload the page and try again.",
                e.body_text()
            ))),
        }
    }
}

/// A form that carries nothing but its token (a button that does one thing).
#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    pub csrf: Option<String>,
}
