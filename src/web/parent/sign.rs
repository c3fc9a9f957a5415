//! Reading and signing: the next document to sign (with what changed since the carer last
//! signed), and the form that signs it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::receipt::done_page;
use super::texts::{Changes, TextView, changes_for, name_in, own_name};
use super::{code_problem_page, switch_to};
use crate::app::AppState;
use crate::app::signing::{self, NameProblem, NotSigned, ParentContext, Signing};
use crate::domain::code::SigningCode;
use crate::domain::i18n::Tr;
use crate::domain::name::NameError;
use crate::domain::status::Status;
use crate::domain::translation;
use crate::web::error::AppError;
use crate::web::extract::{ClientIp, Form, field};
use crate::web::lang::Choice;
use crate::web::views::{ChildView, MetaView};
use crate::web::{csrf, fast};

#[derive(Template, WebTemplate)]
#[template(path = "parent/sign.html")]
pub struct SignPage {
    pub tr: Tr,
    pub school_name: String,
    pub contact: crate::app::school::Contact,
    /// The other schools they are a carer at, for a sentence (empty for none).
    pub also_at: String,
    pub carer_name: String,
    pub children: Vec<ChildView>,
    pub doc_title: String,
    /// The title's language and direction, where it differs from the page's ('' when it does not).
    pub title_lang: String,
    pub title_dir: &'static str,
    pub version_id: i64,
    pub version_number: i64,
    /// The texts shown, the parent's language first (two in a bilingual school).
    pub texts: Vec<TextView>,
    /// Their languages, sent back with the signature (`cy en`), and the page's signature over
    /// them, so the form cannot claim texts the page did not show.
    pub shown: String,
    pub shown_sig: String,
    /// The parent reads this language (its own name), which the version has no translation in.
    pub untranslated: Option<String>,
    /// Which text counts if they differ (its language's own name), when a translation is shown.
    pub governs: Option<String>,
    /// The other languages the code can be read in: (tag, its own name), for "Read it in".
    pub others: Vec<(String, String)>,
    pub action: String,
    pub csrf: String,
    pub typed_name: String,
    pub agree: bool,
    pub agree_error: Option<String>,
    pub name_error: Option<String>,
    pub notice: Option<String>,
    pub changes: Option<Changes>,
    pub step: Option<(usize, usize)>,
}

impl SignPage {
    pub fn has_errors(&self) -> bool {
        self.agree_error.is_some() || self.name_error.is_some()
    }
}

/// What the carer typed and what to tell them, kept when the page comes back.
#[derive(Default)]
struct SignInput {
    typed_name: String,
    agree: bool,
    agree_error: Option<String>,
    name_error: Option<String>,
    notice: Option<String>,
}

async fn sign_page(
    state: &AppState,
    code: &SigningCode,
    ctx: &ParentContext,
    index: usize,
    input: SignInput,
    tr: Tr,
) -> Result<SignPage, AppError> {
    let v = &ctx.docs[index].current.version;
    let scope = ctx.docs[index].current.document.scope;
    let reads = ctx.carer.language.as_deref().unwrap_or(tr.code());
    let texts = signing::texts::for_reader(state, scope, v, reads).await?;
    let changes = changes_for(state, ctx, index, &tr, &texts.texts[0].language).await?;
    // Which text counts, said whenever a translation is on the page or the one that counts is not.
    let governs = (texts
        .texts
        .iter()
        .any(|t| t.language != translation::ORIGINAL)
        || !texts.texts.iter().any(|t| t.language == texts.governing))
    .then(|| name_in(&tr, &texts.governing));
    let untranslated = texts
        .untranslated
        .then(|| name_in(&tr, &translation::primary(reads)));
    let shown = texts.languages();
    let others = texts
        .available
        .iter()
        .filter(|l| !texts.texts.iter().any(|t| &t.language == *l))
        .map(|l| (l.clone(), own_name(l)))
        .collect();
    let first = &texts.texts[0];
    // The title is marked with its language where it differs from the page's (`en` is `en-GB`).
    let title_lang = if translation::primary(&first.language) == translation::primary(tr.code()) {
        String::new()
    } else {
        first.language.clone()
    };
    let (doc_title, title_dir) = (
        first.wording.title.clone(),
        if first.rtl { "rtl" } else { "ltr" },
    );
    let texts = texts
        .texts
        .into_iter()
        .map(|t| TextView {
            dir: if t.rtl { "rtl" } else { "ltr" },
            title: t.wording.title.clone(),
            name: own_name(&t.language),
            meta: MetaView::new_in(
                tr.lang,
                &t.wording.approved_by,
                &t.wording.approved_on,
                &t.wording.last_reviewed,
                &t.wording.next_review_due,
                &t.wording.related_policies,
            ),
            declaration_text: t.wording.declaration_text.clone(),
            html: t.html,
            lang: t.language,
        })
        .collect();
    let outstanding: Vec<usize> = (0..ctx.docs.len())
        .filter(|i| ctx.docs[*i].status != Status::Signed)
        .collect();
    let step = if outstanding.len() > 1
        || ctx.docs.len() > 1 && outstanding.len() == 1 && outstanding[0] != index
    {
        outstanding
            .iter()
            .position(|i| *i == index)
            .map(|p| (p + 1, outstanding.len()))
    } else {
        None
    };
    Ok(SignPage {
        school_name: ctx.school_name.clone(),
        contact: ctx.contact.clone(),
        also_at: tr.list(&ctx.also_at),
        carer_name: ctx.carer.full_name(),
        children: ctx
            .children
            .iter()
            .map(|c| ChildView {
                name: c.full_name(),
                class_name: c.class_name.clone(),
            })
            .collect(),
        doc_title,
        title_lang,
        title_dir,
        version_id: v.id,
        version_number: v.number,
        texts,
        shown_sig: csrf::token(&state.secret, &shown_scope(code, v.id, &shown)),
        shown,
        untranslated,
        governs,
        others,
        action: format!("/s/{}", code.as_str()),
        csrf: csrf::token(&state.secret, &csrf::parent_scope(code)),
        typed_name: input.typed_name,
        agree: input.agree,
        agree_error: input.agree_error,
        name_error: input.name_error,
        notice: input.notice,
        changes,
        step,
        tr,
    })
}

/// `GET /s/{code}`: the next document to sign, or the receipts when everything is signed.
pub async fn show_declaration(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(typed): Path<String>,
    choice: Choice,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (code, opened) = match signing::open_page(&state, ip, &typed).await? {
        Ok(ok) => ok,
        Err(problem) => {
            return code_problem_page(&state, None, choice.anonymous(), &typed, problem).await;
        }
    };
    if let Some(to) = switch_to(&state, &opened.owner, &choice).await? {
        return Ok(to);
    }
    // "Read it in: Polski": the carer's language becomes the one they chose to read (`en` is the
    // original); the page is then made again without the query.
    let text = query.get("text").map(String::as_str).and_then(|t| match t {
        "en" => Some("en-GB"),
        t => translation::language(t).map(|l| l.code),
    });
    if let Some(tag) = text {
        crate::app::carers::choose_text_language(&state, &opened.owner, tag).await?;
        return Ok(Redirect::to(&format!("/s/{}", code.as_str())).into_response());
    }
    let ctx = &opened.ctx;
    let tr = choice.carer(ctx.carer.language.as_deref());
    let Some(index) = ctx.next_to_sign() else {
        return Ok(done_page(ctx, tr).into_response());
    };
    // The page is the same every time until something it shows changes (a new `opened`).
    let hash = &opened.code_hash;
    let page = match state.pages.get(hash, &opened) {
        Some(page) => {
            fast::compress_soon(&page);
            page
        }
        None => {
            let page = sign_page(&state, &code, ctx, index, SignInput::default(), tr).await?;
            let html = page.render().map_err(anyhow::Error::from)?;
            fast::keep(&state, hash.clone(), &opened, html)
        }
    };
    // This once the layers compress as the browser asks; later, `fast` serves the kept forms.
    Ok((
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page.html.clone(),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct SignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default, deserialize_with = "field::id")]
    version_id: Option<i64>,
    #[serde(default, deserialize_with = "field::yes")]
    agree: bool,
    #[serde(default)]
    typed_name: String,
    /// The languages of the texts the page showed (`en`, `cy`, `cy en`), and the page's
    /// signature over them.
    #[serde(default)]
    shown: String,
    #[serde(default)]
    shown_sig: String,
}

/// What a page's `shown_sig` signs: the code, the version and the texts it showed.
fn shown_scope(code: &SigningCode, version_id: i64, shown: &str) -> String {
    format!("shown:{}:{version_id}:{shown}", code.hash())
}

/// `POST /s/{code}`: sign the declaration for one version.
pub async fn sign_declaration(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(typed): Path<String>,
    headers: HeaderMap,
    choice: Choice,
    Form(form): Form<SignForm>,
) -> Result<Response, AppError> {
    // The page as the parent saw it, kept until anything it shows could have changed.
    let (code, opened) = match signing::open_page(&state, ip, &typed).await? {
        Ok(ok) => ok,
        Err(problem) => {
            return code_problem_page(&state, None, choice.anonymous(), &typed, problem).await;
        }
    };
    let tr = choice.carer(opened.ctx.carer.language.as_deref());
    if !csrf::verify(&state.secret, &csrf::parent_scope(&code), &form.csrf) {
        return Err(csrf::expired_form());
    }
    let (owner, ctx) = (&opened.owner, &opened.ctx);
    let agree = form.agree;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let signing = Signing {
        version_id: form.version_id,
        agree,
        typed_name: &form.typed_name,
        ip,
        user_agent,
        // A form without the field (a page from before it existed, or a script) showed the
        // original; one with it must carry the page's own signature over it.
        shown: if form.shown.is_empty() && form.shown_sig.is_empty() {
            Some(crate::domain::translation::ORIGINAL)
        } else {
            form.version_id
                .filter(|v| {
                    csrf::verify(
                        &state.secret,
                        &shown_scope(&code, *v, &form.shown),
                        &form.shown_sig,
                    )
                })
                .map(|_| form.shown.as_str())
        },
    };
    let mut input = SignInput {
        typed_name: form.typed_name.chars().take(200).collect(),
        agree,
        ..SignInput::default()
    };
    let (status, index) = match signing::sign(&state, owner, ctx, signing).await? {
        Ok(id) => {
            let to = format!("/s/{}/receipt/{id}?signed=1", code.as_str());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(NotSigned::Superseded(index)) => {
            input.notice = Some(tr.t("superseded"));
            (StatusCode::CONFLICT, index)
        }
        Err(NotSigned::Reread(index)) => {
            input.notice = Some(tr.t("page-changed"));
            (StatusCode::CONFLICT, index)
        }
        Err(NotSigned::Invalid {
            index,
            not_agreed,
            name,
        }) => {
            input.agree_error = not_agreed.then(|| tr.t("agree-error"));
            input.name_error = name.map(|p| name_message(&tr, p, &ctx.carer.full_name()));
            (StatusCode::UNPROCESSABLE_ENTITY, index)
        }
    };
    Ok((
        status,
        sign_page(&state, &code, ctx, index, input, tr).await?,
    )
        .into_response())
}

/// What the carer is told about the name they typed.
fn name_message(tr: &Tr, problem: NameProblem, carer_name: &str) -> String {
    let key = match problem {
        NameProblem::Mismatch => return tr.t1("name-mismatch", "name", carer_name),
        NameProblem::Invalid(NameError::Empty) => "name-empty",
        NameProblem::Invalid(NameError::TooLong) => "name-too-long",
        NameProblem::Invalid(NameError::ControlCharacter) => "name-control",
        NameProblem::Invalid(NameError::FormatCharacter) => "name-format",
    };
    format!(
        "{} {}",
        tr.t(key),
        tr.t1("name-as-school", "name", carer_name)
    )
}
