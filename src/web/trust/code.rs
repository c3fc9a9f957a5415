//! The trust's code of conduct: the trust publishes it; a school's headteacher adopts it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::TrustForm;
use crate::app::trust::code::{self, Typed};
use crate::app::trust::dashboard;
use crate::app::{AppState, documents, publishing, school};
use crate::domain::london::{format_date, to_london};
use crate::domain::markdown;
use crate::web::error::AppError;
use crate::web::extract::HeadForm;
use crate::web::session::{Head, Staff, Trustee};
use crate::web::views::{Run, error_for, runs};

/// A published trust version, as listed.
pub struct Listed {
    pub number: i64,
    pub title: String,
    pub summary: String,
    pub published_on: String,
    pub sha256: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "trust/code.html")]
pub struct CodePage {
    pub school_name: String,
    pub me: Trustee,
    pub versions: Vec<Listed>,
    /// Schools that adopted the code, and where each stands.
    pub schools: Vec<(String, String, bool)>,
    pub form: Typed,
    pub from_word: bool,
    pub errors: Vec<(String, String)>,
    pub preview: Option<String>,
    pub diff: Vec<Run>,
    pub diff_counts: (usize, usize),
    pub flash: Option<String>,
}

impl CodePage {
    fn error(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn code_page(state: &AppState, me: Trustee) -> Result<CodePage, AppError> {
    let all = code::versions(state).await?;
    let form = all
        .first()
        .map(|l| Typed {
            title: l.title.clone(),
            body_md: l.body_md.clone(),
            summary: String::new(),
        })
        .unwrap_or_default();
    let versions = all
        .into_iter()
        .map(|v| Listed {
            number: v.number,
            title: v.title,
            summary: v.summary,
            published_on: format_date(to_london(v.published_at).date()),
            sha256: v.sha256,
        })
        .collect();
    let o = dashboard::overview(state).await?;
    let schools = o
        .lines
        .iter()
        .filter(|l| l.trust != dashboard::TrustCode::NotAdopted)
        .map(|l| (l.name.clone(), l.trust.describe(), l.trust.is_behind()))
        .collect();
    Ok(CodePage {
        school_name: String::new(),
        me,
        versions,
        schools,
        form,
        from_word: false,
        errors: Vec::new(),
        preview: None,
        diff: Vec::new(),
        diff_counts: (0, 0),
        flash: None,
    })
}

#[derive(Deserialize)]
pub struct Published {
    published: Option<i64>,
}

/// `GET /trust/code`: the trust's versions, which schools have published the latest, and the
/// form for the next version.
pub async fn show_code(
    State(state): State<AppState>,
    me: Trustee,
    Query(q): Query<Published>,
) -> Result<CodePage, AppError> {
    let mut page = code_page(&state, me).await?;
    page.flash = q.published.map(|n| {
        format!("Version {n} of the trust's code is published. Each school that adopted it now sees it, and publishes it for its parents once its governors have approved it.")
    });
    Ok(page)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    from_word: Option<String>,
    #[serde(default)]
    action: String,
}

fn as_text(title: &str, body: &str) -> String {
    format!("# {title}\n\n{body}")
}

/// `POST /trust/code`: previews the next version (with what changed), or publishes it.
pub async fn publish_code(
    State(state): State<AppState>,
    TrustForm(me, form): TrustForm<CodeForm>,
) -> Result<Response, AppError> {
    let latest = code::versions(&state).await?.into_iter().next();
    let typed = Typed {
        title: form.title,
        body_md: form.body,
        summary: form.summary,
    };
    let (typed, errors) = code::read(typed, form.from_word.is_some(), latest.as_ref());
    if errors.is_empty() && form.action == "publish" {
        let number = code::publish(&state, &me.admin, &typed).await?;
        return Ok(Redirect::to(&format!("/trust/code?published={number}")).into_response());
    }
    let mut page = code_page(&state, me).await?;
    if let Some(l) = &latest {
        let (diff, added, removed) = runs(
            &as_text(&l.title, &l.body_md),
            &as_text(&typed.title, &typed.body_md),
        );
        page.diff = diff;
        page.diff_counts = (added, removed);
    }
    page.preview = Some(markdown::render(&typed.body_md).into_string());
    page.form = typed;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.errors = errors;
    Ok((status, page).into_response())
}

/// One of the school's documents, for the choice of which one follows the trust's code.
pub struct DocChoice {
    pub id: i64,
    pub title: String,
    pub chosen: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "head/trust_code.html")]
pub struct OfferPage {
    pub school_name: String,
    pub staff: Staff,
    /// (number, title, published on, summary)
    pub latest: Option<(i64, String, String, String)>,
    pub adopted: bool,
    pub is_new: bool,
    pub published: Option<i64>,
    pub docs: Vec<DocChoice>,
    pub local: String,
    pub has_draft: bool,
    pub diff: Vec<Run>,
    pub diff_counts: (usize, usize),
    pub errors: Vec<(String, String)>,
}

impl OfferPage {
    fn error(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn offer_page(
    state: &AppState,
    me: Staff,
    chosen: Option<i64>,
    local: Option<String>,
) -> Result<OfferPage, AppError> {
    let school = school::of(state, &me).await?;
    let offer = code::offer(state, &me).await?;
    let listed = documents::list(state, &me).await?;
    let chosen = chosen
        .or_else(|| {
            offer
                .as_ref()
                .and_then(|o| o.adoption.as_ref().map(|a| a.document_id))
        })
        .or_else(|| listed.first().map(|l| l.document.id));
    let mut page = OfferPage {
        school_name: school.name.clone(),
        latest: None,
        adopted: false,
        is_new: false,
        published: None,
        docs: listed
            .iter()
            .map(|l| DocChoice {
                id: l.document.id,
                title: l.document.title.clone(),
                chosen: Some(l.document.id) == chosen,
            })
            .collect(),
        local: String::new(),
        has_draft: false,
        diff: Vec::new(),
        diff_counts: (0, 0),
        errors: Vec::new(),
        staff: me,
    };
    let Some(offer) = offer else {
        return Ok(page);
    };
    page.adopted = offer.adoption.is_some();
    page.is_new = offer.is_new();
    page.published = offer.published.as_ref().map(|p| p.number);
    page.local = local.unwrap_or_else(|| {
        offer
            .adoption
            .as_ref()
            .map(|a| a.local_md.clone())
            .unwrap_or_default()
    });
    let l = &offer.latest;
    page.latest = Some((
        l.number,
        l.title.clone(),
        format_date(to_london(l.published_at).date()),
        l.summary.clone(),
    ));
    if let Some(doc) = listed.iter().find(|d| Some(d.document.id) == chosen) {
        let doc = &doc.document;
        page.has_draft = documents::draft(state, doc).await?.is_some();
        if let Some(current) = documents::latest(state, doc).await? {
            let new_body = code::combined(&l.body_md, &page.local, &school.name);
            let (diff, added, removed) = runs(
                &as_text(&current.wording.title, &current.wording.body_md),
                &as_text(&l.title, &new_body),
            );
            page.diff = diff;
            page.diff_counts = (added, removed);
        }
    }
    Ok(page)
}

/// `GET /head/trust-code`: the trust's latest code, what adopting it would change in the
/// school's own document, and the school's local sections.
pub async fn show_trust_code_offer(
    State(state): State<AppState>,
    Head(me): Head,
) -> Result<OfferPage, AppError> {
    offer_page(&state, me, None, None).await
}

#[derive(Deserialize)]
pub struct AdoptForm {
    #[serde(default)]
    document: String,
    #[serde(default)]
    local: String,
    #[serde(default)]
    action: String,
}

/// `POST /head/trust-code`: shows the comparison again with the local sections as typed, or
/// makes the school's draft from the trust's code and opens it to check and publish.
pub async fn adopt_trust_code(
    State(state): State<AppState>,
    HeadForm(me, form): HeadForm<AdoptForm>,
) -> Result<Response, AppError> {
    let doc = publishing::own_document(&state, &me, form.document.trim()).await?;
    if form.action != "adopt" {
        let page = offer_page(&state, me, Some(doc.id), Some(form.local)).await?;
        return Ok(page.into_response());
    }
    match code::adopt(&state, &me, &doc, &form.local).await? {
        Ok(()) => Ok(
            Redirect::to(&format!("/head/documents/{}/draft?from=trust", doc.id)).into_response(),
        ),
        Err(errors) => {
            let mut page = offer_page(&state, me, Some(doc.id), Some(form.local)).await?;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
