//! A school's sending settings: which channels, the SMTP server or Notify key, the public address
//! links are built from, and the wording. Secrets are kept but never shown again.

use super::notify::ApiKey;
use crate::app::{AppError, AppState, FieldErrors};
use crate::domain::email::Email;
use crate::domain::outreach::wording::{self, DEFAULT_EMAIL, DEFAULT_SMS, DEFAULT_SUBJECT};
use crate::domain::role::Actor;
use crate::domain::school::Scope;
use crate::domain::secret::new_token;
use crate::domain::text::tidy_block;
use crate::store::audit;
use crate::store::messaging;
pub use crate::store::messaging::Messaging;

/// The settings as the page shows them: saved values, or the defaults before the first save.
pub async fn load(state: &AppState, scope: Scope) -> Result<Messaging, AppError> {
    Ok(messaging::get(&state.db.read, scope)
        .await?
        .unwrap_or_else(|| defaults(scope)))
}

/// [`load`], and whether the headteacher has saved the settings yet.
pub async fn load_saved(state: &AppState, scope: Scope) -> Result<(Messaging, bool), AppError> {
    Ok(match messaging::get(&state.db.read, scope).await? {
        Some(m) => (m, true),
        None => (defaults(scope), false),
    })
}

fn defaults(scope: Scope) -> Messaging {
    Messaging {
        scope,
        public_url: String::new(),
        email_via: "none".into(),
        sms_via: "none".into(),
        smtp_host: String::new(),
        smtp_port: 587,
        smtp_security: "starttls".into(),
        smtp_user: String::new(),
        smtp_password: String::new(),
        from_name: String::new(),
        from_address: String::new(),
        reply_to: String::new(),
        notify_key: String::new(),
        notify_email_template: String::new(),
        notify_sms_template: String::new(),
        callback_token: String::new(),
        email_subject: DEFAULT_SUBJECT.into(),
        email_body: DEFAULT_EMAIL.into(),
        sms_body: DEFAULT_SMS.into(),
    }
}

/// The form as typed. Blank secrets keep the saved ones. No `Debug`, for the same reason as
/// [`Messaging`].
#[derive(Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct Typed {
    pub public_url: String,
    pub email_via: String,
    pub sms_via: String,
    pub smtp_host: String,
    pub smtp_port: String,
    pub smtp_security: String,
    pub smtp_user: String,
    pub smtp_password: String,
    pub forget_password: Option<String>,
    pub from_name: String,
    pub from_address: String,
    pub reply_to: String,
    pub notify_key: String,
    pub notify_email_template: String,
    pub notify_sms_template: String,
    pub email_subject: String,
    pub email_body: String,
    pub sms_body: String,
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Checks the form against the saved settings; returns what to save or what to put right.
fn check(state: &AppState, saved: &Messaging, t: &Typed) -> Result<Messaging, FieldErrors> {
    let mut errors: FieldErrors = Vec::new();
    let mut err = |f: &str, m: String| errors.push((f.to_string(), m));
    let mut m = saved.clone();
    m.public_url = t.public_url.trim().trim_end_matches('/').to_string();
    if !m.public_url.is_empty() && public_host(&m.public_url).is_none() {
        err(
            "public_url",
            "Enter the portal's address as parents reach it, starting https://, like https://sign.oakfield.sch.uk.".into(),
        );
    }
    m.email_via = match t.email_via.as_str() {
        v @ ("none" | "smtp" | "notify") => v.to_string(),
        _ => {
            err("email_via", "Choose how emails are sent.".into());
            saved.email_via.clone()
        }
    };
    m.sms_via = match t.sms_via.as_str() {
        v @ ("none" | "notify") => v.to_string(),
        _ => {
            err("sms_via", "Choose how text messages are sent.".into());
            saved.sms_via.clone()
        }
    };
    m.smtp_host = t.smtp_host.trim().to_string();
    m.smtp_security = match t.smtp_security.as_str() {
        v @ ("starttls" | "tls" | "none") => v.to_string(),
        _ => "starttls".to_string(),
    };
    m.smtp_user = t.smtp_user.trim().to_string();
    if t.forget_password.is_some() {
        m.smtp_password.clear();
    } else if !t.smtp_password.is_empty() {
        m.smtp_password = t.smtp_password.clone();
    }
    m.from_name = t.from_name.trim().to_string();
    m.from_address = t.from_address.trim().to_string();
    m.reply_to = t.reply_to.trim().to_string();
    let smtp_from_url = state.config.sending.smtp_url.is_some();
    if m.email_via == "smtp" {
        if !smtp_from_url {
            if m.smtp_host.is_empty() || m.smtp_host.contains(char::is_whitespace) {
                err(
                    "smtp_host",
                    "Enter the mail server's name, like smtp.office365.com.".into(),
                );
            }
            match t.smtp_port.trim().parse::<u16>() {
                Ok(p) if p > 0 => m.smtp_port = i64::from(p),
                _ => err(
                    "smtp_port",
                    "Enter the port as a number, usually 587 (or 465 for TLS).".into(),
                ),
            }
        }
        match Email::parse(&m.from_address) {
            Ok(e) => m.from_address = e.as_str().to_string(),
            Err(_) => err(
                "from_address",
                "Enter the address emails come from, like office@oakfield.sch.uk.".into(),
            ),
        }
    }
    if !m.reply_to.is_empty() {
        match Email::parse(&m.reply_to) {
            Ok(e) => m.reply_to = e.as_str().to_string(),
            Err(_) => err(
                "reply_to",
                "Enter the reply-to address in the right form, or leave it blank.".into(),
            ),
        }
    }
    if !t.notify_key.trim().is_empty() {
        if ApiKey::parse(&t.notify_key).is_some() {
            m.notify_key = t.notify_key.trim().to_string();
        } else {
            err(
                "notify_key",
                "Paste the whole API key from Notify's API integration page: it ends with two long codes separated by hyphens.".into(),
            );
        }
    }
    m.notify_email_template = t.notify_email_template.trim().to_string();
    m.notify_sms_template = t.notify_sms_template.trim().to_string();
    let uses_notify = uses_notify(&m);
    if uses_notify && m.notify_key.is_empty() && t.notify_key.trim().is_empty() {
        err(
            "notify_key",
            "Paste your Notify API key to send by Notify.".into(),
        );
    }
    if m.email_via == "notify" && !is_uuid(&m.notify_email_template) {
        err("notify_email_template", "Paste the email template's ID from Notify (36 characters, like f33517ff-2a88-4f6e-b855-c550268ce08a).".into());
    }
    if m.sms_via == "notify" && !is_uuid(&m.notify_sms_template) {
        err(
            "notify_sms_template",
            "Paste the text message template's ID from Notify (36 characters).".into(),
        );
    }
    if uses_notify && m.callback_token.is_empty() {
        m.callback_token = new_token();
    }
    m.email_subject = t.email_subject.trim().to_string();
    m.email_body = tidy_block(&t.email_body);
    m.sms_body = t.sms_body.trim().replace(['\r', '\n'], " ");
    if m.email_subject.is_empty() || m.email_subject.chars().count() > 150 {
        err(
            "email_subject",
            "Write a subject of up to 150 characters.".into(),
        );
    }
    for p in wording::problems(&m.email_subject, false) {
        err("email_subject", p);
    }
    if m.email_body.is_empty() || m.email_body.chars().count() > 5000 {
        err(
            "email_body",
            "Write the email's text (up to 5,000 characters).".into(),
        );
    }
    for p in wording::problems(&m.email_body, true) {
        err("email_body", p);
    }
    if m.sms_body.is_empty() || m.sms_body.chars().count() > 459 {
        err(
            "sms_body",
            "Write the text message (up to 459 characters, three parts).".into(),
        );
    }
    for p in wording::problems(&m.sms_body, true) {
        err("sms_body", p);
    }
    if errors.is_empty() {
        Ok(m)
    } else {
        Err(errors)
    }
}

/// Whether either channel goes by Notify (the only one that reports deliveries back).
pub fn uses_notify(m: &Messaging) -> bool {
    m.email_via == "notify" || m.sms_via == "notify"
}

/// The host of an http(s) address with nothing after it but an optional path prefix.
pub fn public_host(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_port = rest.split('/').next()?;
    let host = if host_port.starts_with('[') {
        host_port
            .split(']')
            .next()?
            .trim_start_matches('[')
            .to_string()
    } else {
        host_port.split(':').next()?.to_string()
    };
    let path = &rest[host_port.len()..];
    let ok = !host.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c))
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c));
    ok.then(|| host.to_ascii_lowercase())
}

/// Saves the sending settings with an audit event (which never records a secret).
pub async fn save(
    state: &AppState,
    me: &Actor,
    t: &Typed,
) -> Result<Result<(), (FieldErrors, Messaging)>, AppError> {
    let saved = load(state, me.scope).await?;
    let m = match check(state, &saved, t) {
        Ok(m) => m,
        Err(errors) => return Ok(Err((errors, saved))),
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    messaging::save(&mut *tx, &m, now).await?;
    audit::by_staff(
        &mut *tx,
        me,
        now,
        "messaging.settings_changed",
        &format!("school:{}", me.scope.id()),
        &format!("email by {}, texts by {}", m.email_via, m.sms_via),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
