//! The office over HTTP: roster import, status counts, paper forms, codes, CSV, letters.

mod carers;
mod deltas;
mod import;
mod status;

use signoff::domain::secret::sha256_hex;
use signoff::domain::wording::Wording;
use signoff::store::documents;

use crate::helpers::{Family, TestApp, csrf_of, sign};

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
            scope: app.scope,
            document_id: doc,
            number: 2,
            wording: &text,
            summary: "Revised.",
            material: true,
            canonical_text: &canonical,
            sha256: &sha256_hex(&canonical),
            published_at: time::macros::datetime!(2026-11-21 09:00:00 UTC),
            published_by: None,
        },
    )
    .await
    .inspect(|_| app.state.db.note_write())
    .unwrap()
}

pub(super) async fn family(app: &TestApp, first: &str, last: &str) -> Family {
    let carer_id = app.carer_id(first, last).await;
    Family {
        carer_id,
        code: app.code_for(carer_id).await,
        name: format!("{first} {last}"),
    }
}

/// Hand-computed: latest material version 2. Nadia signed v2 online; Priya's paper form for v2
/// came back; Tom signed only v1; the guardian of Cal and Sam never signed.
pub(super) async fn fixture(app: &TestApp) -> reqwest::Client {
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
