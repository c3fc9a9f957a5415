//! Security headers on every response and `no-store` on every page.

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};

const CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const SECURITY: [(HeaderName, &str); 6] = [
    (header::CONTENT_SECURITY_POLICY, CSP),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    // A signing link in the address bar must never travel on in a Referer.
    (header::REFERRER_POLICY, "no-referrer"),
    (
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    ),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
];

/// Sets the headers that make every response harder to abuse (HSTS when the portal is served
/// over https) and, on pages, `no-store`: pages are personal or change often, so no cache may
/// keep them (static files are set apart).
pub fn set(headers: &mut HeaderMap, https: bool, page: bool) {
    for (name, value) in SECURITY {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if page {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
