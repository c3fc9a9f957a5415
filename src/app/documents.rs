//! Reading documents: what the public pages show (the instance's school, no personal data) and
//! what the office's document pages show (versions, how many signed each, reviews).

use crate::app::{AppError, AppState};
use crate::domain::role::Actor;
use crate::domain::school::Scope;
use crate::store::documents::{self, Current, Document, Version};
use crate::store::drafts::{self, Draft, Review};
use crate::store::schools::{self, School};
use crate::store::staff;

/// The school a public page is for: the one at the address's `/{slug}/`, or, for an address
/// without one, the school whose own host name the request came to (`host`), else the
/// instance's only school. With several, that address asks which (`Err`: every school's slug
/// and name).
pub async fn public_school(
    state: &AppState,
    slug: Option<&str>,
    host: Option<&str>,
) -> Result<Result<School, Vec<(String, String)>>, AppError> {
    if let Some(slug) = slug {
        return Ok(Ok(schools::by_slug(&state.db.read, slug)
            .await?
            .ok_or(AppError::NotFound)?));
    }
    if let Some(school) = crate::app::school::at_host(state, host).await? {
        return Ok(Ok(school));
    }
    let all = schools::directory(&state.db.read).await?;
    if all.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(Err(all))
}

/// A school's documents with their current versions, in the school's order.
pub async fn current(state: &AppState, scope: Scope) -> Result<Vec<Current>, AppError> {
    Ok(documents::current_for_school(&state.db.read, scope).await?)
}

/// A public document by its address.
pub async fn by_slug(state: &AppState, school: &School, slug: &str) -> Result<Document, AppError> {
    documents::document_by_slug(&state.db.read, school.scope, slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// Version `n` of a document, as the number in an address.
pub async fn version(state: &AppState, doc: &Document, n: &str) -> Result<Version, AppError> {
    let n: i64 = n.parse().map_err(|_| AppError::NotFound)?;
    documents::version_by_number(&state.db.read, doc.scope, doc.id, n)
        .await?
        .ok_or(AppError::NotFound)
}

/// Every published version of a document (newest first) and every review (newest first).
pub async fn history(
    state: &AppState,
    doc: &Document,
) -> Result<(Vec<Version>, Vec<Review>), AppError> {
    let db = &state.db.read;
    Ok((
        documents::versions_of(db, doc.scope, doc.id).await?,
        drafts::reviews(db, doc.scope, doc.id).await?,
    ))
}

/// One row of the office's list of documents.
pub struct Listed {
    pub document: Document,
    pub current: Option<Current>,
    pub has_draft: bool,
}

/// Every document of `me`'s school, published or not.
pub async fn list(state: &AppState, me: &Actor) -> Result<Vec<Listed>, AppError> {
    let db = &state.db.read;
    let current = documents::current_for_school(db, me.scope).await?;
    let mut rows = Vec::new();
    for document in documents::documents(db, me.scope).await? {
        rows.push(Listed {
            current: current
                .iter()
                .find(|c| c.document.id == document.id)
                .cloned(),
            has_draft: drafts::get(db, me.scope, document.id).await?.is_some(),
            document,
        });
    }
    Ok(rows)
}

/// One document as the office's page shows it.
pub struct Record {
    /// Newest first.
    pub versions: Vec<Version>,
    /// (version id, declarations for it).
    pub signed_counts: Vec<(i64, i64)>,
    pub current: Option<Current>,
    /// Newest first.
    pub reviews: Vec<Review>,
    pub has_draft: bool,
}

/// Loads one document of `me`'s school for its page.
pub async fn record(state: &AppState, me: &Actor, doc: &Document) -> Result<Record, AppError> {
    let db = &state.db.read;
    Ok(Record {
        versions: documents::versions_of(db, me.scope, doc.id).await?,
        signed_counts: documents::signed_counts(db, me.scope, doc.id).await?,
        current: documents::current_for_school(db, me.scope)
            .await?
            .into_iter()
            .find(|c| c.document.id == doc.id),
        reviews: drafts::reviews(db, me.scope, doc.id).await?,
        has_draft: drafts::get(db, me.scope, doc.id).await?.is_some(),
    })
}

/// A version with how many declarations it has and who published it.
pub struct Published {
    pub version: Version,
    pub signed: i64,
    pub published_by: String,
}

/// Version `n` of a document of `me`'s school.
pub async fn published(state: &AppState, doc: &Document, n: &str) -> Result<Published, AppError> {
    let version = version(state, doc, n).await?;
    let db = &state.db.read;
    let signed = documents::signed_counts(db, doc.scope, doc.id)
        .await?
        .into_iter()
        .find(|(id, _)| *id == version.id)
        .map(|(_, c)| c)
        .unwrap_or(0);
    let published_by = match version.published_by {
        Some(id) => staff::user(db, Some(doc.scope), id)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => "Set-up".into(),
    };
    Ok(Published {
        version,
        signed,
        published_by,
    })
}

/// The open draft of a document, if any.
pub async fn draft(state: &AppState, doc: &Document) -> Result<Option<Draft>, AppError> {
    Ok(drafts::get(&state.db.read, doc.scope, doc.id).await?)
}

/// Whether a document has a published version yet.
pub async fn is_published(state: &AppState, doc: &Document) -> Result<bool, AppError> {
    Ok(documents::latest_number(&state.db.read, doc.scope, doc.id).await? > 0)
}

/// The latest published version, to compare a draft with.
pub async fn latest(state: &AppState, doc: &Document) -> Result<Option<Version>, AppError> {
    let db = &state.db.read;
    let n = documents::latest_number(db, doc.scope, doc.id).await?;
    Ok(documents::version_by_number(db, doc.scope, doc.id, n).await?)
}
