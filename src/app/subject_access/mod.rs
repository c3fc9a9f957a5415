//! Everything the school holds about one carer, for a subject access request (UK GDPR right of
//! access): their record, children, signing codes, messages, opt-outs and the audit events that
//! concern them. `app::evidence` adds it to the evidence pack, so one printable page and one
//! download answer the request.

mod wording;

pub use wording::WITHHELD;

use serde::{Serialize, Serializer};
use time::OffsetDateTime;

use crate::app::{AppError, AppState};
use crate::clock::{parse_stamp, stamp};
use crate::domain::london::format_datetime;
use crate::domain::outreach::{Channel, MessageStatus};
use crate::domain::role::{Actor, StaffUser};
use crate::store::about_carer;
use crate::store::messaging;

const ABOUT: &str = "Everything Signoff holds about this carer: their contact details and \
language, their children, the signing codes issued to them (never a code itself, which is kept \
only as a hash), every declaration in full, every email and text message queued or sent to them \
with what became of it, their opt-outs, any request to erase their details and any erasure, and \
every entry in the school's audit log that concerns them. The school's management information system (MIS) holds the source record of their contact \
details and children, which the roster was imported from: answer for that part from the MIS.";

/// An instant: UTC in the download, UK time on the page.
#[derive(Clone, Debug)]
pub struct When {
    pub utc: String,
    pub uk: String,
}

impl When {
    fn of(t: OffsetDateTime) -> When {
        When {
            utc: stamp(t),
            uk: format_datetime(t),
        }
    }

    fn of_stamp(s: &str) -> When {
        parse_stamp(s).map_or_else(
            || When {
                utc: s.to_string(),
                uk: s.to_string(),
            },
            When::of,
        )
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.utc)
    }
}

/// Everything held besides the declarations.
#[derive(Serialize)]
pub struct Held {
    /// What the export covers, and that the school's MIS holds the source record.
    pub about: String,
    pub contact: Contact,
    pub children: Vec<Linked>,
    pub signing_codes: Vec<CodeHeld>,
    pub messages: Vec<MessageHeld>,
    pub opt_outs: Vec<OptOut>,
    pub erasure_requests: Vec<ErasureRequestHeld>,
    pub erasures: Vec<ErasureHeld>,
    pub audit_events: Vec<AuditEntry>,
}

#[derive(Serialize)]
pub struct Contact {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    /// Their identifier in the school's MIS, if the roster gave one.
    pub mis_id: Option<String>,
    pub left_on: Option<String>,
    /// Their language tag, if known, and who set it (`roster` or `carer`).
    pub language: Option<String>,
    pub language_set_by: Option<String>,
    /// Both in words: "Welsh (chosen by the carer)".
    pub language_described: String,
    #[serde(rename = "added_at_utc")]
    pub added_at: When,
    #[serde(rename = "updated_at_utc")]
    pub updated_at: When,
    #[serde(rename = "erased_at_utc")]
    pub erased_at: Option<When>,
}

/// A request to erase the carer's details.
#[derive(Serialize)]
pub struct ErasureRequestHeld {
    pub reason: String,
    pub requested_by: Option<String>,
    #[serde(rename = "requested_at_utc")]
    pub requested_at: When,
    /// `waiting`, `erased` or `declined`.
    pub outcome: String,
    pub decided_by: Option<String>,
    #[serde(rename = "decided_at_utc")]
    pub decided_at: Option<When>,
}

/// An erasure of the carer's details (its tombstone's place in the school's chain).
#[derive(Serialize)]
pub struct ErasureHeld {
    pub chain_position: i64,
    #[serde(rename = "erased_at_utc")]
    pub erased_at: When,
    /// `rule` (the school's retention rule) or `request`.
    pub basis: String,
    pub reason: String,
    pub override_reason: String,
    pub approved_by: String,
    pub erased: String,
}

/// A child linked to the carer, current or left.
#[derive(Serialize)]
pub struct Linked {
    pub name: String,
    pub class: String,
    pub year_group: String,
    pub relationship: String,
    pub left_on: Option<String>,
}

/// A signing code issued to the carer: dates only.
#[derive(Serialize)]
pub struct CodeHeld {
    #[serde(rename = "issued_at_utc")]
    pub issued_at: When,
    /// The member of staff who issued it; none when a message or the roster import did.
    pub issued_by: Option<String>,
    /// `email` or `sms` when it went out in a message.
    pub sent_by: Option<String>,
    #[serde(rename = "revoked_at_utc")]
    pub revoked_at: Option<When>,
    #[serde(rename = "first_used_at_utc")]
    pub first_used_at: Option<When>,
    #[serde(rename = "last_used_at_utc")]
    pub last_used_at: Option<When>,
}

/// An email or text message queued or sent to the carer.
#[derive(Serialize)]
pub struct MessageHeld {
    pub id: i64,
    pub campaign_id: i64,
    /// `invitation` or `reminder`.
    pub kind: String,
    pub document: String,
    pub queued_by: Option<String>,
    /// `email` or `sms`.
    pub channel: String,
    /// The address or number it went to.
    pub address: String,
    pub status: String,
    #[serde(skip)]
    pub status_label: &'static str,
    pub attempts: i64,
    /// What the mail server or Notify last answered, or why it was not sent.
    pub result: String,
    /// The Message-ID (email) or Notify reference.
    pub reference: Option<String>,
    pub notify_id: Option<String>,
    #[serde(rename = "queued_at_utc")]
    pub queued_at: When,
    #[serde(rename = "sent_at_utc")]
    pub sent_at: Option<When>,
    #[serde(rename = "updated_at_utc")]
    pub updated_at: When,
    #[serde(rename = "link_first_opened_at_utc")]
    pub opened_at: Option<When>,
    /// The subject (email only) and the text, rebuilt (see `wording_note`).
    pub subject: String,
    pub body: String,
    pub wording_note: String,
}

#[derive(Serialize)]
pub struct OptOut {
    pub channel: String,
    #[serde(skip)]
    pub channel_label: &'static str,
    #[serde(rename = "at_utc")]
    pub at: When,
}

/// One audit event, with the name of the member of staff who did it when known.
#[derive(Serialize)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(rename = "at_utc")]
    pub at: When,
    pub actor: String,
    pub actor_name: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Reads everything held about carer `id` of `me`'s school (not found for another school's);
/// `people` names the school's staff.
pub async fn held(
    state: &AppState,
    me: &Actor,
    id: i64,
    people: &[StaffUser],
) -> Result<Held, AppError> {
    let db = &state.db.read;
    let carer = about_carer::record(db, me.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let children = about_carer::children(db, me.scope, id)
        .await?
        .into_iter()
        .map(|c| Linked {
            name: format!("{} {}", c.first_name, c.last_name),
            class: c.class_name,
            year_group: c.year_group,
            relationship: c.relationship,
            left_on: c.left_on,
        })
        .collect();
    let signing_codes = about_carer::codes(db, me.scope, id)
        .await?
        .into_iter()
        .map(|c| CodeHeld {
            issued_at: When::of(c.created_at),
            issued_by: c.created_by_name,
            sent_by: c.sent_by,
            revoked_at: c.revoked_at.map(When::of),
            first_used_at: c.first_used_at.map(When::of),
            last_used_at: c.last_used_at.map(When::of),
        })
        .collect();
    let rows = about_carer::messages(db, me.scope, id).await?;
    let wordings = wording::wordings(state, me.scope, &carer, &rows).await?;
    let messages = rows
        .into_iter()
        .zip(wordings)
        .map(|(m, (subject, body, wording_note))| MessageHeld {
            id: m.id,
            campaign_id: m.campaign_id,
            kind: m.kind,
            document: m.document,
            queued_by: m.queued_by_name,
            channel: m.channel,
            address: m.recipient,
            status_label: MessageStatus::parse(&m.status).label(),
            status: m.status,
            attempts: m.attempts,
            result: m.detail,
            reference: m.provider_ref,
            notify_id: m.notify_id,
            queued_at: When::of(m.created_at),
            sent_at: m.sent_at.map(When::of),
            updated_at: When::of(m.updated_at),
            opened_at: m.opened_at.map(When::of),
            subject,
            body,
            wording_note,
        })
        .collect();
    let opt_outs = messaging::opt_outs_of(db, me.scope, id)
        .await?
        .into_iter()
        .map(|(channel, at)| OptOut {
            channel_label: Channel::parse(&channel).map_or("", Channel::label),
            channel,
            at: When::of(at),
        })
        .collect();
    let erasure_requests = about_carer::erasure_requests(db, me.scope, id)
        .await?
        .into_iter()
        .map(|r| ErasureRequestHeld {
            reason: r.reason,
            requested_by: r.requested_by_name,
            requested_at: When::of(r.requested_at),
            outcome: r.outcome,
            decided_by: r.decided_by_name,
            decided_at: r.decided_at.map(When::of),
        })
        .collect();
    let erasures = about_carer::erasures(db, me.scope, id)
        .await?
        .into_iter()
        .map(|e| ErasureHeld {
            chain_position: e.seq,
            erased_at: When::of(e.erased_at),
            basis: e.basis,
            reason: e.reason,
            override_reason: e.override_reason,
            approved_by: e.approved_by,
            erased: e.erased,
        })
        .collect();
    let audit_events = about_carer::audit(db, me.scope, id)
        .await?
        .into_iter()
        .map(|a| AuditEntry {
            id: a.id,
            at: When::of_stamp(&a.at),
            actor_name: actor_name(&a.actor, id, people),
            actor: a.actor,
            action: a.action,
            subject: a.subject,
            detail: a.detail,
        })
        .collect();
    Ok(Held {
        about: ABOUT.to_string(),
        contact: Contact {
            language_described: crate::domain::language::describe(
                carer.language.as_deref(),
                carer.language_source.as_deref(),
            ),
            first_name: carer.first_name,
            last_name: carer.last_name,
            email: carer.email,
            phone: carer.phone,
            address: carer.address,
            postcode: carer.postcode,
            mis_id: carer.mis_id,
            left_on: carer.left_on,
            language: carer.language,
            language_set_by: carer.language_source,
            added_at: When::of(carer.created_at),
            updated_at: When::of(carer.updated_at),
            erased_at: carer.erased_at.map(When::of),
        },
        children,
        signing_codes,
        messages,
        opt_outs,
        erasure_requests,
        erasures,
        audit_events,
    })
}

/// Who an audit event's actor is, in words: a member of staff's name, "the carer", "the portal".
fn actor_name(actor: &str, carer_id: i64, people: &[StaffUser]) -> Option<String> {
    if actor == "system" {
        return Some("the portal".to_string());
    }
    if actor == format!("carer:{carer_id}") {
        return Some("the carer".to_string());
    }
    let id: i64 = actor.strip_prefix("staff:")?.parse().ok()?;
    people.iter().find(|u| u.id == id).map(|u| u.name.clone())
}
