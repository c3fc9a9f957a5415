//! The scene the subject access tests read: a carer who was emailed and texted, stopped texts,
//! signed online, was issued a code, had a paper form recorded and asked to be erased; another
//! carer beside them.

use std::time::Duration;

use signoff::app::subject_access::WITHHELD;
use signoff::domain::code::SigningCode;
use signoff::domain::outreach::Channel;
use signoff::domain::secret::sha256_hex;
use signoff::domain::wording::Wording;
use signoff::store::documents;

use crate::fakes::notify::{NotifyFake, make_key};
use crate::helpers::{Family, TestApp, csrf_of, paper, sign};
use crate::messages::{app_sending, contact, drain, save_settings, send_to, smtp_settings};

const EMAIL_TEMPLATE: &str = "f33517ff-2a88-4f6e-b855-c550268ce08a";
const SMS_TEMPLATE: &str = "c4b7e5a1-9d2f-4a6b-8e3c-1f0a2b3c4d5e";

/// An app that sends email and texts through a fake Notify, and its headteacher.
async fn sending_app() -> (TestApp, NotifyFake, reqwest::Client) {
    let (key, _, _) = make_key("signoff_test");
    let fake = NotifyFake::start(&key, EMAIL_TEMPLATE, SMS_TEMPLATE).await;
    let app = app_sending(None, Some(fake.base.clone())).await;
    let head = app.head().await;
    let mut f = smtp_settings(&app);
    for (k, v) in f.iter_mut() {
        if *k == "email_via" || *k == "sms_via" {
            *v = "notify".into();
        }
    }
    f.push(("notify_key", key));
    f.push(("notify_email_template", EMAIL_TEMPLATE.into()));
    f.push(("notify_sms_template", SMS_TEMPLATE.into()));
    let (status, page) = save_settings(&app, &head, &f).await;
    assert_eq!(status, 303, "{page}");
    (app, fake, head)
}

/// Publishes a second document (a home–school agreement) straight into the store; its version id.
async fn second_document(app: &TestApp) -> i64 {
    let db = &app.state.db.write;
    let now = time::macros::datetime!(2026-11-20 09:00:00 UTC);
    let doc = documents::insert_document(
        db,
        app.scope,
        "home-school",
        "Home–school agreement",
        1,
        now,
    )
    .await
    .unwrap();
    let text = Wording {
        title: "Home–school agreement".into(),
        approved_by: "Governors".into(),
        approved_on: "2026-09-01".into(),
        last_reviewed: "2026-09-01".into(),
        next_review_due: "2027-09-01".into(),
        related_policies: "".into(),
        body_md: "## Together\n\nWe work together.".into(),
        declaration_text: "I agree to the home–school agreement.".into(),
    };
    let canonical = text.canonical(1);
    let v = documents::insert_version(
        db,
        documents::NewVersion {
            scope: app.scope,
            document_id: doc,
            number: 1,
            wording: &text,
            summary: "First.",
            material: true,
            canonical_text: &canonical,
            sha256: &sha256_hex(&canonical),
            published_at: now,
            published_by: None,
        },
    )
    .await
    .unwrap();
    app.state.db.note_write();
    v
}

/// Presses "Issue a new code" on a carer's page; the code shown once.
async fn issue_code(app: &TestApp, staff: &reqwest::Client, carer: i64) -> String {
    let csrf = csrf_of(app, staff, &format!("/office/carers/{carer}")).await;
    let res = staff
        .post(app.url(&format!("/office/carers/{carer}/code")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let start = html.find("/s/").expect("the new link") + 3;
    html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// GETs a carer's download as `staff`: (status, file name, body).
pub async fn download(app: &TestApp, staff: &reqwest::Client, carer: i64) -> (u16, String, String) {
    let res = staff
        .get(app.url(&format!("/office/carers/{carer}/evidence.json")))
        .send()
        .await
        .unwrap();
    let name = res
        .headers()
        .get("content-disposition")
        .map(|h| h.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), name, res.text().await.unwrap())
}

/// What Notify was asked to send to `to`: its subject and body.
pub fn sent_to(fake: &NotifyFake, to: &str) -> (String, String) {
    let s = fake.sent().into_iter().find(|s| s.to == to).expect("sent");
    let field = |k: &str| {
        s.personalisation
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    (field("subject"), field("body"))
}

/// A sent body with its signing code (from the link in it) withheld, as the export shows it.
pub fn withheld(app: &TestApp, body: &str) -> (String, String) {
    let marker = format!("{}/s/", app.base);
    let start = body.find(&marker).expect("a signing link") + marker.len();
    let code: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let display = SigningCode::parse(&code).unwrap().display();
    (
        body.replace(&code, WITHHELD).replace(&display, WITHHELD),
        code,
    )
}

/// Amy, who has one of everything, and Ola, whose records must not show in Amy's.
pub struct Scene {
    pub app: TestApp,
    pub fake: NotifyFake,
    pub head: reqwest::Client,
    pub office: reqwest::Client,
    pub office_id: i64,
    pub amy: Family,
    pub ola: Family,
    /// The code the office issued Amy last.
    pub new_code: String,
}

pub async fn scene() -> Scene {
    let (app, fake, head) = sending_app().await;
    let (office, office_id) = app
        .colleague(
            &head,
            "Omar Shah",
            "omar@oakfield.example",
            "office",
            "blue kettle morning",
        )
        .await;
    let amy = app
        .family("Amy", "Greaves", &[("Ben", "Greaves", "3B")])
        .await;
    let ola = app.family("Ola", "Nowak", &[("Zoe", "Nowak", "3B")]).await;
    contact(&app, &amy, "amy.greaves@example.org", "07700 900111").await;
    contact(&app, &ola, "ola.nowak@example.org", "07700 900222").await;

    // An email and a text to each, then Amy stops texts, signs online, gets a new code from the
    // office and a paper form for a second document; Ola gets a new code too.
    send_to(&app, &head, "status=outstanding", "both").await;
    drain(&app).await;
    assert_eq!(fake.wait_for(4, Duration::from_secs(5)).await.len(), 4);
    signoff::app::outreach::log::opt_out(&app.state, app.scope, amy.carer_id, Channel::Sms)
        .await
        .unwrap();
    sign(&app, &amy).await;
    let new_code = issue_code(&app, &office, amy.carer_id).await;
    issue_code(&app, &office, ola.carer_id).await;
    let v2 = second_document(&app).await;
    paper(&app, &head, amy.carer_id, v2).await;
    let path = format!("/office/carers/{}/erase", amy.carer_id);
    let csrf = csrf_of(&app, &office, &format!("/office/carers/{}", amy.carer_id)).await;
    let res = office
        .post(app.url(&path))
        .form(&[("csrf", csrf.as_str()), ("reason", "Asked by letter")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "erasure requested");
    Scene {
        app,
        fake,
        head,
        office,
        office_id,
        amy,
        ola,
        new_code,
    }
}

/// A carer's download as `staff`: the body as text, and read.
pub async fn exported(
    s: &Scene,
    staff: &reqwest::Client,
    carer: i64,
) -> (String, serde_json::Value) {
    let (status, _, body) = download(&s.app, staff, carer).await;
    assert_eq!(status, 200);
    let json = serde_json::from_str(&body).unwrap();
    (body, json)
}
