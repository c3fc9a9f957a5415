//! The sender: a background task that works through the outbox. Each batch is checked (has the
//! carer signed, left, opted out? is it sending hours?), claimed in one transaction that writes
//! each message's fresh code and reference, sent at each channel's pace, and its results written
//! in one more. A message claimed but not finished when the portal stopped is sent again under
//! the same reference, unless Notify says it already has it.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::StreamExt;
use time::OffsetDateTime;

use super::setup::{Setup, setup_for_sending};
use super::transport::{Failure, Outgoing, Sender};
use super::write::{Letterhead, letterhead, write};
use crate::app::{AppError, AppState};
use crate::domain::code::SigningCode;
use crate::domain::i18n::Lang;
use crate::domain::outreach::Channel;
use crate::domain::outreach::schedule::{next_sending_time, within_sending_hours};
use crate::domain::school::Scope;
use crate::store::outbox::{self, Due};
use crate::store::{Touched, carers, codes, messaging, status};

/// Messages taken from the outbox at a time (a multiple of [`LANES`], so no wave goes half empty).
pub const BATCH: i64 = 32;
/// Messages sent at once on each channel.
const LANES: usize = 8;
/// Tries before a message put off by its own server (a full mailbox) is given up as failed; an
/// outage or a rate limit never uses them up.
const MAX_ATTEMPTS: i64 = 8;

/// Runs until the process ends: recovers interrupted sends, then sends what is due and, once a
/// minute, queues reminders and picks up any send left unfinished by a failed write.
pub async fn run(state: AppState) {
    if let Err(e) = recover(&state).await {
        tracing::error!(error = ?e, "could not recover messages interrupted by the last stop");
    }
    let mut last_schedule: Option<tokio::time::Instant> = None;
    while !state.outreach.is_stopping() {
        if last_schedule.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
            last_schedule = Some(tokio::time::Instant::now());
            if let Err(e) = super::reminders::queue_due(&state).await {
                tracing::error!(error = ?e, "could not queue reminders");
            }
            // A send takes at most 30 s (the SMTP and HTTP timeouts): one marked `sending` ten
            // minutes ago belongs to a batch whose results could not be written.
            let cutoff = state.clock.now() - time::Duration::minutes(10);
            if let Err(e) = resume(&state, cutoff).await {
                tracing::error!(error = ?e, "could not resume unfinished messages");
            }
        }
        match send_due(&state).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::error!(error = ?e, "sending messages failed; trying again shortly"),
        }
        tokio::select! {
            _ = state.outreach.wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

/// Sends again (or, where Notify already has them, marks sent) the messages left mid-send when
/// the portal last stopped.
pub async fn recover(state: &AppState) -> Result<(), AppError> {
    resume(state, state.clock.now() + time::Duration::days(1)).await
}

/// [`recover`] for the messages marked `sending` before `cutoff`.
pub async fn resume(state: &AppState, cutoff: OffsetDateTime) -> Result<(), AppError> {
    let stuck = outbox::interrupted(&state.db.read, cutoff).await?;
    if !stuck.is_empty() {
        tracing::warn!(
            count = stuck.len(),
            "resuming messages interrupted by the last stop"
        );
        for chunk in stuck.chunks(BATCH as usize) {
            process(state, chunk.to_vec(), true).await?;
        }
    }
    Ok(())
}

/// Sends one batch of due messages; returns how many were handled.
pub async fn send_due(state: &AppState) -> Result<usize, AppError> {
    let due = outbox::due(&state.db.read, state.clock.now(), BATCH).await?;
    let n = due.len();
    if n > 0 {
        process(state, due, false).await?;
    }
    Ok(n)
}

/// What happens to one message.
enum Step {
    Send(Box<Outgoing>, SigningCode),
    Requeue(OffsetDateTime, String),
    Finish(&'static str, String),
}

async fn process(state: &AppState, batch: Vec<Due>, recovering: bool) -> Result<(), AppError> {
    let now = state.clock.now();
    let db = &state.db.read;
    let mut setups: HashMap<Scope, std::sync::Arc<Setup>> = HashMap::new();
    let mut heads: HashMap<i64, Letterhead> = HashMap::new();
    let mut steps = Vec::with_capacity(batch.len());
    for d in &batch {
        if let std::collections::hash_map::Entry::Vacant(e) = setups.entry(d.scope) {
            e.insert(setup_for_sending(state, d.scope).await?);
        }
        let su = &setups[&d.scope];
        let ch = Channel::parse(&d.channel).unwrap_or(Channel::Email);
        let opted_out = messaging::opt_outs_of(db, d.scope, d.carer_id)
            .await?
            .iter()
            .any(|(c, _)| c == ch.as_str());
        let step = if opted_out {
            Step::Finish("opted_out", "The carer asked for no more of these.".into())
        } else if let Some(why) = su.blocked() {
            Step::Requeue(now + time::Duration::minutes(5), format!("Waiting: {why}"))
        } else if su.sender(ch).is_none() {
            Step::Requeue(
                now + time::Duration::minutes(5),
                format!("Waiting: sending by {} is not set up.", ch.label()),
            )
        } else {
            match status::still_to_sign(db, d.scope, d.carer_id, d.document_id).await? {
                None => Step::Finish("cancelled", "The carer has left the school.".into()),
                Some(false) => Step::Finish("cancelled", "Signed before this was sent.".into()),
                Some(true) if d.kind == "reminder" && !within_sending_hours(now) => Step::Requeue(
                    next_sending_time(now),
                    "Held until 08:00: reminders go between 08:00 and 20:00.".into(),
                ),
                Some(true) => {
                    if let std::collections::hash_map::Entry::Vacant(e) = heads.entry(d.campaign_id)
                    {
                        e.insert(letterhead(state, su, d.scope, d.document_id).await?);
                    }
                    let carer = carers::carer(db, d.scope, d.carer_id).await?;
                    let children: Vec<String> = carers::children(db, d.scope, d.carer_id)
                        .await?
                        .into_iter()
                        .map(|c| c.first_name)
                        .collect();
                    let lang = Lang::of_tag(carer.as_ref().and_then(|c| c.language.as_deref()));
                    let name = carer.map(|c| c.full_name()).unwrap_or_default();
                    let code = SigningCode::generate();
                    let m = write(
                        state,
                        su,
                        &heads[&d.campaign_id],
                        ch,
                        &d.recipient,
                        &name,
                        &children,
                        &code,
                        d.id,
                        lang,
                    );
                    Step::Send(Box::new(m), code)
                }
            }
        };
        steps.push(step);
    }

    // Claim: every message to send gets its code and reference before anything leaves.
    let mut code_ids = vec![None; batch.len()];
    // Messages are on no kept page or report; the codes they carry are their carers'.
    let carer_ids: Vec<i64> = batch.iter().map(|d| d.carer_id).collect();
    let mut tx = state
        .db
        .begin()
        .await?
        .touching(Touched::Carers(carer_ids.clone()));
    for (i, (d, step)) in batch.iter().zip(&steps).enumerate() {
        match step {
            Step::Send(m, code) => {
                let code_id = codes::add(&mut *tx, d.scope, d.carer_id, &code.hash(), now).await?;
                outbox::mark_sending(&mut *tx, d.scope, d.id, &m.reference, code_id, now).await?;
                code_ids[i] = Some(code_id);
            }
            Step::Requeue(at, why) => {
                outbox::requeue(&mut *tx, d.scope, d.id, *at, why, now).await?
            }
            Step::Finish(status, why) => {
                outbox::finish(&mut *tx, d.scope, d.id, status, why, now).await?
            }
        }
    }
    tx.commit().await?;

    // Send, each channel at its own pace, both channels at once.
    let mut by_channel: HashMap<Channel, Vec<(usize, &Outgoing)>> = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        if let Step::Send(m, _) = step {
            by_channel.entry(m.channel).or_default().push((i, m));
        }
    }
    // Several at once per channel: each SMTP message waits a round trip or two (and often a
    // delayed ACK) and each Notify request about a tenth of a second, so one at a time would
    // cap a campaign far below its rate. The pace still holds each channel to its rate.
    let send_channel = |ch: Channel| {
        let list: Vec<(usize, Outgoing)> = by_channel
            .get(&ch)
            .map(|v| v.iter().map(|(i, m)| (*i, (*m).clone())).collect())
            .unwrap_or_default();
        let setups = &setups;
        let batch = &batch;
        futures_util::stream::iter(list)
            .map(move |(i, mut m): (usize, Outgoing)| async move {
                let d = &batch[i];
                let Some(sender) = setups[&d.scope].sender(ch) else {
                    return (i, Err(Failure::Setup("Sending is not set up.".into())));
                };
                // After a crash, a timeout or an outage, Notify may have the message already:
                // ask it by reference before sending again (never send while unsure).
                if (recovering || d.attempts > 0)
                    && let Some(r) = d.provider_ref.as_deref()
                {
                    match sender.already_sent(r).await {
                        Ok(Some(id)) => return (i, Ok(Some(id))),
                        Ok(None) => {}
                        Err(f) => return (i, Err(f)),
                    }
                }
                state.outreach.pace(ch).await;
                if let Some(r) = &d.provider_ref {
                    m.reference = r.clone();
                }
                (i, send_one(sender, &m).await)
            })
            .buffer_unordered(LANES)
            .collect::<Vec<_>>()
    };
    let (emails, texts) = tokio::join!(send_channel(Channel::Email), send_channel(Channel::Sms));

    let now = state.clock.now();
    let mut tx = state.db.begin().await?.touching(Touched::Carers(carer_ids));
    for (i, result) in emails.into_iter().chain(texts) {
        let d = &batch[i];
        let attempts = d.attempts + 1;
        // A message that did not go takes its code with it; the next attempt carries a new one.
        if result.is_err()
            && let Some(code_id) = code_ids[i]
        {
            codes::revoke(&mut *tx, d.scope, code_id, now).await?;
        }
        match result {
            Ok(notify_id) => {
                outbox::mark_sent(&mut *tx, d.scope, d.id, notify_id.as_deref(), now).await?
            }
            Err(Failure::Permanent(why)) => {
                outbox::finish(&mut *tx, d.scope, d.id, "failed", &why, now).await?
            }
            Err(Failure::Setup(why)) => {
                let at = now + time::Duration::minutes(10);
                outbox::requeue(&mut *tx, d.scope, d.id, at, &format!("Waiting: {why}"), now)
                    .await?
            }
            Err(Failure::Busy { after, why }) => {
                let at = now + wait(after, attempts);
                outbox::requeue(&mut *tx, d.scope, d.id, at, &format!("Waiting: {why}"), now)
                    .await?
            }
            Err(Failure::Retry { .. }) if attempts >= MAX_ATTEMPTS => {
                let why = format!("Gave up after {attempts} tries.");
                outbox::finish(&mut *tx, d.scope, d.id, "failed", &why, now).await?
            }
            Err(Failure::Retry { after, why }) => {
                let at = now + wait(after, attempts);
                outbox::requeue(
                    &mut *tx,
                    d.scope,
                    d.id,
                    at,
                    &format!("Will try again: {why}"),
                    now,
                )
                .await?
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

fn wait(after: Option<Duration>, attempts: i64) -> time::Duration {
    let wait = after.unwrap_or_else(|| backoff(attempts));
    time::Duration::try_from(wait).unwrap_or(time::Duration::minutes(1))
}

async fn send_one(sender: &Sender, m: &Outgoing) -> Result<Option<String>, Failure> {
    sender.send(m).await.map(|a| a.notify_id)
}

/// 30 s, 1 min, 2 min… up to an hour.
fn backoff(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    Duration::from_secs((30u64 << exp).min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(8), Duration::from_secs(3600));
    }
}
