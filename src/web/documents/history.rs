//! Documents as the office sees them: the list, one document's versions and reviews, one
//! version exactly as published.

use std::sync::Arc;

use crate::domain::markdown::SafeHtml;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use crate::app::{AppState, documents, publishing, school, signing};
use crate::domain::dates::format_instant;
use crate::domain::document::{Document, Version};
use crate::web::error::AppError;
use crate::web::session::Staff;
use crate::web::views::{self, MetaView, Run, display_date, review_notice};

pub struct DocRow {
    pub id: i64,
    pub title: String,
    pub version: Option<i64>,
    pub next_review: String,
    pub notice: Option<(String, String)>,
    pub has_draft: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/documents.html")]
pub struct DocumentsPage {
    pub school_name: String,
    pub staff: Staff,
    pub rows: Vec<DocRow>,
    pub error: Option<String>,
    pub title: String,
    /// The trust has a code of conduct (a headteacher may adopt it).
    pub trust_code: bool,
}

pub(super) async fn documents_page(
    state: &AppState,
    staff: Staff,
) -> Result<DocumentsPage, AppError> {
    let today = state.clock.now().date();
    let rows = documents::list(state, &staff)
        .await?
        .into_iter()
        .map(|l| {
            let cur = l.current.as_ref();
            DocRow {
                id: l.document.id,
                title: cur
                    .map(|c| c.version.title.clone())
                    .unwrap_or_else(|| l.document.title.clone()),
                version: cur.map(|c| c.version.number),
                next_review: cur
                    .map(|c| display_date(&c.next_review_due))
                    .unwrap_or_default(),
                notice: cur.and_then(|c| review_notice(&c.next_review_due, today)),
                has_draft: l.has_draft,
            }
        })
        .collect();
    Ok(DocumentsPage {
        school_name: school::name(state, Some(staff.scope)).await?,
        rows,
        error: None,
        title: String::new(),
        trust_code: crate::app::trust::code::offer(state, &staff)
            .await?
            .is_some(),
        staff,
    })
}

/// `GET /office/documents`.
pub async fn list_documents(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<DocumentsPage, AppError> {
    documents_page(&state, staff).await
}

pub struct VersionRow {
    pub number: i64,
    pub published: String,
    pub material: bool,
    pub summary: String,
    pub signed: i64,
}

pub struct ReviewRow {
    pub reviewed_on: String,
    pub decision: String,
    pub next_review_due: String,
    pub note: String,
    pub by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/document.html")]
pub struct DocumentPage {
    pub school_name: String,
    pub staff: Staff,
    pub id: i64,
    pub title: String,
    pub versions: Vec<VersionRow>,
    pub reviews: Vec<ReviewRow>,
    pub has_draft: bool,
    pub notice: Option<(String, String)>,
    pub next_review: String,
    pub flash: Option<String>,
    pub errors: Vec<(String, String)>,
    pub review_on: String,
    pub review_next: String,
    pub review_note: String,
}

impl DocumentPage {
    /// The inline error beside a field of the review form.
    pub fn error(&self, field: &str) -> Option<&str> {
        crate::web::views::error_for(&self.errors, field)
    }
}

pub(super) async fn document_page(
    state: &AppState,
    staff: Staff,
    doc: &Document,
) -> Result<DocumentPage, AppError> {
    let documents::Record {
        versions,
        signed_counts: counts,
        current,
        reviews,
        has_draft,
    } = documents::record(state, &staff, doc).await?;
    let today = state.clock.now().date();
    let reviews = reviews
        .into_iter()
        .map(|r| ReviewRow {
            reviewed_on: display_date(&r.reviewed_on),
            decision: match (r.decision.as_str(), r.version_number) {
                ("material", Some(n)) => {
                    format!("Changed: version {n} published, everyone must sign again")
                }
                ("minor", Some(n)) => {
                    format!("Minor correction: version {n} published, signatures stay valid")
                }
                _ => "No changes needed".to_string(),
            },
            next_review_due: display_date(&r.next_review_due),
            note: r.note,
            by: r.recorded_by_name.unwrap_or_default(),
        })
        .collect();
    Ok(DocumentPage {
        school_name: school::name(state, Some(staff.scope)).await?,
        id: doc.id,
        title: current
            .as_ref()
            .map(|c| c.version.title.clone())
            .unwrap_or_else(|| doc.title.clone()),
        versions: versions
            .iter()
            .map(|v| VersionRow {
                number: v.number,
                published: format_instant(v.published_at),
                material: v.material,
                summary: v.summary.clone(),
                signed: counts
                    .iter()
                    .find(|(id, _)| *id == v.id)
                    .map(|(_, n)| *n)
                    .unwrap_or(0),
            })
            .collect(),
        reviews,
        has_draft,
        notice: current
            .as_ref()
            .and_then(|c| review_notice(&c.next_review_due, today)),
        next_review: current
            .as_ref()
            .map(|c| display_date(&c.next_review_due))
            .unwrap_or_default(),
        flash: None,
        errors: Vec::new(),
        review_on: display_date(&today.to_string()),
        review_next: display_date(&publishing::a_year_after(today).to_string()),
        review_note: String::new(),
        staff,
    })
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /office/documents/{doc}`: versions, how many signed each, and the review log.
pub async fn show_document(
    State(state): State<AppState>,
    staff: Staff,
    Path(doc): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<DocumentPage, AppError> {
    let doc = publishing::own_document(&state, &staff, &doc).await?;
    let mut page = document_page(&state, staff, &doc).await?;
    page.flash = match q.done.as_deref() {
        Some("material") => {
            Some("Published. Everyone who signed an earlier version must now sign again.".into())
        }
        Some("minor") => {
            Some("Published as a minor correction. Existing signatures stay valid.".into())
        }
        Some("review") => Some(
            "Review recorded. No new version was published and nobody needs to sign again.".into(),
        ),
        Some("discarded") => Some("Draft discarded.".into()),
        _ => None,
    };
    Ok(page)
}

#[derive(Template, WebTemplate)]
#[template(path = "office/version.html")]
pub struct VersionPage {
    pub school_name: String,
    pub staff: Staff,
    pub doc_id: i64,
    pub v: Version,
    pub meta: MetaView,
    pub html: Arc<SafeHtml>,
    pub published: String,
    pub published_by: String,
    pub signed: i64,
    /// The version before, and what changed since it.
    pub previous: Option<i64>,
    pub diff: Vec<Run>,
    pub added: usize,
    pub removed: usize,
    /// Its translations: (language code, name in English, governs, published).
    pub translations: Vec<(String, String, bool, String)>,
}

/// `GET /office/documents/{doc}/versions/{n}`: a version exactly as published and signed.
pub async fn show_version(
    State(state): State<AppState>,
    staff: Staff,
    Path((doc, n)): Path<(String, String)>,
) -> Result<VersionPage, AppError> {
    let doc = publishing::own_document(&state, &staff, &doc).await?;
    let documents::Published {
        version: v,
        signed,
        published_by,
    } = documents::published(&state, &doc, &n).await?;
    let before = match v.number {
        1 => None,
        n => Some(documents::version(&state, &doc, &(n - 1).to_string()).await?),
    };
    let (diff, added, removed) = before
        .as_ref()
        .map(|b| views::runs(&b.canonical_text, &v.canonical_text))
        .unwrap_or_default();
    let translations = publishing::translate::of(&state, &doc, &v)
        .await?
        .into_iter()
        .map(|t| {
            let name = crate::domain::translation::language(&t.language)
                .map_or(t.language.clone(), |l| l.english.to_string());
            (
                t.language,
                name,
                t.authoritative,
                format_instant(t.published_at),
            )
        })
        .collect();
    Ok(VersionPage {
        translations,
        previous: before.map(|b| b.number),
        diff,
        added,
        removed,
        school_name: school::name(&state, Some(staff.scope)).await?,
        doc_id: doc.id,
        meta: MetaView::of(&v),
        html: signing::policy_html(&state, &v),
        published: format_instant(v.published_at),
        published_by,
        signed,
        v,
        staff,
    })
}
