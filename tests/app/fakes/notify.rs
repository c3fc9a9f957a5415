//! A fake GOV.UK Notify on a local port: the v2 REST contract (JWT auth, email and SMS posts,
//! listing by reference), failure injection, and delivery-receipt callbacks to the portal.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value, json};
use sha2::Sha256;
use tokio::task::JoinHandle;

/// A running fake Notify. It stops serving when dropped.
pub struct NotifyFake {
    /// Where to point the portal's Notify base URL, e.g. `http://127.0.0.1:40123`.
    pub base: String,
    state: Arc<Mutex<Inner>>,
    server: JoinHandle<()>,
}

/// A notification the fake accepted with `201 Created`.
#[derive(Clone, Debug)]
pub struct Sent {
    /// The notification id the fake made up and returned.
    pub id: String,
    /// `"email"` or `"sms"`.
    pub channel: &'static str,
    /// The `email_address` or `phone_number` posted.
    pub to: String,
    /// The `template_id` posted.
    pub template_id: String,
    /// The `personalisation` posted, empty if none.
    pub personalisation: Map<String, Value>,
    /// The `reference` posted, if any.
    pub reference: Option<String>,
    /// The `iss` claim of the JWT that authorised the post (the service id).
    pub jwt_iss: String,
}

#[derive(Default)]
struct Inner {
    base: String,
    service_id: String,
    secret: String,
    email_template: String,
    sms_template: String,
    sent: Vec<Record>,
    attempts: usize,
    injected: Option<(u16, usize)>,
    rejected: Vec<String>,
    now: Option<i64>,
}

/// An accepted notification with what `GET /v2/notifications` reports about it.
struct Record {
    sent: Sent,
    status: String,
    created_at: String,
}

type Shared = Arc<Mutex<Inner>>;

/// A fresh API key in Notify's format, `{name}-{service_id}-{secret}`, with random UUIDs.
/// Returns `(full key, service id, secret)`.
pub fn make_key(name: &str) -> (String, String, String) {
    let (service_id, secret) = (new_uuid(), new_uuid());
    (format!("{name}-{service_id}-{secret}"), service_id, secret)
}

impl NotifyFake {
    /// Serves on 127.0.0.1 on a free port, accepting JWTs made from `api_key` and only the given
    /// template ids for each channel.
    ///
    /// # Panics
    /// If `api_key` is too short to hold a service id and a secret.
    pub async fn start(api_key: &str, email_template: &str, sms_template: &str) -> NotifyFake {
        let n = api_key.len();
        assert!(
            n >= 73 && api_key.is_ascii(),
            "not a Notify API key: {api_key:?}"
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake Notify: bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let state = Arc::new(Mutex::new(Inner {
            base: base.clone(),
            service_id: api_key[n - 73..n - 37].to_owned(),
            secret: api_key[n - 36..].to_owned(),
            email_template: email_template.to_owned(),
            sms_template: sms_template.to_owned(),
            ..Inner::default()
        }));
        let app = Router::new()
            .route("/v2/notifications/email", post(post_email))
            .route("/v2/notifications/sms", post(post_sms))
            .route("/v2/notifications", get(list))
            .with_state(state.clone());
        let server = tokio::spawn(async move {
            let served = axum::serve(listener, app).await;
            served.expect("fake Notify serves");
        });
        NotifyFake {
            base,
            state,
            server,
        }
    }

    /// Every notification accepted so far, oldest first.
    pub fn sent(&self) -> Vec<Sent> {
        let inner = lock(&self.state);
        inner.sent.iter().map(|r| r.sent.clone()).collect()
    }

    /// Waits until at least `n` notifications have been accepted and returns them all.
    ///
    /// # Panics
    /// If fewer than `n` have been accepted when `timeout` runs out.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Sent> {
        let what = format!("fake Notify ({} POST(s) so far)", self.attempts());
        super::wait_until(n, timeout, &what, || self.sent()).await
    }

    /// How many POSTs arrived, whatever was answered.
    pub fn attempts(&self) -> usize {
        lock(&self.state).attempts
    }

    /// The next `times` authenticated POSTs get `status` (429, 500, ...) with a Notify-shaped
    /// error body and are not accepted.
    pub fn answer_next(&self, status: u16, times: usize) {
        lock(&self.state).injected = Some((status, times));
    }

    /// From now on, posts whose recipient contains `contains` get a 400 validation error.
    pub fn reject_recipient(&self, contains: &str) {
        lock(&self.state).rejected.push(contains.to_owned());
    }

    /// Checks JWT `iat` claims against this Unix time instead of the system clock, for a portal
    /// running on a test clock. `None` goes back to the system clock.
    pub fn set_now(&self, unix_seconds: Option<i64>) {
        lock(&self.state).now = unix_seconds;
    }

    /// Sets the `status` that `GET /v2/notifications` reports for notification `id`
    /// (it starts as `created`).
    pub fn set_status(&self, id: &str, status: &str) {
        let mut inner = lock(&self.state);
        let found = inner.sent.iter_mut().find(|r| r.sent.id == id);
        found.expect("fake Notify: no such notification").status = status.to_owned();
    }
}

impl Drop for NotifyFake {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// POSTs a delivery receipt for `sent` to the portal's `callback_url`, shaped as Notify sends
/// it, and returns the portal's status code. `status` is e.g. `delivered`,
/// `permanent-failure`, `temporary-failure` or `technical-failure`.
pub async fn post_callback(
    callback_url: &str,
    bearer_token: &str,
    sent: &Sent,
    status: &str,
) -> reqwest::StatusCode {
    let stamp = rfc3339_now();
    let body = json!({
        "id": sent.id, "reference": sent.reference, "to": sent.to, "status": status,
        "created_at": stamp, "completed_at": stamp, "sent_at": stamp,
        "notification_type": sent.channel, "template_id": sent.template_id, "template_version": 1,
    });
    super::http_client()
        .post(callback_url)
        .header(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {bearer_token}"),
        )
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("fake Notify: callback reaches the portal")
        .status()
}

fn lock(state: &Mutex<Inner>) -> MutexGuard<'_, Inner> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

fn new_uuid() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("random bytes");
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut uuid = hex::encode(b);
    for at in [20, 16, 12, 8] {
        uuid.insert(at, '-');
    }
    uuid
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn rfc3339_now() -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    time::OffsetDateTime::now_utc()
        .format(format)
        .expect("formats a timestamp")
}

/// A Notify error, answered as `{"errors":[{"error":..,"message":..}..],"status_code":..}`.
struct Refusal(StatusCode, &'static str, Vec<String>);

fn refuse(status: u16, error: &'static str, message: &str) -> Refusal {
    let status = StatusCode::from_u16(status).expect("a valid status code");
    Refusal(status, error, vec![message.to_owned()])
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let Refusal(status, error, messages) = self;
        let errors: Vec<Value> = (messages.iter())
            .map(|m| json!({"error": error, "message": m}))
            .collect();
        reply(
            status,
            &json!({"errors": errors, "status_code": status.as_u16()}),
        )
    }
}

fn reply(status: StatusCode, body: &Value) -> Response {
    let headers = [(header::CONTENT_TYPE, "application/json")];
    (status, headers, body.to_string()).into_response()
}

/// Checks the bearer JWT as Notify does, returning its `iss`; any failure is a 403.
fn authenticate(inner: &Inner, headers: &HeaderMap) -> Result<String, Refusal> {
    let invalid = || refuse(403, "AuthError", BAD_TOKEN);
    let authorization = headers.get(header::AUTHORIZATION).map(HeaderValue::to_str);
    let token = (authorization.and_then(Result::ok))
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(invalid)?;
    let [head, claims, signature] = token.trim().split('.').collect::<Vec<_>>()[..] else {
        return Err(invalid());
    };
    let bytes = |part: &str| URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok();
    let json = |part: &str| serde_json::from_slice::<Value>(&bytes(part)?).ok();
    let (Some(head_json), Some(claims_json)) = (json(head), json(claims)) else {
        return Err(invalid());
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(inner.secret.as_bytes()).expect("any key size");
    mac.update(format!("{head}.{claims}").as_bytes());
    let signed = bytes(signature).is_some_and(|sig| mac.verify_slice(&sig).is_ok());
    let iss = claims_json["iss"].as_str().unwrap_or_default();
    if !signed || head_json["alg"] != "HS256" || iss != inner.service_id {
        return Err(invalid());
    }
    let now = inner.now.unwrap_or_else(|| {
        let since = SystemTime::now().duration_since(UNIX_EPOCH);
        since.map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    });
    match claims_json["iat"].as_f64() {
        Some(iat) if (iat - now as f64).abs() <= 30.0 => Ok(iss.to_owned()),
        Some(_) => Err(refuse(403, "AuthError", CLOCK_SKEW)),
        None => Err(invalid()),
    }
}

async fn post_email(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    create(&state, "email", &headers, &body).unwrap_or_else(IntoResponse::into_response)
}

async fn post_sms(State(state): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    create(&state, "sms", &headers, &body).unwrap_or_else(IntoResponse::into_response)
}

/// One POST: auth, then any injected failure, then the request's shape, template and recipient.
fn create(
    state: &Shared,
    channel: &'static str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, Refusal> {
    let mut inner = lock(state);
    inner.attempts += 1;
    let jwt_iss = authenticate(&inner, headers)?;
    if let Some((code, left)) = inner.injected.as_mut().filter(|(_, left)| *left > 0) {
        *left -= 1;
        return Err(match *code {
            429 => refuse(429, "RateLimitError", RATE_LIMITED),
            code => refuse(code, "Exception", "Internal server error"),
        });
    }
    let content_type = headers.get(header::CONTENT_TYPE).map(HeaderValue::as_bytes);
    let json_type = content_type.is_some_and(|v| v.starts_with(b"application/json"));
    let Some(Value::Object(request)) = serde_json::from_slice(body).ok().filter(|_| json_type)
    else {
        return Err(refuse(400, "BadRequestError", BAD_JSON));
    };
    let (to_field, sender_field) = match channel {
        "email" => ("email_address", "email_reply_to_id"),
        _ => ("phone_number", "sms_sender_id"),
    };
    let mut problems = Vec::new();
    for field in [to_field, "template_id", "reference", sender_field] {
        match request.get(field) {
            None if field == to_field || field == "template_id" => {
                problems.push(format!("{field} is a required property"));
            }
            None => {}
            Some(Value::String(s)) if field.ends_with("_id") && !is_uuid(s) => {
                problems.push(format!("{field} {s} is not a valid UUID"));
            }
            Some(Value::String(_)) => {}
            Some(other) => problems.push(format!("{field} {other} is not of type string")),
        }
    }
    let personalisation = match request.get("personalisation") {
        None => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(other) => {
            problems.push(format!("personalisation {other} is not of type object"));
            Map::new()
        }
    };
    if !problems.is_empty() {
        return Err(Refusal(
            StatusCode::BAD_REQUEST,
            "ValidationError",
            problems,
        ));
    }
    let text = |field: &str| Some(request.get(field)?.as_str()?.to_owned());
    let (to, template_id) = (text(to_field).unwrap_or_default(), text("template_id"));
    let wanted = if channel == "email" {
        &inner.email_template
    } else {
        &inner.sms_template
    };
    if template_id.as_ref() != Some(wanted) {
        return Err(refuse(400, "BadRequestError", "Template not found"));
    }
    if inner.rejected.iter().any(|r| to.contains(r.as_str())) {
        let message = match channel {
            "email" => "email_address Not a valid email address",
            _ => "phone_number Not a UK mobile number",
        };
        return Err(refuse(400, "ValidationError", message));
    }
    let id = new_uuid();
    let (reference, template_id) = (text("reference"), template_id.unwrap_or_default());
    let sent = Sent {
        id,
        channel,
        to,
        template_id,
        personalisation,
        reference,
        jwt_iss,
    };
    let uri = format!("{}/v2/notifications/{}", inner.base, sent.id);
    let response = json!({
        "id": sent.id, "reference": sent.reference, "content": content(&sent), "uri": uri,
        "template": template(&inner, &sent), "scheduled_for": null,
    });
    let (status, created_at) = ("created".to_owned(), rfc3339_now());
    inner.sent.push(Record {
        sent,
        status,
        created_at,
    });
    Ok(reply(StatusCode::CREATED, &response))
}

const RATE_LIMITED: &str = "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds";
const BAD_JSON: &str = "Invalid JSON supplied in POST data";
const BAD_TOKEN: &str = "Invalid token: signature, api token not found";
const CLOCK_SKEW: &str = "Error: Your system clock must be accurate to within 30 seconds";

/// The rendered message: `personalisation["body"]` if given, else all values joined.
fn content(sent: &Sent) -> Value {
    let p = &sent.personalisation;
    let body = match p.get("body").and_then(Value::as_str) {
        Some(body) => body.to_owned(),
        None => p
            .values()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    match sent.channel {
        "email" => json!({
            "body": body,
            "subject": p.get("subject").and_then(Value::as_str).unwrap_or("Message from school"),
            "from_email": "school@notifications.service.gov.uk",
        }),
        _ => json!({"body": body, "from_number": "GOVUK"}),
    }
}

fn template(inner: &Inner, sent: &Sent) -> Value {
    let uri = format!(
        "{}/services/{}/templates/{}",
        inner.base, inner.service_id, sent.template_id
    );
    json!({"id": sent.template_id, "version": 1, "uri": uri})
}

async fn list(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let inner = lock(&state);
    if let Err(refusal) = authenticate(&inner, &headers) {
        return refusal.into_response();
    }
    let wanted = |key: &str, value: &str| query.get(key).is_none_or(|q| q == value);
    let mut notifications = Vec::new();
    for record in inner.sent.iter().rev() {
        let (s, status) = (&record.sent, &record.status);
        let reference = s.reference.as_deref().unwrap_or_default();
        let matches = wanted("reference", reference) && wanted("template_type", s.channel);
        if !matches || !wanted("status", status) {
            continue;
        }
        let content = content(s);
        let (email, sms) = (
            (s.channel == "email").then_some(&s.to),
            (s.channel == "sms").then_some(&s.to),
        );
        notifications.push(json!({
            "id": s.id, "reference": s.reference, "email_address": email, "phone_number": sms,
            "type": s.channel, "status": status, "template": template(&inner, s),
            "body": content["body"], "subject": content.get("subject"),
            "created_at": record.created_at, "sent_at": null, "completed_at": null,
            "scheduled_for": null,
        }));
    }
    let current = match query.get("reference") {
        Some(reference) => format!("{}/v2/notifications?reference={reference}", inner.base),
        None => format!("{}/v2/notifications", inner.base),
    };
    let body = json!({"notifications": notifications, "links": {"current": current}});
    reply(StatusCode::OK, &body)
}
