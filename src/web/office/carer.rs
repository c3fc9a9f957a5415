//! One carer: children, status per document, signing history, codes; issuing a new code.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::app::carers::{self, CarerRecord};
use crate::app::signing::paper::own_carer;
use crate::app::{AppState, codes, outreach, school};
use crate::domain::dates::{format_instant, format_stamp};
use crate::domain::outreach::{Channel, MessageStatus};
use crate::domain::status::Status;
use crate::web::error::AppError;
use crate::web::extract::{Button, StaffForm};
use crate::web::session::Staff;
use crate::web::views::{display_date, tag};

pub struct HistoryRow {
    pub document: String,
    pub version: i64,
    pub signed_at: String,
    pub method: String,
    pub reference: String,
    pub recorded_by: String,
    pub note: String,
}

pub struct CodeRow {
    pub created_at: String,
    pub by: String,
    pub state: String,
    pub last_used: String,
}

pub struct DocStatusRow {
    pub title: String,
    pub tag_class: &'static str,
    pub tag: &'static str,
}

pub struct MessageRow {
    pub when: String,
    pub what: String,
    pub status: &'static str,
    pub failed: bool,
    pub detail: String,
    pub updated: String,
    pub opened: String,
}

pub struct VersionChoice {
    pub id: i64,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/carer.html")]
pub struct CarerPage {
    pub school_name: String,
    pub staff: Staff,
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    /// Their language, and who set it, for the office.
    pub language: String,
    pub children: Vec<(String, String)>,
    pub statuses: Vec<DocStatusRow>,
    pub history: Vec<HistoryRow>,
    pub codes: Vec<CodeRow>,
    pub messages: Vec<MessageRow>,
    pub opt_outs: Vec<String>,
    pub versions: Vec<VersionChoice>,
    pub flash: Option<String>,
    pub errors: Vec<(String, String)>,
    pub paper_version: String,
    pub paper_received: String,
    pub paper_note: String,
    /// Erasure: done, asked for, or the form to ask.
    pub erase: super::erase::EraseBox,
}

impl CarerPage {
    /// The message beside one field, when it has one.
    pub fn error(&self, field: &str) -> Option<&str> {
        crate::web::views::error_for(&self.errors, field)
    }
}

pub(super) async fn carer_page(
    state: &AppState,
    staff: Staff,
    id: i64,
) -> Result<CarerPage, AppError> {
    let CarerRecord {
        carer,
        children,
        docs,
        signed,
        codes,
        versions,
        people,
    } = carers::record(state, &staff, id).await?;
    let name_of = |id: Option<i64>| {
        id.and_then(|i| people.iter().find(|u| u.id == i))
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let statuses = docs
        .iter()
        .map(|d| {
            let mine: Vec<_> = signed
                .iter()
                .filter(|x| x.document_id == d.document.id)
                .collect();
            let status =
                Status::from_signed(mine.iter().map(|x| x.version_number), d.latest_material);
            let best = mine.iter().max_by_key(|x| x.version_number);
            let (tag_class, tag) = tag(status, best.is_some_and(|b| b.method == "paper"));
            DocStatusRow {
                title: d.version.title.clone(),
                tag_class,
                tag,
            }
        })
        .collect();
    let history = signed
        .iter()
        .map(|d| HistoryRow {
            document: docs
                .iter()
                .find(|x| x.document.id == d.document_id)
                .map(|x| x.document.title.clone())
                .unwrap_or_default(),
            version: d.version_number,
            signed_at: format_stamp(&d.signed_at),
            method: if d.method == "paper" {
                format!(
                    "Paper, received {}",
                    d.received_on
                        .as_deref()
                        .map(display_date)
                        .unwrap_or_default()
                )
            } else {
                "Online".into()
            },
            reference: d.reference(),
            recorded_by: name_of(d.recorded_by),
            note: d.note.clone(),
        })
        .collect();
    let codes = codes
        .into_iter()
        .map(|c| CodeRow {
            created_at: format_instant(c.created_at),
            by: match (c.created_by_name, c.sent_by.as_deref()) {
                (Some(name), _) => name,
                (None, Some("sms")) => "Text message".into(),
                (None, Some(_)) => "Email".into(),
                (None, None) => "Set-up".into(),
            },
            state: match c.revoked_at {
                Some(r) => format!("Replaced {}", format_instant(r)),
                None => "In use".into(),
            },
            last_used: c
                .last_used_at
                .map(format_instant)
                .unwrap_or_else(|| "Never".into()),
        })
        .collect();
    let versions = versions
        .iter()
        .map(|v| {
            let current = docs.iter().any(|d| d.version.id == v.id);
            VersionChoice {
                id: v.id,
                label: format!(
                    "{}, version {}{}",
                    v.title,
                    v.number,
                    if current { " (current)" } else { "" }
                ),
            }
        })
        .collect();
    let children = children
        .into_iter()
        .map(|c| (c.full_name(), c.class_name))
        .collect();
    let (log, opted) = outreach::log::carer_log(state, staff.scope, id).await?;
    let messages = log
        .into_iter()
        .map(|m| {
            let status = MessageStatus::parse(&m.status);
            MessageRow {
                when: format_instant(m.sent_at.unwrap_or(m.created_at)),
                what: format!(
                    "{} by {} to {}",
                    if m.kind == "reminder" {
                        "Reminder"
                    } else {
                        "Invitation"
                    },
                    Channel::parse(&m.channel).map_or("", Channel::label),
                    m.recipient
                ),
                status: status.label(),
                failed: status.is_failure(),
                detail: m.detail,
                updated: format_instant(m.updated_at),
                opened: m
                    .opened_at
                    .map(format_instant)
                    .unwrap_or_else(|| "Not yet".into()),
            }
        })
        .collect();
    let opt_outs = opted
        .into_iter()
        .filter_map(|(ch, at)| {
            Channel::parse(&ch).map(|c| format!("No {}s (asked {})", c.label(), format_instant(at)))
        })
        .collect();
    let erase =
        super::erase::EraseBox::from(crate::app::retention::for_carer(state, &staff, id).await?);
    Ok(CarerPage {
        school_name: school::name(state, Some(staff.scope)).await?,
        id,
        name: if carer.erased_at.is_some() {
            format!("Erased carer (no. {id})")
        } else {
            carer.full_name()
        },
        erase,
        email: carer.email,
        phone: carer.phone,
        language: crate::domain::language::describe(
            carer.language.as_deref(),
            carer.language_source.as_deref(),
        ),
        address: [carer.address.as_str(), carer.postcode.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
        children,
        statuses,
        history,
        codes,
        messages,
        opt_outs,
        paper_version: docs
            .first()
            .map(|d| d.version.id.to_string())
            .unwrap_or_default(),
        versions,
        flash: None,
        errors: Vec::new(),
        paper_received: state.clock.now().date().to_string(),
        paper_note: String::new(),
        staff,
    })
}

#[derive(Deserialize)]
pub struct FlashQuery {
    done: Option<String>,
}

/// `GET /office/carers/{id}`: children, status, signing history and codes.
pub async fn show_carer(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<FlashQuery>,
) -> Result<CarerPage, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let mut page = carer_page(&state, staff, id).await?;
    page.flash = match q.done.as_deref() {
        Some("paper") => Some("The paper form has been recorded.".into()),
        Some("already") => {
            Some("Nothing was recorded: this carer had already signed that version.".into())
        }
        Some("erase-asked") => Some(
            "Your request is recorded. A headteacher will see it on this page and under Settings → Keeping records.".into(),
        ),
        Some("erase-declined") => {
            Some("The request was declined: nothing was erased.".into())
        }
        Some("erased") => Some(
            "The carer's details were erased. The school's record of what they signed stays, without their name."
                .into(),
        ),
        _ => None,
    };
    Ok(page)
}

#[derive(Template, WebTemplate)]
#[template(path = "office/code_issued.html")]
pub struct CodeIssuedPage {
    pub school_name: String,
    pub staff: Staff,
    pub carer_id: i64,
    pub carer_name: String,
    pub code: String,
    pub link: String,
}

/// `POST /office/carers/{id}/code`: a new code (the old one stops working), shown once.
pub async fn issue_code(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm(staff, _): StaffForm<Button>,
) -> Result<Response, AppError> {
    let carer = own_carer(&state, &staff, &id).await?;
    let code = codes::issue(&state, &staff, &carer).await?;
    let school = school::of(&state, &staff).await?;
    Ok(CodeIssuedPage {
        link: format!("{}/s/{}", school::links(&state, &school), code.as_str()),
        school_name: school.name,
        carer_id: carer.id,
        carer_name: carer.full_name(),
        code: code.display(),
        staff,
    }
    .into_response())
}
