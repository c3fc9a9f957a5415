//! GOV.UK Notify's REST API v2: a JWT (HS256) made from the API key for each request, the email
//! and text-message endpoints with a template id and personalisation, and a look-up by reference.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value, json};
use sha2::Sha256;

use super::transport::{Failure, Outgoing};
use crate::domain::outreach::Channel;

/// The real service.
pub const NOTIFY_API: &str = "https://api.notifications.service.gov.uk";

/// A Notify API key split into the service id and the secret that signs tokens.
#[derive(Clone)]
pub struct ApiKey {
    pub service_id: String,
    secret: String,
}

impl ApiKey {
    /// Keys look like `{name}-{service id}-{secret}`, the last two UUIDs of 36 characters.
    pub fn parse(key: &str) -> Option<ApiKey> {
        let key = key.trim();
        if key.len() < 74 || !key.is_ascii() {
            return None;
        }
        let secret = &key[key.len() - 36..];
        let service_id = &key[key.len() - 73..key.len() - 37];
        let uuid = |s: &str| {
            s.len() == 36
                && s.char_indices().all(|(i, c)| {
                    if [8, 13, 18, 23].contains(&i) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                })
        };
        (uuid(secret) && uuid(service_id) && key.as_bytes()[key.len() - 37] == b'-').then(|| {
            ApiKey {
                service_id: service_id.to_string(),
                secret: secret.to_string(),
            }
        })
    }

    /// A token for one request: `{"iss": service id, "iat": now}`, signed with the secret.
    pub fn token(&self, now_unix: i64) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
        let claims =
            URL_SAFE_NO_PAD.encode(json!({"iss": self.service_id, "iat": now_unix}).to_string());
        let signing_input = format!("{header}.{claims}");
        let mut mac = Hmac::<Sha256>::new_from_slice(self.secret.as_bytes())
            .expect("HMAC takes a key of any length");
        mac.update(signing_input.as_bytes());
        let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{sig}")
    }
}

/// Talks to Notify (or a stand-in at another base address, for tests).
#[derive(Clone)]
pub struct NotifyClient {
    base: String,
    key: ApiKey,
    http: reqwest::Client,
}

impl NotifyClient {
    pub fn new(base: &str, key: ApiKey, http: reqwest::Client) -> NotifyClient {
        NotifyClient {
            base: base.trim_end_matches('/').to_string(),
            key,
            http,
        }
    }

    fn bearer(&self) -> String {
        format!(
            "Bearer {}",
            self.key
                .token(time::OffsetDateTime::now_utc().unix_timestamp())
        )
    }

    /// Sends by Notify; returns Notify's id for the message.
    pub async fn send(&self, m: &Outgoing, template: &str) -> Result<String, Failure> {
        let mut personalisation = Map::new();
        for (k, v) in [
            ("name", &m.fields.name),
            ("children", &m.fields.children),
            ("school", &m.fields.school),
            ("document", &m.fields.document),
            ("deadline", &m.fields.deadline),
            ("link", &m.fields.link),
            ("code", &m.fields.code),
            ("signing_page", &m.fields.signing_page),
            ("subject", &m.subject),
            ("body", &m.text),
            ("stop_link", &m.stop_url),
        ] {
            personalisation.insert(k.to_string(), Value::String(v.clone()));
        }
        let (path, body) = match m.channel {
            Channel::Email => (
                "/v2/notifications/email",
                json!({"email_address": m.to, "template_id": template,
                       "personalisation": personalisation, "reference": m.reference,
                       "one_click_unsubscribe_url": m.stop_url}),
            ),
            Channel::Sms => (
                "/v2/notifications/sms",
                json!({"phone_number": m.to, "template_id": template,
                       "personalisation": personalisation, "reference": m.reference}),
            ),
        };
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Authorization", self.bearer())
            .json(&body)
            .send()
            .await
            .map_err(|e| Failure::Busy {
                after: None,
                why: format!("Could not reach Notify ({e})."),
            })?;
        let status = res.status().as_u16();
        let answer: Value = res.json().await.unwrap_or(Value::Null);
        if status == 201 {
            return answer["id"]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| Failure::Busy {
                    after: None,
                    why: "Notify's answer had no id.".to_string(),
                });
        }
        Err(failure(status, &answer))
    }

    /// Notify's id for a message already sent with this reference, if any.
    pub async fn find(&self, reference: &str) -> Result<Option<String>, Failure> {
        let res = self
            .http
            .get(format!(
                "{}/v2/notifications?reference={}",
                self.base,
                percent_encoding::utf8_percent_encode(
                    reference,
                    percent_encoding::NON_ALPHANUMERIC
                )
            ))
            .header("Authorization", self.bearer())
            .send()
            .await
            .map_err(|e| Failure::Busy {
                after: None,
                why: format!("Could not reach Notify ({e})."),
            })?;
        let status = res.status().as_u16();
        let answer: Value = res.json().await.unwrap_or(Value::Null);
        if status != 200 {
            return Err(failure(status, &answer));
        }
        Ok(answer["notifications"]
            .as_array()
            .and_then(|list| list.first())
            .and_then(|n| n["id"].as_str())
            .map(str::to_string))
    }
}

/// What a Notify error answer means.
fn failure(status: u16, answer: &Value) -> Failure {
    let first = &answer["errors"][0];
    let kind = first["error"].as_str().unwrap_or("");
    let message = first["message"]
        .as_str()
        .unwrap_or("no details")
        .to_string();
    match status {
        429 => Failure::Busy {
            after: Some(Duration::from_secs(60)),
            why: format!("Notify's rate limit was reached ({message}); trying again in a minute."),
        },
        403 => Failure::Setup(format!(
            "Notify refused the API key ({message}): check the key in the settings."
        )),
        400 if kind == "ValidationError"
            && (message.contains("email_address") || message.contains("phone_number")) =>
        {
            Failure::Permanent(format!("Notify refused this address or number: {message}."))
        }
        // A team or trial key may only send to the team's own addresses and numbers.
        400 if message.contains("team-only") || message.contains("trial mode") => {
            Failure::Permanent(format!("Notify refused this recipient: {message}."))
        }
        400 => Failure::Setup(format!(
            "Notify refused the request ({message}): check the template id in the settings."
        )),
        s if s >= 500 => Failure::Busy {
            after: None,
            why: format!("Notify had a problem ({status}: {message}); trying again shortly."),
        },
        _ => Failure::Retry {
            after: None,
            why: format!("Notify answered {status} ({message})."),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "signoff_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";

    #[test]
    fn splits_the_key() {
        let k = ApiKey::parse(KEY).expect("a key");
        assert_eq!(k.service_id, "26785a09-ab16-4eb0-8407-a37497a57506");
        assert_eq!(k.secret, "3d844edf-8d35-48ac-975b-e847b4f122b0");
        assert!(ApiKey::parse("not-a-key").is_none());
        assert!(ApiKey::parse(&KEY.replace('a', "g")).is_none());
    }

    #[test]
    fn signs_a_token_notify_can_check() {
        let k = ApiKey::parse(KEY).expect("a key");
        let token = k.token(1_700_000_000);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("base64"))
                .expect("json");
        assert_eq!(claims["iss"], "26785a09-ab16-4eb0-8407-a37497a57506");
        assert_eq!(claims["iat"], 1_700_000_000);
        let mut mac =
            Hmac::<Sha256>::new_from_slice(b"3d844edf-8d35-48ac-975b-e847b4f122b0").expect("key");
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        assert_eq!(
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()),
            parts[2]
        );
    }

    #[test]
    fn reads_error_answers() {
        let v = |e: &str, m: &str| json!({"errors": [{"error": e, "message": m}]});
        assert!(matches!(
            failure(429, &v("RateLimitError", "x")),
            Failure::Busy { after: Some(_), .. }
        ));
        assert!(matches!(
            failure(500, &v("Exception", "x")),
            Failure::Busy { after: None, .. }
        ));
        assert!(matches!(
            failure(
                400,
                &v("ValidationError", "phone_number Not a UK mobile number")
            ),
            Failure::Permanent(_)
        ));
        assert!(matches!(
            failure(
                400,
                &v(
                    "BadRequestError",
                    "Can't send to this recipient using a team-only API key"
                )
            ),
            Failure::Permanent(_)
        ));
        assert!(matches!(
            failure(400, &v("BadRequestError", "Template not found")),
            Failure::Setup(_)
        ));
        assert!(matches!(
            failure(403, &v("AuthError", "Invalid token")),
            Failure::Setup(_)
        ));
    }
}
