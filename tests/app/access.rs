//! Access control as a matrix: every route, for each kind of visitor, gives the expected answer.

use signoff::domain::secret::sha256_hex;
use signoff::domain::wording::Wording;
use signoff::store::{carers, codes, documents, schools, staff};

use crate::helpers::{TestApp, browser, csrf_of, sign};
use crate::office::ROSTER;

const ANON: usize = 0;
const PARENT_A: usize = 1;
const PARENT_B: usize = 2;
const OFFICE: usize = 3;
const HEAD: usize = 4;
const OTHER: usize = 5;
const TRUST: usize = 6;
const TRUST_ELM: usize = 7;
const WHO: [&str; 8] = [
    "anonymous",
    "parent A",
    "parent B",
    "office",
    "headteacher",
    "second school's headteacher",
    "trust administrator",
    "trust administrator looking at the second school",
];

/// A trust administrator, appointed from the shell, signed in; looking at `school` if given.
async fn trust_admin(app: &TestApp, email: &str, school: Option<&str>) -> reqwest::Client {
    let token = signoff::app::trust::appoint_from_shell(
        &app.state.db,
        app.clock.as_ref(),
        "Tara Quinn",
        email,
    )
    .await
    .unwrap();
    let c = browser();
    let path = format!("/setup/{token}");
    let csrf = csrf_of(app, &c, &path).await;
    let res = c
        .post(app.url(&path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("password", "quiet harbour lights"),
            ("confirm", "quiet harbour lights"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    if let Some(slug) = school {
        let csrf = csrf_of(app, &c, "/trust").await;
        let res = c
            .post(app.url("/trust/look"))
            .form(&[("csrf", csrf.as_str()), ("school", slug)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
    }
    c
}

/// A second school with its own code of conduct, headteacher and carer: the carer's id and code.
async fn second_school(app: &TestApp) -> (i64, signoff::domain::code::SigningCode) {
    let db = &app.state.db.write;
    let now = time::macros::datetime!(2026-11-20 09:00:00 UTC);
    let school = schools::insert(
        db,
        "elmwood",
        "Elmwood Academy",
        "Elm Road",
        "Please sign.",
        now,
    )
    .await
    .unwrap();
    let doc = documents::insert_document(db, school, "code", "Elmwood Parents' Code", 0, now)
        .await
        .unwrap();
    let text = Wording {
        title: "Elmwood Parents' Code".into(),
        approved_by: "Trust board".into(),
        approved_on: "2026-09-01".into(),
        last_reviewed: "2026-09-01".into(),
        next_review_due: "2027-09-01".into(),
        related_policies: "".into(),
        body_md: "## Elmwood rules\n\nBe kind.".into(),
        declaration_text: "I agree to the Elmwood code.".into(),
    };
    let canonical = text.canonical(1);
    documents::insert_version(
        db,
        documents::NewVersion {
            scope: school,
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
    let head = staff::insert_user(
        db,
        Some(school),
        "head@elmwood.example",
        "Elm Head",
        "headteacher",
        now,
    )
    .await
    .unwrap();
    staff::set_password(
        db,
        Some(school),
        head,
        &signoff::domain::password::hash("elm tree shade walk").unwrap(),
    )
    .await
    .unwrap();
    let carer = carers::insert_carer(
        db,
        carers::NewCarer {
            scope: school,
            mis_id: None,
            first_name: "Elm",
            last_name: "Parent",
            email: "",
            phone: "",
            address: "",
            postcode: "",
        },
        now,
    )
    .await
    .unwrap();
    let code = signoff::domain::code::SigningCode::generate();
    let mut conn = db.acquire().await.unwrap();
    codes::replace(&mut conn, school, carer, &code.hash(), now, None)
        .await
        .unwrap();
    app.state.db.note_write();
    (carer, code)
}

#[tokio::test]
async fn every_route_answers_each_kind_of_visitor_as_expected() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    app.import_roster(&head, ROSTER.as_bytes()).await;
    // A file uploaded and previewed but not imported: its pages are the school's own.
    let (_, preview) = app.upload_roster(&head, ROSTER.as_bytes()).await;
    let marker = "action=\"/office/roster/";
    let start = preview.find(marker).expect("a roster form") + marker.len();
    let pending: String = preview[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let (office, office_id) = app
        .colleague(
            &head,
            "Omar Shah",
            "office@oakfield.example",
            "office",
            "blue kettle morning",
        )
        .await;
    let (elm_carer, other_code) = second_school(&app).await;
    let (other, res) = app
        .sign_in("head@elmwood.example", "elm tree shade walk")
        .await;
    assert_eq!(res.status(), 303);

    let a_id = app.carer_id("Nadia", "Brook").await;
    let a = crate::helpers::Family {
        carer_id: a_id,
        code: app.code_for(a_id).await,
        name: "Nadia Brook".into(),
    };
    let b_id = app.carer_id("Tom", "Brook").await;
    let b = crate::helpers::Family {
        carer_id: b_id,
        code: app.code_for(b_id).await,
        name: "Tom Brook".into(),
    };
    let a_receipt = sign(&app, &a).await;
    let a_decl = a_receipt
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    sign(&app, &b).await;
    let doc: i64 = sqlx::query_scalar("SELECT id FROM documents WHERE school_id = ?")
        .bind(app.school_id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();

    let trust = trust_admin(&app, "tara@trust.example", None).await;
    let trust_elm = trust_admin(&app, "sam@trust.example", Some("elmwood")).await;
    let clients = [
        browser(),
        browser(),
        browser(),
        office,
        head,
        other,
        trust,
        trust_elm,
    ];
    let (ac, bc) = (a.code.as_str().to_string(), b.code.as_str().to_string());
    // Expected status for [anonymous, parent A, parent B, office, head, other school's head,
    // trust administrator, trust administrator looking at the other school]. A trust
    // administrator looking at no school is sent to the trust's pages (303).
    let everyone = [200; 8];
    let staff_only = [303, 303, 303, 200, 200, 200, 303, 200];
    let own_school = [303, 303, 303, 200, 200, 404, 303, 404];
    let head_only = [303, 303, 303, 403, 200, 200, 303, 403];
    let trust_only = [303, 303, 303, 403, 403, 403, 200, 200];
    let routes: Vec<(String, [u16; 8])> = vec![
        ("/".into(), everyone),
        ("/sign".into(), everyone),
        ("/policy".into(), everyone),
        ("/policy/social-media-code/history".into(), everyone),
        ("/policy/social-media-code/v/1".into(), everyone),
        ("/policy/social-media-code/v/1/text".into(), everyone),
        ("/static/site.css".into(), everyone),
        ("/staff/sign-in".into(), everyone),
        // Whoever holds A's link sees A's page and receipt; B's code never opens A's receipt.
        (format!("/s/{ac}/receipt/{a_decl}"), everyone),
        (format!("/s/{bc}/receipt/{a_decl}"), [404; 8]),
        ("/s/ABCDEFGHJK".into(), [404; 8]),
        ("/office".into(), staff_only),
        ("/office/carers".into(), staff_only),
        ("/office/pupils".into(), staff_only),
        ("/office/export.csv".into(), staff_only),
        ("/office/roster".into(), staff_only),
        ("/office/roster/template.csv".into(), staff_only),
        (format!("/office/roster/{pending}"), own_school),
        (format!("/office/roster/{pending}/columns"), own_school),
        (format!("/office/roster/{pending}/skipped.csv"), own_school),
        ("/office/letters".into(), staff_only),
        ("/office/documents".into(), staff_only),
        (format!("/office/carers/{a_id}"), own_school),
        (format!("/office/carers/{a_id}/evidence"), own_school),
        (format!("/office/carers/{a_id}/evidence.json"), own_school),
        (format!("/office/documents/{doc}"), own_school),
        (format!("/office/documents/{doc}/versions/1"), own_school),
        ("/office?doc=1".into(), own_school),
        ("/head/staff".into(), head_only),
        ("/head/settings".into(), head_only),
        (
            format!("/head/documents/{doc}/publish"),
            [303, 303, 303, 403, 303, 404, 303, 403],
        ),
        ("/head/trust-code".into(), head_only),
        ("/trust".into(), trust_only),
        ("/trust/export.csv".into(), trust_only),
        ("/trust/code".into(), trust_only),
        ("/trust/admins".into(), trust_only),
        ("/trust/schools/new".into(), trust_only),
    ];
    for (path, expected) in &routes {
        for (who, client) in clients.iter().enumerate() {
            let res = client.get(app.url(path)).send().await.unwrap();
            let status = res.status().as_u16();
            assert_eq!(status, expected[who], "GET {path} as {}", WHO[who]);
            // (A personal link shows its holder's own data, whoever holds it.)
            if (who == OTHER || who == TRUST_ELM)
                && status == 200
                && !path.starts_with("/s/")
                && !path.starts_with("/trust")
            {
                let body = res.text().await.unwrap();
                let staff_page = path.starts_with("/office") || path.starts_with("/head");
                assert!(
                    !(body.contains("Nadia") || staff_page && body.contains("Oakfield Primary")),
                    "GET {path} as {} leaks school 1",
                    WHO[who]
                );
            }
        }
    }

    // Writes, each with the visitor's own form token.
    // A trust administrator looking at a school changes nothing there (403, whatever the id).
    type Post = (String, Vec<(&'static str, String)>, [u16; 8]);
    let posts: Vec<Post> = vec![
        (
            format!("/office/carers/{a_id}/code"),
            vec![],
            [303, 303, 303, 200, 200, 404, 303, 403],
        ),
        (
            format!("/office/carers/{a_id}/paper"),
            vec![
                ("version_id", "1".into()),
                ("received_on", "2026-11-21".into()),
            ],
            [303, 303, 303, 303, 303, 404, 303, 403],
        ),
        (
            format!("/head/staff/{office_id}/role"),
            vec![("role", "office".into())],
            [303, 303, 303, 403, 303, 404, 303, 403],
        ),
        (
            format!("/head/documents/{doc}/draft/start"),
            vec![],
            [303, 303, 303, 403, 303, 404, 303, 403],
        ),
        (
            format!("/head/documents/{doc}/review"),
            vec![
                ("reviewed_on", "2026-11-21".into()),
                ("next_review_due", "2027-11-21".into()),
            ],
            [303, 303, 303, 403, 303, 404, 303, 403],
        ),
        // The trust's own forms: no school's staff reaches them.
        (
            "/trust/admins".into(),
            vec![("name", "".into()), ("email", "".into())],
            [303, 303, 303, 403, 403, 403, 422, 422],
        ),
        (
            "/trust/schools/new".into(),
            vec![("name", "".into()), ("slug", "".into())],
            [303, 303, 303, 403, 403, 403, 422, 422],
        ),
        (
            "/head/trust-code".into(),
            vec![("document", doc.to_string()), ("action", "compare".into())],
            [303, 303, 303, 403, 200, 404, 303, 403],
        ),
    ];
    for (path, fields, expected) in &posts {
        for (who, client) in clients.iter().enumerate() {
            let csrf = if who == TRUST {
                csrf_of(&app, client, "/trust").await
            } else if who >= OFFICE {
                csrf_of(&app, client, "/office").await
            } else {
                String::new()
            };
            let mut form = vec![("csrf", csrf)];
            form.extend(fields.iter().cloned());
            let res = client.post(app.url(path)).form(&form).send().await.unwrap();
            assert_eq!(
                res.status().as_u16(),
                expected[who],
                "POST {path} as {}",
                WHO[who]
            );
        }
    }

    // A form field naming another school's row: the second school's headteacher records a paper
    // form for their own carer, against the first school's version.
    let other = &clients[OTHER];
    let csrf = csrf_of(&app, other, "/office").await;
    let oak_version: i64 = sqlx::query_scalar("SELECT id FROM versions WHERE school_id = ?")
        .bind(app.school_id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let res = other
        .post(app.url(&format!("/office/carers/{elm_carer}/paper")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version_id", &oak_version.to_string()),
            ("received_on", "2026-11-21"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Choose which version"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM declarations WHERE method = 'paper' AND school_id <> 1")
            .await,
        0
    );

    // A code from the second school opens only the second school.
    let page = app
        .get(&format!("/s/{}", other_code.as_str()))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Elmwood Academy") && page.contains("Elmwood rules"));
    assert!(!page.contains("Oakfield") && !page.contains("Social Media Code of Conduct"));
    let _ = (ANON, PARENT_A, PARENT_B, HEAD, TRUST);
}
