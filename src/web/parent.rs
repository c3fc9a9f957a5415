//! The parent's journey: enter a code (or open a personal link), read, sign, keep the receipt.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::csrf;
use super::error::AppError;
use super::extract::{ClientIp, Form};
use super::limit::CodePass;
use crate::AppState;
use crate::clock::{parse_stamp, stamp};
use crate::domain::code::SigningCode;
use crate::domain::name::{PersonName, signature_matches};
use crate::domain::status::Status;
use crate::store::carers::{Carer, Child};
use crate::store::codes::CodeOwner;
use crate::store::declarations::{self, Appended, Declaration, NewDeclaration};
use crate::store::documents::{Current, Version};
use crate::store::{carers, codes, documents, schools};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign", get(show_code_form).post(enter_code))
        .route("/s/{code}", get(show_declaration).post(sign_declaration))
        .route("/s/{code}/receipt/{id}", get(show_receipt))
}

// ---------------------------------------------------------------------------------------------
// Entering a code

#[derive(Template, WebTemplate)]
#[template(path = "parent/code.html")]
pub struct CodePage {
    pub school_name: String,
    pub csrf: String,
    pub code: String,
    pub error: Option<String>,
}

/// The form token for the code box, which acts for nobody in particular.
pub fn code_form_token(state: &AppState) -> String {
    csrf::token(&state.secret, "code-entry")
}

async fn school_name(state: &AppState) -> Result<String, AppError> {
    Ok(schools::first(&state.db.read)
        .await?
        .map(|s| s.name)
        .unwrap_or_default())
}

/// `GET /sign`: the box for the code from a letter.
pub async fn show_code_form(State(state): State<AppState>) -> Result<CodePage, AppError> {
    Ok(CodePage {
        school_name: school_name(&state).await?,
        csrf: code_form_token(&state),
        code: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct CodeForm {
    csrf: Option<String>,
    code: Option<String>,
}

/// Why a code did not open a signing page.
enum CodeProblem {
    Malformed(String),
    Unknown,
    TooMany,
}

impl CodeProblem {
    fn status(&self) -> StatusCode {
        match self {
            CodeProblem::Malformed(_) => StatusCode::BAD_REQUEST,
            CodeProblem::Unknown => StatusCode::NOT_FOUND,
            CodeProblem::TooMany => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    fn message(&self) -> String {
        match self {
            CodeProblem::Malformed(m) => m.clone(),
            // Says nothing about whether some other code exists.
            CodeProblem::Unknown => "We could not find that code. Check it against your letter and try again. \
                If it still does not work, the code may have been replaced: ask the school office for a new one."
                .into(),
            CodeProblem::TooMany => "Many codes are being tried from your network at the moment, so yours has to \
                wait its turn. Please try again in a minute, or ask the school office for help."
                .into(),
        }
    }
}

async fn code_problem_page(
    state: &AppState,
    typed: &str,
    problem: CodeProblem,
) -> Result<Response, AppError> {
    let page = CodePage {
        school_name: school_name(state).await?,
        csrf: code_form_token(state),
        code: typed.chars().take(40).collect(),
        error: Some(problem.message()),
    };
    Ok((problem.status(), page).into_response())
}

/// Reads a typed code and waits for this network's turn (see [`super::limit::CodeGuard`]).
async fn guarded_parse(
    state: &AppState,
    ip: std::net::IpAddr,
    typed: &str,
) -> Result<(SigningCode, CodePass), CodeProblem> {
    let code = SigningCode::parse(typed).map_err(|e| CodeProblem::Malformed(e.to_string()))?;
    let pass = state
        .guesses
        .admit(ip)
        .await
        .map_err(|_| CodeProblem::TooMany)?;
    Ok((code, pass))
}

/// Finds a live code's owner; only an unknown code counts against the network.
async fn lookup(
    state: &AppState,
    pass: CodePass,
    code: &SigningCode,
) -> Result<Result<CodeOwner, CodeProblem>, AppError> {
    let found = codes::find_live(&state.db.read, &code.hash()).await;
    state
        .guesses
        .settle(pass, matches!(found, Ok(Some(_))) || found.is_err());
    match found? {
        Some(owner) => Ok(Ok(owner)),
        None => Ok(Err(CodeProblem::Unknown)),
    }
}

/// Checks a typed code against the limits on guessing and the database.
async fn open_code(
    state: &AppState,
    ip: std::net::IpAddr,
    typed: &str,
) -> Result<Result<(SigningCode, CodeOwner), CodeProblem>, AppError> {
    let (code, pass) = match guarded_parse(state, ip, typed).await {
        Ok(c) => c,
        Err(problem) => return Ok(Err(problem)),
    };
    Ok(lookup(state, pass, &code).await?.map(|owner| (code, owner)))
}

/// `POST /sign`: a typed code; on success, on to the personal signing page.
pub async fn enter_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    if !csrf::verify(
        &state.secret,
        "code-entry",
        form.csrf.as_deref().unwrap_or(""),
    ) {
        return Err(csrf::expired_form());
    }
    let typed = form.code.unwrap_or_default();
    match open_code(&state, ip, &typed).await? {
        Ok((code, _)) => Ok(Redirect::to(&format!("/s/{}", code.as_str())).into_response()),
        Err(problem) => code_problem_page(&state, &typed, problem).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading and signing

/// What a code opened, as last read from the database.
pub struct Opened {
    owner: CodeOwner,
    ctx: ParentContext,
}

/// The signing page's data per code (by hash), kept while the database's write generation has
/// not moved. The morning a letter goes home, hundreds of parents open their page at once: this
/// keeps those views from each making six database round trips.
#[derive(Default)]
pub struct ParentCache(std::sync::Mutex<std::collections::HashMap<String, (u64, Arc<Opened>)>>);

/// Entries kept at most; past this the cache starts again (a school has a few thousand carers).
const CACHE_LIMIT: usize = 20_000;

impl ParentCache {
    fn get(&self, code_hash: &str, generation: u64) -> Option<Arc<Opened>> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(code_hash)
            .filter(|(g, _)| *g == generation)
            .map(|(_, o)| o.clone())
    }

    fn put(&self, code_hash: String, generation: u64, opened: Arc<Opened>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= CACHE_LIMIT {
            map.clear();
        }
        map.insert(code_hash, (generation, opened));
    }
}

/// Like [`open_code`], then loads the carer's page data, from the cache when it is current.
async fn open_with_context(
    state: &AppState,
    ip: std::net::IpAddr,
    typed: &str,
) -> Result<Result<(SigningCode, Arc<Opened>), CodeProblem>, AppError> {
    let (code, pass) = match guarded_parse(state, ip, typed).await {
        Ok(c) => c,
        Err(problem) => return Ok(Err(problem)),
    };
    let hash = code.hash();
    let generation = state.db.fresh_generation().await?;
    if let Some(opened) = state.parents.get(&hash, generation) {
        // A kept page is a right code: the pass ends uncounted.
        return Ok(Ok((code, opened)));
    }
    let owner = match lookup(state, pass, &code).await? {
        Ok(owner) => owner,
        Err(problem) => return Ok(Err(problem)),
    };
    let ctx = load_context(state, &owner).await?;
    let opened = Arc::new(Opened { owner, ctx });
    state.parents.put(hash, generation, opened.clone());
    Ok(Ok((code, opened)))
}

/// Everything about one carer that their pages show.
#[derive(Clone)]
struct ParentContext {
    school_name: String,
    carer: Carer,
    children: Vec<Child>,
    docs: Vec<DocState>,
}

#[derive(Clone)]
struct DocState {
    current: Current,
    status: Status,
    /// The carer's declarations for this document, newest first.
    signed: Vec<Declaration>,
}

async fn load_context(state: &AppState, owner: &CodeOwner) -> Result<ParentContext, AppError> {
    let db = &state.db.read;
    let school = schools::get(db, owner.school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let carer = carers::carer(db, owner.carer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let children = carers::children(db, carer.id).await?;
    let all_signed = declarations::for_carer(db, carer.id).await?;
    let docs = documents::current_for_school(db, school.id)
        .await?
        .into_iter()
        .map(|current| {
            let signed: Vec<Declaration> = all_signed
                .iter()
                .filter(|d| d.document_id == current.document.id)
                .cloned()
                .collect();
            let status = Status::from_signed(
                signed.iter().map(|d| d.version_number),
                current.latest_material,
            );
            DocState {
                current,
                status,
                signed,
            }
        })
        .collect();
    Ok(ParentContext {
        school_name: school.name,
        carer,
        children,
        docs,
    })
}

/// Rendered policy HTML, cached per version (published versions never change).
pub fn policy_html(state: &AppState, version: &Version) -> Arc<str> {
    let mut cache = state.rendered.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(version.id)
        .or_insert_with(|| crate::domain::markdown::render(&version.body_md).into())
        .clone()
}

pub use crate::domain::dates::format_iso as display_date;
use crate::domain::dates::format_stamp as display_stamp;

pub struct ChildView {
    pub name: String,
    pub class_name: String,
}

/// A version's approval and review dates, as every policy page shows them.
pub struct MetaView {
    pub approved_by: String,
    pub approved_on: String,
    pub last_reviewed: String,
    pub next_review_due: String,
    pub related: Vec<String>,
}

impl MetaView {
    pub fn of(v: &Version) -> Self {
        MetaView {
            approved_by: v.approved_by.clone(),
            approved_on: display_date(&v.approved_on),
            last_reviewed: display_date(&v.last_reviewed),
            next_review_due: display_date(&v.next_review_due),
            related: v
                .related_policies
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "parent/sign.html")]
pub struct SignPage {
    pub school_name: String,
    pub carer_name: String,
    pub children: Vec<ChildView>,
    pub doc_title: String,
    pub version_id: i64,
    pub version_number: i64,
    pub policy_html: Arc<str>,
    pub meta: MetaView,
    pub declaration_text: String,
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

/// What changed since the version a carer signed: shown before they sign again.
pub struct Changes {
    pub signed_on: String,
    pub signed_number: i64,
    /// (version number, summary) of each version published since, newest first.
    pub summaries: Vec<(i64, String)>,
    pub diff: Vec<super::diffview::Run>,
    pub added: usize,
    pub removed: usize,
}

impl SignPage {
    pub fn has_errors(&self) -> bool {
        self.agree_error.is_some() || self.name_error.is_some()
    }
}

/// One signed declaration, as a receipt shows it.
pub struct ReceiptView {
    pub doc_title: String,
    pub version_number: i64,
    pub reference: String,
    pub signed_at: String,
    pub method: String,
    pub carer_name: String,
    pub typed_name: String,
    pub children: Vec<ChildView>,
    pub fingerprint: String,
    pub current: bool,
}

#[derive(Deserialize)]
struct StoredChild {
    name: String,
    class: String,
}

fn receipt_view(
    d: &Declaration,
    doc_title: &str,
    version_number: i64,
    current: bool,
) -> ReceiptView {
    let children = serde_json::from_str::<Vec<StoredChild>>(&d.children)
        .unwrap_or_default()
        .into_iter()
        .map(|c| ChildView {
            name: c.name,
            class_name: c.class,
        })
        .collect();
    ReceiptView {
        doc_title: doc_title.to_string(),
        version_number,
        reference: d.reference(),
        signed_at: display_stamp(&d.signed_at),
        method: if d.method == "paper" {
            "Paper form received by the school office".into()
        } else {
            "Online".into()
        },
        carer_name: d.carer_name.clone(),
        typed_name: d.typed_name.clone(),
        children,
        fingerprint: d.text_sha256.clone(),
        current,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "parent/done.html")]
pub struct DonePage {
    pub school_name: String,
    pub carer_name: String,
    pub receipts: Vec<ReceiptView>,
    pub base: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "parent/receipt.html")]
pub struct ReceiptPage {
    pub school_name: String,
    pub receipt: ReceiptView,
    pub base: String,
    pub next_title: Option<String>,
    pub just_signed: bool,
}

struct SignInput {
    typed_name: String,
    agree: bool,
    agree_error: Option<String>,
    name_error: Option<String>,
    notice: Option<String>,
}

impl SignInput {
    fn blank() -> Self {
        SignInput {
            typed_name: String::new(),
            agree: false,
            agree_error: None,
            name_error: None,
            notice: None,
        }
    }
}

/// For a carer who must sign again: the summaries and word differences from the version they
/// last signed (not merely the previous one) to the current one.
async fn changes_for(state: &AppState, doc: &DocState) -> Result<Option<Changes>, AppError> {
    if doc.status != Status::MustResign {
        return Ok(None);
    }
    let Some(last) = doc.signed.iter().max_by_key(|d| d.version_number) else {
        return Ok(None);
    };
    let versions = documents::versions_of(&state.db.read, doc.current.document.id).await?;
    let Some(old) = versions.iter().find(|v| v.id == last.version_id) else {
        return Ok(None);
    };
    let (diff, added, removed) =
        super::diffview::runs(&old.canonical_text, &doc.current.version.canonical_text);
    Ok(Some(Changes {
        signed_on: display_stamp(&last.signed_at),
        signed_number: old.number,
        summaries: versions
            .iter()
            .filter(|v| v.number > old.number)
            .map(|v| (v.number, v.summary.clone()))
            .collect(),
        diff,
        added,
        removed,
    }))
}

async fn sign_page(
    state: &AppState,
    code: &SigningCode,
    ctx: &ParentContext,
    index: usize,
    input: SignInput,
) -> Result<SignPage, AppError> {
    let changes = changes_for(state, &ctx.docs[index]).await?;
    let doc = &ctx.docs[index];
    let v = &doc.current.version;
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
        carer_name: ctx.carer.full_name(),
        children: ctx
            .children
            .iter()
            .map(|c| ChildView {
                name: c.full_name(),
                class_name: c.class_name.clone(),
            })
            .collect(),
        doc_title: v.title.clone(),
        version_id: v.id,
        version_number: v.number,
        policy_html: policy_html(state, v),
        meta: MetaView::of(v),
        declaration_text: v.declaration_text.clone(),
        action: format!("/s/{}", code.as_str()),
        csrf: csrf::token(&state.secret, &format!("parent:{}", code.hash())),
        typed_name: input.typed_name,
        agree: input.agree,
        agree_error: input.agree_error,
        name_error: input.name_error,
        notice: input.notice,
        changes,
        step,
    })
}

fn done_page(code: &SigningCode, ctx: &ParentContext) -> DonePage {
    let receipts = ctx
        .docs
        .iter()
        .filter_map(|doc| {
            let d = doc.signed.first()?;
            Some(receipt_view(
                d,
                &doc.current.version.title,
                d.version_number,
                true,
            ))
        })
        .collect();
    DonePage {
        school_name: ctx.school_name.clone(),
        carer_name: ctx.carer.full_name(),
        receipts,
        base: format!("/s/{}", code.as_str()),
    }
}

/// `GET /s/{code}`: the next document to sign, or the receipts when everything is signed.
pub async fn show_declaration(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(typed): Path<String>,
) -> Result<Response, AppError> {
    let (code, opened) = match open_with_context(&state, ip, &typed).await? {
        Ok(ok) => ok,
        Err(problem) => return code_problem_page(&state, &typed, problem).await,
    };
    let owner = &opened.owner;
    let now = state.clock.now();
    let stale = owner
        .last_used_at
        .as_deref()
        .and_then(parse_stamp)
        .is_none_or(|t| now - t > time::Duration::minutes(10));
    if stale {
        codes::touch(&state.db.write, owner.code_id, &stamp(now)).await?;
        state.db.note_write();
    }
    let ctx = &opened.ctx;
    match ctx.docs.iter().position(|d| d.status != Status::Signed) {
        Some(index) => Ok(sign_page(&state, &code, ctx, index, SignInput::blank())
            .await?
            .into_response()),
        None => Ok(done_page(&code, ctx).into_response()),
    }
}

#[derive(Deserialize)]
pub struct SignForm {
    csrf: Option<String>,
    version_id: Option<String>,
    agree: Option<String>,
    typed_name: Option<String>,
}

/// `POST /s/{code}`: sign the declaration for one version.
pub async fn sign_declaration(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(typed): Path<String>,
    headers: HeaderMap,
    Form(form): Form<SignForm>,
) -> Result<Response, AppError> {
    let (code, owner) = match open_code(&state, ip, &typed).await? {
        Ok(ok) => ok,
        Err(problem) => return code_problem_page(&state, &typed, problem).await,
    };
    if !csrf::verify(
        &state.secret,
        &format!("parent:{}", code.hash()),
        form.csrf.as_deref().unwrap_or(""),
    ) {
        return Err(csrf::expired_form());
    }
    let ctx = load_context(&state, &owner).await?;
    let version_id: i64 = form
        .version_id
        .as_deref()
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| {
            AppError::BadRequest(
                "The form did not say which version you read. Reload the page and sign again."
                    .into(),
            )
        })?;
    let typed_name = form.typed_name.unwrap_or_default();
    let agree = form.agree.as_deref() == Some("yes");
    let mut input = SignInput {
        typed_name: typed_name.chars().take(200).collect(),
        agree,
        agree_error: None,
        name_error: None,
        notice: None,
    };

    let index = match ctx
        .docs
        .iter()
        .position(|d| d.current.version.id == version_id)
    {
        Some(i) => i,
        None => {
            let Some(version) = documents::version(&state.db.read, version_id).await? else {
                return Err(AppError::BadRequest("That version of the code of conduct does not exist. Reload the page and sign again.".into()));
            };
            let Some(i) = ctx
                .docs
                .iter()
                .position(|d| d.current.document.id == version.document_id)
            else {
                return Err(AppError::NotFound);
            };
            input.notice = Some(
                "The school published a new version while you were reading. Please read this version, then sign it.".into(),
            );
            return Ok((
                StatusCode::CONFLICT,
                sign_page(&state, &code, &ctx, i, input).await?,
            )
                .into_response());
        }
    };

    if !agree {
        input.agree_error = Some(
            "Tick the box to confirm you have read the code of conduct and agree to follow it."
                .into(),
        );
    }
    let carer_name = ctx.carer.full_name();
    match PersonName::parse(&typed_name) {
        Err(e) => {
            input.name_error = Some(format!("{e} Type it as the school has it: {carer_name}."))
        }
        Ok(name) if !signature_matches(name.as_str(), &carer_name) => {
            input.name_error = Some(format!(
                "The name you typed does not match the name the school has for you. Type it as: {carer_name}. \
                 If that name is wrong, please tell the school office."
            ))
        }
        Ok(_) => {}
    }
    if input.agree_error.is_some() || input.name_error.is_some() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            sign_page(&state, &code, &ctx, index, input).await?,
        )
            .into_response());
    }

    let doc = &ctx.docs[index];
    let v = &doc.current.version;
    let children: Vec<serde_json::Value> = ctx
        .children
        .iter()
        .map(|c| serde_json::json!({ "id": c.id, "name": c.full_name(), "class": c.class_name }))
        .collect();
    let user_agent: String = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(400)
        .collect();
    let new = NewDeclaration {
        school_id: owner.school_id,
        carer_id: ctx.carer.id,
        document_id: doc.current.document.id,
        version_id: v.id,
        children: serde_json::Value::Array(children).to_string(),
        carer_name,
        typed_name: PersonName::parse(&typed_name)
            .map(|n| n.to_string())
            .unwrap_or_default(),
        declaration_text: v.declaration_text.clone(),
        text_sha256: v.sha256.clone(),
        signed_at: stamp(state.clock.now()),
        method: "online",
        ip: ip.to_string(),
        user_agent,
        recorded_by: None,
        received_on: None,
        note: String::new(),
    };
    let appended = state
        .committer
        .append(new, format!("carer:{}", ctx.carer.id))
        .await?;
    let id = match appended {
        Appended::New(d) | Appended::Existing(d) => d.id,
    };
    Ok(Redirect::to(&format!("/s/{}/receipt/{id}?signed=1", code.as_str())).into_response())
}

#[derive(Deserialize)]
pub struct ReceiptQuery {
    signed: Option<String>,
}

/// `GET /s/{code}/receipt/{id}`: a receipt the carer can print or save.
pub async fn show_receipt(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path((typed, id)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<ReceiptQuery>,
) -> Result<Response, AppError> {
    let (code, owner) = match open_code(&state, ip, &typed).await? {
        Ok(ok) => ok,
        Err(problem) => return code_problem_page(&state, &typed, problem).await,
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let ctx = load_context(&state, &owner).await?;
    let Some(doc) = ctx
        .docs
        .iter()
        .find(|doc| doc.signed.iter().any(|d| d.id == id))
    else {
        return Err(AppError::NotFound);
    };
    let Some(d) = doc.signed.iter().find(|d| d.id == id) else {
        return Err(AppError::NotFound);
    };
    let version_title = match documents::version(&state.db.read, d.version_id).await? {
        Some(v) => v.title,
        None => doc.current.version.title.clone(),
    };
    let current = doc.status == Status::Signed && doc.signed.first().map(|x| x.id) == Some(d.id);
    let next_title = ctx
        .docs
        .iter()
        .find(|d| d.status != Status::Signed)
        .map(|d| d.current.version.title.clone());
    Ok(ReceiptPage {
        school_name: ctx.school_name.clone(),
        receipt: receipt_view(d, &version_title, d.version_number, current),
        base: format!("/s/{}", code.as_str()),
        next_title,
        just_signed: q.signed.is_some(),
    }
    .into_response())
}
