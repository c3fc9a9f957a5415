//! HTTP: one module per audience, merged here with the layers every response gets.

pub mod assets;
pub mod csrf;
pub mod documents;
pub mod error;
pub mod extract;
pub mod head;
pub mod headers;
pub mod hooks;
pub mod office;
pub mod parent;
pub mod public;
pub mod session;
pub mod staff;
pub mod views;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::Request;
use axum::middleware;
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::app::AppState;

/// Largest form body accepted, in bytes.
pub const FORM_LIMIT: usize = 64 * 1024;

/// The whole app's routes and layers.
pub fn router(state: AppState) -> Router {
    let https = state.config.is_https();
    let pages = Router::new()
        .merge(public::router())
        .merge(parent::router())
        .merge(staff::router())
        .merge(office::router())
        .merge(head::router())
        .merge(documents::router())
        .merge(hooks::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::wrong_method)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::with_school,
        ));
    let app = headers::no_store(pages)
        .route("/static/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            csrf::refuse_cross_site,
        ));
    headers::security(app, https)
        // axum's own limit rather than tower-http's: the form extractor turns it into a page
        // that says what to shorten, where tower-http answers a bare 413.
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(CompressionLayer::new())
        // Spans name the route pattern, never the path: paths carry signing codes.
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
            tracing::info_span!("request", method = %req.method(), route = route.as_deref().unwrap_or("-"))
        }))
        .with_state(state)
}
