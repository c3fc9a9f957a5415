//! The headteacher's sending settings: channels, the SMTP server or Notify key, the public
//! address, the wording, and a test message.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::AppState;
use crate::app::outreach::settings::Messaging;
use crate::app::outreach::settings::{self, Typed};
use crate::app::outreach::trial;
use crate::domain::i18n::{Lang, Tr};
use crate::domain::outreach::wording::{
    Fields, PLACEHOLDERS, deadline_in, deadline_phrase, fill, sms_size, translated,
};
use crate::web::error::AppError;
use crate::web::extract::HeadForm;
use crate::web::session::{Head, Staff};

#[derive(Template, WebTemplate)]
#[template(path = "head/messaging.html")]
pub struct MessagingPage {
    pub school_name: String,
    pub staff: Staff,
    pub f: Typed,
    pub password_saved: bool,
    pub key_saved: bool,
    pub smtp_url: Option<String>,
    pub callback_url: String,
    pub callback_token: String,
    pub effective_base: Result<String, String>,
    pub placeholders: Vec<(&'static str, &'static str)>,
    pub sms_sample: String,
    pub sms_parts: usize,
    pub sms_unicode: bool,
    /// The same sample as a Welsh carer gets it (the portal's Welsh wording), and its parts.
    pub sms_welsh: String,
    pub sms_welsh_parts: usize,
    pub errors: Vec<(String, String)>,
    pub saved: bool,
    pub test_to: String,
    pub test_result: Option<Result<String, String>>,
}

fn typed_from(m: &Messaging) -> Typed {
    Typed {
        public_url: m.public_url.clone(),
        email_via: m.email_via.clone(),
        sms_via: m.sms_via.clone(),
        smtp_host: m.smtp_host.clone(),
        smtp_port: m.smtp_port.to_string(),
        smtp_security: m.smtp_security.clone(),
        smtp_user: m.smtp_user.clone(),
        smtp_password: String::new(),
        forget_password: None,
        from_name: m.from_name.clone(),
        from_address: m.from_address.clone(),
        reply_to: m.reply_to.clone(),
        notify_key: String::new(),
        notify_email_template: m.notify_email_template.clone(),
        notify_sms_template: m.notify_sms_template.clone(),
        email_subject: m.email_subject.clone(),
        email_body: m.email_body.clone(),
        sms_body: m.sms_body.clone(),
    }
}

async fn page(
    state: &AppState,
    me: Staff,
    f: Typed,
    errors: Vec<(String, String)>,
) -> Result<MessagingPage, AppError> {
    let saved = settings::load(state, me.scope).await?;
    let setup = crate::app::outreach::setup::setup(state, me.scope).await?;
    let school_name = setup.school_name.clone();
    let base = setup
        .base_url
        .clone()
        .unwrap_or_else(|_| state.config.base_url());
    let sample = fill(
        &f.sms_body,
        &Fields {
            name: "Amy Greaves".into(),
            children: "Ben and Cara".into(),
            school: school_name.clone(),
            document: "Social Media Code of Conduct for Parents".into(),
            deadline: deadline_phrase(Some(time::macros::date!(2026 - 12 - 12))),
            link: format!("{base}/s/KDFR7QXPM3"),
            code: "KDFR-7QXP-M3".into(),
            signing_page: format!("{base}/sign"),
        },
    );
    let size = sms_size(&sample);
    let cy = Tr::new(Lang::Welsh);
    let (_, _, sms_welsh) = translated(
        &cy,
        &Fields {
            name: "Amy Greaves".into(),
            children: "Ben a Cara".into(),
            school: school_name.clone(),
            document: "Cod Ymddygiad i Rieni".into(),
            deadline: deadline_in(&cy, Some(time::macros::date!(2026 - 12 - 12))),
            link: format!("{base}/s/KDFR7QXPM3"),
            code: "KDFR-7QXP-M3".into(),
            signing_page: format!("{base}/sign"),
        },
    );
    Ok(MessagingPage {
        sms_welsh_parts: sms_size(&sms_welsh).parts,
        sms_welsh,
        password_saved: !saved.smtp_password.is_empty(),
        key_saved: !saved.notify_key.is_empty(),
        smtp_url: state.config.sending.smtp_url.as_ref().map(|u| {
            // Show the server, never the password in the address.
            let server = u.rsplit('@').next().unwrap_or(u);
            server
                .trim_start_matches("smtps://")
                .trim_start_matches("smtp://")
                .to_string()
        }),
        callback_url: format!("{base}/notify/callback"),
        callback_token: saved.callback_token.clone(),
        effective_base: setup.base_url.clone(),
        placeholders: PLACEHOLDERS.to_vec(),
        sms_sample: sample,
        sms_parts: size.parts,
        sms_unicode: size.unicode,
        errors,
        saved: false,
        test_to: me.email.clone(),
        test_result: None,
        school_name,
        f,
        staff: me,
    })
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /head/messaging`.
pub async fn show_messaging(
    State(state): State<AppState>,
    Head(me): Head,
    Query(q): Query<SavedQuery>,
) -> Result<MessagingPage, AppError> {
    let m = settings::load(&state, me.scope).await?;
    let mut p = page(&state, me, typed_from(&m), Vec::new()).await?;
    p.saved = q.saved.is_some();
    Ok(p)
}

/// `POST /head/messaging`.
pub async fn save_messaging(
    State(state): State<AppState>,
    HeadForm(me, f): HeadForm<Typed>,
) -> Result<Response, AppError> {
    match settings::save(&state, &me, &f).await? {
        Ok(()) => Ok(Redirect::to("/head/messaging?saved=1").into_response()),
        Err((errors, _)) => {
            // Secrets typed are never sent back into the page.
            let kept = Typed {
                smtp_password: String::new(),
                notify_key: String::new(),
                ..f
            };
            let p = page(&state, me, kept, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct TestForm {
    #[serde(default)]
    to: String,
}

/// `POST /head/messaging/test`: sends one message now and says what the server answered.
pub async fn send_test_message(
    State(state): State<AppState>,
    HeadForm(me, f): HeadForm<TestForm>,
) -> Result<Response, AppError> {
    let result = trial::send_test(&state, &me, &f.to).await?;
    let m = settings::load(&state, me.scope).await?;
    let failed = result.is_err();
    let mut p = page(&state, me, typed_from(&m), Vec::new()).await?;
    p.test_to = f.to.chars().take(200).collect();
    p.test_result = Some(result);
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, p).into_response())
}
