//! The signing page, answered from what is kept without the rest of the stack.
//!
//! The morning a letter goes home, parents open, reload and come back to their page many times.
//! When [`signing::kept_page`] finds the page current, this layer answers at once with the bytes
//! kept for it, compressed ahead as the browser asks, and the same headers every page gets. Every
//! other request, and every case that is not plainly a kept page (a code not yet opened, a use
//! due to be noted, a HEAD, a form), goes on to the router and its layers.

use std::convert::Infallible;
use std::io::Write;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use futures_util::TryFutureExt;
use futures_util::future::{Either, MapOk, Ready, ready};
use tower::{Layer, Service};

use crate::app::AppState;
use std::sync::Arc;

use crate::app::signing::{self, Opened, Page};
use crate::web::headers;

/// Wraps the router's routes; see the module's comment.
#[derive(Clone)]
pub struct KeptPages {
    pub state: AppState,
}

impl<S> Layer<S> for KeptPages {
    type Service = KeptPagesService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        KeptPagesService {
            state: self.state.clone(),
            inner,
        }
    }
}

#[derive(Clone)]
pub struct KeptPagesService<S> {
    state: AppState,
    inner: S,
}

/// The rest of the stack's response, with its body as axum's.
fn boxed<B>(response: Response<B>) -> Response<Body>
where
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    response.map(Body::new)
}

impl<S, B> Service<Request<Body>> for KeptPagesService<S>
where
    S: Service<Request<Body>, Response = Response<B>, Error = Infallible>,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Either<
        Ready<Result<Response<Body>, Infallible>>,
        MapOk<S::Future, fn(Response<B>) -> Response<Body>>,
    >;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<Body>) -> Self::Future {
        match kept(&self.state, &req) {
            Some(response) => Either::Left(ready(Ok(response))),
            None => Either::Right(self.inner.call(req).map_ok(boxed::<B> as fn(_) -> _)),
        }
    }
}

/// The kept page for a `GET /s/{code}`, as the browser takes it.
fn kept(state: &AppState, req: &Request<Body>) -> Option<Response<Body>> {
    if req.method() != Method::GET || req.uri().query().is_some() {
        return None;
    }
    let typed = req.uri().path().strip_prefix("/s/")?;
    if typed.contains('/') {
        return None;
    }
    let page = signing::kept_page(state, typed)?;
    state
        .pages
        .served
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let accepts = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // A browser that takes compression waits for the compressed forms (the rest compress it).
    let (body, encoding) = match page.compressed.get() {
        Some((_, br)) if takes(accepts, "br") => (br.clone(), Some("br")),
        Some((gzip, _)) if takes(accepts, "gzip") => (gzip.clone(), Some("gzip")),
        None if takes(accepts, "br") || takes(accepts, "gzip") => return None,
        _ => (page.html.clone(), None),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::OK;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    headers::set(h, state.config.is_https(), true);
    Some(response)
}

/// Whether an `Accept-Encoding` value takes `coding` (named, and not with `q=0`).
fn takes(accepts: &str, coding: &str) -> bool {
    accepts.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        parts.next().is_some_and(|c| c.eq_ignore_ascii_case(coding))
            && !parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            })
    })
}

/// Keeps a rendered page, and makes its gzip and Brotli forms once, on a thread for blocking
/// work: the request that rendered it, and any others meanwhile, are not held up by compression.
pub fn keep(state: &AppState, hash: String, opened: &Arc<Opened>, html: String) -> Arc<Page> {
    // Many parents' first views come at once: the first page kept is the one compressed.
    if let Some(kept) = state.pages.get(&hash, opened) {
        return kept;
    }
    let page = Arc::new(Page::new(Bytes::from(html)));
    state.pages.put(hash, opened, page.clone());
    let later = page.clone();
    tokio::task::spawn_blocking(move || {
        let html = &later.html;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let gzip = match gz.write_all(html).and_then(|()| gz.finish()) {
            Ok(bytes) => Bytes::from(bytes),
            Err(_) => return,
        };
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 6,
            ..Default::default()
        };
        if brotli::BrotliCompress(&mut &html[..], &mut br, &params).is_ok() {
            let _ = later.compressed.set((gzip, Bytes::from(br)));
        }
    });
    page
}

#[cfg(test)]
mod tests {
    use super::takes;

    #[test]
    fn reads_accept_encoding() {
        assert!(takes("gzip, deflate, br", "br"));
        assert!(takes("gzip;q=1.0, identity; q=0.5", "gzip"));
        assert!(!takes("gzip;q=0, br", "gzip"));
        assert!(!takes("", "gzip"));
        assert!(!takes("gzipx", "gzip"));
        assert!(takes("BR", "br"));
    }
}
