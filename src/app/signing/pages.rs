//! Each parent's signing page as last served, kept for as long as what it was made from is kept
//! (the same [`Opened`]), within a fixed budget of bytes: a parent who reloads, or comes back
//! from the receipt, is answered without the page being rendered or compressed again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use bytes::Bytes;

use super::Opened;

/// Bytes of pages kept at most; past this the cache starts again.
const BUDGET: usize = 8 * 1024 * 1024;

/// A rendered page, and once made (off the request path), the same compressed for browsers that
/// take it.
pub struct Page {
    pub html: Bytes,
    /// (gzip, Brotli).
    pub compressed: std::sync::OnceLock<(Bytes, Bytes)>,
}

impl Page {
    pub fn new(html: Bytes) -> Page {
        Page {
            html,
            compressed: std::sync::OnceLock::new(),
        }
    }

    fn len(&self) -> usize {
        // Counted as compressed already: the compressed forms come soon after.
        self.html.len() * 3 / 2
    }
}

#[derive(Default)]
struct Kept {
    /// By code hash: the page, and (weakly: a kept page must not keep its data alive) what it was
    /// made from.
    pages: HashMap<String, (Weak<Opened>, Arc<Page>)>,
    bytes: usize,
}

#[derive(Default)]
pub struct PageCache {
    kept: Mutex<Kept>,
    /// How many times a kept page was served.
    pub served: std::sync::atomic::AtomicU64,
}

impl PageCache {
    /// The page kept for this code, if it was made from this very `opened`.
    pub fn get(&self, code_hash: &str, opened: &Arc<Opened>) -> Option<Arc<Page>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let (from, page) = kept.pages.get(code_hash)?;
        // A weak pointer keeps its allocation, so no later `Opened` can have this address.
        std::ptr::eq(from.as_ptr(), Arc::as_ptr(opened)).then(|| page.clone())
    }

    pub fn put(&self, code_hash: String, opened: &Arc<Opened>, page: Arc<Page>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.bytes + page.len() > BUDGET {
            kept.pages.clear();
            kept.bytes = 0;
        }
        kept.bytes += page.len();
        if let Some((_, old)) = kept.pages.insert(code_hash, (Arc::downgrade(opened), page)) {
            kept.bytes -= old.len();
        }
    }
}
