//! What a school can send with right now: its settings and the server's configuration worked
//! out into a sender per channel and the address links start with, or why nothing can go yet.

use lettre::message::Mailbox;

use super::notify::{ApiKey, NotifyClient};
use super::settings::public_host;
use super::transport::{Sender, Smtp, SmtpServer};
use crate::app::{AppError, AppState};
use crate::domain::school::Scope;
use crate::store::messaging::Messaging;
use crate::store::schools;

/// What a school can send with, worked out from its settings and the server's configuration.
pub struct Setup {
    pub school_name: String,
    /// The school's own host name, which links use when it has one.
    pub school_host: Option<String>,
    /// The address links start with, or why messages cannot go yet.
    pub base_url: Result<String, String>,
    pub email: Option<Sender>,
    pub sms: Option<Sender>,
    /// Why a channel the settings choose cannot be used.
    pub problems: Vec<String>,
    pub settings: Messaging,
    /// Whether the headteacher has saved the settings (before that, SIGNOFF_SMTP_URL sends).
    pub saved: bool,
}

impl Setup {
    pub fn sender(&self, channel: crate::domain::outreach::Channel) -> Option<&Sender> {
        match channel {
            crate::domain::outreach::Channel::Email => self.email.as_ref(),
            crate::domain::outreach::Channel::Sms => self.sms.as_ref(),
        }
    }

    /// Why nothing can be sent, if so.
    pub fn blocked(&self) -> Option<String> {
        if let Err(why) = &self.base_url {
            return Some(why.clone());
        }
        if self.email.is_none() && self.sms.is_none() {
            return Some(
                self.problems.first().cloned().unwrap_or_else(|| {
                    "No way to send is set up yet: the headteacher chooses email (SMTP or Notify) or text messages (Notify) under Settings, then Sending email and text messages.".to_string()
                }),
            );
        }
        None
    }
}

pub async fn setup(state: &AppState, scope: Scope) -> Result<Setup, AppError> {
    let settings = super::settings::load_saved(state, scope).await?;
    let school = schools::get(&state.db.read, scope)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(build(state, settings, school))
}

/// [`setup`], kept while the settings and the school's name and host are unchanged, so the sender reuses
/// its SMTP connections from one batch to the next.
pub async fn setup_for_sending(
    state: &AppState,
    scope: Scope,
) -> Result<std::sync::Arc<Setup>, AppError> {
    let settings = super::settings::load_saved(state, scope).await?;
    let school = schools::get(&state.db.read, scope)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut cache = state
        .outreach
        .setups
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(kept) = cache.get(&scope)
        && (&kept.settings, kept.saved) == (&settings.0, settings.1)
        && kept.school_name == school.name
        && kept.school_host == school.host
    {
        return Ok(kept.clone());
    }
    let fresh = std::sync::Arc::new(build(state, settings, school));
    cache.insert(scope, fresh.clone());
    Ok(fresh)
}

fn build(state: &AppState, (settings, saved): (Messaging, bool), school: schools::School) -> Setup {
    let sending = &state.config.sending;
    let mut problems = Vec::new();
    // The headteacher's own choice first, then the school's host name, then the server's.
    let base = if !settings.public_url.is_empty() {
        Some(settings.public_url.clone())
    } else if school.host.is_some() {
        Some(crate::app::school::links(state, &school))
    } else {
        state
            .config
            .public_url
            .clone()
            .map(|u| u.trim_end_matches('/').to_string())
    };
    let school_name = school.name;
    let local_ok = state.config.demo || sending.allow_local_links;
    // Trying it out on one machine: links to this machine's own address are fine.
    let base = base.or_else(|| local_ok.then(|| state.config.base_url()));
    let base_url = match base {
        None => Err("Set the portal's public address (under Settings, then Sending email and text messages, or SIGNOFF_PUBLIC_URL) before sending: every message links to it.".to_string()),
        Some(b) => match public_host(&b) {
            None => Err(format!("The public address {b} is not a web address.")),
            Some(h)
                if (h == "localhost" || h.starts_with("127.") || h == "::1" || h == "0.0.0.0")
                    && !local_ok =>
            {
                Err(format!("The public address {b} points at this server itself, so no parent could open the links: set the address parents use."))
            }
            Some(_) => Ok(b),
        },
    };
    let from_address = if settings.from_address.is_empty() {
        base_url
            .as_ref()
            .ok()
            .and_then(|b| public_host(b))
            .map(|h| {
                // A machine's own address makes no mail domain (trying it out): `.invalid` is
                // reserved for exactly that.
                let local =
                    h == "localhost" || h.chars().all(|c| c.is_ascii_digit() || ".:".contains(c));
                format!("no-reply@{}", if local { "signoff.invalid" } else { &h })
            })
            .unwrap_or_default()
    } else {
        settings.from_address.clone()
    };
    let from_name = if settings.from_name.is_empty() {
        school_name.clone()
    } else {
        settings.from_name.clone()
    };
    let email_via = match settings.email_via.as_str() {
        // SIGNOFF_SMTP_URL sends a school's email until its headteacher first saves a choice:
        // "Not at all", once saved, means not at all.
        "none" if sending.smtp_url.is_some() && !saved => "smtp",
        v => v,
    };
    let notify = |template: &str| -> Option<Sender> {
        let key = ApiKey::parse(&settings.notify_key)?;
        Some(Sender::Notify {
            client: NotifyClient::new(&sending.notify_url, key, state.outreach.http.clone()),
            template: template.to_string(),
        })
    };
    let email = match email_via {
        "smtp" => match from_address.parse() {
            Err(_) => {
                problems.push(
                    "Emails need a from-address: set one under Settings, then Sending email and text messages."
                        .to_string(),
                );
                None
            }
            Ok(address) => {
                let from = Mailbox::new(Some(from_name.clone()), address);
                let reply_to = settings
                    .reply_to
                    .parse()
                    .ok()
                    .map(|a| Mailbox::new(None, a));
                let server = SmtpServer {
                    url: sending.smtp_url.as_deref(),
                    host: &settings.smtp_host,
                    port: u16::try_from(settings.smtp_port).unwrap_or(587),
                    security: &settings.smtp_security,
                    user: &settings.smtp_user,
                    password: &settings.smtp_password,
                };
                match Smtp::new(&server, from, reply_to) {
                    Ok(s) => Some(Sender::Smtp(s)),
                    Err(why) => {
                        problems.push(why);
                        None
                    }
                }
            }
        },
        "notify" => notify(&settings.notify_email_template),
        _ => None,
    };
    let sms = if settings.sms_via == "notify" {
        notify(&settings.notify_sms_template)
    } else {
        None
    };
    Setup {
        school_name,
        school_host: school.host,
        base_url,
        email,
        sms,
        problems,
        settings,
        saved,
    }
}
