//! Cross-site request forgery defences: a refusal of cross-site writes, and form tokens.
//!
//! Every POST is refused when the browser says it comes from another site (`Sec-Fetch-Site:
//! cross-site`), names a foreign `Origin`, or sends `Origin: null` without vouching that the
//! request is same-origin. Each form also carries a token: an HMAC, under the
//! instance's key, of what the form acts for (a parent's code, a staff session).
//!
//! Kept by hand rather than taken from a CSRF crate: those keep a secret in a cookie, and parents
//! have no cookie (they arrive by a link or a code), so a token bound to the code is what works
//! for them; comparison is constant-time through `hmac` and `subtle`.

use axum::extract::Request;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::error::AppError;

type HmacSha256 = Hmac<Sha256>;

/// The token for a form acting for `scope`.
pub fn token(key: &[u8], scope: &str) -> String {
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return String::new();
    };
    mac.update(scope.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// What the code box's token acts for: nobody in particular.
pub const CODE_ENTRY: &str = "code-entry";

/// The form token for the code box.
pub fn code_entry_token(state: &crate::app::AppState) -> String {
    token(&state.secret, CODE_ENTRY)
}

/// The form token of a parent's signing page, bound to their code.
pub fn parent_scope(code: &crate::domain::code::SigningCode) -> String {
    format!("parent:{}", code.hash())
}

/// Whether `given` is the token for `scope` (compared in constant time).
pub fn verify(key: &[u8], scope: &str, given: &str) -> bool {
    let (Ok(mut mac), Ok(bytes)) = (HmacSha256::new_from_slice(key), hex::decode(given.trim()))
    else {
        return false;
    };
    mac.update(scope.as_bytes());
    mac.verify_slice(&bytes).is_ok()
}

/// Whether two tokens are the same, compared in constant time.
pub fn same(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// `scheme://host[:port]` of an address, lower-cased, as browsers write it in `Origin`.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let scheme = scheme.to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    let host = match (scheme.as_str(), host.rsplit_once(':')) {
        ("https", Some((h, "443"))) | ("http", Some((h, "80"))) => h.to_string(),
        _ => host,
    };
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// Refuses state-changing requests that a browser marks as coming from another site. The portal's
/// own origin is its public URL when one is set (a reverse proxy rewrites `Host`), else the
/// `Host` the request came to.
/// Returns the refusal, or `None` to go on.
pub fn cross_site_refusal(state: &crate::app::AppState, req: &Request) -> Option<Response> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    let headers = req.headers();
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let cross_site = fetch_site.as_deref() == Some("cross-site");
    let foreign_origin = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => false,
        // Under `Referrer-Policy: no-referrer` browsers send `Origin: null` even for the portal's
        // own forms; then only the browser's own word that the request is same-origin will do.
        Some("null") => fetch_site.as_deref() != Some("same-origin"),
        Some(origin) => {
            let public = state.config.public_url.as_deref().and_then(origin_of);
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
            let ours = public.is_some_and(|p| origin_of(origin).is_some_and(|o| o == p))
                || (!host.is_empty() && origin_host.eq_ignore_ascii_case(host));
            !ours
        }
    };
    (cross_site || foreign_origin).then(|| AppError::Forbidden(CROSS_SITE.into()).into_response())
}

/// What a cross-site refusal says (a parent reads it in their language: `error-cross-site`).
pub const CROSS_SITE: &str = "This form was sent from another website, so it was not accepted. Open the portal's own page and try again.";

/// For handlers: a refused token, shown as a calm page.
pub fn expired_form() -> AppError {
    AppError::FormExpired(EXPIRED.into())
}

/// What [`expired_form`] says (a parent reads it in their language: `error-expired`).
pub const EXPIRED: &str = "This form has expired or was not sent from this portal. Go back, reload the page and try again.";

#[cfg(test)]
mod tests {
    #[test]
    fn origins_are_compared_as_browsers_write_them() {
        use super::origin_of;
        assert_eq!(
            origin_of("https://Portal.School.example/").as_deref(),
            Some("https://portal.school.example")
        );
        assert_eq!(
            origin_of("https://portal.example:443/x").as_deref(),
            Some("https://portal.example")
        );
        assert_eq!(
            origin_of("http://10.0.0.5:3000").as_deref(),
            Some("http://10.0.0.5:3000")
        );
        assert_eq!(origin_of("portal.example"), None);
    }
}
