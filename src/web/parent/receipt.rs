//! Receipts: one declaration to print or save, and the page a carer sees once everything is signed.

use crate::domain::translation;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{code_problem_page, switch_to};
use crate::app::AppState;
use crate::app::signing::{self, ParentContext};
use crate::domain::evidence::CoveredChild;
use crate::domain::evidence::Declaration;
use crate::domain::i18n::Tr;
use crate::domain::status::Status;
use crate::web::error::AppError;
use crate::web::extract::ClientIp;
use crate::web::lang::Choice;
use crate::web::views::ChildView;

/// One signed declaration, as a receipt shows it.
pub struct ReceiptView {
    pub doc_title: String,
    pub version_number: i64,
    pub reference: String,
    pub signed_at: String,
    /// A paper form the office recorded (else signed online).
    pub paper: bool,
    pub carer_name: String,
    pub typed_name: String,
    pub children: Vec<ChildView>,
    pub fingerprint: String,
    /// The languages of the texts read, (tag, own name): "Cymraeg / English"; empty on paper and
    /// before languages were recorded.
    pub read_in: Vec<(String, String)>,
    /// The fingerprints of translations read, where a translation was (the version's own
    /// fingerprint is `fingerprint`).
    pub read_fingerprints: Vec<String>,
    /// The school's evidence chain just after this declaration: its place in it and its hash
    /// (the row hash, which commits to every declaration before it). The parent keeps a witness
    /// of the chain that no later rewrite of the database can change.
    pub chain_position: i64,
    pub chain_head: String,
    pub current: bool,
}

fn receipt_view(d: &Declaration, doc_title: &str, current: bool, tr: &Tr) -> ReceiptView {
    let children = CoveredChild::from_json(&d.children)
        .into_iter()
        .map(|c| ChildView {
            name: c.name,
            class_name: c.class,
        })
        .collect();
    ReceiptView {
        doc_title: doc_title.to_string(),
        version_number: d.version_number,
        reference: d.reference(),
        signed_at: tr.stamp(&d.signed_at),
        paper: d.method == "paper",
        carer_name: d.carer_name.clone(),
        typed_name: d.typed_name.clone(),
        children,
        fingerprint: d.text_sha256.clone(),
        chain_position: d.seq,
        chain_head: d.row_hash.clone(),
        read_in: translation::recorded(&d.language, &d.shown_sha256)
            .into_iter()
            .map(|(l, _)| {
                let name = translation::language(&l)
                    .map_or_else(|| "English".to_string(), |l| l.native.to_string());
                (l, name)
            })
            .collect(),
        read_fingerprints: translation::recorded(&d.language, &d.shown_sha256)
            .into_iter()
            .filter(|(l, _)| l != translation::ORIGINAL)
            .map(|(_, h)| h)
            .collect(),
        current,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "parent/done.html")]
pub struct DonePage {
    pub tr: Tr,
    pub school_name: String,
    pub contact: crate::app::school::Contact,
    pub carer_name: String,
    /// The school's public code of conduct (`/{slug}/policy`).
    pub policy: String,
    /// The other schools they are a carer at, for a sentence (empty for none).
    pub also_at: String,
    pub receipts: Vec<ReceiptView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "parent/receipt.html")]
pub struct ReceiptPage {
    pub tr: Tr,
    pub school_name: String,
    pub contact: crate::app::school::Contact,
    pub receipt: ReceiptView,
    pub base: String,
    pub next_title: Option<String>,
    pub just_signed: bool,
    /// The other schools they are a carer at, for a sentence (empty for none).
    pub also_at: String,
}

/// Every document signed: the latest receipt of each.
pub fn done_page(ctx: &ParentContext, tr: Tr) -> DonePage {
    let receipts = ctx
        .docs
        .iter()
        .filter_map(|doc| {
            let d = doc.signed.first()?;
            Some(receipt_view(d, &doc.current.version.title, true, &tr))
        })
        .collect();
    DonePage {
        school_name: ctx.school_name.clone(),
        contact: ctx.contact.clone(),
        carer_name: ctx.carer.full_name(),
        also_at: tr.list(&ctx.also_at),
        policy: format!("/{}/policy", ctx.school_slug),
        receipts,
        tr,
    }
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
    Query(q): Query<ReceiptQuery>,
    choice: Choice,
) -> Result<Response, AppError> {
    let (code, owner) = match signing::open_code(&state, ip, &typed).await? {
        Ok(ok) => ok,
        Err(problem) => {
            return code_problem_page(&state, None, choice.anonymous(), &typed, problem).await;
        }
    };
    if let Some(to) = switch_to(&state, &owner, &choice).await? {
        return Ok(to);
    }
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let ctx = signing::load_context(&state, &owner).await?;
    let tr = choice.carer(ctx.carer.language.as_deref());
    let Some((doc, d)) = ctx
        .docs
        .iter()
        .find_map(|doc| doc.signed.iter().find(|d| d.id == id).map(|d| (doc, d)))
    else {
        return Err(AppError::NotFound);
    };
    let version_title = signing::version_title(&state, &owner, d.version_id)
        .await?
        .unwrap_or_else(|| doc.current.version.title.clone());
    let current = doc.status == Status::Signed && doc.signed.first().map(|x| x.id) == Some(d.id);
    let next_title = ctx
        .next_to_sign()
        .map(|i| ctx.docs[i].current.version.title.clone());
    Ok(ReceiptPage {
        school_name: ctx.school_name.clone(),
        contact: ctx.contact.clone(),
        receipt: receipt_view(d, &version_title, current, &tr),
        base: format!("/s/{}", code.as_str()),
        next_title,
        just_signed: q.signed.is_some(),
        also_at: tr.list(&ctx.also_at),
        tr,
    }
    .into_response())
}
