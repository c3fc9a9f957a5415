//! Everything held about a carer (subject access): every declaration, message, code and audit
//! entry of theirs on the printable page and in the download, nobody else's, never a code, and
//! the export itself in the audit log.

mod erased;
mod setup;

use signoff::app::subject_access::WITHHELD;
use signoff::domain::code::SigningCode;
use signoff::store::{carers, schools};

use crate::helpers::TestApp;
use crate::messages::fetch_page;
use setup::{download, exported, scene, sent_to, withheld};

#[tokio::test]
async fn the_download_holds_each_declaration_message_code_and_audit_entry() {
    let s = scene().await;
    let (app, amy) = (&s.app, &s.amy);
    let (status, name, body) = download(app, &s.office, amy.carer_id).await;
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
        let (subject, sent_body) = sent_to(&s.fake, to);
        let (expected, code) = withheld(app, &sent_body);
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
    for secret in [
        amy.code.as_str(),
        &s.new_code,
        &codes_sent[0],
        &codes_sent[1],
    ] {
        let code = SigningCode::parse(secret).unwrap();
        assert!(!body.contains(code.as_str()) && !body.contains(&code.display()));
        assert!(!body.contains(&code.hash()), "no code hash");
    }

    // The audit entries about Amy: her declarations, codes, opt-out and the sending.
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
    assert!(has("erasure.requested", &me));

    // The request to erase them, waiting for a headteacher.
    let request = &json["erasure_requests"][0];
    assert_eq!(
        (
            &request["reason"],
            &request["outcome"],
            &request["requested_by"]
        ),
        (
            &serde_json::json!("Asked by letter"),
            &serde_json::json!("waiting"),
            &serde_json::json!("Omar Shah")
        )
    );
    assert_eq!(json["erasures"], serde_json::json!([]));
}

#[tokio::test]
async fn the_printable_page_holds_the_same_in_sections() {
    let s = scene().await;
    let (app, amy) = (&s.app, &s.amy);
    let page = fetch_page(
        app,
        &s.head,
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
        "Erasure requests and erasures",
        "Audit log entries",
    ] {
        assert!(page.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    assert!(page.contains("management information system (MIS)"));
    assert!(page.contains("SO-000001") && page.contains("SO-000002"));
    assert!(page.contains("Dear Amy Greaves") && page.contains(WITHHELD));
    assert!(page.contains("amy.greaves@example.org") && page.contains("+447700900111"));
    assert!(page.contains("Ben Greaves") && page.contains("Omar Shah"));
    assert!(page.contains("code.issued") && page.contains("messages.opted_out"));
    assert!(page.contains("declaration.signed") && page.contains("declaration.paper_recorded"));
    assert!(page.contains("No more text messages, asked"));
    assert!(page.contains("by Omar Shah: Asked by letter. Waiting for a headteacher."));
    assert!(
        page.contains("<td>Sent by text message</td>"),
        "a code a text carried"
    );
    for to in ["amy.greaves@example.org", "+447700900111"] {
        let (_, sent_body) = sent_to(&s.fake, to);
        let (_, code) = withheld(app, &sent_body);
        assert!(!page.contains(code.as_str()), "never a code");
    }
    assert!(!page.contains(s.new_code.as_str()) && !page.contains(amy.code.as_str()));
}

#[tokio::test]
async fn another_carers_messages_and_audit_entries_never_appear() {
    let s = scene().await;
    let (body, json) = exported(&s, &s.office, s.amy.carer_id).await;
    let ola = format!("carer:{}", s.ola.carer_id);
    assert_eq!(json["messages"].as_array().unwrap().len(), 2);
    assert!(
        json["audit_events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["subject"] != ola.as_str() && a["actor"] != ola.as_str()),
        "no entry about Ola"
    );
    for theirs in ["ola.nowak@example.org", "900222", "Nowak", "Zoe"] {
        assert!(!body.contains(theirs), "{theirs}");
    }
    let page = fetch_page(
        &s.app,
        &s.head,
        &format!("/office/carers/{}/evidence", s.amy.carer_id),
    )
    .await;
    for theirs in ["ola.nowak@example.org", "900222", "Nowak", ola.as_str()] {
        assert!(!page.contains(theirs), "{theirs}");
    }
    // Ola's own export has hers, and none of Amy's.
    let (body, json) = exported(&s, &s.office, s.ola.carer_id).await;
    assert_eq!(json["messages"].as_array().unwrap().len(), 2);
    assert!(body.contains("ola.nowak@example.org") && !body.contains("amy.greaves@example.org"));
}

#[tokio::test]
async fn each_export_is_recorded_in_the_audit_log_by_whoever_made_it() {
    let s = scene().await;
    let me = format!("carer:{}", s.amy.carer_id);
    exported(&s, &s.office, s.amy.carer_id).await;
    fetch_page(
        &s.app,
        &s.head,
        &format!("/office/carers/{}/evidence", s.amy.carer_id),
    )
    .await;
    let exports: Vec<(String, String)> = sqlx::query_as(
        "SELECT actor, subject FROM audit_events WHERE action = 'carer.exported' ORDER BY id",
    )
    .fetch_all(&s.app.state.db.read)
    .await
    .unwrap();
    let head_id = s
        .app
        .count("SELECT id FROM staff_users WHERE role = 'headteacher'")
        .await;
    assert_eq!(
        exports,
        [
            (format!("staff:{}", s.office_id), me.clone()),
            (format!("staff:{head_id}"), me.clone())
        ]
    );
    // A later export lists the earlier ones among the entries about Amy.
    let (_, again) = exported(&s, &s.office, s.amy.carer_id).await;
    let listed = again["audit_events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "carer.exported" && a["subject"] == me.as_str())
        .count();
    assert_eq!(listed, 2);
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
        "Erasure requests and erasures",
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
