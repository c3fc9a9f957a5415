//! What the office reads about messages (a campaign's progress, a carer's delivery log), and what
//! comes back from outside: Notify's delivery reports and carers' opt-outs.

use subtle::ConstantTimeEq;

use super::write::stop_token;
use crate::app::{AppError, AppState};
use crate::domain::outreach::{Channel, MessageStatus};
use crate::domain::school::Scope;
use crate::store::delivery::{self, CampaignRow, LogRow};
use crate::store::outbox;
use crate::store::{audit, messaging};

/// A campaign and how far it has gone.
pub struct Progress {
    pub campaign: CampaignRow,
    pub total: i64,
    pub queued: i64,
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
    pub not_needed: i64,
}

impl Progress {
    pub fn remaining(&self) -> i64 {
        self.queued
    }
    pub fn done(&self) -> bool {
        self.queued == 0
    }
}

pub async fn progress(
    state: &AppState,
    scope: Scope,
    campaign_id: i64,
) -> Result<Progress, AppError> {
    let db = &state.db.read;
    let campaign = delivery::campaign(db, scope, campaign_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut p = Progress {
        campaign,
        total: 0,
        queued: 0,
        sent: 0,
        delivered: 0,
        failed: 0,
        not_needed: 0,
    };
    for (status, n) in delivery::counts(db, scope, campaign_id).await? {
        p.total += n;
        match MessageStatus::parse(&status) {
            MessageStatus::Queued | MessageStatus::Sending => p.queued += n,
            MessageStatus::Sent => p.sent += n,
            MessageStatus::Delivered => p.delivered += n,
            MessageStatus::Bounced | MessageStatus::Failed => p.failed += n,
            MessageStatus::OptedOut | MessageStatus::Cancelled => p.not_needed += n,
        }
    }
    Ok(p)
}

/// Whether a campaign's page shows a "delivered" figure: only Notify reports deliveries, so an
/// SMTP-only school is not shown one that stays 0.
pub async fn reports_delivery(
    state: &AppState,
    scope: Scope,
    p: &Progress,
) -> Result<bool, AppError> {
    let settings = super::settings::load(state, scope).await?;
    Ok(super::settings::uses_notify(&settings) || p.delivered > 0)
}

/// The school's latest campaigns with their progress.
pub async fn recent(state: &AppState, scope: Scope) -> Result<Vec<Progress>, AppError> {
    let mut out = Vec::new();
    for c in delivery::campaigns(&state.db.read, scope, 30).await? {
        out.push(progress(state, scope, c.id).await?);
    }
    Ok(out)
}

/// A carer's messages and opt-outs (none for another school's carer).
pub async fn carer_log(
    state: &AppState,
    scope: Scope,
    carer_id: i64,
) -> Result<(Vec<LogRow>, Vec<(String, time::OffsetDateTime)>), AppError> {
    let db = &state.db.read;
    Ok((
        delivery::for_carer(db, scope, carer_id).await?,
        messaging::opt_outs_of(db, scope, carer_id).await?,
    ))
}

/// What a stop link names: the message's carer and channel.
pub struct StopLink {
    pub carer_id: i64,
    pub scope: Scope,
    pub channel: Channel,
    pub recipient: String,
    pub already: bool,
}

/// Reads a stop link; `None` when it is not one the portal sent.
pub async fn stop_link(
    state: &AppState,
    message_id: i64,
    token: &str,
) -> Result<Option<StopLink>, AppError> {
    let expected = stop_token(&state.secret, message_id);
    if expected.is_empty() || !bool::from(expected.as_bytes().ct_eq(token.as_bytes())) {
        return Ok(None);
    }
    let Some(m) = outbox::message(&state.db.read, message_id).await? else {
        return Ok(None);
    };
    let Some(channel) = Channel::parse(&m.channel) else {
        return Ok(None);
    };
    let already = messaging::opt_outs_of(&state.db.read, m.scope, m.carer_id)
        .await?
        .iter()
        .any(|(c, _)| c == channel.as_str());
    Ok(Some(StopLink {
        carer_id: m.carer_id,
        scope: m.scope,
        channel,
        recipient: m.recipient,
        already,
    }))
}

/// Records the opt-out a stop link asks for (one click, no sign-in).
pub async fn stop(state: &AppState, link: &StopLink) -> Result<(), AppError> {
    opt_out(state, link.scope, link.carer_id, link.channel).await
}

/// Records that a carer wants no more messages by `channel`, with its audit event.
pub async fn opt_out(
    state: &AppState,
    scope: Scope,
    carer_id: i64,
    channel: Channel,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if messaging::opt_out(&mut *tx, scope, carer_id, channel.as_str(), now).await? {
        audit::record(
            &mut *tx,
            audit::Event {
                scope,
                at: now,
                actor: &format!("carer:{carer_id}"),
                action: "messages.opted_out",
                subject: &format!("carer:{carer_id}"),
                detail: &format!("no more {}s", channel.label()),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A channel the school could reach a carer by, as the carer's own page shows it.
pub struct Reachable {
    pub channel: Channel,
    /// Masked, so a shoulder-surfer learns little.
    pub to: String,
    pub stopped: bool,
}

/// The channels the school holds for a carer (a usable email, a UK mobile) and which are stopped.
pub async fn channels_of(
    state: &AppState,
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<Reachable>, AppError> {
    use crate::domain::outreach::contact::{masked, usable_email, usable_mobile};
    let db = &state.db.read;
    let Some(carer) = crate::store::carers::carer(db, scope, carer_id).await? else {
        return Ok(Vec::new());
    };
    let stopped = messaging::opt_outs_of(db, scope, carer_id).await?;
    let is_stopped = |c: Channel| stopped.iter().any(|(s, _)| s == c.as_str());
    let mut out = Vec::new();
    if let Some(e) = usable_email(&carer.email) {
        out.push(Reachable {
            channel: Channel::Email,
            to: masked(&e),
            stopped: is_stopped(Channel::Email),
        });
    }
    if let Some(m) = usable_mobile(&carer.phone) {
        out.push(Reachable {
            channel: Channel::Sms,
            to: masked(&m),
            stopped: is_stopped(Channel::Sms),
        });
    }
    Ok(out)
}

/// A status report Notify posts back.
#[derive(Debug, serde::Deserialize)]
pub struct Report {
    pub id: String,
    #[serde(default)]
    pub reference: Option<String>,
    pub status: String,
}

/// Applies a Notify delivery report; `Ok(false)` when the token is not one the portal gave out.
pub async fn delivery_report(state: &AppState, bearer: &str, r: &Report) -> Result<bool, AppError> {
    let Some(scope) = messaging::school_for_callback(&state.db.read, bearer.trim()).await? else {
        return Ok(false);
    };
    let (status, detail) = match r.status.as_str() {
        "delivered" => ("delivered", ""),
        "permanent-failure" => ("bounced", "Notify: the address or number does not exist."),
        "temporary-failure" => (
            "failed",
            "Notify: could not deliver for 72 hours (phone off or inbox full).",
        ),
        "technical-failure" => ("failed", "Notify had a technical problem sending it."),
        _ => return Ok(true),
    };
    let now = state.clock.now();
    outbox::mark_reported(
        &state.db.write,
        scope,
        &r.id,
        r.reference.as_deref().unwrap_or(""),
        status,
        detail,
        now,
    )
    .await?;
    Ok(true)
}

/// How many carers still to sign `doc` have been messaged and every channel failed.
pub async fn without_working_contact(
    state: &AppState,
    scope: Scope,
    doc: &crate::store::documents::Current,
) -> Result<usize, AppError> {
    let known = super::campaign::Reachability::load(state, scope).await?;
    let failed: Vec<i64> = known.no_working_contact().into_iter().collect();
    if failed.is_empty() {
        return Ok(0);
    }
    let n = crate::store::status::outstanding_among(
        &state.db.read,
        scope,
        doc.document.id,
        doc.latest_material,
        &failed,
    )
    .await?;
    Ok(usize::try_from(n).unwrap_or_default())
}

/// The language tag of a stop link's carer, if known: the stop page speaks it.
pub async fn carer_language(state: &AppState, l: &StopLink) -> Result<Option<String>, AppError> {
    Ok(
        crate::store::carers::carer(&state.db.read, l.scope, l.carer_id)
            .await?
            .and_then(|c| c.language),
    )
}
