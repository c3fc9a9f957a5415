//! Tests of the fakes themselves, so a portal test failing means the portal, not the fake.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use super::notify::{self, NotifyFake};
use super::smtp::SmtpSink;

const WAIT: Duration = Duration::from_secs(5);

/// A bare-hands SMTP client, so the sink is checked against the protocol and not against lettre.
struct Client {
    read: BufReader<OwnedReadHalf>,
    write: OwnedWriteHalf,
}

impl Client {
    async fn connect(sink: &SmtpSink) -> Client {
        let (read, write) = TcpStream::connect(sink.addr)
            .await
            .expect("connect")
            .into_split();
        let mut client = Client {
            read: BufReader::new(read),
            write,
        };
        assert_eq!(client.reply().await, "220 localhost ESMTP fake");
        client
    }

    /// The last line of the next (possibly multi-line) reply.
    async fn reply(&mut self) -> String {
        loop {
            let mut line = String::new();
            self.read.read_line(&mut line).await.expect("read reply");
            assert!(line.ends_with("\r\n"), "reply line not CRLF: {line:?}");
            if line.as_bytes().get(3) != Some(&b'-') {
                return line.trim_end().to_owned();
            }
        }
    }

    async fn send(&mut self, line: &str) -> String {
        let wire = format!("{line}\r\n");
        self.write.write_all(wire.as_bytes()).await.expect("write");
        self.reply().await
    }

    async fn expect(&mut self, line: &str, code: &str) {
        let reply = self.send(line).await;
        assert!(
            reply.starts_with(code),
            "{line:?} got {reply:?}, wanted {code}"
        );
    }
}

const MESSAGE: &str = "From: School <office@school.example>\r\n\
To: parent@home.example\r\n\
Subject: =?UTF-8?B?U2lnbiB0aGUgY29kZSDigJMgcGxlYXNl?=\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Dear carer, it costs =E2=82=AC0.\r\n\
..one leading dot\r\n\
--b1\r\n\
Content-Type: text/html; charset=utf-8\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
PHA+RGVhciBjYXJlcjwvcD4=\r\n\
--b1--\r\n\
.\r\n";

#[tokio::test]
async fn smtp_records_a_multipart_message_and_decodes_it() {
    let sink = SmtpSink::start().await;
    assert_eq!(sink.url(), format!("smtp://127.0.0.1:{}", sink.addr.port()));
    let mut c = Client::connect(&sink).await;
    c.expect("EHLO client.example", "250").await;
    c.expect(
        "MAIL FROM:<office@school.example> BODY=8BITMIME SIZE=900",
        "250",
    )
    .await;
    c.expect("RCPT TO:<parent@home.example>", "250").await;
    c.expect("DATA", "354").await;
    c.write.write_all(MESSAGE.as_bytes()).await.expect("write");
    let queued = c.reply().await;
    assert!(queued.starts_with("250 2.0.0 Ok: queued as "), "{queued}");
    // A second message on the same connection, as a pooling client sends it, with bare LFs.
    c.expect("RSET", "250").await;
    c.expect("NOOP", "250").await;
    c.expect("mail from:<b@school.example>", "250").await;
    c.expect("rcpt to:<c@home.example>", "250").await;
    c.expect("DATA", "354").await;
    c.write
        .write_all(b"Subject: two\n\nsecond\n.\n")
        .await
        .expect("write");
    assert!(c.reply().await.starts_with("250"));
    c.expect("VRFY someone", "502").await;
    c.expect("QUIT", "221").await;

    let got = sink.wait_for(2, WAIT).await;
    let first = &got[0];
    assert_eq!(first.mail_from, "office@school.example");
    assert_eq!(first.rcpt_to, ["parent@home.example"]);
    assert!(
        first.data.contains("\r\n.one leading dot\r\n"),
        "{}",
        first.data
    );
    assert_eq!(first.content_type(), "multipart/alternative");
    assert_eq!(
        first.header("subject").as_deref(),
        Some("Sign the code \u{2013} please")
    );
    let text = first.text_part().expect("text part");
    assert!(text.starts_with("Dear carer, it costs \u{20ac}0.\r\n.one leading dot"));
    assert_eq!(first.html_part().as_deref(), Some("<p>Dear carer</p>"));
    assert_eq!(got[1].data, "Subject: two\n\nsecond\n");
    assert_eq!(got[1].text_part().as_deref(), Some("second\n"));
    assert_eq!(got[1].html_part(), None);
    assert_eq!(got[1].content_type(), "text/plain");
}

#[tokio::test]
async fn smtp_refuses_recipients_permanently_and_temporarily() {
    let sink = SmtpSink::start().await;
    sink.reject_permanently("nobody@");
    sink.fail_temporarily("later@", 1);
    let mut c = Client::connect(&sink).await;
    c.expect("HELO client.example", "250").await;
    c.expect("RCPT TO:<x@y.example>", "503").await;
    c.expect("MAIL FROM:<office@school.example>", "250").await;
    assert_eq!(
        c.send("RCPT TO:<nobody@home.example>").await,
        "550 5.1.1 No such user"
    );
    c.expect("DATA", "554").await;
    assert_eq!(
        c.send("RCPT TO:<later@home.example>").await,
        "451 4.3.0 Try again later"
    );
    c.expect("RCPT TO:<fine@home.example>", "250").await;
    c.expect("DATA", "354").await;
    c.write
        .write_all(b"Subject: a\r\n\r\nx\r\n.\r\n")
        .await
        .expect("write");
    assert!(c.reply().await.starts_with("250"));
    // The retry gets through, and the permanent refusal stays.
    c.expect("MAIL FROM:<office@school.example>", "250").await;
    c.expect("RCPT TO:<later@home.example>", "250").await;
    c.expect("RCPT TO:<nobody@home.example>", "550").await;
    c.expect("DATA", "354").await;
    c.write
        .write_all(b"Subject: b\r\n\r\ny\r\n.\r\n")
        .await
        .expect("write");
    assert!(c.reply().await.starts_with("250"));
    let got = sink.wait_for(2, WAIT).await;
    assert_eq!(got[0].rcpt_to, ["fine@home.example"]);
    assert_eq!(got[1].rcpt_to, ["later@home.example"]);
}

#[tokio::test]
async fn smtp_drops_a_message_whose_sender_hangs_up_during_the_delay() {
    let sink = SmtpSink::start().await;
    sink.set_delay(Duration::from_millis(300));
    let mut c = Client::connect(&sink).await;
    c.expect("EHLO a", "250").await;
    c.expect("MAIL FROM:<a@b.example>", "250").await;
    c.expect("RCPT TO:<c@d.example>", "250").await;
    c.expect("DATA", "354").await;
    c.write
        .write_all(b"Subject: lost\r\n\r\nx\r\n.\r\n")
        .await
        .expect("write");
    drop(c);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(sink.received().is_empty());
}

#[tokio::test]
#[should_panic(expected = "fake SMTP messages: expected at least 1")]
async fn smtp_wait_for_says_what_it_missed() {
    SmtpSink::start()
        .await
        .wait_for(1, Duration::from_millis(50))
        .await;
}

/// A Notify JWT made independently of the fake's checker.
fn jwt(service_id: &str, secret: &str) -> String {
    let iat = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let head = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
    let claims = URL_SAFE_NO_PAD.encode(json!({"iss": service_id, "iat": iat}).to_string());
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{head}.{claims}").as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{head}.{claims}.{signature}")
}

async fn call(
    method: reqwest::Method,
    url: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = super::http_client()
        .request(method, url)
        .header("Authorization", format!("Bearer {token}"));
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.expect("fake Notify answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).expect("JSON body"))
}

const EMAIL_TEMPLATE: &str = "0b7b2d0a-8c59-4d5e-9b6e-1d6c7a1f4e01";
const SMS_TEMPLATE: &str = "5e3a9c1b-2f4d-4a8e-8c7b-9d0e1f2a3b4c";

#[tokio::test]
async fn notify_checks_auth_and_shape_then_records() {
    let (key, service_id, secret) = notify::make_key("signoff_test");
    assert_eq!(key, format!("signoff_test-{service_id}-{secret}"));
    let fake = NotifyFake::start(&key, EMAIL_TEMPLATE, SMS_TEMPLATE).await;
    let email_url = format!("{}/v2/notifications/email", fake.base);
    let token = jwt(&service_id, &secret);
    let email = json!({
        "email_address": "parent@home.example",
        "template_id": EMAIL_TEMPLATE,
        "personalisation": {"subject": "Please sign", "body": "Hello"},
        "reference": "msg-1",
    });

    let other_secret = notify::make_key("other").2;
    let forged = jwt(&service_id, &other_secret);
    let (status, body) = call(
        reqwest::Method::POST,
        &email_url,
        &forged,
        Some(email.clone()),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errors"][0]["error"], "AuthError");
    let (status, _) = call(
        reqwest::Method::POST,
        &email_url,
        &jwt(&secret, &secret),
        Some(email.clone()),
    )
    .await;
    assert_eq!(status, 403);

    let mut missing = email.clone();
    missing
        .as_object_mut()
        .expect("object")
        .remove("email_address");
    let (status, body) = call(reqwest::Method::POST, &email_url, &token, Some(missing)).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"errors": [{"error": "ValidationError",
                           "message": "email_address is a required property"}],
               "status_code": 400})
    );
    let mut wrong = email.clone();
    wrong["template_id"] = json!(SMS_TEMPLATE);
    let (status, body) = call(reqwest::Method::POST, &email_url, &token, Some(wrong)).await;
    assert_eq!(
        (status, &body["errors"][0]["message"]),
        (400, &json!("Template not found"))
    );

    fake.answer_next(429, 1);
    let (status, body) = call(
        reqwest::Method::POST,
        &email_url,
        &token,
        Some(email.clone()),
    )
    .await;
    assert_eq!(
        (status, &body["errors"][0]["error"]),
        (429, &json!("RateLimitError"))
    );
    assert!(fake.sent().is_empty());
    let (status, body) = call(reqwest::Method::POST, &email_url, &token, Some(email)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["reference"], "msg-1");
    assert_eq!(body["content"]["subject"], "Please sign");
    assert_eq!(body["content"]["body"], "Hello");
    assert_eq!(body["template"]["id"], EMAIL_TEMPLATE);
    assert_eq!(fake.attempts(), 6);

    let sent = fake.wait_for(1, WAIT).await;
    let one = &sent[0];
    assert_eq!(one.id, body["id"].as_str().expect("id"));
    assert_eq!(
        (one.channel, one.to.as_str()),
        ("email", "parent@home.example")
    );
    assert_eq!(one.template_id, EMAIL_TEMPLATE);
    assert_eq!(one.personalisation["body"], "Hello");
    assert_eq!(one.reference.as_deref(), Some("msg-1"));
    assert_eq!(one.jwt_iss, service_id);

    let list = format!("{}/v2/notifications?reference=msg-1", fake.base);
    let (status, body) = call(reqwest::Method::GET, &list, &token, None).await;
    assert_eq!(status, 200, "{body}");
    let found = body["notifications"].as_array().expect("array");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], one.id.as_str());
    assert_eq!(found[0]["email_address"], "parent@home.example");
    assert_eq!(found[0]["status"], "created");
    fake.set_status(&one.id, "delivered");
    let (_, body) = call(reqwest::Method::GET, &list, &token, None).await;
    assert_eq!(body["notifications"][0]["status"], "delivered");
}

#[tokio::test]
async fn notify_sms_rejections_clock_and_callbacks() {
    let (key, service_id, secret) = notify::make_key("test");
    let fake = NotifyFake::start(&key, EMAIL_TEMPLATE, SMS_TEMPLATE).await;
    let sms_url = format!("{}/v2/notifications/sms", fake.base);
    let sms = |to: &str| {
        json!({"phone_number": to, "template_id": SMS_TEMPLATE,
               "personalisation": {"body": "Hi"}, "reference": "r"})
    };
    fake.reject_recipient("0700");
    let http = super::http_client();
    let bare = http.post(&sms_url).body(sms("07123456789").to_string());
    let no_auth = bare.send().await.expect("answers");
    assert_eq!(no_auth.status(), 403, "no Authorization header");
    let token = jwt(&service_id, &secret);
    let (status, body) = call(
        reqwest::Method::POST,
        &sms_url,
        &token,
        Some(sms("07000000000")),
    )
    .await;
    assert_eq!(
        (status, &body["errors"][0]["message"]),
        (400, &json!("phone_number Not a UK mobile number"))
    );
    fake.answer_next(500, 1);
    let (status, _) = call(
        reqwest::Method::POST,
        &sms_url,
        &token,
        Some(sms("07123456789")),
    )
    .await;
    assert_eq!(status, 500);
    let not_json = http
        .post(&sms_url)
        .bearer_auth(jwt(&service_id, &secret))
        .body(sms("07123456789").to_string())
        .send()
        .await
        .expect("answers");
    assert_eq!(not_json.status(), 400, "no Content-Type: application/json");
    fake.set_now(Some(0));
    let (status, _) = call(
        reqwest::Method::POST,
        &sms_url,
        &token,
        Some(sms("07123456789")),
    )
    .await;
    assert_eq!(status, 403);
    fake.set_now(None);
    let (status, body) = call(
        reqwest::Method::POST,
        &sms_url,
        &token,
        Some(sms("07123456789")),
    )
    .await;
    assert_eq!((status, &body["content"]["body"]), (201, &json!("Hi")));
    let sent = fake.wait_for(1, WAIT).await;
    assert_eq!((sent.len(), sent[0].channel), (1, "sms"));

    // A one-route server standing in for the portal's callback endpoint.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/callback",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| async move {
                let auth = headers["authorization"].to_str().expect("ascii").to_owned();
                tx.send((auth, body)).expect("test still listening");
                axum::http::StatusCode::NO_CONTENT
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/callback", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    let status = notify::post_callback(&url, "cb-token", &sent[0], "delivered").await;
    assert_eq!(status, reqwest::StatusCode::NO_CONTENT);
    let (auth, body) = rx.recv().await.expect("callback arrived");
    assert_eq!(auth, "Bearer cb-token");
    let body: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(body["id"], sent[0].id.as_str());
    assert_eq!(body["to"], "07123456789");
    assert_eq!(body["reference"], "r");
    assert_eq!(body["status"], "delivered");
    assert_eq!(body["notification_type"], "sms");
    assert!(body["completed_at"].as_str().expect("stamp").ends_with('Z'));
}
