//! Documents and their versions: history for all staff; drafting, pasting from Word, previewing,
//! publishing and recording reviews for headteachers.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::auth::verify_password;
use super::diffview::{self, Run};
use super::error::AppError;
use super::extract::{CsrfOnly, Form};
use super::limit::Verdict;
use super::office::review_notice;
use super::parent::{MetaView, display_date, policy_html};
use super::session::{Head, Staff};
use crate::AppState;
use crate::clock::stamp;
use crate::domain::dates::{format_stamp, read_date};
use crate::domain::evidence::VersionText;
use crate::domain::text::{is_plain, slugify};
use crate::domain::{markdown, secret, wordpaste};
use crate::store::documents::{self, Document, Version};
use crate::store::drafts::{self, Draft};
use crate::store::{audit, schools, staff};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/documents", get(list_documents))
        .route("/office/documents/{doc}", get(show_document))
        .route("/office/documents/{doc}/versions/{n}", get(show_version))
        .route("/head/documents", post(add_document))
        .route(
            "/head/documents/{doc}/draft",
            get(edit_draft).post(save_draft),
        )
        .route("/head/documents/{doc}/draft/start", post(start_draft))
        .route("/head/documents/{doc}/draft/paste", post(paste_from_word))
        .route("/head/documents/{doc}/draft/preview", get(preview_draft))
        .route("/head/documents/{doc}/draft/discard", post(discard_draft))
        .route(
            "/head/documents/{doc}/publish",
            get(show_publish).post(publish_version),
        )
        .route("/head/documents/{doc}/review", post(record_review))
}

async fn school_name(state: &AppState, school_id: i64) -> Result<String, AppError> {
    Ok(schools::get(&state.db.read, school_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default())
}

/// A document of the signed-in person's school.
async fn own_document(state: &AppState, staff: &Staff, doc: &str) -> Result<Document, AppError> {
    let id: i64 = doc.parse().map_err(|_| AppError::NotFound)?;
    documents::document(&state.db.read, id)
        .await?
        .filter(|d| d.school_id == staff.school_id)
        .ok_or(AppError::NotFound)
}

/// Saves a draft and its audit event together.
async fn save_draft_audited(
    state: &AppState,
    me: &Staff,
    doc_id: i64,
    d: &Draft,
    action: &str,
) -> Result<(), AppError> {
    let now = stamp(state.clock.now());
    let mut tx = state.db.begin().await?;
    drafts::save(&mut *tx, me.school_id, doc_id, d, &now, me.id).await?;
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: me.school_id,
            at: &now,
            actor: &me.actor(),
            action,
            subject: &format!("document:{doc_id}"),
            detail: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Lists and history (all staff)

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
}

async fn documents_page(state: &AppState, staff: Staff) -> Result<DocumentsPage, AppError> {
    let db = &state.db.read;
    let current = documents::current_for_school(db, staff.school_id).await?;
    let today = state.clock.now().date();
    let mut rows = Vec::new();
    for d in documents::documents(db, staff.school_id).await? {
        let cur = current.iter().find(|c| c.document.id == d.id);
        rows.push(DocRow {
            id: d.id,
            title: cur
                .map(|c| c.version.title.clone())
                .unwrap_or_else(|| d.title.clone()),
            version: cur.map(|c| c.version.number),
            next_review: cur
                .map(|c| display_date(&c.next_review_due))
                .unwrap_or_default(),
            notice: cur.and_then(|c| review_notice(&c.next_review_due, today)),
            has_draft: drafts::get(db, d.id).await?.is_some(),
        });
    }
    Ok(DocumentsPage {
        school_name: school_name(state, staff.school_id).await?,
        staff,
        rows,
        error: None,
        title: String::new(),
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

async fn document_page(
    state: &AppState,
    staff: Staff,
    doc: &Document,
) -> Result<DocumentPage, AppError> {
    let db = &state.db.read;
    let versions = documents::versions_of(db, doc.id).await?;
    let counts = documents::signed_counts(db, doc.id).await?;
    let current = documents::current_for_school(db, staff.school_id)
        .await?
        .into_iter()
        .find(|c| c.document.id == doc.id);
    let today = state.clock.now().date();
    let reviews = drafts::reviews(db, doc.id)
        .await?
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
        school_name: school_name(state, staff.school_id).await?,
        id: doc.id,
        title: current
            .as_ref()
            .map(|c| c.version.title.clone())
            .unwrap_or_else(|| doc.title.clone()),
        versions: versions
            .iter()
            .map(|v| VersionRow {
                number: v.number,
                published: format_stamp(&v.published_at),
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
        has_draft: drafts::get(db, doc.id).await?.is_some(),
        notice: current
            .as_ref()
            .and_then(|c| review_notice(&c.next_review_due, today)),
        next_review: current
            .as_ref()
            .map(|c| display_date(&c.next_review_due))
            .unwrap_or_default(),
        flash: None,
        errors: Vec::new(),
        review_on: today.to_string(),
        review_next: today
            .replace_year(today.year() + 1)
            .unwrap_or(today)
            .to_string(),
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
    let doc = own_document(&state, &staff, &doc).await?;
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
    pub html: Arc<str>,
    pub published: String,
    pub published_by: String,
    pub signed: i64,
}

/// `GET /office/documents/{doc}/versions/{n}`: a version exactly as published and signed.
pub async fn show_version(
    State(state): State<AppState>,
    staff: Staff,
    Path((doc, n)): Path<(String, String)>,
) -> Result<VersionPage, AppError> {
    let doc = own_document(&state, &staff, &doc).await?;
    let n: i64 = n.parse().map_err(|_| AppError::NotFound)?;
    let v = documents::version_by_number(&state.db.read, doc.id, n)
        .await?
        .ok_or(AppError::NotFound)?;
    let signed = documents::signed_counts(&state.db.read, doc.id)
        .await?
        .into_iter()
        .find(|(id, _)| *id == v.id)
        .map(|(_, c)| c)
        .unwrap_or(0);
    let published_by = match v.published_by {
        Some(id) => staff::user(&state.db.read, id)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => "Set-up".into(),
    };
    Ok(VersionPage {
        school_name: school_name(&state, staff.school_id).await?,
        doc_id: doc.id,
        meta: MetaView::of(&v),
        html: policy_html(&state, &v),
        published: format_stamp(&v.published_at),
        published_by,
        signed,
        v,
        staff,
    })
}

// ---------------------------------------------------------------------------------------------
// Drafts (headteachers)

#[derive(Deserialize)]
pub struct TitleForm {
    csrf: Option<String>,
    title: Option<String>,
}

/// `POST /head/documents`: a new document for parents to sign, starting as an empty draft.
pub async fn add_document(
    State(state): State<AppState>,
    Head(me): Head,
    Form(form): Form<TitleForm>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let title = form
        .title
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
        let mut page = documents_page(&state, me).await?;
        page.error = Some(
            "Enter the document's title, for example Home–School Agreement (up to 200 characters)."
                .into(),
        );
        page.title = title.chars().take(250).collect();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let now_t = state.clock.now();
    let now = stamp(now_t);
    let mut tx = state.db.begin().await?;
    let mut slug = slugify(&title);
    let mut n = 2;
    while documents::document_by_slug(&mut *tx, me.school_id, &slug)
        .await?
        .is_some()
    {
        slug = format!("{}-{n}", slugify(&title));
        n += 1;
    }
    let position = documents::next_position(&mut *tx, me.school_id).await?;
    let id =
        documents::insert_document(&mut *tx, me.school_id, &slug, &title, position, &now).await?;
    let today = now_t.date();
    let draft = Draft {
        title: title.clone(),
        body_md: String::new(),
        approved_by: "The Governing Body".into(),
        approved_on: today.to_string(),
        last_reviewed: today.to_string(),
        next_review_due: today
            .replace_year(today.year() + 1)
            .unwrap_or(today)
            .to_string(),
        related_policies: String::new(),
        declaration_text: format!("I have read the {title} and I agree to follow it."),
        summary: format!("First version of the {title}."),
    };
    drafts::save(&mut *tx, me.school_id, id, &draft, &now, me.id).await?;
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: me.school_id,
            at: &now,
            actor: &me.actor(),
            action: "document.created",
            subject: &format!("document:{id}"),
            detail: &title,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/head/documents/{id}/draft")).into_response())
}

/// `POST /head/documents/{doc}/draft/start`: a draft copied from the current version.
pub async fn start_draft(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let doc = own_document(&state, &me, &doc).await?;
    if drafts::get(&state.db.read, doc.id).await?.is_none() {
        let current = documents::current_for_school(&state.db.read, me.school_id)
            .await?
            .into_iter()
            .find(|c| c.document.id == doc.id);
        let Some(c) = current else {
            return Err(AppError::NotFound);
        };
        let v = c.version;
        let today = state.clock.now().date();
        let draft = Draft {
            title: v.title,
            body_md: v.body_md,
            approved_by: v.approved_by,
            approved_on: v.approved_on,
            last_reviewed: today.to_string(),
            next_review_due: today
                .replace_year(today.year() + 1)
                .unwrap_or(today)
                .to_string(),
            related_policies: v.related_policies,
            declaration_text: v.declaration_text,
            summary: String::new(),
        };
        save_draft_audited(&state, &me, doc.id, &draft, "draft.started").await?;
    }
    Ok(Redirect::to(&format!("/head/documents/{}/draft", doc.id)).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "head/draft.html")]
pub struct DraftPage {
    pub school_name: String,
    pub staff: Staff,
    pub doc_id: i64,
    pub d: Draft,
    pub errors: Vec<(String, String)>,
    pub flash: Option<String>,
    pub notes: Vec<String>,
    pub published: bool,
}

async fn draft_page(
    state: &AppState,
    me: Staff,
    doc: &Document,
    d: Draft,
) -> Result<DraftPage, AppError> {
    let published = documents::latest_number(&state.db.read, doc.id).await? > 0;
    Ok(DraftPage {
        school_name: school_name(state, me.school_id).await?,
        staff: me,
        doc_id: doc.id,
        d,
        errors: Vec::new(),
        flash: None,
        notes: Vec::new(),
        published,
    })
}

#[derive(Deserialize)]
pub struct FlashQuery {
    saved: Option<String>,
}

/// `GET /head/documents/{doc}/draft`: the editor.
pub async fn edit_draft(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
    Query(q): Query<FlashQuery>,
) -> Result<Response, AppError> {
    let doc = own_document(&state, &me, &doc).await?;
    let Some(d) = drafts::get(&state.db.read, doc.id).await? else {
        return Ok(Redirect::to(&format!("/office/documents/{}", doc.id)).into_response());
    };
    let mut page = draft_page(&state, me, &doc, d).await?;
    if q.saved.is_some() {
        page.flash = Some("Draft saved.".into());
    }
    Ok(page.into_response())
}

#[derive(Deserialize, Default)]
pub struct DraftForm {
    csrf: Option<String>,
    title: Option<String>,
    body_md: Option<String>,
    approved_by: Option<String>,
    approved_on: Option<String>,
    last_reviewed: Option<String>,
    next_review_due: Option<String>,
    related_policies: Option<String>,
    declaration_text: Option<String>,
    summary: Option<String>,
    then: Option<String>,
}

/// Longest policy body accepted, in characters.
const MAX_BODY: usize = 60_000;

/// Reads a draft form: what was typed (always kept) and what is wrong with it.
fn read_draft(form: DraftForm) -> (Draft, Vec<(String, String)>) {
    let nl = |s: Option<String>| s.unwrap_or_default().replace("\r\n", "\n");
    let mut errors = Vec::new();
    let mut date = |field: &str, label: &str, raw: Option<String>| -> String {
        let raw = raw.unwrap_or_default();
        let raw = raw.trim();
        if raw.is_empty() {
            return String::new();
        }
        match read_date(raw) {
            Some(d) => d.to_string(),
            None => {
                errors.push((
                    field.to_string(),
                    format!("{label} must be a date, like 2026-09-01 or 01/09/2026."),
                ));
                raw.chars().take(40).collect()
            }
        }
    };
    let d = Draft {
        approved_on: date("approved_on", "Approved on", form.approved_on),
        last_reviewed: date("last_reviewed", "Last reviewed", form.last_reviewed),
        next_review_due: date("next_review_due", "Next review due", form.next_review_due),
        title: form
            .title
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        body_md: nl(form.body_md).trim_end().to_string(),
        approved_by: form.approved_by.unwrap_or_default().trim().to_string(),
        related_policies: nl(form.related_policies).trim().to_string(),
        declaration_text: nl(form.declaration_text).trim().to_string(),
        summary: nl(form.summary).trim().to_string(),
    };
    if d.title.chars().count() > 200 {
        errors.push((
            "title".into(),
            "The title can be at most 200 characters.".into(),
        ));
    }
    if d.body_md.chars().count() > MAX_BODY {
        errors.push((
            "body_md".into(),
            format!("The text can be at most {MAX_BODY} characters."),
        ));
    }
    if d.summary.chars().count() > 2000 {
        errors.push((
            "summary".into(),
            "Keep the summary of changes to 2,000 characters.".into(),
        ));
    }
    for (field, value) in [
        ("title", &d.title),
        ("body_md", &d.body_md),
        ("approved_by", &d.approved_by),
        ("related_policies", &d.related_policies),
        ("declaration_text", &d.declaration_text),
        ("summary", &d.summary),
    ] {
        if !is_plain(value) {
            errors.push((
                field.to_string(),
                "This contains a character that cannot be used. Retype it.".into(),
            ));
        }
    }
    (d, errors)
}

/// What publishing needs on top of a saveable draft.
fn publish_errors(d: &Draft) -> Vec<(String, String)> {
    let mut e = Vec::new();
    let mut need = |field: &str, ok: bool, message: &str| {
        if !ok {
            e.push((field.to_string(), message.to_string()));
        }
    };
    need("title", !d.title.is_empty(), "Enter a title.");
    need(
        "body_md",
        !d.body_md.trim().is_empty(),
        "Write the text of the code.",
    );
    need(
        "approved_by",
        !d.approved_by.is_empty(),
        "Say who approved it, for example The Governing Body.",
    );
    for (f, v, label) in [
        ("approved_on", &d.approved_on, "Approved on"),
        ("last_reviewed", &d.last_reviewed, "Last reviewed"),
        ("next_review_due", &d.next_review_due, "Next review due"),
    ] {
        need(f, read_date(v).is_some(), &format!("{label} needs a date."));
    }
    need(
        "declaration_text",
        !d.declaration_text.is_empty(),
        "Write the declaration parents agree to.",
    );
    e
}

/// `POST /head/documents/{doc}/draft`: saves the draft, then shows it again or its preview.
pub async fn save_draft(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
    Form(form): Form<DraftForm>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let doc = own_document(&state, &me, &doc).await?;
    let then = form.then.clone().unwrap_or_default();
    let (d, errors) = read_draft(form);
    if !errors.is_empty() {
        let mut page = draft_page(&state, me, &doc, d).await?;
        page.errors = errors;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    save_draft_audited(&state, &me, doc.id, &d, "draft.saved").await?;
    let to = if then == "preview" {
        format!("/head/documents/{}/draft/preview", doc.id)
    } else {
        format!("/head/documents/{}/draft?saved=1", doc.id)
    };
    Ok(Redirect::to(&to).into_response())
}

#[derive(Deserialize)]
pub struct PasteForm {
    csrf: Option<String>,
    paste: Option<String>,
}

/// `POST /head/documents/{doc}/draft/paste`: replaces the draft's text with a cleaned Word paste.
pub async fn paste_from_word(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
    Form(form): Form<PasteForm>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let doc = own_document(&state, &me, &doc).await?;
    let mut d = drafts::get(&state.db.read, doc.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let paste = form.paste.unwrap_or_default();
    if paste.trim().is_empty() || paste.chars().count() > MAX_BODY * 2 || paste.contains('\0') {
        let mut page = draft_page(&state, me, &doc, d).await?;
        page.errors = vec![(
            "paste".into(),
            "Paste the text of the Word document into the box (up to 120,000 characters).".into(),
        )];
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let c = wordpaste::clean(&paste);
    d.body_md = c.body_md.trim_end().to_string();
    if let Some(t) = c.title {
        d.title = t;
    }
    for (target, value) in [
        (&mut d.approved_by, c.approved_by),
        (&mut d.approved_on, c.approved_on),
        (&mut d.last_reviewed, c.last_reviewed),
        (&mut d.next_review_due, c.next_review_due),
    ] {
        if let Some(v) = value {
            *target = v;
        }
    }
    save_draft_audited(&state, &me, doc.id, &d, "draft.pasted_from_word").await?;
    let mut page = draft_page(&state, me, &doc, d).await?;
    page.flash = Some("The pasted text has been cleaned and saved in the draft. Check the headings, lists and dates below, then preview it.".into());
    page.notes = c.notes;
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "head/preview.html")]
pub struct PreviewPage {
    pub school_name: String,
    pub staff: Staff,
    pub doc_id: i64,
    pub number: i64,
    pub title: String,
    pub meta: MetaView,
    pub html: String,
    pub declaration_text: String,
    pub diff: Vec<Run>,
    pub added: usize,
    pub removed: usize,
    pub previous: Option<i64>,
    pub problems: Vec<(String, String)>,
}

fn draft_version(d: &Draft, number: i64) -> VersionText<'_> {
    VersionText {
        title: &d.title,
        number,
        approved_by: &d.approved_by,
        approved_on: &d.approved_on,
        last_reviewed: &d.last_reviewed,
        next_review_due: &d.next_review_due,
        related_policies: &d.related_policies,
        body_md: &d.body_md,
        declaration_text: &d.declaration_text,
    }
}

/// `GET /head/documents/{doc}/draft/preview`: the draft as parents will see it, and what changed.
pub async fn preview_draft(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
) -> Result<Response, AppError> {
    let doc = own_document(&state, &me, &doc).await?;
    let Some(d) = drafts::get(&state.db.read, doc.id).await? else {
        return Ok(Redirect::to(&format!("/office/documents/{}", doc.id)).into_response());
    };
    let latest = documents::latest_number(&state.db.read, doc.id).await?;
    let previous = documents::version_by_number(&state.db.read, doc.id, latest).await?;
    let new_text = draft_version(&d, latest + 1).canonical();
    let (diff, added, removed) = diffview::runs(
        &previous
            .as_ref()
            .map(|p| p.canonical_text.clone())
            .unwrap_or_default(),
        &new_text,
    );
    let meta = MetaView {
        approved_by: d.approved_by.clone(),
        approved_on: display_date(&d.approved_on),
        last_reviewed: display_date(&d.last_reviewed),
        next_review_due: display_date(&d.next_review_due),
        related: d
            .related_policies
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
    };
    Ok(PreviewPage {
        school_name: school_name(&state, me.school_id).await?,
        doc_id: doc.id,
        number: latest + 1,
        title: d.title.clone(),
        meta,
        html: markdown::render(&d.body_md),
        declaration_text: d.declaration_text.clone(),
        diff,
        added,
        removed,
        previous: previous.map(|p| p.number),
        problems: publish_errors(&d),
        staff: me,
    }
    .into_response())
}

/// `POST /head/documents/{doc}/draft/discard`.
pub async fn discard_draft(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let doc = own_document(&state, &me, &doc).await?;
    let now = stamp(state.clock.now());
    let mut tx = state.db.begin().await?;
    if drafts::discard(&mut *tx, doc.id).await? {
        audit::record(
            &mut *tx,
            audit::Event {
                school_id: me.school_id,
                at: &now,
                actor: &me.actor(),
                action: "draft.discarded",
                subject: &format!("document:{}", doc.id),
                detail: "",
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/office/documents/{}?done=discarded", doc.id)).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "head/publish.html")]
pub struct PublishPage {
    pub school_name: String,
    pub staff: Staff,
    pub doc_id: i64,
    pub title: String,
    pub number: i64,
    pub first: bool,
    pub change: String,
    pub summary: String,
    pub errors: Vec<(String, String)>,
}

/// `GET /head/documents/{doc}/publish`: material or minor, the parents' summary, and a password.
pub async fn show_publish(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
) -> Result<Response, AppError> {
    let doc = own_document(&state, &me, &doc).await?;
    let Some(d) = drafts::get(&state.db.read, doc.id).await? else {
        return Ok(Redirect::to(&format!("/office/documents/{}", doc.id)).into_response());
    };
    let latest = documents::latest_number(&state.db.read, doc.id).await?;
    Ok(PublishPage {
        school_name: school_name(&state, me.school_id).await?,
        doc_id: doc.id,
        title: d.title.clone(),
        number: latest + 1,
        first: latest == 0,
        change: String::new(),
        summary: d.summary,
        errors: publish_errors(
            &drafts::get(&state.db.read, doc.id)
                .await?
                .unwrap_or_default(),
        ),
        staff: me,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct PublishForm {
    csrf: Option<String>,
    change: Option<String>,
    summary: Option<String>,
    password: Option<String>,
}

/// `POST /head/documents/{doc}/publish`: the draft becomes the next, immutable version.
pub async fn publish_version(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
    Form(form): Form<PublishForm>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let doc = own_document(&state, &me, &doc).await?;
    let Some(mut d) = drafts::get(&state.db.read, doc.id).await? else {
        return Ok(Redirect::to(&format!("/office/documents/{}", doc.id)).into_response());
    };
    let latest = documents::latest_number(&state.db.read, doc.id).await?;
    let first = latest == 0;
    let change = form.change.clone().unwrap_or_default();
    let summary = form
        .summary
        .clone()
        .unwrap_or_default()
        .replace("\r\n", "\n")
        .trim()
        .to_string();
    let mut errors = publish_errors(&d);
    let material = match (first, change.as_str()) {
        (true, _) | (false, "material") => true,
        (false, "minor") => false,
        _ => {
            errors.push((
                "change".into(),
                "Say whether this is a change everyone must sign again, or a minor correction."
                    .into(),
            ));
            false
        }
    };
    if summary.is_empty() || summary.chars().count() > 2000 || !is_plain(&summary) {
        errors.push((
            "summary".into(),
            "Write a short summary of what changed, for parents (up to 2,000 characters).".into(),
        ));
    }
    let previous = documents::version_by_number(&state.db.read, doc.id, latest).await?;
    d.summary = summary.clone();
    if let Some(p) = &previous {
        let (_, added, removed) = diffview::runs(
            &p.canonical_text,
            &draft_version(&d, latest + 1).canonical(),
        );
        if added + removed == 0 {
            errors.push((
                "change".into(),
                "The draft is the same as the current version. To record a review that changed nothing, use \u{201c}Record a review with no changes\u{201d} instead.".into(),
            ));
        }
    }
    let account = me.email.clone();
    let password_ok = match state.sign_in_accounts.reserve(&account) {
        Verdict::Refuse => false,
        verdict => {
            if let Verdict::Wait(d) = verdict {
                tokio::time::sleep(d).await;
            }
            let hash = staff::user(&state.db.read, me.id)
                .await?
                .and_then(|u| u.password_hash)
                .unwrap_or_default();
            let ok = verify_password(&state, form.password.unwrap_or_default(), hash).await?;
            if ok {
                state.sign_in_accounts.succeeded(&account);
            }
            ok
        }
    };
    if !password_ok {
        errors.push((
            "password".into(),
            "That is not your password. Type the password you sign in with.".into(),
        ));
    }
    if !errors.is_empty() {
        let page = PublishPage {
            school_name: school_name(&state, me.school_id).await?,
            doc_id: doc.id,
            title: d.title.clone(),
            number: latest + 1,
            first,
            change,
            summary: summary.chars().take(2500).collect(),
            errors,
            staff: me,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let now = stamp(state.clock.now());
    let mut tx = state.db.begin().await?;
    // Numbered under the write lock, so two headteachers publishing at once get distinct numbers.
    let number = documents::latest_number(&mut *tx, doc.id).await? + 1;
    let text = draft_version(&d, number).canonical();
    let sha = secret::sha256_hex(text.as_bytes());
    let version_id = documents::insert_version(
        &mut *tx,
        documents::NewVersion {
            school_id: me.school_id,
            document_id: doc.id,
            number,
            title: &d.title,
            body_md: &d.body_md,
            approved_by: &d.approved_by,
            approved_on: &d.approved_on,
            last_reviewed: &d.last_reviewed,
            next_review_due: &d.next_review_due,
            related_policies: &d.related_policies,
            declaration_text: &d.declaration_text,
            summary: &summary,
            material,
            canonical_text: &text,
            sha256: &sha,
            published_at: &now,
            published_by: Some(me.id),
        },
    )
    .await?;
    drafts::insert_review(
        &mut *tx,
        drafts::NewReview {
            school_id: me.school_id,
            document_id: doc.id,
            reviewed_on: &d.last_reviewed,
            next_review_due: &d.next_review_due,
            decision: if material { "material" } else { "minor" },
            version_id: Some(version_id),
            note: &summary,
            recorded_at: &now,
            recorded_by: me.id,
        },
    )
    .await?;
    drafts::discard(&mut *tx, doc.id).await?;
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: me.school_id,
            at: &now,
            actor: &me.actor(),
            action: "version.published",
            subject: &format!("version:{version_id}"),
            detail: &format!(
                "document:{} version {number} {} sha256 {sha}",
                doc.id,
                if material { "material" } else { "minor" }
            ),
        },
    )
    .await?;
    tx.commit().await?;
    state.sign_in_accounts.clear(&me.email);
    Ok(Redirect::to(&format!(
        "/office/documents/{}?done={}",
        doc.id,
        if material { "material" } else { "minor" }
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct ReviewForm {
    csrf: Option<String>,
    reviewed_on: Option<String>,
    next_review_due: Option<String>,
    note: Option<String>,
}

/// `POST /head/documents/{doc}/review`: a review that changed nothing moves the dates on, without
/// a new version or a new signing round.
pub async fn record_review(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    me.check_form(form.csrf.as_deref())?;
    let doc = own_document(&state, &me, &doc).await?;
    if documents::latest_number(&state.db.read, doc.id).await? == 0 {
        return Err(AppError::Status(
            StatusCode::CONFLICT,
            "Publish the first version before recording a review.".into(),
        ));
    }
    let today = state.clock.now().date();
    let reviewed = form.reviewed_on.clone().unwrap_or_default();
    let next = form.next_review_due.clone().unwrap_or_default();
    let note = form.note.clone().unwrap_or_default().trim().to_string();
    let mut errors = Vec::new();
    let reviewed_on = match read_date(&reviewed) {
        Some(d) if d <= today => Some(d),
        Some(_) => {
            errors.push((
                "reviewed_on".to_string(),
                "The review date cannot be in the future.".to_string(),
            ));
            None
        }
        None => {
            errors.push((
                "reviewed_on".into(),
                "Enter the date of the review, like 01/09/2026.".into(),
            ));
            None
        }
    };
    let next_due = match read_date(&next) {
        Some(d) if reviewed_on.is_none_or(|r| d > r) => Some(d),
        Some(_) => {
            errors.push((
                "next_review_due".into(),
                "The next review must be after this one.".into(),
            ));
            None
        }
        None => {
            errors.push((
                "next_review_due".into(),
                "Enter when the next review is due, like 01/09/2027.".into(),
            ));
            None
        }
    };
    if note.chars().count() > 1000 || !is_plain(&note) {
        errors.push((
            "note".into(),
            "Keep the note to 1,000 characters of plain text.".into(),
        ));
    }
    let (Some(reviewed_on), Some(next_due), true) = (reviewed_on, next_due, errors.is_empty())
    else {
        let mut page = document_page(&state, me, &doc).await?;
        page.errors = errors;
        page.review_on = reviewed.chars().take(40).collect();
        page.review_next = next.chars().take(40).collect();
        page.review_note = note.chars().take(1100).collect();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let now = stamp(state.clock.now());
    let mut tx = state.db.begin().await?;
    drafts::insert_review(
        &mut *tx,
        drafts::NewReview {
            school_id: me.school_id,
            document_id: doc.id,
            reviewed_on: &reviewed_on.to_string(),
            next_review_due: &next_due.to_string(),
            decision: "no_change",
            version_id: None,
            note: &note,
            recorded_at: &now,
            recorded_by: me.id,
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: me.school_id,
            at: &now,
            actor: &me.actor(),
            action: "document.reviewed",
            subject: &format!("document:{}", doc.id),
            detail: &format!("no changes; next review due {next_due}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/office/documents/{}?done=review", doc.id)).into_response())
}
