//! Documents parents sign, their published versions, and a document as it stands now.

use crate::domain::school::Scope;
use crate::domain::wording::Wording;

/// A document of one school, as the store read it with that school's scope.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: i64,
    /// The school's scope, which reads and writes of this document's rows take.
    pub scope: Scope,
    pub slug: String,
    pub title: String,
    pub position: i64,
}

/// A published version, exactly as stored.
#[derive(Debug, Clone)]
pub struct Version {
    pub id: i64,
    pub school_id: i64,
    pub document_id: i64,
    pub number: i64,
    pub wording: Wording,
    pub summary: String,
    pub material: bool,
    pub canonical_text: String,
    pub sha256: String,
    pub published_at: time::OffsetDateTime,
    pub published_by: Option<i64>,
}

impl std::ops::Deref for Version {
    type Target = Wording;
    fn deref(&self) -> &Wording {
        &self.wording
    }
}

/// A document with its current version and the number of its latest material version: everything
/// needed to tell a parent's status.
#[derive(Debug, Clone)]
pub struct Current {
    pub document: Document,
    pub version: Version,
    pub latest_material: i64,
    /// The latest review's dates (a review with no changes moves them on without a new version).
    pub last_reviewed: String,
    pub next_review_due: String,
}
