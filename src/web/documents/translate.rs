//! Translations of a published version: the headteacher's form (paste, preview, publish) and the
//! office's view of each translation as parents see it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::publishing::{self, translate};
use crate::app::{AppState, documents, school};
use crate::domain::dates::format_instant;
use crate::domain::markdown;
use crate::domain::translation::{self, LANGUAGES, Language};
use crate::web::error::AppError;
use crate::web::extract::HeadForm;
use crate::web::session::{Head, Staff};
use crate::web::views::{self, MetaView};

#[derive(Template, WebTemplate)]
#[template(path = "head/translate.html")]
pub struct TranslatePage {
    pub school_name: String,
    pub staff: Staff,
    pub doc_id: i64,
    pub number: i64,
    pub original_title: String,
    /// The languages this version has no translation in yet: (code, English name, native name).
    pub languages: Vec<Language>,
    /// Languages it has: (English name, published on).
    pub done: Vec<(String, String)>,
    pub form: translate::Typed,
    pub from_word: bool,
    /// The preview: the text as parents will see it, and its direction.
    pub preview: Option<String>,
    pub preview_dir: &'static str,
    pub preview_lang: String,
    pub meta: Option<MetaView>,
    pub errors: Vec<(String, String)>,
}

impl TranslatePage {
    pub fn error(&self, field: &str) -> Option<&str> {
        views::error_for(&self.errors, field)
    }
}

/// What the form page was built from, for the handler that goes on to publish.
struct Read {
    doc: crate::domain::document::Document,
    version: crate::domain::document::Version,
    existing: Vec<translation::Translation>,
}

async fn page(
    state: &AppState,
    me: Staff,
    doc: &str,
    n: &str,
) -> Result<(TranslatePage, Read), AppError> {
    let doc = publishing::own_document(state, &me, doc).await?;
    let version = documents::version(state, &doc, n).await?;
    let existing = translate::of(state, &doc, &version).await?;
    let languages = LANGUAGES
        .iter()
        .copied()
        .filter(|l| !existing.iter().any(|t| t.language == l.code))
        .collect();
    let done = existing
        .iter()
        .map(|t| {
            let name = translation::language(&t.language)
                .map_or(t.language.clone(), |l| l.english.to_string());
            (name, format_instant(t.published_at))
        })
        .collect();
    Ok((
        TranslatePage {
            school_name: school::name(state, Some(me.scope)).await?,
            doc_id: doc.id,
            number: version.number,
            original_title: version.title.clone(),
            languages,
            done,
            form: translate::Typed::default(),
            from_word: false,
            preview: None,
            preview_dir: "ltr",
            preview_lang: String::new(),
            meta: None,
            errors: Vec::new(),
            staff: me,
        },
        Read {
            doc,
            version,
            existing,
        },
    ))
}

/// `GET /head/documents/{doc}/versions/{n}/translate`: the form for a new translation.
pub async fn show_translate(
    State(state): State<AppState>,
    Head(me): Head,
    Path((doc, n)): Path<(String, String)>,
) -> Result<TranslatePage, AppError> {
    Ok(page(&state, me, &doc, &n).await?.0)
}

#[derive(Deserialize)]
pub struct TranslateForm {
    #[serde(default)]
    language: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    approved_by: String,
    #[serde(default)]
    related_policies: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    declaration_text: String,
    #[serde(default)]
    summary: String,
    authoritative: Option<String>,
    from_word: Option<String>,
    #[serde(default)]
    action: String,
}

/// `POST /head/documents/{doc}/versions/{n}/translate`: previews the translation, or publishes it.
pub async fn publish_translation(
    State(state): State<AppState>,
    Path((doc, n)): Path<(String, String)>,
    HeadForm(me, form): HeadForm<TranslateForm>,
) -> Result<Response, AppError> {
    let (
        mut page,
        Read {
            doc,
            version,
            existing,
        },
    ) = page(&state, me, &doc, &n).await?;
    let typed = translate::Typed {
        language: form.language,
        title: form.title,
        approved_by: form.approved_by,
        related_policies: form.related_policies,
        body_md: form.body,
        declaration_text: form.declaration_text,
        authoritative: form.authoritative.is_some(),
        summary: form.summary,
    };
    let (typed, language, errors) = translate::read(typed, form.from_word.is_some(), &existing);
    if let Some(l) = language
        && errors.is_empty()
        && form.action == "publish"
    {
        translate::publish(&state, &page.staff, &doc, &version, l, &typed).await?;
        return Ok(Redirect::to(&format!(
            "/office/documents/{}/versions/{}/in/{}",
            doc.id, version.number, l.code
        ))
        .into_response());
    }
    if !typed.body_md.is_empty() {
        let w = translate::wording(&typed, &version);
        page.meta = Some(MetaView::new(
            &w.approved_by,
            &w.approved_on,
            &w.last_reviewed,
            &w.next_review_due,
            &w.related_policies,
        ));
        page.preview = Some(markdown::render(&typed.body_md).into_string());
        page.preview_dir = if language.is_some_and(|l| l.rtl) {
            "rtl"
        } else {
            "ltr"
        };
        page.preview_lang = language.map(|l| l.code.to_string()).unwrap_or_default();
    }
    page.form = typed;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.errors = errors;
    Ok((status, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "office/translation.html")]
pub struct TranslationPage {
    pub school_name: String,
    pub staff: Staff,
    pub doc_id: i64,
    pub number: i64,
    pub language: Language,
    pub t: translation::Translation,
    pub meta: MetaView,
    pub html: String,
    pub published: String,
    pub original_title: String,
}

/// `GET /office/documents/{doc}/versions/{n}/in/{lang}`: a translation exactly as published.
pub async fn show_translation(
    State(state): State<AppState>,
    staff: Staff,
    Path((doc, n, lang)): Path<(String, String, String)>,
) -> Result<TranslationPage, AppError> {
    let doc = publishing::own_document(&state, &staff, &doc).await?;
    let version = documents::version(&state, &doc, &n).await?;
    let language = translation::language(&lang).ok_or(AppError::NotFound)?;
    let t = translate::of(&state, &doc, &version)
        .await?
        .into_iter()
        .find(|t| t.language == language.code)
        .ok_or(AppError::NotFound)?;
    Ok(TranslationPage {
        school_name: school::name(&state, Some(staff.scope)).await?,
        doc_id: doc.id,
        number: version.number,
        language,
        meta: MetaView::new(
            &t.approved_by,
            &t.approved_on,
            &t.last_reviewed,
            &t.next_review_due,
            &t.related_policies,
        ),
        html: markdown::render(&t.body_md).into_string(),
        published: format_instant(t.published_at),
        original_title: version.title.clone(),
        t,
        staff,
    })
}
