//! The office's pages of a full school: the dashboard, carers with each filter, a carer in each
//! state, pupils, the roster upload with an error, a column to map and a preview, letters, and
//! the headteacher's checkpoint page with a receipt checked.

use super::{Audit, submit};
use crate::browser::staff_sign_in;
use crate::helpers::{Family, HEAD_EMAIL, HEAD_PASSWORD, TestApp, csrf_of, sign};

/// A school of 30 carers (one child each, in 3B, 4C and 5A): ten sign online, five on paper.
/// Returns the headteacher's HTTP client and the carers who signed online.
pub async fn full_school(app: &TestApp) -> (reqwest::Client, Vec<Family>) {
    let head = app.head().await;
    let mut csv = String::from(
        "pupil_mis_id,pupil_first_name,pupil_last_name,class,year_group,carer_mis_id,carer_first_name,carer_last_name,relationship,email,phone,address_1,town,postcode\n",
    );
    let firsts = [
        "Nadia", "Tom", "Priya", "Sam", "Ola", "Dev", "Kim", "Una", "Amy", "Jon",
    ];
    let lasts = ["Brook", "Carter", "Dunn"];
    for i in 0..30 {
        let (class, year) = [("3B", "Year 3"), ("4C", "Year 4"), ("5A", "Year 5")][i % 3];
        let first = firsts[i % 10];
        let last = format!("{}{}", lasts[i % 3], if i < 3 { "" } else { "-Smythe" });
        let email = if i % 4 == 0 {
            String::new()
        } else {
            format!("carer{i}@example.org")
        };
        csv.push_str(&format!(
            "P{i},Child{i},{last},{class},{year},C{i},{first},{last},Mother,{email},07700 9001{i:02},{i} Elm Street,Oakfield,OK1 1AA\n"
        ));
    }
    app.import_roster(&head, csv.as_bytes()).await;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM carers ORDER BY id")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    let mut signed = Vec::new();
    for (n, id) in ids.iter().enumerate().take(10) {
        let (first, last): (String, String) =
            sqlx::query_as("SELECT first_name, last_name FROM carers WHERE id = ?")
                .bind(id)
                .fetch_one(&app.state.db.read)
                .await
                .unwrap();
        let f = Family {
            carer_id: *id,
            code: app.code_for(*id).await,
            name: format!("{first} {last}"),
        };
        sign(app, &f).await;
        if n < 3 {
            signed.push(f);
        }
    }
    let version: i64 = sqlx::query_scalar("SELECT id FROM versions ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    for id in &ids[10..15] {
        let csrf = csrf_of(app, &head, &format!("/office/carers/{id}")).await;
        let res = head
            .post(app.url(&format!("/office/carers/{id}/paper")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("version_id", &version.to_string()),
                ("received_on", "2026-11-21"),
                ("note", "Handed in at the gate"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "paper form recorded");
    }
    (head, signed)
}

/// Opens a staff session in the audit's browser.
pub async fn browser_sign_in(a: &Audit, app: &TestApp) {
    a.c.goto(&app.url("/staff/sign-in")).await.unwrap();
    staff_sign_in(&a.c, HEAD_EMAIL, HEAD_PASSWORD).await;
}

#[tokio::test]
async fn office_pages_of_a_full_school_pass_axe_and_fit_narrow_screens() {
    let app = TestApp::spawn().await;
    let (head, signed) = full_school(&app).await;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM carers ORDER BY id")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    let mut a = Audit::start("office").await;
    browser_sign_in(&a, &app).await;
    a.check("dashboard, full school").await;

    for (query, state) in [
        ("", "carers, all"),
        ("?status=outstanding", "carers, outstanding"),
        ("?status=signed", "carers, signed"),
        ("?status=paper", "carers, on paper"),
        ("?status=not-signed&class=3B", "carers, not signed in 3B"),
        ("?status=must-resign", "carers, must sign again (none)"),
        ("?q=Smythe", "carers, searched by name"),
        ("?q=Nobody", "carers, search finds nobody"),
    ] {
        a.visit(&app.url(&format!("/office/carers{query}")), state)
            .await;
    }
    let signed_id = signed[0].carer_id;
    let paper_id = ids[10];
    let outstanding_id = ids[20];
    a.visit(
        &app.url(&format!("/office/carers/{signed_id}")),
        "carer, signed online",
    )
    .await;
    a.visit(
        &app.url(&format!("/office/carers/{paper_id}")),
        "carer, on paper",
    )
    .await;
    a.visit(
        &app.url(&format!("/office/carers/{outstanding_id}")),
        "carer, outstanding",
    )
    .await;
    submit(
        &a.c,
        &format!("main form[action='/office/carers/{outstanding_id}/paper']"),
        &[("received_on", "31/02/2026"), ("version_id", "")],
    )
    .await;
    a.check("carer, paper form with errors").await;
    a.visit(
        &app.url(&format!("/office/carers/{outstanding_id}")),
        "carer, outstanding",
    )
    .await;
    submit(
        &a.c,
        &format!("main form[action='/office/carers/{outstanding_id}/code']"),
        &[],
    )
    .await;
    a.check("carer, new code issued").await;
    a.visit(&app.url("/office/pupils"), "pupils").await;
    a.visit(&app.url("/office/pupils?class=4C"), "pupils, one class")
        .await;

    // Letters: choosing who, then the letters themselves.
    a.visit(&app.url("/office/letters"), "letters, choose")
        .await;
    a.visit(
        &app.url("/office/letters?class=5A&status=outstanding"),
        "letters, choose, filtered",
    )
    .await;
    submit(&a.c, "main form[action='/office/letters']", &[]).await;
    a.check("letters, printed for 5A").await;

    // The roster: an upload that is not a CSV, an export with a column to map, and a preview.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("roster.csv");
    std::fs::write(&bad, b"PK\x03\x04\0\0binary").unwrap();
    let odd = dir.path().join("export.csv");
    std::fs::write(
        &odd,
        "Forename,Surname,Tutor Set,Contact Forename,Contact Surname,Contact Email,Bus Route\r\n\
         Ada,Fenn,7F,Iris,Fenn,iris.fenn@example.org,Route 12\r\n\
         Bo,Kite,7F,Wil,Kite,not-an-email,Route 3\r\n\
         ,Lowe,7M,Dot,Lowe,dot.lowe@example.org,Route 12\r\n",
    )
    .unwrap();
    a.visit(&app.url("/office/roster"), "roster, after an import")
        .await;
    upload(&a, &bad).await;
    a.check("roster, upload is not a CSV").await;
    a.visit(&app.url("/office/roster"), "roster").await;
    upload(&a, &odd).await;
    a.check("roster, choose columns").await;
    submit(&a.c, "#columns", &[]).await;
    a.check("roster, columns submitted as found").await;
    let html = a.c.source().await.unwrap();
    if html.contains("id=\"columns\"") {
        // Pick "class" for the column Signoff does not know, as an office would.
        let r = a
            .c
            .execute(
                "const s=[...document.querySelectorAll('#columns select')].find(s=>s.closest('tr,div,fieldset').textContent.includes('Tutor Set'));\
                 if(s){const o=[...s.options].find(o=>/class/i.test(o.value+o.text)); if(o) s.value=o.value;} return !!s;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(r, serde_json::json!(true), "a select for Tutor Set");
        submit(&a.c, "#columns", &[]).await;
        a.check("roster, preview with errors and warnings").await;
    }

    // A file with no problems, imported from its preview.
    let good = dir.path().join("good.csv");
    std::fs::write(&good, crate::office::ROSTER).unwrap();
    a.visit(&app.url("/office/roster"), "roster").await;
    upload(&a, &good).await;
    a.check("roster, preview of a clean file with leavers")
        .await;
    submit(&a.c, "#import", &[("confirm_leavers", "yes")]).await;
    a.check("roster, imported").await;

    // A new version: carers who signed must sign again.
    let doc = crate::revisions::doc_id(&app).await;
    let res = crate::revisions::publish(
        &app,
        &head,
        doc,
        "## Statement of intent\n\nWe ask families to be kind online.\n",
        "material",
        "Shorter.",
    )
    .await;
    assert_eq!(res.status(), 303, "version 2 published");
    a.visit(&app.url("/office"), "dashboard, after a new version")
        .await;
    a.visit(
        &app.url("/office/carers?status=must-resign"),
        "carers, must sign again",
    )
    .await;
    a.visit(
        &app.url(&format!("/office/carers/{signed_id}")),
        "carer, must sign again",
    )
    .await;
    a.visit(
        &app.url("/office/letters?status=must-resign"),
        "letters, choose, must sign again",
    )
    .await;

    // The headteacher's page of the school's record: the chain, and a receipt checked.
    const RECEIPT_FORM: &str = "main form[action='/head/checkpoint/receipt#receipt']";
    a.visit(&app.url("/head/checkpoint"), "checkpoint").await;
    submit(
        &a.c,
        RECEIPT_FORM,
        &[("number", "twelve"), ("hash", "not a hash")],
    )
    .await;
    a.check("checkpoint, receipt not read").await;
    let zeros = "0".repeat(64);
    submit(&a.c, RECEIPT_FORM, &[("number", "1"), ("hash", &zeros)]).await;
    a.check("checkpoint, receipt does not match").await;

    // Keeping records: families due now and soon, a mistake, a request, an erasure.
    for (left, n) in [("2024-09-01", 3), ("2025-12-10", 2)] {
        sqlx::query(
            "UPDATE pupils SET left_on = ?1 WHERE id IN \
             (SELECT id FROM pupils WHERE left_on IS NOT NULL AND left_on > '2025-12-31' LIMIT ?2)",
        )
        .bind(left)
        .bind(n)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    }
    app.state.db.note_write();
    a.visit(
        &app.url("/head/retention"),
        "retention, not in force, families due",
    )
    .await;
    submit(
        &a.c,
        "main form[action='/head/retention']",
        &[("years", "x")],
    )
    .await;
    a.check("retention, with errors").await;
    // A carer with a child still at the school: erasing needs the headteacher's reason too.
    let nadia: i64 = app
        .count(
            "SELECT cp.carer_id FROM carer_pupils cp JOIN pupils p ON p.id = cp.pupil_id \
             WHERE p.left_on IS NULL ORDER BY cp.carer_id LIMIT 1",
        )
        .await;
    let erase = format!("main form[action='/office/carers/{nadia}/erase']");
    a.visit(
        &app.url(&format!("/office/carers/{nadia}")),
        "carer, erase form with a child at school",
    )
    .await;
    submit(&a.c, &erase, &[("reason", "")]).await;
    a.check("carer, erase form with errors").await;
    submit(
        &a.c,
        &erase,
        &[("reason", "Asked in writing"), ("override", "Moved abroad")],
    )
    .await;
    a.check("carer, erased").await;
    a.visit(&app.url("/head/retention"), "retention, an erasure made")
        .await;
    a.finish().await;
}

/// Chooses a file on the roster page and presses upload.
async fn upload(a: &Audit, path: &std::path::Path) {
    a.c.find(fantoccini::Locator::Css("#file"))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    submit(&a.c, "main form[action='/office/roster']", &[]).await;
}
