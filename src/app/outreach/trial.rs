//! "Send a test message": one message straight to the headteacher's own address or phone, with
//! the server's answer in plain words, so a wrong password shows before a real campaign.

use super::setup::setup;
use super::transport::Outgoing;
use super::write::{letterhead, write};
use crate::app::{AppError, AppState};
use crate::domain::code::SigningCode;
use crate::domain::outreach::Channel;
use crate::domain::outreach::contact::{usable_email, usable_mobile};
use crate::domain::role::Actor;

/// Sends a test to `to` (an email address or a UK mobile number); says what happened.
pub async fn send_test(
    state: &AppState,
    me: &Actor,
    to: &str,
) -> Result<Result<String, String>, AppError> {
    let su = setup(state, me.scope).await?;
    let (channel, address) = if let Some(e) = usable_email(to) {
        (Channel::Email, e)
    } else if let Some(m) = usable_mobile(to) {
        (Channel::Sms, m)
    } else {
        return Ok(Err(
            "Enter an email address or a UK mobile number to send the test to.".into(),
        ));
    };
    let Some(sender) = su.sender(channel) else {
        if let Some(problem) = su.problems.first() {
            return Ok(Err(problem.clone()));
        }
        return Ok(Err(format!(
            "Sending by {} is not set up: choose how under “{}” and save first.",
            channel.label(),
            if channel == Channel::Email {
                "Email"
            } else {
                "Text messages"
            }
        )));
    };
    let base = match &su.base_url {
        Ok(b) => b.clone(),
        Err(why) => return Ok(Err(why.clone())),
    };
    let doc = crate::store::documents::current_for_school(&state.db.read, me.scope)
        .await?
        .first()
        .map(|c| c.document.id)
        .unwrap_or(0);
    let head = letterhead(state, &su, me.scope, doc).await?;
    let mut m: Outgoing = write(
        state,
        &su,
        &head,
        channel,
        &address,
        &me.name,
        &["(your children)".to_string()],
        &SigningCode::generate(),
        0,
        crate::domain::i18n::Lang::English,
    );
    m.subject = format!("Test: {}", m.subject);
    m.reference = format!(
        "<signoff.test.{}@{}>",
        crate::domain::secret::new_token(),
        super::settings::public_host(&base).unwrap_or_default()
    );
    Ok(match sender.send(&m).await {
        Ok(a) => Ok(format!(
            "Sent a test {} to {address}. The server answered: {}. (Its link is a sample and does not open a form.)",
            channel.label(),
            a.answer
        )),
        Err(failure) => Err(failure.why().to_string()),
    })
}
