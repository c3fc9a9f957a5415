//! Isolation by construction: the database itself refuses a row of one school that points at
//! another school's carer, pupil, document, version, code, campaign or member of staff; and a
//! store function given one school's scope finds (and changes) nothing of another school's.

use signoff::store::{carers, codes, declarations, documents, drafts, messaging, schools, staff};

use crate::helpers::{TestApp, sign};
use crate::schools::signoff;

#[tokio::test]
async fn no_row_of_one_school_can_point_at_another_schools_rows() {
    let app = TestApp::spawn().await;
    let _head = app.head().await;
    let oak = app.family("Olive", "Oak", &[("Rowan", "Oak", "2B")]).await;
    let (ok, out) = signoff(
        &app,
        &["school", "add", "Elmwood Academy", "--slug", "elmwood"],
    );
    assert!(ok, "{out}");
    let db = &app.state.db.write;
    let run = |sql: String| async move { sqlx::query(&sql).execute(db).await };
    let elm = app
        .count("SELECT id FROM schools WHERE slug = 'elmwood'")
        .await;
    let elm_doc = app
        .count(&format!("SELECT id FROM documents WHERE school_id = {elm}"))
        .await;
    let elm_version = app
        .count(&format!("SELECT id FROM versions WHERE school_id = {elm}"))
        .await;
    let oak_doc = app
        .count("SELECT id FROM documents WHERE school_id = 1")
        .await;
    let oak_version = app
        .count("SELECT id FROM versions WHERE school_id = 1")
        .await;
    let oak_head = app
        .count("SELECT id FROM staff_users WHERE school_id = 1")
        .await;
    let carer = oak.carer_id;
    let now = "'2026-11-21T10:00:00Z'";
    // An Elmwood pupil and carer, made properly, for the links below.
    run(format!(
        "INSERT INTO pupils (school_id, first_name, last_name, class_name, created_at, updated_at) \
         VALUES ({elm}, 'Hazel', 'Birch', '1E', {now}, {now})"
    ))
    .await
    .unwrap();
    let elm_pupil = app.count("SELECT MAX(id) FROM pupils").await;
    run(format!(
        "INSERT INTO carers (school_id, first_name, last_name, created_at, updated_at) \
         VALUES ({elm}, 'Ivy', 'Birch', {now}, {now})"
    ))
    .await
    .unwrap();
    let elm_carer = app.count("SELECT MAX(id) FROM carers").await;
    run(format!(
        "INSERT INTO campaigns (school_id, document_id, kind, created_at) VALUES ({elm}, {elm_doc}, 'invitation', {now})"
    ))
    .await
    .unwrap();
    let elm_campaign = app.count("SELECT MAX(id) FROM campaigns").await;

    let refused = [
        format!(
            "INSERT INTO signing_codes (school_id, carer_id, code_hash, created_at) VALUES ({elm}, {carer}, 'x1', {now})"
        ),
        format!(
            "INSERT INTO signing_codes (school_id, carer_id, code_hash, created_at, created_by) \
             VALUES ({elm}, {elm_carer}, 'x2', {now}, {oak_head})"
        ),
        format!("INSERT INTO carer_pupils (carer_id, pupil_id) VALUES ({carer}, {elm_pupil})"),
        format!(
            "INSERT INTO declarations (school_id, seq, carer_id, document_id, version_id, children, carer_name, \
             typed_name, declaration_text, text_sha256, signed_at, method, prev_hash, row_hash) \
             VALUES ({elm}, 99, {elm_carer}, {elm_doc}, {oak_version}, '', 'Ivy', 'Ivy', '', '', {now}, 'online', '', 'r1')"
        ),
        format!(
            "INSERT INTO declarations (school_id, seq, carer_id, document_id, version_id, children, carer_name, \
             typed_name, declaration_text, text_sha256, signed_at, method, prev_hash, row_hash) \
             VALUES ({elm}, 99, {carer}, {elm_doc}, {elm_version}, '', 'Ivy', 'Ivy', '', '', {now}, 'online', '', 'r2')"
        ),
        format!(
            "INSERT INTO versions (school_id, document_id, number, title, body_md, approved_by, approved_on, \
             last_reviewed, next_review_due, related_policies, declaration_text, summary, material, \
             canonical_text, sha256, published_at) \
             VALUES ({elm}, {oak_doc}, 9, 't', 'b', 'g', '', '', '', '', '', '', 1, '', '', {now})"
        ),
        format!(
            "INSERT INTO reviews (school_id, document_id, reviewed_on, next_review_due, decision, version_id, recorded_at) \
             VALUES ({elm}, {elm_doc}, '', '', 'minor', {oak_version}, {now})"
        ),
        format!(
            "INSERT INTO messages (school_id, campaign_id, carer_id, channel, recipient, status, next_attempt_at, \
             created_at, updated_at) VALUES ({elm}, {elm_campaign}, {carer}, 'email', 'a@b.c', 'queued', {now}, {now}, {now})"
        ),
        format!(
            "INSERT INTO campaigns (school_id, document_id, kind, created_at) VALUES ({elm}, {oak_doc}, 'reminder', {now})"
        ),
        format!(
            "INSERT INTO reminder_plans (document_id, school_id, updated_at) VALUES ({oak_doc}, {elm}, {now})"
        ),
        format!(
            "INSERT INTO trust_adoptions (school_id, document_id, adopted_at) VALUES ({elm}, {oak_doc}, {now})"
        ),
        // A change that would move a reference across is refused as well.
        format!("UPDATE signing_codes SET carer_id = {elm_carer} WHERE carer_id = {carer}"),
        format!("UPDATE campaigns SET document_id = {oak_doc} WHERE id = {elm_campaign}"),
    ];
    for sql in refused {
        let err = run(sql.clone()).await.expect_err(&sql).to_string();
        assert!(err.contains("another school's rows"), "{sql}: {err}");
    }
    // The same rows within one school are accepted.
    for sql in [
        format!("INSERT INTO carer_pupils (carer_id, pupil_id) VALUES ({elm_carer}, {elm_pupil})"),
        format!(
            "INSERT INTO signing_codes (school_id, carer_id, code_hash, created_at) VALUES ({elm}, {elm_carer}, 'ok', {now})"
        ),
        format!(
            "INSERT INTO messages (school_id, campaign_id, carer_id, channel, recipient, status, next_attempt_at, \
             created_at, updated_at) VALUES ({elm}, {elm_campaign}, {elm_carer}, 'email', 'a@b.c', 'queued', {now}, {now}, {now})"
        ),
    ] {
        run(sql.clone())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

#[tokio::test]
async fn a_store_function_given_another_schools_scope_finds_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let _head = app.head().await;
    let oak = app.family("Olive", "Oak", &[("Rowan", "Oak", "2B")]).await;
    sign(&app, &oak).await;
    let (ok, out) = signoff(
        &app,
        &["school", "add", "Elmwood Academy", "--slug", "elmwood"],
    );
    assert!(ok, "{out}");
    let (read, write) = (&app.state.db.read, &app.state.db.write);
    // Elmwood's scope, as any code gets one: from the school the store found at its address.
    let elm = schools::by_slug(read, "elmwood")
        .await
        .unwrap()
        .unwrap()
        .scope;
    let oak_scope = app.scope;
    assert_ne!(elm, oak_scope);
    let doc = app
        .count("SELECT id FROM documents WHERE school_id = 1")
        .await;
    let version = app
        .count("SELECT id FROM versions WHERE school_id = 1")
        .await;
    let head = app
        .count("SELECT id FROM staff_users WHERE school_id = 1")
        .await;
    let signed = app.count("SELECT id FROM declarations").await;
    let code = app.count("SELECT MAX(id) FROM signing_codes").await;
    let pupil = app.count("SELECT MAX(id) FROM pupils").await;
    let carer = oak.carer_id;

    let now = time::OffsetDateTime::now_utc();
    let v = documents::version(read, oak_scope, version)
        .await
        .unwrap()
        .unwrap();
    let draft = drafts::Draft {
        wording: v.wording.clone(),
        summary: String::new(),
    };
    drafts::save(write, oak_scope, doc, &draft, now, head)
        .await
        .unwrap();

    // Oakfield's own scope finds its rows...
    assert!(
        documents::document(read, oak_scope, doc)
            .await
            .unwrap()
            .is_some()
    );
    assert!(drafts::get(read, oak_scope, doc).await.unwrap().is_some());
    assert!(
        carers::carer(read, oak_scope, carer)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        declarations::get(read, oak_scope, signed)
            .await
            .unwrap()
            .is_some()
    );
    // ...and Elmwood's finds none of them.
    assert!(documents::document(read, elm, doc).await.unwrap().is_none());
    assert!(
        documents::version(read, elm, version)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        documents::versions_of(read, elm, doc)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        documents::signed_counts(read, elm, doc)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(documents::latest_number(read, elm, doc).await.unwrap(), 0);
    assert!(carers::carer(read, elm, carer).await.unwrap().is_none());
    assert!(carers::children(read, elm, carer).await.unwrap().is_empty());
    assert!(codes::for_carer(read, elm, carer).await.unwrap().is_empty());
    assert!(
        declarations::get(read, elm, signed)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        declarations::for_carer(read, elm, carer)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(drafts::get(read, elm, doc).await.unwrap().is_none());
    assert!(staff::user(read, Some(elm), head).await.unwrap().is_none());
    assert!(staff::user(read, None, head).await.unwrap().is_none());

    // Writes with Elmwood's scope leave Oakfield's rows as they were.
    codes::revoke(write, elm, code, now).await.unwrap();
    staff::set_active(write, Some(elm), head, false)
        .await
        .unwrap();
    carers::link(write, elm, carer, pupil, "Aunt")
        .await
        .unwrap();
    assert!(
        !messaging::opt_out(write, elm, carer, "email", now)
            .await
            .unwrap()
    );
    assert!(!drafts::discard(write, elm, doc).await.unwrap());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM signing_codes WHERE revoked_at IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_users WHERE active = 0")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM carer_pupils WHERE relationship = 'Aunt'")
            .await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM opt_outs").await, 0);
    assert!(drafts::get(read, oak_scope, doc).await.unwrap().is_some());
}
