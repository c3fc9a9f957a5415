//! The signing page, answered from what is kept without the rest of the stack.
//!
//! The morning a letter goes home, parents open, reload and come back to their page many times.
//! When [`signing::kept_page`] finds the page current, this layer answers at once with the bytes
//! kept for it, compressed ahead as the browser asks, and the same headers every page gets. Every
//! other request, and every case that is not plainly a kept page (a code not yet opened, a use
//! due to be noted, a HEAD, a form), goes on to the router and its layers.

use std::convert::Infallible;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use futures_util::TryFutureExt;
use futures_util::future::{Either, MapOk, Ready, ready};
use tower::{Layer, Service};

use crate::app::AppState;
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

/// Keeps a rendered page, and starts making its compressed forms.
pub fn keep(state: &AppState, hash: String, opened: &Arc<Opened>, html: String) -> Arc<Page> {
    // Many parents' first views come at once: the first page kept is the one compressed.
    if let Some(kept) = state.pages.get(&hash, opened) {
        compress_soon(&kept);
        return kept;
    }
    let page = Arc::new(Page::new(Bytes::from(html)));
    state.pages.put(hash, opened, page.clone());
    compress_soon(&page);
    page
}

/// Makes a kept page's gzip and Brotli forms on a thread for blocking work, one page at a time
/// for the whole portal: when one is being made, this one waits for a later view. Neither the
/// request nor the runtime's threads wait for compression, and a rush of first views cannot
/// start a compressor (and its memory) each.
pub fn compress_soon(page: &Arc<Page>) {
    static BUSY: AtomicBool = AtomicBool::new(false);
    if page.compressed.get().is_some()
        || BUSY
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
    {
        return;
    }
    let page = page.clone();
    tokio::task::spawn_blocking(move || {
        if let Some(forms) = compressed(&page.html) {
            let _ = page.compressed.set(forms);
        }
        BUSY.store(false, Ordering::Release);
    });
}

/// A page's gzip and Brotli forms (a 64 KB window is plenty for a page and keeps the encoder
/// small).
fn compressed(html: &[u8]) -> Option<(Bytes, Bytes)> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(html).ok()?;
    let gzip = Bytes::from(gz.finish().ok()?);
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 6,
        lgwin: 16,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &html[..], &mut br, &params).ok()?;
    Some((gzip, Bytes::from(br)))
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
