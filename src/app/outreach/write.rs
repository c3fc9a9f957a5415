//! Writing one carer's message: the school's wording filled in, the personal link, the stop link
//! and the reference that stays the same on every attempt.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::settings::public_host;
use super::setup::Setup;
use super::transport::Outgoing;
use crate::app::{AppError, AppState};
use crate::domain::code::SigningCode;
use crate::domain::dates::read_date;
use crate::domain::i18n::{Lang, Tr};
use crate::domain::outreach::Channel;
use crate::domain::outreach::wording::{Fields, deadline_in, fill, html_part, translated};
use crate::domain::school::Scope;
use crate::store::{documents, messaging};

/// The parts of a message shared by everyone in a campaign.
pub struct Letterhead {
    pub base: String,
    pub school: String,
    pub document: String,
    pub deadline: Option<time::Date>,
}

pub async fn letterhead(
    state: &AppState,
    setup: &Setup,
    scope: Scope,
    document_id: i64,
) -> Result<Letterhead, AppError> {
    let db = &state.db.read;
    let current = documents::current_for_school(db, scope).await?;
    let document = current
        .iter()
        .find(|c| c.document.id == document_id)
        .map(|c| c.version.title.clone())
        .unwrap_or_default();
    let deadline = messaging::plan(db, scope, document_id)
        .await?
        .and_then(|p| read_date(&p.deadline));
    Ok(Letterhead {
        base: setup.base_url.clone().unwrap_or_default(),
        school: setup.school_name.clone(),
        document,
        deadline,
    })
}

/// A keyed hash of a message id, so a stop link cannot be made up for someone else's message.
pub fn stop_token(secret: &[u8], message_id: i64) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(format!("stop:{message_id}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// The reference a message keeps on every attempt: its Message-ID for email, its Notify reference.
pub fn reference(state: &AppState, base: &str, message_id: i64) -> String {
    let instance = &stop_token(&state.secret, 0)[..8];
    let host = public_host(base).unwrap_or_else(|| "signoff.invalid".to_string());
    format!("<signoff.{message_id}.{instance}@{host}>")
}

/// One carer's message, filled in.
#[allow(clippy::too_many_arguments)]
pub fn write(
    state: &AppState,
    setup: &Setup,
    head: &Letterhead,
    channel: Channel,
    to: &str,
    name: &str,
    children: &[String],
    code: &SigningCode,
    message_id: i64,
    lang: Lang,
) -> Outgoing {
    let tr = Tr::new(lang);
    let link = format!("{}/s/{}", head.base, code.as_str());
    let stop_url = format!(
        "{}/stop/{message_id}/{}",
        head.base,
        stop_token(&state.secret, message_id)
    );
    let fields = Fields {
        name: name.to_string(),
        children: tr.list(children),
        school: head.school.clone(),
        document: head.document.clone(),
        deadline: deadline_in(&tr, head.deadline),
        link: link.clone(),
        code: code.display(),
        signing_page: format!("{}/sign", head.base),
    };
    let s = &setup.settings;
    // English carers get the school's own wording; others the catalogue's, in their language.
    let (subject, email, sms) = if lang == Lang::English {
        (
            fill(&s.email_subject, &fields),
            fill(&s.email_body, &fields),
            fill(&s.sms_body, &fields),
        )
    } else {
        translated(&tr, &fields)
    };
    let (subject, text) = match channel {
        Channel::Email => (subject, email),
        Channel::Sms => (String::new(), sms),
    };
    let stop_words = tr.t("msg-stop-email");
    let html = match channel {
        Channel::Email => html_part(&text, &link, &stop_url, &stop_words),
        Channel::Sms => String::new(),
    };
    Outgoing {
        channel,
        to: to.to_string(),
        subject,
        text,
        html,
        reference: reference(state, &head.base, message_id),
        stop_url,
        stop_words,
        fields,
    }
}

/// [`write`] with the letterhead loaded for it (for previews).
#[allow(clippy::too_many_arguments)]
pub async fn compose(
    state: &AppState,
    setup: &Setup,
    document_id: i64,
    channel: Channel,
    to: &str,
    name: &str,
    children: &[String],
    code: &SigningCode,
    message_id: i64,
    lang: Lang,
) -> Result<Outgoing, AppError> {
    let head = letterhead(state, setup, setup.settings.scope, document_id).await?;
    Ok(write(
        state, setup, &head, channel, to, name, children, code, message_id, lang,
    ))
}
