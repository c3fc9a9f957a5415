//! Email and text messages: choosing carers and sending, a campaign's progress, the list of
//! campaigns and a document's reminder cadence.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{DocChoice, StatusQuery, doc_choices};
use crate::app::AppState;
use crate::app::outreach::campaign::{self, By, Choice, Reach};
use crate::app::outreach::log::{self, Progress};
use crate::app::outreach::reminders::{self, Cadence};
use crate::domain::dates::format_instant;
use crate::domain::outreach::contact::masked;
use crate::web::error::AppError;
use crate::web::extract::{HeadForm, StaffForm};
use crate::web::session::Staff;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/messages", get(list_campaigns))
        .route(
            "/office/messages/new",
            get(preview_campaign).post(send_campaign),
        )
        .route("/office/messages/{id}", get(show_campaign))
        .route("/office/messages/{id}/progress", get(campaign_progress))
        .route("/office/messages/reminders", post(save_reminders))
}

fn choice(q: &StatusQuery, reach: Option<&str>) -> Choice {
    Choice {
        document: q.doc.as_deref().and_then(|d| d.trim().parse().ok()),
        class: q.class().map(str::to_string),
        status: q.status.clone().unwrap_or_else(|| "outstanding".into()),
        search: q.search().map(str::to_string),
        reach: reach.map(Reach::parse),
    }
}

pub struct SampleView {
    pub channel: &'static str,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub parts: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/messages_new.html")]
pub struct NewPage {
    pub school_name: String,
    pub staff: Staff,
    pub title: String,
    pub filter: String,
    pub query: String,
    pub doc_id: i64,
    pub class: String,
    pub status: String,
    pub q: String,
    pub reach: &'static str,
    pub chosen: usize,
    pub signed: usize,
    pub carers: usize,
    pub emails: usize,
    pub texts: usize,
    pub email_ready: bool,
    pub sms_ready: bool,
    pub unreachable: Vec<(i64, String, String)>,
    pub sample: Vec<SampleView>,
    pub first_name: String,
    pub blocked: Option<String>,
    pub error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct SendForm {
    #[serde(flatten)]
    filters: StatusQuery,
    reach: Option<String>,
}

async fn new_page(
    state: &AppState,
    staff: Staff,
    f: &SendForm,
    error: Option<String>,
) -> Result<NewPage, AppError> {
    let c = choice(&f.filters, f.reach.as_deref());
    let p = campaign::prepare(state, staff.scope, &c).await?;
    let doc_id = p.loaded.doc.document.id;
    Ok(NewPage {
        school_name: p.loaded.school_name.clone(),
        title: p.loaded.doc.version.title.clone(),
        filter: c.describe(),
        query: f.filters.query_string(doc_id),
        doc_id,
        class: c.class.clone().unwrap_or_default(),
        status: c.status.clone(),
        q: c.search.clone().unwrap_or_default(),
        reach: c.reach.unwrap_or(Reach::EmailFirst).as_str(),
        chosen: p.chosen,
        signed: p.plan.signed,
        carers: p.plan.recipients.len(),
        emails: p.plan.emails,
        texts: p.plan.texts,
        email_ready: p.setup.email.is_some(),
        sms_ready: p.setup.sms.is_some(),
        unreachable: p.plan.unreachable.clone(),
        first_name: p
            .plan
            .recipients
            .first()
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        sample: p
            .sample
            .iter()
            .map(|m| SampleView {
                channel: m.channel.label(),
                to: masked(&m.to),
                subject: m.subject.clone(),
                parts: crate::domain::outreach::wording::sms_size(&m.text).parts,
                text: m.text.clone(),
            })
            .collect(),
        blocked: p.setup.blocked(),
        error,
        staff,
    })
}

/// `GET /office/messages/new`: who the chosen filter reaches, by which channel, the first
/// carer's message filled in, and who needs a letter instead.
pub async fn preview_campaign(
    State(state): State<AppState>,
    staff: Staff,
    Query(f): Query<SendForm>,
) -> Result<NewPage, AppError> {
    new_page(&state, staff, &f, None).await
}

/// `POST /office/messages/new`: queues the campaign and shows its progress.
pub async fn send_campaign(
    State(state): State<AppState>,
    StaffForm(staff, f): StaffForm<SendForm>,
) -> Result<Response, AppError> {
    let c = choice(&f.filters, f.reach.as_deref());
    match campaign::send(&state, By::Staff(&staff), staff.scope, &c).await? {
        Ok(id) => Ok(Redirect::to(&format!("/office/messages/{id}")).into_response()),
        Err(why) => {
            let page = new_page(&state, staff, &f, Some(why)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub struct ProgressView {
    pub id: i64,
    pub kind: &'static str,
    pub filter: String,
    pub when: String,
    pub by: String,
    pub total: i64,
    pub queued: i64,
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
    pub not_needed: i64,
    pub done: bool,
}

fn view(p: &Progress) -> ProgressView {
    ProgressView {
        id: p.campaign.id,
        kind: if p.campaign.kind == "reminder" {
            "Reminder"
        } else {
            "Invitation"
        },
        filter: p.campaign.filter.clone(),
        when: format_instant(p.campaign.created_at),
        by: p
            .campaign
            .created_by_name
            .clone()
            .unwrap_or_else(|| "Automatic".into()),
        total: p.total,
        queued: p.remaining(),
        sent: p.sent,
        delivered: p.delivered,
        failed: p.failed,
        not_needed: p.not_needed,
        done: p.done(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "office/campaign.html")]
pub struct CampaignPage {
    pub school_name: String,
    pub staff: Staff,
    pub p: ProgressView,
    pub reports_delivery: bool,
}

fn campaign_id(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// `GET /office/messages/{id}`: queued, sent, delivered, failed and remaining.
pub async fn show_campaign(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<CampaignPage, AppError> {
    let p = log::progress(&state, staff.scope, campaign_id(&id)?).await?;
    Ok(CampaignPage {
        school_name: crate::app::school::name(&state, Some(staff.scope)).await?,
        reports_delivery: log::reports_delivery(&state, staff.scope, &p).await?,
        p: view(&p),
        staff,
    })
}

/// `GET /office/messages/{id}/progress`: the same figures as JSON, for the page's script.
pub async fn campaign_progress(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = log::progress(&state, staff.scope, campaign_id(&id)?).await?;
    let v = view(&p);
    let body = serde_json::json!({
        "total": v.total, "queued": v.queued, "sent": v.sent, "delivered": v.delivered,
        "failed": v.failed, "not_needed": v.not_needed, "done": v.done,
    });
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "office/messages.html")]
pub struct MessagesPage {
    pub school_name: String,
    pub staff: Staff,
    pub docs: Vec<DocChoice>,
    pub doc_id: i64,
    pub title: String,
    pub campaigns: Vec<ProgressView>,
    pub cadence: Cadence,
    pub errors: Vec<(String, String)>,
    pub saved: bool,
    pub blocked: Option<String>,
}

async fn messages_page(
    state: &AppState,
    staff: Staff,
    doc: Option<&str>,
    typed: Option<(Cadence, Vec<(String, String)>)>,
    saved: bool,
) -> Result<MessagesPage, AppError> {
    let l = crate::app::reports::load(state, &staff, doc).await?;
    let doc_id = l.doc.document.id;
    let campaigns = log::recent(state, staff.scope).await?;
    let setup = crate::app::outreach::setup::setup(state, staff.scope).await?;
    let (cadence, errors) = match typed {
        Some(t) => t,
        None => (
            reminders::cadence(state, staff.scope, doc_id).await?,
            Vec::new(),
        ),
    };
    Ok(MessagesPage {
        school_name: l.school_name.clone(),
        docs: doc_choices(&l),
        doc_id,
        title: l.doc.version.title.clone(),
        campaigns: campaigns.iter().map(view).collect(),
        cadence,
        errors,
        saved,
        blocked: setup.blocked(),
        staff,
    })
}

#[derive(Deserialize)]
pub struct MessagesQuery {
    doc: Option<String>,
    saved: Option<String>,
}

/// `GET /office/messages`: campaigns so far and the reminder cadence.
pub async fn list_campaigns(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<MessagesQuery>,
) -> Result<MessagesPage, AppError> {
    messages_page(&state, staff, q.doc.as_deref(), None, q.saved.is_some()).await
}

#[derive(Deserialize)]
pub struct CadenceForm {
    doc: String,
    #[serde(default, deserialize_with = "crate::web::extract::field::yes")]
    active: bool,
    #[serde(default)]
    days: String,
    #[serde(default, deserialize_with = "crate::web::extract::field::yes")]
    weekly: bool,
    #[serde(default)]
    deadline: String,
}

/// `POST /office/messages/reminders`: the headteacher sets a document's reminder cadence.
pub async fn save_reminders(
    State(state): State<AppState>,
    HeadForm(me, f): HeadForm<CadenceForm>,
) -> Result<Response, AppError> {
    let doc_id: i64 = f.doc.trim().parse().map_err(|_| AppError::NotFound)?;
    let typed = Cadence {
        active: f.active,
        days: f.days.chars().take(100).collect(),
        weekly: f.weekly,
        deadline: f.deadline.chars().take(40).collect(),
    };
    match reminders::save_cadence(&state, &me, doc_id, &typed).await? {
        Ok(()) => {
            Ok(Redirect::to(&format!("/office/messages?doc={doc_id}&saved=1")).into_response())
        }
        Err(errors) => {
            let page =
                messages_page(&state, me, Some(&f.doc), Some((typed, errors)), false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
