//! A campaign from the office (or `signoff invite`, or the reminder schedule): who gets which
//! message by which channel, a preview filled for the first carer, and the queueing itself.

pub use super::reach::{Reach, Reachability};
use super::setup::Setup;
use super::transport::Outgoing;
use super::write::compose;
use crate::app::{AppError, AppState};
use crate::domain::code::SigningCode;
use crate::domain::outreach::Channel;
use crate::domain::outreach::contact::{usable_email, usable_mobile};
use crate::domain::school::Scope;
use crate::domain::status::{CarerStatus, Report, Status};
use crate::store::{audit, outbox};

/// One carer's messages in a campaign.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub carer_id: i64,
    pub name: String,
    pub channels: Vec<(Channel, String)>,
}

/// Who a campaign reaches and who it cannot.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub recipients: Vec<Recipient>,
    /// Carers the campaign cannot reach: (id, name, why). The office prints letters for these.
    pub unreachable: Vec<(i64, String, String)>,
    /// Carers in the filter who have already signed (left out).
    pub signed: usize,
    pub emails: usize,
    pub texts: usize,
}

/// Works out each chosen carer's channels. Signed carers are left out; a channel the carer opted
/// out of, or whose last message failed, is not used.
pub fn plan(setup: &Setup, chosen: &[&CarerStatus], reach: Reach, known: &Reachability) -> Plan {
    let mut p = Plan::default();
    for c in chosen {
        if c.status == Status::Signed {
            p.signed += 1;
            continue;
        }
        let id = c.record.id;
        let name = c.record.full_name();
        let email = usable_email(&c.record.email);
        let mobile = usable_mobile(&c.record.phone);
        let mut why = Vec::new();
        let mut usable = |ch: Channel, addr: Option<String>, what: &str| -> Option<String> {
            setup.sender(ch)?;
            match addr {
                None => {
                    why.push(format!("no usable {what}"));
                    None
                }
                Some(_) if known.opted_out.contains(&(id, ch)) => {
                    why.push(format!("opted out of {}s", ch.label()));
                    None
                }
                Some(to) if known.failing(id, ch, &to) => {
                    why.push(format!("last {} failed", ch.label()));
                    None
                }
                a => a,
            }
        };
        let email = usable(Channel::Email, email, "email address");
        let sms = usable(Channel::Sms, mobile, "mobile number");
        let mut channels = Vec::new();
        match reach {
            Reach::EmailFirst => {
                if let Some(e) = email {
                    channels.push((Channel::Email, e));
                } else if let Some(s) = sms {
                    channels.push((Channel::Sms, s));
                }
            }
            Reach::Both => {
                channels.extend(email.map(|e| (Channel::Email, e)));
                channels.extend(sms.map(|s| (Channel::Sms, s)));
            }
            Reach::EmailOnly => channels.extend(email.map(|e| (Channel::Email, e))),
            Reach::TextOnly => channels.extend(sms.map(|s| (Channel::Sms, s))),
        }
        if channels.is_empty() {
            if why.is_empty() {
                why.push("no channel chosen reaches them".to_string());
            }
            p.unreachable.push((id, name, why.join(", ")));
            continue;
        }
        for (ch, _) in &channels {
            match ch {
                Channel::Email => p.emails += 1,
                Channel::Sms => p.texts += 1,
            }
        }
        p.recipients.push(Recipient {
            carer_id: id,
            name,
            channels,
        });
    }
    p
}

/// The first recipient's messages, filled in (with a made-up code: the real one is made when the
/// message is sent).
pub async fn sample(
    state: &AppState,
    setup: &Setup,
    report: &Report,
    document_id: i64,
    plan: &Plan,
) -> Result<Vec<Outgoing>, AppError> {
    let Some(first) = plan.recipients.first() else {
        return Ok(Vec::new());
    };
    let children: Vec<String> = report
        .carers
        .iter()
        .find(|c| c.record.id == first.carer_id)
        .map(|c| {
            c.children
                .iter()
                .map(|&p| report.pupils[p].first_name.clone())
                .collect()
        })
        .unwrap_or_default();
    let lang = crate::store::carers::carer(&state.db.read, setup.settings.scope, first.carer_id)
        .await?
        .and_then(|c| c.language);
    let lang = crate::domain::i18n::Lang::of_tag(lang.as_deref());
    let mut out = Vec::new();
    for (ch, to) in &first.channels {
        out.push(
            compose(
                state,
                setup,
                document_id,
                *ch,
                to,
                &first.name,
                &children,
                &SigningCode::generate(),
                0,
                lang,
            )
            .await?,
        );
    }
    Ok(out)
}

/// Who queued a campaign.
pub enum By<'a> {
    Staff(&'a crate::domain::role::Actor),
    /// A command (`signoff invite`) or the reminder schedule.
    System,
}

/// Queues a campaign's messages in one transaction with its audit event, and wakes the sender.
pub async fn queue(
    state: &AppState,
    by: By<'_>,
    scope: Scope,
    document_id: i64,
    kind: &str,
    filter: &str,
    plan: &Plan,
) -> Result<i64, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let staff_id = match &by {
        By::Staff(a) => Some(a.id),
        By::System => None,
    };
    let id =
        outbox::create_campaign(&mut *tx, scope, document_id, kind, filter, staff_id, now).await?;
    for r in &plan.recipients {
        for (ch, to) in &r.channels {
            outbox::enqueue(
                &mut *tx,
                scope,
                id,
                r.carer_id,
                ch.as_str(),
                to,
                "queued",
                now,
                now,
            )
            .await?;
        }
    }
    let subject = format!("campaign:{id}");
    let detail = format!(
        "{kind}: {} emails, {} texts; filter {filter}",
        plan.emails, plan.texts
    );
    match by {
        By::Staff(a) => {
            audit::by_staff(&mut *tx, a, now, "messages.queued", &subject, &detail).await?
        }
        By::System => {
            audit::record(
                &mut *tx,
                audit::Event {
                    scope,
                    at: now,
                    actor: "system",
                    action: "messages.queued",
                    subject: &subject,
                    detail: &detail,
                },
            )
            .await?
        }
    }
    tx.commit().await?;
    state.outreach.wake.notify_one();
    Ok(id)
}

/// What the office chose: a document and the carers list's filters.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    pub document: Option<i64>,
    pub class: Option<String>,
    pub status: String,
    pub search: Option<String>,
    pub reach: Option<Reach>,
}

impl Choice {
    /// The filter in words, for the campaign list and the audit log.
    pub fn describe(&self) -> String {
        let status = match self.status.as_str() {
            "outstanding" | "" => "Outstanding",
            "not-signed" => "Not signed",
            "must-resign" => "Must re-sign",
            "signed" => "Signed",
            "paper" => "Signed on paper",
            _ => "Everyone",
        };
        let mut parts = vec![status.to_string()];
        if let Some(c) = &self.class {
            parts.push(format!("class {c}"));
        }
        if let Some(q) = &self.search {
            parts.push(format!("name “{q}”"));
        }
        parts.join(", ")
    }
}

/// A campaign worked out but not yet queued: who, by which channel, and the first message.
pub struct Prepared {
    pub loaded: std::sync::Arc<crate::app::reports::Loaded>,
    pub setup: Setup,
    pub plan: Plan,
    pub sample: Vec<Outgoing>,
    pub chosen: usize,
}

pub async fn prepare(state: &AppState, scope: Scope, c: &Choice) -> Result<Prepared, AppError> {
    let loaded = crate::app::reports::load_for(state, scope, c.document).await?;
    let setup = super::setup::setup(state, scope).await?;
    let status = if c.status.is_empty() {
        "outstanding"
    } else {
        &c.status
    };
    let chosen = loaded.report.carers_where(
        c.class.as_deref(),
        crate::domain::status::StatusFilter::parse(status),
        c.search.as_deref(),
    );
    let known = Reachability::load(state, scope).await?;
    let plan = plan(
        &setup,
        &chosen,
        c.reach.unwrap_or(Reach::EmailFirst),
        &known,
    );
    let sample = if setup.blocked().is_none() {
        sample(state, &setup, &loaded.report, loaded.doc.document.id, &plan).await?
    } else {
        Vec::new()
    };
    Ok(Prepared {
        chosen: chosen.len(),
        loaded,
        setup,
        plan,
        sample,
    })
}

/// Works out the campaign again and queues it, unless nothing can be sent.
pub async fn send(
    state: &AppState,
    by: By<'_>,
    scope: Scope,
    c: &Choice,
) -> Result<Result<i64, String>, AppError> {
    let mut p = prepare(state, scope, c).await?;
    if let Some(why) = p.setup.blocked() {
        return Ok(Err(why));
    }
    if p.plan.recipients.is_empty() {
        return Ok(Err(
            "None of these carers can be reached by the channels set up: print letters for them instead.".into(),
        ));
    }
    if skip_just_invited(state, scope, p.loaded.doc.document.id, &mut p.plan).await? == 0 {
        return Ok(Err(
            "These carers were sent this invitation in the last 10 minutes, so nothing more was sent. See Messages for its progress.".into(),
        ));
    }
    let id = queue(
        state,
        by,
        scope,
        p.loaded.doc.document.id,
        "invitation",
        &c.describe(),
        &p.plan,
    )
    .await?;
    Ok(Ok(id))
}

/// Leaves out of a plan each carer and channel invited to the same document in the last 10
/// minutes (a double press of Send); returns how many carers are left.
pub async fn skip_just_invited(
    state: &AppState,
    scope: Scope,
    document_id: i64,
    plan: &mut Plan,
) -> Result<usize, AppError> {
    let since = state.clock.now() - time::Duration::minutes(10);
    let recent: std::collections::HashSet<(i64, String)> =
        crate::store::delivery::invited_since(&state.db.read, scope, document_id, since)
            .await?
            .into_iter()
            .collect();
    if recent.is_empty() {
        return Ok(plan.recipients.len());
    }
    for r in &mut plan.recipients {
        r.channels
            .retain(|(ch, _)| !recent.contains(&(r.carer_id, ch.as_str().to_string())));
    }
    plan.recipients.retain(|r| !r.channels.is_empty());
    plan.emails = plan
        .recipients
        .iter()
        .flat_map(|r| &r.channels)
        .filter(|(c, _)| *c == Channel::Email)
        .count();
    plan.texts = plan
        .recipients
        .iter()
        .flat_map(|r| &r.channels)
        .filter(|(c, _)| *c == Channel::Sms)
        .count();
    Ok(plan.recipients.len())
}
