//! The signing page, answered from what is kept without the rest of the stack.
//!
//! The morning a letter goes home, parents open, reload and come back to their page many times.
//! When [`signing::kept_page`] finds the page current, this layer answers at once with the bytes
//! kept for it, compressed ahead as the browser asks, and the same headers every page gets. Every
//! other request, and every case that is not plainly a kept page (a code not yet opened, a use
//! due to be noted, a HEAD, a form), goes on to the router and its layers.
//!
//! It sits outside axum's `ConnectInfo` too ([`PerConnection`] makes it for each connection and
//! gives the peer's address only to requests that go on), and a kept page's headers are copied
//! from a set made once: each of those showed in the page's profile.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, Method, Request, Response, header};
use axum::serve::IncomingStream;
use futures_util::TryFutureExt;
use futures_util::future::{Either, MapOk, Ready, ready};
use tokio::net::TcpListener;
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
            peer: None,
        }
    }
}

#[derive(Clone)]
pub struct KeptPagesService<S> {
    state: AppState,
    inner: S,
    /// The connection's peer, given to the routes as axum's `ConnectInfo`. Added here, and only to
    /// requests that go on: a kept page needs no address, and an extension costs an allocation.
    peer: Option<SocketAddr>,
}

/// Makes each connection's service (for `axum::serve`): the app, told the connection's peer.
#[derive(Clone)]
pub struct PerConnection<S>(pub KeptPagesService<S>);

impl<S: Clone> Service<IncomingStream<'_, TcpListener>> for PerConnection<S> {
    type Response = KeptPagesService<S>;
    type Error = Infallible;
    type Future = Ready<Result<KeptPagesService<S>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, stream: IncomingStream<'_, TcpListener>) -> Self::Future {
        let mut app = self.0.clone();
        app.peer = Some(*stream.remote_addr());
        ready(Ok(app))
    }
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

    fn call(&mut self, mut req: Request<Body>) -> Self::Future {
        if let Some(response) = kept(&self.state, &req) {
            return Either::Left(ready(Ok(response)));
        }
        if let Some(peer) = self.peer {
            req.extensions_mut().insert(ConnectInfo(peer));
        }
        Either::Right(self.inner.call(req).map_ok(boxed::<B> as fn(_) -> _))
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
    *response.headers_mut() = kept_headers(state.config.is_https(), encoding);
    Some(response)
}

/// A kept page's headers: those every page gets, made once for each scheme and encoding, as
/// inserting them one by one for every view cost more than copying them.
fn kept_headers(https: bool, encoding: Option<&'static str>) -> HeaderMap {
    static MADE: OnceLock<Vec<HeaderMap>> = OnceLock::new();
    const ENCODINGS: [Option<&str>; 3] = [None, Some("gzip"), Some("br")];
    let made = MADE.get_or_init(|| {
        [false, true]
            .into_iter()
            .flat_map(|https| ENCODINGS.map(move |e| (https, e)))
            .map(|(https, encoding)| {
                let mut h = HeaderMap::with_capacity(12);
                h.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
                if let Some(encoding) = encoding {
                    h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
                }
                headers::set(&mut h, https, true);
                h
            })
            .collect()
    });
    let at = ENCODINGS.iter().position(|e| *e == encoding).unwrap_or(0);
    made[usize::from(https) * ENCODINGS.len() + at].clone()
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
