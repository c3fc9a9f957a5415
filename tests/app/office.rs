//! The office over HTTP: roster import, status counts, paper forms, codes, CSV, letters.

use signoff::domain::secret::sha256_hex;
use signoff::domain::wording::Wording;
use signoff::store::documents;

use crate::helpers::{Family, TestApp, csrf_of, hidden, sign};

pub const ROSTER: &str = "pupil_mis_id,pupil_first_name,pupil_last_name,class,year_group,carer_mis_id,carer_first_name,carer_last_name,relationship,email,phone,address_1,town,postcode\n\
P1,Alfie,Brook,3B,Year 3,C1,Nadia,Brook,Mother,nadia@example.org,07700 900001,2 Elm Street,Oakfield,OK1 1AA\n\
P1,Alfie,Brook,3B,Year 3,C2,Tom,Brook,Father,,07700 900002,2 Elm Street,Oakfield,OK1 1AA\n\
P2,Bea,Carter,3B,Year 3,C3,Priya,Carter,Mother,priya@example.org,,3 Ash Road,Oakfield,OK1 1AB\n\
P3,Cal,Dunn,5A,Year 5,C4,\"=HYPERLINK(\"\"http://x\"\")\",Dunn,Guardian,,,4 Oak Lane,Oakfield,OK1 1AC\n\
P4,Dee,Brook,5A,Year 5,C1,Nadia,Brook,Mother,nadia@example.org,07700 900001,2 Elm Street,Oakfield,OK1 1AA\n\
\n\
P5,Eli,Frost,5A,Year 5,C5,Sam,Frost,Carer,,,,,\n";

/// Publishes a material version 2 straight through the store (the editor is the revisions issue).
pub async fn publish_v2(app: &TestApp) -> i64 {
    let text = Wording {
        title: "Social Media Code of Conduct for Parents and Carers".into(),
        approved_by: "The Governing Body".into(),
        approved_on: "2026-11-20".into(),
        last_reviewed: "2026-11-20".into(),
        next_review_due: "2027-11-20".into(),
        related_policies: "Complaints Procedure".into(),
        body_md: "## Statement of intent\n\nRevised.".into(),
        declaration_text: "I agree to follow the revised code.".into(),
    };
    let canonical = text.canonical(2);
    let doc: i64 = sqlx::query_scalar("SELECT id FROM documents")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    documents::insert_version(
        &app.state.db.write,
        documents::NewVersion {
            school_id: app.school_id,
            document_id: doc,
            number: 2,
            wording: &text,
            summary: "Revised.",
            material: true,
            canonical_text: &canonical,
            sha256: &sha256_hex(&canonical),
            published_at: "2026-11-21T09:00:00Z",
            published_by: None,
        },
    )
    .await
    .inspect(|_| app.state.db.note_write())
    .unwrap()
}

async fn family(app: &TestApp, first: &str, last: &str) -> Family {
    let carer_id = app.carer_id(first, last).await;
    Family {
        carer_id,
        code: app.code_for(carer_id).await,
        name: format!("{first} {last}"),
    }
}

#[tokio::test]
async fn importing_twice_changes_nothing_and_a_new_term_marks_leavers() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let (status, html) = app.upload_roster(&head, ROSTER.as_bytes()).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("<th scope=\"row\">Pupils</th><td class=\"num\">5</td>"),
        "5 pupils to add"
    );
    assert!(
        html.contains("<th scope=\"row\">Carers</th><td class=\"num\">5</td>"),
        "5 carers to add"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils").await,
        0,
        "a preview stores nothing"
    );
    app.import_roster(&head, ROSTER.as_bytes()).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM pupils").await, 5);
    assert_eq!(app.count("SELECT COUNT(*) FROM carers").await, 5);
    assert_eq!(app.count("SELECT COUNT(*) FROM carer_pupils").await, 6);

    let (status, html) = app.upload_roster(&head, ROSTER.as_bytes()).await;
    assert_eq!(status, 200);
    assert!(html.contains("This file matches the roster already"));
    assert!(!html.contains("Import these changes"));

    // Nadia signs; next term Eli and Sam have left and Alfie moved to 4B.
    let nadia = family(&app, "Nadia", "Brook").await;
    sign(&app, &nadia).await;
    let next_term = ROSTER
        .replace("P1,Alfie,Brook,3B,Year 3", "P1,Alfie,Brook,4B,Year 4")
        .replace("P5,Eli,Frost,5A,Year 5,C5,Sam,Frost,Carer,,,,,\n", "");
    app.import_roster(&head, next_term.as_bytes()).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE left_on IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM carers WHERE left_on IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils WHERE class_name = '4B'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pupils").await,
        5,
        "leavers are kept"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM declarations").await,
        1,
        "signatures are kept"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'roster.imported'")
            .await,
        2
    );
}

#[tokio::test]
async fn a_windows_1252_export_from_excel_is_read() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let bytes: &[u8] = b"pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\r\nZo\xeb,Okoro,1A,Ren\xe9e,Okoro\r\n\r\n";
    app.import_roster(&head, bytes).await;
    let names: (String, String) =
        sqlx::query_as("SELECT p.first_name, c.first_name FROM pupils p, carers c")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(names, ("Zoë".to_string(), "Renée".to_string()));
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice("pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\nZoë,Okoro,1A,Renée,Okoro\n".as_bytes());
    let (_, html) = app.upload_roster(&head, &bom).await;
    assert!(
        html.contains("This file matches the roster already"),
        "UTF-8 with BOM reads the same: {html}"
    );
}

/// Hand-computed: latest material version 2. Nadia signed v2 online; Priya's paper form for v2
/// came back; Tom signed only v1; the guardian of Cal and Sam never signed.
async fn fixture(app: &TestApp) -> reqwest::Client {
    let head = app.head().await;
    app.import_roster(&head, ROSTER.as_bytes()).await;
    let tom = family(app, "Tom", "Brook").await;
    sign(app, &tom).await;
    let v2 = publish_v2(app).await;
    let nadia = family(app, "Nadia", "Brook").await;
    sign(app, &nadia).await;
    let priya = app.carer_id("Priya", "Carter").await;
    let csrf = csrf_of(app, &head, &format!("/office/carers/{priya}")).await;
    let res = head
        .post(app.url(&format!("/office/carers/{priya}/paper")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version_id", &v2.to_string()),
            ("received_on", "21/11/2026"),
            ("note", "Handed in at reception"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    head
}

#[tokio::test]
async fn status_counts_match_a_hand_computed_fixture() {
    let app = TestApp::spawn().await;
    let head = fixture(&app).await;
    let html = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("40%</span><span class=\"stat-label\">signed (2 of 5 carers)"),
        "{html}"
    );
    assert!(
        html.contains(
            "<span class=\"stat-number\">1</span><span class=\"stat-label\">must re-sign"
        )
    );
    assert!(
        html.contains("<span class=\"stat-number\">2</span><span class=\"stat-label\">not signed")
    );
    assert!(html.contains(
        "<span class=\"stat-number\">1</span><span class=\"stat-label\">signed on paper"
    ));
    assert!(html.contains("3 of 5 pupils are covered"));
    // Class, carers, signed, must re-sign, not signed, paper.
    assert!(html.contains("<th scope=\"row\">3B</th><td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td>"));
    assert!(html.contains("<th scope=\"row\">5A</th><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">2</td><td class=\"num\">0</td>"));
    assert!(html.contains("<th scope=\"row\">Year 5</th>"));

    let list = head
        .get(app.url("/office/carers?class=3B&status=outstanding"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("<strong>1</strong> carer."),
        "only Tom is outstanding in 3B"
    );
    assert!(list.contains("Tom Brook") && list.contains("Must re-sign"));
    let list = head
        .get(app.url("/office/carers?status=not-signed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("<strong>2</strong> carers."));
    let found = head
        .get(app.url("/office/carers?q=dee"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        found.contains("Nadia Brook") && found.contains("<strong>1</strong> carer."),
        "search finds a carer by a child's name"
    );

    let pupils = head
        .get(app.url("/office/pupils?class=3B"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(pupils.matches("tag-signed\">Covered").count(), 2);

    // With "every carer must sign", Alfie (Tom has not re-signed) is no longer covered.
    let csrf = csrf_of(&app, &head, "/head/settings").await;
    let settings = head
        .get(app.url("/head/settings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let letter = settings
        .split("name=\"letter_text\" rows=\"12\">")
        .nth(1)
        .unwrap()
        .split("</textarea>")
        .next()
        .unwrap()
        .to_string();
    let res = head
        .post(app.url("/head/settings"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Oakfield Primary School"),
            ("address", "Meadow Lane"),
            ("cover_rule", "all"),
            ("letter_text", &letter.replace("&#39;", "'")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = head
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("2 of 5 pupils are covered (every carer has signed)"));
}

#[tokio::test]
async fn a_paper_form_is_evidence_and_a_bad_one_is_explained() {
    let app = TestApp::spawn().await;
    let head = fixture(&app).await;
    let priya = app.carer_id("Priya", "Carter").await;
    let page = head
        .get(app.url(&format!("/office/carers/{priya}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Signed on paper"));
    assert!(page.contains("Paper, received 21 November 2026"));
    assert!(page.contains("Helen Ward"), "recorded by whom");
    let row: (String, Option<i64>, String, String) = sqlx::query_as(
        "SELECT method, recorded_by, received_on, note FROM declarations WHERE carer_id = ?",
    )
    .bind(priya)
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(
        (row.0.as_str(), row.2.as_str(), row.3.as_str()),
        ("paper", "2026-11-21", "Handed in at reception")
    );
    assert!(row.1.is_some());
    let chain: Vec<(String, String)> =
        sqlx::query_as("SELECT prev_hash, row_hash FROM declarations ORDER BY id")
            .fetch_all(&app.state.db.read)
            .await
            .unwrap();
    assert!(
        chain.windows(2).all(|w| w[1].0 == w[0].1),
        "paper forms join the same chain"
    );

    let sam = app.carer_id("Sam", "Frost").await;
    let v2: i64 = sqlx::query_scalar("SELECT id FROM versions WHERE number = 2")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let csrf = csrf_of(&app, &head, &format!("/office/carers/{sam}")).await;
    let before = app.count("SELECT COUNT(*) FROM declarations").await;
    for (date, message) in [
        ("31/02/2026", "Enter the date the form came back"),
        ("22/11/2026", "cannot be in the future"),
        ("01/09/2026", "cannot have come back before then"),
        ("", "Enter the date the form came back"),
    ] {
        let res = head
            .post(app.url(&format!("/office/carers/{sam}/paper")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("version_id", &v2.to_string()),
                ("received_on", date),
                ("note", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{date}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{date}: {message}");
        assert!(
            html.contains(&format!("value=\"{date}\"")),
            "typed date kept"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, before);
}

#[tokio::test]
async fn reissuing_a_code_shows_it_once_and_stops_the_old_one() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, ROSTER.as_bytes()).await;
    let sam = family(&app, "Sam", "Frost").await;
    assert_eq!(
        app.get(&format!("/s/{}", sam.code.as_str())).await.status(),
        200
    );
    let csrf = csrf_of(&app, &head, &format!("/office/carers/{}", sam.carer_id)).await;
    let res = head
        .post(app.url(&format!("/office/carers/{}/code", sam.carer_id)))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let code = html
        .split("class=\"code-display\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 12);
    assert_eq!(
        app.get(&format!("/s/{}", sam.code.as_str())).await.status(),
        404,
        "old code revoked"
    );
    assert_eq!(
        app.get(&format!("/s/{}", code.replace('-', "")))
            .await
            .status(),
        200,
        "new code works"
    );
    let page = head
        .get(app.url(&format!("/office/carers/{}", sam.carer_id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Replaced") && page.contains("In use"));
    assert!(!page.contains(&code), "the code is never shown again");
}

#[tokio::test]
async fn the_csv_export_is_safe_to_open_in_excel() {
    let app = TestApp::spawn().await;
    let head = fixture(&app).await;
    let res = head
        .get(app.url("/office/export.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let body = res.text().await.unwrap();
    assert!(body.starts_with("Carer ID,Carer,Email,Phone,Children,Classes,Status"));
    assert!(
        body.contains("\"'=HYPERLINK(\"\"http://x\"\") Dunn\""),
        "{body}"
    );
    assert!(!body.contains(",=HYPERLINK"));
    assert!(body.contains("Priya Carter,priya@example.org,,Bea Carter,3B,Signed,2,"));
    assert!(body.contains(",paper"));
    assert_eq!(body.lines().count(), 6, "header and five carers");
    let outstanding = head
        .get(app.url("/office/export.csv?class=5A&status=outstanding"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(outstanding.lines().count(), 3);
}

#[tokio::test]
async fn letters_for_a_class_carry_fresh_codes() {
    let app = TestApp::spawn().await;
    let head = fixture(&app).await;
    let tom = family(&app, "Tom", "Brook").await;
    let choose = head
        .get(app.url("/office/letters?class=3B"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        choose.contains("<strong>1</strong> letter"),
        "only Tom is outstanding in 3B"
    );
    let csrf = hidden(&choose, "csrf");
    let doc: i64 = sqlx::query_scalar("SELECT id FROM documents")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let res = head
        .post(app.url("/office/letters"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("doc", &doc.to_string()),
            ("class", "3B"),
            ("status", "outstanding"),
            ("q", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert_eq!(html.matches("<article class=\"letter\"").count(), 1);
    assert!(html.contains("Dear Tom Brook"));
    assert!(html.contains("2 Elm Street"));
    assert!(html.contains("Meadow Lane"), "the school's address block");
    assert!(html.contains("21 November 2026"));
    assert!(html.contains("<svg aria-hidden"), "a QR code");
    assert!(html.contains("/sign</strong>"));
    let code = html
        .split("class=\"code-display\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .replace('-', "");
    assert_eq!(
        app.get(&format!("/s/{}", tom.code.as_str())).await.status(),
        404,
        "old code replaced"
    );
    assert_eq!(app.get(&format!("/s/{code}")).await.status(), 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'letters.printed'")
            .await,
        1
    );

    let everyone_5a = head
        .get(app.url("/office/letters?class=5A&status=all"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(everyone_5a.contains("<strong>3</strong> letters"));
}
