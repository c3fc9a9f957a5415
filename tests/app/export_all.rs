//! Everything held about a carer (subject access): every declaration, message, code and audit
//! entry of theirs on the printable page and in the download, nobody else's, never a code, and
//! the export itself in the audit log.

use std::time::Duration;

use signoff::app::subject_access::WITHHELD;
use signoff::domain::code::SigningCode;
use signoff::domain::outreach::Channel;
use signoff::domain::secret::sha256_hex;
use signoff::domain::wording::Wording;
use signoff::store::{carers, documents, schools};

use crate::fakes::notify::{NotifyFake, make_key};
use crate::helpers::{Family, TestApp, csrf_of, paper, sign};
use crate::messages::{
    app_sending, contact, drain, fetch_page, save_settings, send_to, smtp_settings,
};

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
async fn download(app: &TestApp, staff: &reqwest::Client, carer: i64) -> (u16, String, String) {
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
fn sent_to(fake: &NotifyFake, to: &str) -> (String, String) {
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
fn withheld(app: &TestApp, body: &str) -> (String, String) {
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

#[tokio::test]
async fn everything_held_about_a_carer_is_on_the_page_and_in_the_download_and_nobody_elses() {
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
    let amy: Family = app
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

    let (status, name, body) = download(&app, &office, amy.carer_id).await;
    assert_eq!(status, 200);
    assert_eq!(
        name,
        format!(
            "attachment; filename=\"signoff-carer-{}-2026-11-21.json\"",
            amy.carer_id
        )
    );
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();

    // The pack's own fields are all still there.
    for field in [
        "school",
        "school_address",
        "carer_id",
        "carer",
        "generated_at_utc",
        "how_to_check",
    ] {
        assert!(json.get(field).is_some(), "{field} kept");
    }
    assert_eq!(json["carer"], "Amy Greaves");
    let methods: Vec<&str> = json["declarations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["online", "paper"], "each declaration in full");
    assert!(
        json["declarations"][1]["version_text"]
            .as_str()
            .unwrap()
            .contains("We work together.")
    );

    // Contact details, language, children; the MIS named as the source record.
    assert_eq!(json["contact"]["email"], "amy.greaves@example.org");
    assert_eq!(json["contact"]["phone"], "07700 900111");
    assert!(
        json["contact"]["language_described"]
            .as_str()
            .unwrap()
            .contains("Not known")
    );
    assert_eq!(json["children"][0]["name"], "Ben Greaves");
    assert_eq!(json["children"][0]["relationship"], "Parent");
    assert!(
        json["about"]
            .as_str()
            .unwrap()
            .contains("management information system (MIS)")
    );

    // Each message with its body as sent, the personal code withheld.
    let messages = json["messages"].as_array().unwrap();
    assert_eq!(
        messages.len(),
        2,
        "Amy's email and text, not Ola's: {messages:?}"
    );
    let mut codes_sent = Vec::new();
    for (channel, to) in [
        ("email", "amy.greaves@example.org"),
        ("sms", "+447700900111"),
    ] {
        let m = messages
            .iter()
            .find(|m| m["channel"] == channel)
            .expect(channel);
        assert_eq!(m["status"], "sent");
        assert!(m["sent_at_utc"].is_string() && m["reference"].is_string());
        let (subject, sent_body) = sent_to(&fake, to);
        let (expected, code) = withheld(&app, &sent_body);
        assert_eq!(
            m["body"].as_str().unwrap(),
            expected,
            "{channel}'s body as sent"
        );
        assert_eq!(m["subject"].as_str().unwrap(), subject);
        codes_sent.push(code);
    }
    assert!(
        messages[0]["address"] == "amy.greaves@example.org"
            || messages[1]["address"] == "amy.greaves@example.org"
    );
    assert_eq!(json["opt_outs"][0]["channel"], "sms");

    // Codes: dates only; never a code or its hash.
    let codes = json["signing_codes"].as_array().unwrap();
    assert_eq!(
        codes.len(),
        4,
        "the first, one per message, the office's: {codes:?}"
    );
    assert!(codes.iter().any(|c| c["issued_by"] == "Omar Shah"));
    assert!(
        codes[0]["revoked_at_utc"].is_string(),
        "the first was replaced"
    );
    for secret in [amy.code.as_str(), &new_code, &codes_sent[0], &codes_sent[1]] {
        let code = SigningCode::parse(secret).unwrap();
        assert!(!body.contains(code.as_str()) && !body.contains(&code.display()));
        assert!(!body.contains(&code.hash()), "no code hash");
    }

    // The audit entries about Amy, and none about Ola.
    let audit = json["audit_events"].as_array().unwrap();
    let has = |action: &str, subject: &str| {
        audit
            .iter()
            .any(|a| a["action"] == action && a["subject"].as_str().unwrap().starts_with(subject))
    };
    let me = format!("carer:{}", amy.carer_id);
    assert!(has("declaration.signed", "declaration:"));
    assert!(has("declaration.paper_recorded", "declaration:"));
    assert!(has("code.issued", &me));
    assert!(has("messages.opted_out", &me));
    assert!(has("messages.queued", "campaign:"));
    assert!(audit.iter().any(|a| a["actor_name"] == "Omar Shah"));
    let ola_subject = format!("carer:{}", ola.carer_id);
    assert!(
        !body.contains(&format!("\"{ola_subject}\"")),
        "no entry about Ola"
    );
    assert!(
        !body.contains("ola.nowak@example.org")
            && !body.contains("900222")
            && !body.contains("Nowak")
    );

    // The printable page carries the same, in sections.
    let page = fetch_page(
        &app,
        &head,
        &format!("/office/carers/{}/evidence", amy.carer_id),
    )
    .await;
    assert!(page.contains("<h1>Everything we hold (subject access): Amy Greaves</h1>"));
    for heading in [
        "Contact details and language",
        "Children",
        "Signing codes",
        "Declarations",
        "Emails and text messages",
        "Opt-outs",
        "Audit log entries",
    ] {
        assert!(page.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    assert!(page.contains("management information system (MIS)"));
    assert!(page.contains("SO-000001") && page.contains("SO-000002"));
    assert!(page.contains("Dear Amy Greaves") && page.contains(WITHHELD));
    assert!(page.contains("amy.greaves@example.org") && page.contains("+447700900111"));
    assert!(page.contains("code.issued") && page.contains("messages.opted_out"));
    assert!(page.contains("declaration.paper_recorded"));
    assert!(!page.contains("ola.nowak@example.org") && !page.contains(&ola_subject));
    for code in &codes_sent {
        assert!(!page.contains(code.as_str()));
    }

    // Each export is in the audit log, made by whoever made it.
    let exports: Vec<(String, String)> = sqlx::query_as(
        "SELECT actor, subject FROM audit_events WHERE action = 'carer.exported' ORDER BY id",
    )
    .fetch_all(&app.state.db.read)
    .await
    .unwrap();
    let head_id = app
        .count("SELECT id FROM staff_users WHERE role = 'headteacher'")
        .await;
    assert_eq!(
        exports,
        [
            (format!("staff:{office_id}"), me.clone()),
            (format!("staff:{head_id}"), me.clone())
        ]
    );
    // A second download lists the first export among the entries about Amy.
    let (_, _, again) = download(&app, &office, amy.carer_id).await;
    let again: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert!(
        again["audit_events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "carer.exported")
    );
}

#[tokio::test]
async fn a_carer_with_nothing_yet_reads_none_and_another_schools_carer_is_not_found() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let kim = app.family("Kim", "Lowe", &[]).await;
    let page = fetch_page(
        &app,
        &head,
        &format!("/office/carers/{}/evidence", kim.carer_id),
    )
    .await;
    for heading in [
        "Children",
        "Declarations",
        "Emails and text messages",
        "Opt-outs",
    ] {
        let at = page.find(&format!("<h2>{heading}</h2>")).expect(heading);
        assert!(
            page[at..]
                .trim_start_matches(&format!("<h2>{heading}</h2>"))
                .trim_start()
                .starts_with("<p>None.</p>"),
            "{heading} says None"
        );
    }
    let carer_page = fetch_page(&app, &head, &format!("/office/carers/{}", kim.carer_id)).await;
    assert!(carer_page.contains(&format!(
        "<a href=\"/office/carers/{}/evidence\">Everything we hold (subject access)</a>",
        kim.carer_id
    )));

    // Another school's carer: not found, and no export recorded.
    let now = time::macros::datetime!(2026-11-20 09:00:00 UTC);
    let db = &app.state.db.write;
    let elm = schools::insert(
        db,
        "elmwood",
        "Elmwood Academy",
        "Elm Road",
        "Please sign.",
        now,
    )
    .await
    .unwrap();
    let other = carers::insert_carer(
        db,
        carers::NewCarer {
            scope: elm,
            mis_id: None,
            first_name: "Elm",
            last_name: "Parent",
            email: "elm@example.org",
            phone: "",
            address: "",
            postcode: "",
        },
        now,
    )
    .await
    .unwrap();
    app.state.db.note_write();
    let before = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'carer.exported'")
        .await;
    let res = head
        .get(app.url(&format!("/office/carers/{other}/evidence")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let (status, _, body) = download(&app, &head, other).await;
    assert_eq!(status, 404);
    assert!(!body.contains("elm@example.org"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'carer.exported'")
            .await,
        before,
        "a refused export is not recorded"
    );
    assert_eq!(before, 1, "the page above was recorded");
}
