//! The trust's code of conduct: published by the trust, adopted by two schools with their local
//! sections and ignored by a third; a revision the adopters have not yet published.

use crate::helpers::{TestApp, browser, csrf_of};
use crate::revisions::{doc_id, press_publish};
use crate::trusts::{add_school, get, post, trust_admin};

/// Publishes a version of the trust's code.
async fn publish_trust_code(app: &TestApp, tara: &reqwest::Client, body: &str, summary: &str) {
    let csrf = csrf_of(app, tara, "/trust/code").await;
    let (status, to, html) = post(
        tara,
        app,
        "/trust/code",
        &[
            ("csrf", &csrf),
            ("title", "Trust Code of Conduct for Parents"),
            ("body", body),
            ("summary", summary),
            ("action", "publish"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{html}");
    assert!(to.starts_with("/trust/code?published="));
}

/// A school's headteacher adopts the trust's latest code into `doc` and publishes it.
async fn adopt_and_publish(app: &TestApp, head: &reqwest::Client, doc: i64, local: &str) {
    let csrf = csrf_of(app, head, "/head/trust-code").await;
    let doc = doc.to_string();
    let (status, to, html) = post(
        head,
        app,
        "/head/trust-code",
        &[
            ("csrf", &csrf),
            ("document", &doc),
            ("local", local),
            ("action", "adopt"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{html}");
    assert_eq!(to, format!("/head/documents/{doc}/draft?from=trust"));
    let doc: i64 = doc.parse().unwrap();
    // The governors' approval date is the school's own: publishing asks for it.
    let res = press_publish(app, head, doc, &csrf, "material", "The trust's new code").await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Enter the date it was approved"), "{html}");
    let today = signoff::Clock::now(app.clock.as_ref()).date().to_string();
    let res = head
        .post(app.url(&format!("/head/documents/{doc}/publish")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("change", "material"),
            ("summary", "The trust's new code"),
            ("approved_on", today.as_str()),
            ("password", crate::helpers::HEAD_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn a_trust_revision_is_adopted_by_two_schools_and_ignored_by_a_third() {
    let app = TestApp::spawn().await;
    let oak_head = app.head().await;
    let tara = trust_admin(&app).await;
    let mut heads = Vec::new();
    for (name, slug, email) in [
        ("Elmwood Academy", "elmwood", "head@elmwood.example"),
        ("Birchfield School", "birchfield", "head@birchfield.example"),
    ] {
        let token = add_school(&app, &tara, name, slug).await;
        let c = browser();
        let path = format!("/setup/{token}");
        let csrf = csrf_of(&app, &c, &path).await;
        let res = c
            .post(app.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("name", "Jo Head"),
                ("email", email),
                ("password", crate::helpers::HEAD_PASSWORD),
                ("confirm", crate::helpers::HEAD_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        heads.push(c);
    }
    let (elm_head, birch_head) = (&heads[0], &heads[1]);
    let doc_of = |slug: &'static str| {
        format!(
            "SELECT d.id FROM documents d JOIN schools s ON s.id = d.school_id WHERE s.slug = '{slug}'"
        )
    };
    let oak_doc = doc_id(&app).await;
    let elm_doc = app.count(&doc_of("elmwood")).await;

    // Before the trust publishes, a headteacher is told there is nothing yet.
    let (_, page) = get(&oak_head, &app, "/head/trust-code").await;
    assert!(page.contains("has not published a code of conduct yet"));
    // A version with no summary is refused, what was typed kept.
    let csrf = csrf_of(&app, &tara, "/trust/code").await;
    let (status, _, html) = post(
        &tara,
        &app,
        "/trust/code",
        &[
            ("csrf", &csrf),
            ("title", "Trust Code"),
            ("body", "## Kindness online\n\nBe kind."),
            ("summary", ""),
            ("action", "publish"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Write a short summary") && html.contains("Be kind."));
    assert_eq!(app.count("SELECT COUNT(*) FROM trust_versions").await, 0);

    let v1 = "## Kindness online\n\nWe ask every family in the trust to be kind online.\n\n## Group chats\n\n- No photos of other children\n";
    publish_trust_code(&app, &tara, v1, "The trust's first code").await;
    let (_, page) = get(&oak_head, &app, "/head/trust-code").await;
    assert!(page.contains("version 1") && page.contains("Your school keeps its own code"));

    adopt_and_publish(
        &app,
        &oak_head,
        oak_doc,
        "Our WhatsApp groups are run by class reps.",
    )
    .await;
    adopt_and_publish(&app, elm_head, elm_doc, "").await;
    // Birchfield looks, and keeps its own.
    assert_eq!(get(birch_head, &app, "/head/trust-code").await.0, 200);

    let oak_latest =
        "SELECT body_md FROM versions WHERE school_id = 1 ORDER BY number DESC LIMIT 1";
    let body: String = sqlx::query_scalar(oak_latest)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert!(body.starts_with("## Kindness online"), "{body}");
    assert!(
        body.ends_with(
            "## Local to Oakfield Primary School\n\nOur WhatsApp groups are run by class reps."
        ),
        "{body}"
    );

    let declaration: String = sqlx::query_scalar(
        "SELECT declaration_text FROM versions WHERE school_id = 1 ORDER BY number DESC LIMIT 1",
    )
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert!(
        declaration.contains("Trust Code of Conduct for Parents")
            && !declaration.contains("Social Media Code"),
        "the declaration names the adopted title: {declaration}"
    );
    let standing = |csv: &str, slug: &str| -> String {
        csv.lines()
            .find(|l| l.contains(&format!(",{slug},")))
            .unwrap()
            .rsplit(',')
            .next()
            .unwrap()
            .to_string()
    };
    let (_, csv) = get(&tara, &app, "/trust/export.csv").await;
    assert_eq!(standing(&csv, "oakfield"), "Published trust version 1");
    assert_eq!(standing(&csv, "elmwood"), "Published trust version 1");
    assert_eq!(standing(&csv, "birchfield"), "Own code");
    // The trust's figures name each school's document by its current version's title.
    assert!(
        csv.lines().any(|l| l
            .starts_with("Oakfield Primary School,oakfield,Trust Code of Conduct for Parents,")),
        "{csv}"
    );

    // The trust revises its code: both adopters are behind until each publishes it.
    let v2 = format!("{v1}- No messages to staff after 6pm\n");
    publish_trust_code(&app, &tara, &v2, "Added a line on messages to staff").await;
    let (_, csv) = get(&tara, &app, "/trust/export.csv").await;
    assert_eq!(
        standing(&csv, "oakfield"),
        "Not yet published trust version 2 (on 1)"
    );
    assert_eq!(
        standing(&csv, "elmwood"),
        "Not yet published trust version 2 (on 1)"
    );
    assert_eq!(standing(&csv, "birchfield"), "Own code");
    let (_, page) = get(&tara, &app, "/trust").await;
    assert!(
        page.contains("Not yet published by: Elmwood Academy, Oakfield Primary School"),
        "{page}"
    );
    // Oakfield's headteacher is told on their dashboard; Birchfield's, which keeps its own code,
    // is not, and finds the trust's code from its documents page.
    let (_, dash) = get(&oak_head, &app, "/office").await;
    assert!(
        dash.contains("published version 2 of its code of conduct"),
        "{dash}"
    );
    let (_, dash) = get(birch_head, &app, "/office").await;
    assert!(!dash.contains("of its code of conduct"));
    let (_, docs) = get(birch_head, &app, "/office/documents").await;
    assert!(docs.contains("href=\"/head/trust-code\""));
    // Oakfield's headteacher sees the change, with its local sections kept.
    let (_, page) = get(&oak_head, &app, "/head/trust-code").await;
    assert!(page.contains("version 2 is new"), "{page}");
    assert!(page.contains("No messages to staff after 6pm"));
    assert!(page.contains("Our WhatsApp groups are run by class reps."));
    adopt_and_publish(
        &app,
        &oak_head,
        oak_doc,
        "Our WhatsApp groups are run by class reps.",
    )
    .await;
    let (_, csv) = get(&tara, &app, "/trust/export.csv").await;
    assert_eq!(standing(&csv, "oakfield"), "Published trust version 2");
    assert_eq!(
        standing(&csv, "elmwood"),
        "Not yet published trust version 2 (on 1)"
    );
    let (_, page) = get(&tara, &app, "/trust/code").await;
    assert!(
        page.contains("Elmwood Academy: <strong>Not yet published trust version 2 (on 1)</strong>"),
        "{page}"
    );
    // Publishing it unchanged is refused.
    let csrf = csrf_of(&app, &tara, "/trust/code").await;
    let (status, _, html) = post(
        &tara,
        &app,
        "/trust/code",
        &[
            ("csrf", &csrf),
            ("title", "Trust Code of Conduct for Parents"),
            ("body", &v2),
            ("summary", "Nothing"),
            ("action", "publish"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("the same as version 2"));
    // Birchfield's own code was never touched.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM versions WHERE document_id = {}",
            app.count(&doc_of("birchfield")).await
        ))
        .await,
        1
    );
}
