//! Handing a message to the outside world: an SMTP server (through `lettre`) or GOV.UK Notify,
//! and what their answers mean in plain words.

use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::notify::NotifyClient;
use crate::domain::outreach::Channel;
use crate::domain::outreach::wording::Fields;

/// One message ready to go.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub channel: Channel,
    pub to: String,
    pub subject: String,
    /// The plain text (all of a text message).
    pub text: String,
    pub html: String,
    /// The Message-ID (email) or Notify reference: the same on every attempt.
    pub reference: String,
    pub stop_url: String,
    /// What comes before the stop link in an email, in the carer's language.
    pub stop_words: String,
    pub fields: Fields,
}

/// Why a message did not go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// This message was put off (a full mailbox, greylisting): try it again later, a few times.
    Retry {
        after: Option<Duration>,
        why: String,
    },
    /// The server is down, busy or rate-limiting: every message waits, none is given up for it.
    Busy {
        after: Option<Duration>,
        why: String,
    },
    /// This address or number will never work.
    Permanent(String),
    /// The school's settings are wrong (a refused password or key): try again once they are fixed.
    Setup(String),
}

impl Failure {
    pub fn why(&self) -> &str {
        match self {
            Failure::Retry { why, .. }
            | Failure::Busy { why, .. }
            | Failure::Permanent(why)
            | Failure::Setup(why) => why,
        }
    }
}

/// An SMTP server, as configured on the settings page or by `SIGNOFF_SMTP_URL`.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    /// What the settings page shows as the server ("smtp.example.org:587").
    pub server: String,
}

/// How to reach an SMTP server.
pub struct SmtpServer<'a> {
    pub url: Option<&'a str>,
    pub host: &'a str,
    pub port: u16,
    pub security: &'a str,
    pub user: &'a str,
    pub password: &'a str,
}

impl Smtp {
    pub fn new(
        server: &SmtpServer,
        from: Mailbox,
        reply_to: Option<Mailbox>,
    ) -> Result<Smtp, String> {
        let (builder, shown) = match server.url {
            Some(url) => {
                let shown = url
                    .rsplit('@')
                    .next()
                    .unwrap_or(url)
                    .trim_start_matches("smtps://")
                    .trim_start_matches("smtp://")
                    .to_string();
                let b = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("SIGNOFF_SMTP_URL cannot be used: {e}"))?;
                (b, shown)
            }
            None => {
                let host = server.host.trim();
                let tls = match server.security {
                    "none" => Tls::None,
                    other => {
                        let params = TlsParameters::new(host.to_string()).map_err(|e| {
                            format!("Cannot set up a secure connection to {host}: {e}")
                        })?;
                        if other == "tls" {
                            Tls::Wrapper(params)
                        } else {
                            Tls::Required(params)
                        }
                    }
                };
                let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                    .port(server.port)
                    .tls(tls);
                if !server.user.is_empty() {
                    b = b.credentials(Credentials::new(
                        server.user.to_string(),
                        server.password.to_string(),
                    ));
                }
                (b, format!("{host}:{}", server.port))
            }
        };
        Ok(Smtp {
            transport: builder.timeout(Some(Duration::from_secs(30))).build(),
            from,
            reply_to,
            server: shown,
        })
    }

    /// Sends one multipart email; on success returns the server's answer.
    pub async fn send(&self, m: &Outgoing) -> Result<String, Failure> {
        let to: Mailbox =
            m.to.parse()
                .map_err(|_| Failure::Permanent(format!("{} is not an email address", m.to)))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(m.reference.clone()))
            .header(ListUnsubscribe(format!("<{}>", m.stop_url)))
            .header(ListUnsubscribePost)
            .date_now();
        if let Some(r) = &self.reply_to {
            builder = builder.reply_to(r.clone());
        }
        let email = builder
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(format!("{}\n\n{} {}\n", m.text, m.stop_words, m.stop_url)),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(m.html.clone()),
                    ),
            )
            .map_err(|e| Failure::Permanent(format!("The message could not be written: {e}")))?;
        match self.transport.send(email).await {
            Ok(answer) => Ok(format!(
                "{} {}",
                answer.code(),
                answer.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) => Err(smtp_failure(&e, &self.server)),
        }
    }
}

/// What an SMTP error means, in words for the office and a decision for the sender. Only a
/// refusal of the mailbox itself (5.1.x, or a bare 550/551/553) fails the message: a policy
/// refusal (5.7.x: not allowed to send as that address, relaying denied) is the settings' fault.
fn smtp_failure(e: &lettre::transport::smtp::Error, server: &str) -> Failure {
    let detail = e.to_string();
    if let Some(code) = e.status() {
        let code = code.to_string();
        let policy = detail.contains("5.7.")
            || detail.to_ascii_lowercase().contains("relay")
            || ["530", "534", "535"].contains(&code.as_str());
        if code == "535" || code == "534" || code == "530" {
            return Failure::Setup(format!(
                "The mail server refused the user name or password ({code}): check them in the settings."
            ));
        }
        if e.is_permanent() && policy {
            return Failure::Setup(format!(
                "The mail server refused to send for this portal ({detail}): check the from-address and that the server lets this user send as it."
            ));
        }
        if e.is_permanent() {
            return Failure::Permanent(format!("The mail server refused this address ({detail})."));
        }
        return Failure::Retry {
            after: None,
            why: format!("The mail server asked us to try again later ({detail})."),
        };
    }
    if e.is_tls() {
        return Failure::Setup(format!(
            "Could not start a secure connection with {server}: check the security setting ({detail})."
        ));
    }
    if e.is_timeout() {
        return Failure::Busy {
            after: None,
            why: format!("{server} did not answer in time."),
        };
    }
    Failure::Busy {
        after: None,
        why: format!(
            "Could not reach the mail server {server} ({detail}): check the host and port."
        ),
    }
}

/// `List-Unsubscribe: <https://…/stop/…>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): one click, no sign-in.
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// How one channel is sent.
pub enum Sender {
    Smtp(Smtp),
    Notify {
        client: NotifyClient,
        template: String,
    },
}

/// What a successful send leaves behind.
pub struct Accepted {
    /// Notify's id for the message, to match its status callbacks.
    pub notify_id: Option<String>,
    /// The server's answer, in words.
    pub answer: String,
}

impl Sender {
    pub async fn send(&self, m: &Outgoing) -> Result<Accepted, Failure> {
        match self {
            Sender::Smtp(smtp) => smtp.send(m).await.map(|answer| Accepted {
                notify_id: None,
                answer,
            }),
            Sender::Notify { client, template } => {
                let id = client.send(m, template).await?;
                Ok(Accepted {
                    answer: format!("Notify accepted it (id {id})"),
                    notify_id: Some(id),
                })
            }
        }
    }

    /// After a crash mid-send: whether the provider already has this message, so it is not sent
    /// twice. SMTP cannot tell; the repeat carries the same Message-ID.
    pub async fn already_sent(&self, reference: &str) -> Result<Option<String>, Failure> {
        match self {
            Sender::Smtp(_) => Ok(None),
            Sender::Notify { client, .. } => client.find(reference).await,
        }
    }
}
