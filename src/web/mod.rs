//! HTTP: one module per audience, merged here with the layers every response gets.

pub mod assets;
pub mod csrf;
pub mod documents;
pub mod error;
pub mod extract;
pub mod fast;
pub mod head;
pub mod headers;
pub mod hooks;
pub mod lang;
pub mod office;
pub mod parent;
pub mod public;
pub mod session;
pub mod staff;
pub mod trust;
pub mod views;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, MatchedPath, State};
use axum::http::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use tower::{Layer, ServiceBuilder};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::app::AppState;

/// Largest form body accepted, in bytes.
pub const FORM_LIMIT: usize = 64 * 1024;

/// The whole app: its routes and layers, behind the kept signing pages.
pub type App = fast::KeptPagesService<Router>;

/// The whole app's routes and layers.
pub fn router(state: AppState) -> App {
    let routes = Router::new()
        .merge(public::router())
        .merge(parent::router())
        .merge(staff::router())
        .merge(office::router())
        .merge(head::router())
        .merge(trust::router())
        .merge(documents::router())
        .merge(hooks::router())
        .route("/static/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::wrong_method);
    // One layer, built of every layer a response gets: axum wraps each route in each `layer`
    // call separately and clones every wrapper for every request, which once cost the signing
    // page more than its own work.
    let layers = ServiceBuilder::new()
        // Spans name the route pattern, never the path: paths carry signing codes.
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
            // Debug: at info, making a span for every request cost a tenth of the signing
            // page's throughput. A failure is logged with its route below.
            tracing::debug_span!("request", method = %req.method(), route = route.as_deref().unwrap_or("-"))
        }))
        .layer(CompressionLayer::new())
        // axum's own limit rather than tower-http's: the form extractor turns it into a page
        // that says what to shorten, where tower-http answers a bare 413.
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), every_response));
    let routes = routes.layer(layers).with_state(state.clone());
    // Kept signing pages are answered before routing: see `fast`.
    fast::KeptPages { state }.layer(routes)
}

/// Refuses cross-site form posts, renders error pages again with the school's contact details,
/// and sets the security headers (and `no-store` on pages).
async fn every_response(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path();
    let page = !(path.starts_with("/static/") || path == "/favicon.ico");
    let (method, route) = (
        req.method().clone(),
        req.extensions().get::<MatchedPath>().cloned(),
    );
    // Kept for an error page, which names the school at this host.
    let host = req.headers().get(axum::http::header::HOST).cloned();
    // Parent pages speak the language asked for (remembered in a cookie); staff pages English.
    let staff = lang::is_staff(path);
    let choice = (page && !staff).then(|| lang::Choice::of(req.uri(), req.headers()));
    let response = match csrf::cross_site_refusal(&state, &req) {
        Some(refused) => refused,
        None => next.run(req).await,
    };
    if response.status().is_server_error() {
        // The route pattern, never the path: paths carry signing codes.
        let route = route.as_ref().map_or("-", |r| r.as_str());
        tracing::error!(%method, route, status = %response.status(), "request failed");
    }
    let tr = choice
        .as_ref()
        .map(lang::Choice::anonymous)
        .unwrap_or_default();
    let mut response = error::with_school(&state, host.as_ref(), tr, response).await;
    let https = state.config.is_https();
    if let Some(c) = &choice {
        lang::set_cookie(response.headers_mut(), c.asked, https);
    }
    headers::set(response.headers_mut(), https, page);
    response
}
