//! Each parent's page data, kept by code until something it shows may have changed.

use std::sync::Arc;

use super::Opened;

/// When a kept page was read: [`Db::generation`] and [`Db::carers_generation`], both read before.
///
/// [`Db::generation`]: crate::store::Db::generation
/// [`Db::carers_generation`]: crate::store::Db::carers_generation
#[derive(Clone, Copy)]
pub(super) struct ReadAt {
    pub(super) anything: u64,
    pub(super) carers: u64,
}

/// The signing page's data per code (by hash), kept until something it shows may have changed:
/// anything at all, or this carer's declarations or codes. The morning a letter goes home,
/// hundreds of parents open their page at once, and sign: this keeps those views from each
/// making six database round trips, and one parent signing from sending every other back to it.
#[derive(Default)]
pub struct ParentCache(std::sync::Mutex<std::collections::HashMap<String, (ReadAt, Arc<Opened>)>>);

/// Entries kept at most; past this the cache starts again (a school has a few thousand carers).
const CACHE_LIMIT: usize = 20_000;

impl ParentCache {
    pub(super) fn get(
        &self,
        db: &crate::store::Db,
        code_hash: &str,
        anything: u64,
    ) -> Option<Arc<Opened>> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (at, opened) = map.get(code_hash)?;
        let current =
            at.anything == anything && db.carer_generation(opened.owner.carer_id) <= at.carers;
        current.then(|| opened.clone())
    }

    pub(super) fn put(&self, code_hash: String, at: ReadAt, opened: Arc<Opened>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= CACHE_LIMIT {
            map.clear();
        }
        map.insert(code_hash, (at, opened));
    }
}
