//! Drafting a document: add one, start a draft from the current version, edit it, paste from
//! Word, preview it as parents will see it, throw it away.

use std::convert::Infallible;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower::{Layer, ServiceExt};

use crate::app::{AppState, documents, publishing, school};
use crate::domain::document::Document;
use crate::domain::draft::Draft;
use crate::domain::draft::{DraftFields, declaration_notice, publish_errors, read_draft};
use crate::domain::london::to_london;
use crate::domain::markdown::{self, SafeHtml};
use crate::web::error::AppError;
use crate::web::extract::{Button, HeadForm};
use crate::web::session::{Head, Staff};
use crate::web::views::{self, MetaView, Run};

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
    /// What was pasted, shown back in the paste box beside what is wrong with it.
    pub paste: String,
}

impl DraftPage {
    /// The inline error beside a field.
    pub fn error(&self, field: &str) -> Option<&str> {
        views::error_for(&self.errors, field)
    }

    /// A date as the field shows it ("12 September 2026"), or as typed when it is not one.
    pub fn date(&self, value: &str) -> String {
        views::display_date(value)
    }
}

pub(super) async fn draft_page(
    state: &AppState,
    me: Staff,
    doc: &Document,
    d: Draft,
) -> Result<DraftPage, AppError> {
    let published = documents::is_published(state, doc).await?;
    Ok(DraftPage {
        school_name: school::name(state, Some(me.scope)).await?,
        staff: me,
        doc_id: doc.id,
        d,
        errors: Vec::new(),
        flash: None,
        notes: Vec::new(),
        published,
        paste: String::new(),
    })
}

#[derive(Deserialize)]
pub struct FlashQuery {
    saved: Option<String>,
    /// The save changed the declaration to name the new title.
    declaration: Option<String>,
    /// Show what publishing would refuse, beside each field (from the preview's list).
    check: Option<String>,
    /// The draft was just made from the trust's code.
    from: Option<String>,
}

/// `GET /head/documents/{doc}/draft`: the editor.
pub async fn edit_draft(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
    Query(q): Query<FlashQuery>,
) -> Result<Response, AppError> {
    let doc = publishing::own_document(&state, &me, &doc).await?;
    let Some(d) = documents::draft(&state, &doc).await? else {
        return Ok(Redirect::to(&format!("/office/documents/{}", doc.id)).into_response());
    };
    let problems = match q.check {
        Some(_) => publish_errors(&d, to_london(state.clock.now()).date()),
        None => Vec::new(),
    };
    let mut page = draft_page(&state, me, &doc, d).await?;
    if q.saved.is_some() {
        page.flash = Some(match q.declaration {
            Some(_) => format!("Draft saved. {}", declaration_notice(&page.d.title)),
            None => "Draft saved.".into(),
        });
    }
    if q.from.as_deref() == Some("trust") {
        page.flash = Some("This draft is your trust's code, with your local sections after it. Type the date your governors approved it under Approved on, check the text, then Save and preview.".into());
    }
    page.errors = problems;
    Ok(page.into_response())
}

#[derive(Deserialize)]
pub struct TitleForm {
    #[serde(default)]
    title: String,
}

/// `POST /head/documents`: a new document for parents to sign, starting as an empty draft.
pub async fn add_document(
    State(state): State<AppState>,
    HeadForm(me, form): HeadForm<TitleForm>,
) -> Result<Response, AppError> {
    let title = publishing::tidy_title(&form.title);
    match publishing::add_document(&state, &me, &title).await? {
        Ok(id) => Ok(Redirect::to(&format!("/head/documents/{id}/draft")).into_response()),
        Err(error) => {
            let mut page = super::history::documents_page(&state, me).await?;
            page.error = Some(error);
            page.title = title.chars().take(250).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `POST /head/documents/{doc}/draft/start`: a draft copied from the current version.
pub async fn start_draft(
    State(state): State<AppState>,
    Path(doc): Path<String>,
    HeadForm(me, _): HeadForm<Button>,
) -> Result<Response, AppError> {
    let doc = publishing::own_document(&state, &me, &doc).await?;
    publishing::start_draft(&state, &me, &doc).await?;
    Ok(Redirect::to(&format!("/head/documents/{}/draft", doc.id)).into_response())
}

#[derive(Deserialize)]
pub struct DraftForm {
    #[serde(flatten)]
    fields: DraftFields,
    then: Option<String>,
}

/// `POST /head/documents/{doc}/draft`: saves the draft, then shows it again or its preview.
pub async fn save_draft(
    State(state): State<AppState>,
    Path(doc): Path<String>,
    HeadForm(me, form): HeadForm<DraftForm>,
) -> Result<Response, AppError> {
    let doc = publishing::own_document(&state, &me, &doc).await?;
    let (d, errors) = read_draft(form.fields);
    if !errors.is_empty() {
        let mut page = draft_page(&state, me, &doc, d).await?;
        page.errors = errors;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let (_, declaration_changed) = publishing::save_edited_draft(&state, &me, &doc, d).await?;
    // A declaration that followed the title is said on the editor, before any preview.
    let to = if declaration_changed {
        format!("/head/documents/{}/draft?saved=1&declaration=1", doc.id)
    } else if form.then.as_deref() == Some("preview") {
        format!("/head/documents/{}/draft/preview", doc.id)
    } else {
        format!("/head/documents/{}/draft?saved=1", doc.id)
    };
    Ok(Redirect::to(&to).into_response())
}

#[derive(Deserialize)]
pub struct PasteForm {
    #[serde(default)]
    paste: String,
}

/// How large a paste form may be as sent: a paste may hold 120,000 characters, and a character
/// can take 9 bytes in a form (`%E2%80%93` for an en dash), far past other forms' limit. Within
/// it, a paste too long to use reaches the handler and is shown back, not lost.
const PASTE_FORM_LIMIT: usize = 2 * 1024 * 1024;

/// Reads the paste form as [`HeadForm`] does (headteacher, token checked), under its own limit.
async fn read_paste_form(state: &AppState, req: Request) -> Result<HeadForm<PasteForm>, Response> {
    let state = state.clone();
    let read = tower::service_fn(move |req: Request| {
        let state = state.clone();
        async move { Ok::<_, Infallible>(HeadForm::<PasteForm>::from_request(req, &state).await) }
    });
    match DefaultBodyLimit::max(PASTE_FORM_LIMIT)
        .layer(read)
        .oneshot(req)
        .await
    {
        Ok(form) => form,
        Err(never) => match never {},
    }
}

/// `POST /head/documents/{doc}/draft/paste`: replaces the draft's text with a cleaned Word paste;
/// a paste that cannot be used is shown back in its box, beside what is wrong with it.
pub async fn paste_from_word(
    State(state): State<AppState>,
    Path(doc): Path<String>,
    req: Request,
) -> Result<Response, AppError> {
    let HeadForm(me, form) = match read_paste_form(&state, req).await {
        Ok(form) => form,
        Err(refused) => return Ok(refused),
    };
    let doc = publishing::own_document(&state, &me, &doc).await?;
    let (d, outcome) = publishing::paste_from_word(&state, &me, &doc, &form.paste).await?;
    let mut page = draft_page(&state, me, &doc, d).await?;
    match outcome {
        Ok(notes) => {
            page.flash = Some("The pasted text has been cleaned and saved in the draft. Check the headings, lists and dates below, then preview it.".into());
            page.notes = notes;
            Ok(page.into_response())
        }
        Err(error) => {
            page.errors = vec![("paste".into(), error)];
            // A NUL cannot be shown in a page: it is shown as U+FFFD, as the message says.
            page.paste = form.paste.replace('\0', "\u{fffd}");
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
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
    pub html: SafeHtml,
    pub declaration_text: String,
    pub diff: Vec<Run>,
    pub added: usize,
    pub removed: usize,
    pub previous: Option<i64>,
    pub problems: Vec<(String, String)>,
    /// The title and dates to check: (field, label, value, where it came from).
    pub checks: Vec<Check>,
}

/// One line of "Check the title and dates" on the preview.
pub struct Check {
    pub field: &'static str,
    pub label: &'static str,
    pub value: String,
    pub note: String,
}

/// The draft's title, approver and dates beside the current version's: what changed, and
/// what was kept (a paste without a next-review date keeps the old one: say so plainly).
fn checks(d: &Draft, previous: Option<&crate::domain::document::Version>) -> Vec<Check> {
    let date = views::display_date;
    let rows: [(&'static str, &'static str, String, Option<String>); 5] = [
        (
            "title",
            "Title",
            d.title.clone(),
            previous.map(|p| p.title.clone()),
        ),
        (
            "approved_by",
            "Approved by",
            d.approved_by.clone(),
            previous.map(|p| p.approved_by.clone()),
        ),
        (
            "approved_on",
            "Approved on",
            date(&d.approved_on),
            previous.map(|p| date(&p.approved_on)),
        ),
        (
            "last_reviewed",
            "Last reviewed",
            date(&d.last_reviewed),
            previous.map(|p| date(&p.last_reviewed)),
        ),
        (
            "next_review_due",
            "Next review due",
            date(&d.next_review_due),
            previous.map(|p| date(&p.next_review_due)),
        ),
    ];
    let number = previous.map_or(0, |p| p.number);
    rows.into_iter()
        .map(|(field, label, value, old)| {
            let note = match old {
                None => String::new(),
                Some(old) if old == value => format!(
                    "Kept from version {number}. If this version has a new one, change it in the draft."
                ),
                Some(old) => format!("Changed: version {number} had {old}."),
            };
            Check {
                field,
                label,
                value,
                note,
            }
        })
        .collect()
}

/// `GET /head/documents/{doc}/draft/preview`: the draft as parents will see it, and what changed.
pub async fn preview_draft(
    State(state): State<AppState>,
    Head(me): Head,
    Path(doc): Path<String>,
) -> Result<Response, AppError> {
    let doc = publishing::own_document(&state, &me, &doc).await?;
    let Some(d) = documents::draft(&state, &doc).await? else {
        return Ok(Redirect::to(&format!("/office/documents/{}", doc.id)).into_response());
    };
    let previous = documents::latest(&state, &doc).await?;
    let latest = previous.as_ref().map_or(0, |p| p.number);
    let new_text = d.wording.canonical(latest + 1);
    let (diff, added, removed) = views::runs(
        &previous
            .as_ref()
            .map(|p| p.canonical_text.clone())
            .unwrap_or_default(),
        &new_text,
    );
    let meta = MetaView::new(
        &d.approved_by,
        &d.approved_on,
        &d.last_reviewed,
        &d.next_review_due,
        &d.related_policies,
    );
    Ok(PreviewPage {
        school_name: school::name(&state, Some(me.scope)).await?,
        doc_id: doc.id,
        number: latest + 1,
        title: d.title.clone(),
        meta,
        html: markdown::render(&d.body_md),
        declaration_text: d.declaration_text.clone(),
        diff,
        added,
        removed,
        checks: checks(&d, previous.as_ref()),
        previous: previous.map(|p| p.number),
        problems: publish_errors(&d, to_london(state.clock.now()).date()),
        staff: me,
    }
    .into_response())
}

/// `POST /head/documents/{doc}/draft/discard`.
pub async fn discard_draft(
    State(state): State<AppState>,
    Path(doc): Path<String>,
    HeadForm(me, _): HeadForm<Button>,
) -> Result<Response, AppError> {
    let doc = publishing::own_document(&state, &me, &doc).await?;
    publishing::discard_draft(&state, &me, &doc).await?;
    Ok(Redirect::to(&format!("/office/documents/{}?done=discarded", doc.id)).into_response())
}
