//! Translations of a published version: the headteacher publishes one (with a preview, and every
//! mistake explained), the office reads it, a parent's declaration records the text they were
//! shown, and `verify` checks translations and what each declaration says was shown.

use crate::helpers::{TestApp, csrf_of};
use crate::revisions::doc_id;
use crate::trust::{tamper, verify_cli};
use crate::trusts::get;

/// A page as a parent's browser gets it.
async fn fetch(app: &TestApp, path: &str) -> String {
    app.get(path).await.text().await.unwrap()
}

const BODY_AR: &str = "## قواعد السلوك\n\nنتحدث مع المدرسة باحترام.";
const DECL_AR: &str = "لقد قرأت قواعد السلوك وأوافق على اتباعها.";

async fn post(
    c: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let res = c.post(app.url(path)).form(form).send().await.unwrap();
    let status = res.status().as_u16();
    let to = res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, to, res.text().await.unwrap())
}

pub(crate) async fn translate(
    app: &TestApp,
    head: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    translate_version(app, head, 1, fields).await
}

async fn translate_version(
    app: &TestApp,
    head: &reqwest::Client,
    number: i64,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let doc = doc_id(app).await;
    let path = format!("/head/documents/{doc}/versions/{number}/translate");
    let csrf = csrf_of(app, head, &path).await;
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    post(head, app, &path, &form).await
}

pub(crate) fn arabic(action: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("language", "ar"),
        ("title", "قواعد السلوك للآباء"),
        ("approved_by", ""),
        ("related_policies", ""),
        ("body", BODY_AR),
        ("declaration_text", DECL_AR),
        ("action", action),
    ]
}

#[tokio::test]
async fn a_headteacher_publishes_a_translation_and_a_declaration_records_the_text_shown() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let doc = doc_id(&app).await;

    // The version page offers a translation.
    let page = get(&head, &app, &format!("/office/documents/{doc}/versions/1"))
        .await
        .1;
    assert!(page.contains("No translation yet"), "{page}");
    assert!(page.contains(&format!("/head/documents/{doc}/versions/1/translate")));

    // Mistakes are explained beside their fields, what was typed is kept, nothing is stored.
    let (status, _, html) = translate(
        &app,
        &head,
        &[
            ("language", "xx"),
            ("title", ""),
            ("body", "Typed text kept"),
            ("declaration_text", ""),
            ("action", "publish"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Choose the language of this translation from the list."));
    assert!(html.contains("Type the title in this language"));
    assert!(html.contains("Type the declaration parents sign, in this language"));
    assert!(html.contains("Typed text kept"));
    let count = "SELECT COUNT(*) FROM version_translations";
    assert_eq!(app.count(count).await, 0);

    // A preview shows the text right to left, and stores nothing.
    let (status, _, html) = translate(&app, &head, &arabic("preview")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(r#"lang="ar" dir="rtl""#), "{html}");
    assert!(html.contains("نتحدث مع المدرسة باحترام."));
    assert_eq!(app.count(count).await, 0);

    // Published: the office sees it, with its fingerprint.
    let (status, to, _) = translate(&app, &head, &arabic("publish")).await;
    assert_eq!(
        (status, to.as_str()),
        (
            303,
            format!("/office/documents/{doc}/versions/1/in/ar").as_str()
        )
    );
    assert_eq!(app.count(count).await, 1);
    let shown = get(&head, &app, &to).await.1;
    assert!(shown.contains("Arabic translation of version 1"), "{shown}");
    assert!(shown.contains(r#"lang="ar" dir="rtl""#));
    assert!(shown.contains("The English original governs"));
    let sha: String = sqlx::query_scalar("SELECT sha256 FROM version_translations")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert!(shown.contains(&sha));
    // Nobody must sign again for a translation.
    assert_eq!(app.count("SELECT COUNT(*) FROM versions").await, 1);

    // A second Arabic translation of the same version is refused, with the way forward.
    let (status, _, html) = translate(&app, &head, &arabic("publish")).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("This version already has a translation in Arabic"),
        "{html}"
    );
    assert_eq!(app.count(count).await, 1);

    // Only one text governs.
    let mut welsh = vec![
        ("language", "cy"),
        ("title", "Cod Ymddygiad i Rieni"),
        ("body", "## Ein cod\n\nRydym yn siarad yn barchus."),
        (
            "declaration_text",
            "Rwyf wedi darllen y cod ac rwy'n cytuno i'w ddilyn.",
        ),
        ("authoritative", "yes"),
        ("action", "publish"),
    ];
    assert_eq!(translate(&app, &head, &welsh).await.0, 303);
    welsh[0] = ("language", "ur");
    let (status, _, html) = translate(&app, &head, &welsh).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("The Welsh translation is already the text that governs"),
        "{html}"
    );

    // Office staff read translations but cannot publish one.
    let (office, _) = app
        .colleague(
            &head,
            "Omar Shah",
            "office@oakfield.example",
            "office",
            "blue kettle morning",
        )
        .await;
    let page = office.get(app.url(&to)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csrf = csrf_of(
        &app,
        &office,
        &format!("/office/documents/{doc}/versions/1"),
    )
    .await;
    let mut form = arabic("publish");
    form[0] = ("language", "pl");
    form.insert(0, ("csrf", csrf.as_str()));
    let (status, _, _) = post(
        &office,
        &app,
        &format!("/head/documents/{doc}/versions/1/translate"),
        &form,
    )
    .await;
    assert_eq!(status, 403);

    // A parent whose language is Arabic signs the page that showed the Arabic text: the
    // declaration records the language, the translation's fingerprint and the declaration as
    // they read it.
    let family = app
        .family("Samira", "Haddad", &[("Yusuf", "Haddad", "2A")])
        .await;
    speaks(&app, family.carer_id, "ar").await;
    let page = fetch(&app, &format!("/s/{}", family.code.as_str())).await;
    let field = |name: &str| crate::helpers::hidden(&page, name);
    let (csrf, version_id, sig) = (field("csrf"), field("version_id"), field("shown_sig"));
    assert_eq!(field("shown"), "ar");
    let sign = |shown: &'static str, sig: String| {
        let (csrf, version_id, code, name) = (
            csrf.clone(),
            version_id.clone(),
            family.code.as_str().to_string(),
            family.name.clone(),
        );
        let app = &app;
        async move {
            app.post(
                &format!("/s/{code}"),
                &[
                    ("csrf", csrf.as_str()),
                    ("version_id", version_id.as_str()),
                    ("agree", "yes"),
                    ("typed_name", name.as_str()),
                    ("shown", shown),
                    ("shown_sig", sig.as_str()),
                ],
            )
            .await
        }
    };
    // A form claiming texts its page did not show (the English, twice the Arabic, or the Arabic
    // without the page's signature) is not taken: the page comes back as it is, nothing recorded.
    for (shown, sig) in [
        ("en", sig.clone()),
        ("ar ar", sig.clone()),
        ("ar", String::new()),
    ] {
        let res = sign(shown, sig).await;
        assert_eq!(res.status(), 409, "{shown}");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("The page changed while you were reading"),
            "{html}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM declarations").await, 0);
    assert_eq!(sign("ar", sig.clone()).await.status(), 303);
    let (language, shown_sha, declaration): (String, String, String) =
        sqlx::query_as("SELECT language, shown_sha256, declaration_text FROM declarations")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(
        (language.as_str(), shown_sha.as_str(), declaration.as_str()),
        ("ar", sha.as_str(), DECL_AR)
    );

    // The evidence pack shows the text read, and verify checks it all.
    let pack = get(
        &head,
        &app,
        &format!("/office/carers/{}/evidence", family.carer_id),
    )
    .await
    .1;
    assert!(pack.contains("Read and signed in</dt><dd>Arabic"), "{pack}");
    assert!(pack.contains("نتحدث مع المدرسة باحترام."));
    let (ok, out) = verify_cli(&app);
    assert!(ok, "{out}");
    assert!(
        out.contains("1 declarations, 1 versions, 2 translations: intact"),
        "{out}"
    );

    // A translation's text changed behind the portal's back is caught.
    tamper(
        &app,
        &[
            "DROP TRIGGER version_translations_are_immutable",
            "UPDATE version_translations SET body_md = body_md || '!' WHERE language = 'ar'",
        ],
    )
    .await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok);
    assert!(
        out.contains("(ar of version 1") && out.contains("was altered"),
        "{out}"
    );
}

#[tokio::test]
async fn rewriting_what_a_declaration_says_was_shown_fails_verify() {
    let app = TestApp::spawn().await;
    let family = app.family("Ana", "Pop", &[("Ion", "Pop", "1B")]).await;
    crate::helpers::sign(&app, &family).await;
    // Signed with the original: recorded as English, with the version's fingerprint.
    let (language, shown, text): (String, String, String) =
        sqlx::query_as("SELECT language, shown_sha256, text_sha256 FROM declarations")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!((language.as_str(), shown.as_str()), ("en", text.as_str()));
    assert!(verify_cli(&app).0);
    // Rewriting what was shown breaks the row's own hash.
    tamper(&app, &["UPDATE declarations SET language = 'ro'"]).await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok);
    assert!(out.contains("was altered"), "{out}");
}

#[tokio::test]
async fn a_bilingual_school_chooses_the_language_shown_beside_the_original() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let csrf = csrf_of(&app, &head, "/head/settings").await;
    let mut form = vec![
        ("csrf", csrf.clone()),
        ("name", "Oakfield Primary School".to_string()),
        ("address", "1 Oak Lane".to_string()),
        ("phone", String::new()),
        ("email", String::new()),
        ("office_hours", String::new()),
        ("cover_rule", "one".to_string()),
        ("letter_text", "Please sign.".to_string()),
        ("side_by_side", "klingon".to_string()),
    ];
    let res = head
        .post(app.url("/head/settings"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Choose a language from the list"), "{html}");
    assert!(html.contains("Please sign."), "what was typed is kept");
    let side: String = sqlx::query_scalar("SELECT side_by_side FROM schools")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(side, "");
    form[8].1 = "cy".into();
    let res = head
        .post(app.url("/head/settings"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let side: String = sqlx::query_scalar("SELECT side_by_side FROM schools")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(side, "cy");
    let page = get(&head, &app, "/head/settings").await.1;
    assert!(page.contains(r#"<option value="cy" selected>Welsh (Cymraeg)</option>"#));
}

/// Sets a carer's language as the roster or the carer would.
pub(crate) async fn speaks(app: &TestApp, carer: i64, language: &str) {
    sqlx::query("UPDATE carers SET language = ? WHERE id = ?")
        .bind(language)
        .bind(carer)
        .execute(&app.state.db.write)
        .await
        .unwrap();
}

#[tokio::test]
async fn parents_read_and_sign_the_translation_in_their_language() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    assert_eq!(translate(&app, &head, &arabic("publish")).await.0, 303);
    let welsh = [
        ("language", "cy"),
        ("title", "Cod Ymddygiad i Rieni"),
        ("body", "## Ein cod\n\nRydym yn siarad yn barchus."),
        (
            "declaration_text",
            "Rwyf wedi darllen y cod ac rwy'n cytuno i'w ddilyn.",
        ),
        ("action", "publish"),
    ];
    assert_eq!(translate(&app, &head, &welsh).await.0, 303);

    // An Arabic reader sees the Arabic text, right to left, and signs what the page showed.
    let samira = app
        .family("Samira", "Haddad", &[("Yusuf", "Haddad", "2A")])
        .await;
    speaks(&app, samira.carer_id, "ar").await;
    let page = fetch(&app, &format!("/s/{}", samira.code.as_str())).await;
    assert!(page.contains(r#"lang="ar" dir="rtl""#), "{page}");
    assert!(page.contains("نتحدث مع المدرسة باحترام."));
    assert!(page.contains(DECL_AR));
    assert!(
        page.contains("the English text is the one that counts"),
        "{page}"
    );
    assert_eq!(crate::helpers::hidden(&page, "shown"), "ar");
    crate::helpers::sign(&app, &samira).await;
    let (language, declaration): (String, String) =
        sqlx::query_as("SELECT language, declaration_text FROM declarations WHERE carer_id = ?")
            .bind(samira.carer_id)
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!((language.as_str(), declaration.as_str()), ("ar", DECL_AR));
    let receipt = fetch(&app, &format!("/s/{}", samira.code.as_str())).await;
    assert!(
        receipt.contains(r#"Language you read it in</dt><dd><span lang="ar">العربية</span>"#),
        "{receipt}"
    );
    // The receipt also carries the school's chain as it stood just after her signature: a
    // witness of the records that no later rewrite of the database can change.
    let (seq, head): (i64, String) =
        sqlx::query_as("SELECT seq, row_hash FROM declarations WHERE carer_id = ?")
            .bind(samira.carer_id)
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert!(
        receipt.contains(&format!(
            "after your signature (no. {seq})</dt><dd class=\"hash\">{head}"
        )),
        "{receipt}"
    );

    // A Polish reader has no translation: the original, and a note saying so.
    let ola = app.family("Ola", "Nowak", &[("Jan", "Nowak", "4B")]).await;
    speaks(&app, ola.carer_id, "pl").await;
    let page = fetch(&app, &format!("/s/{}", ola.code.as_str())).await;
    assert!(
        page.contains("has not translated this code into Polish yet"),
        "{page}"
    );
    assert_eq!(crate::helpers::hidden(&page, "shown"), "en");
    // She can choose to read it in one of its translations; switching the pages' language to
    // English afterwards keeps that choice (her pages are English anyway).
    let link = format!("/s/{}?text=ar", ola.code.as_str());
    assert!(page.contains(&format!(r#"href="{link}""#)), "{page}");
    assert_eq!(app.get(&link).await.status(), 303);
    let english = format!("/s/{}?lang=en-GB", ola.code.as_str());
    assert_eq!(app.get(&english).await.status(), 303);
    let page = fetch(&app, &format!("/s/{}", ola.code.as_str())).await;
    assert_eq!(crate::helpers::hidden(&page, "shown"), "ar");
    assert!(page.contains(&format!(r#"href="/s/{}?text=en""#, ola.code.as_str())));

    // A bilingual school shows Welsh beside English: each parent sees both, theirs first.
    sqlx::query("UPDATE schools SET side_by_side = 'cy'")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    app.state.db.note_write();
    let tom = app.family("Tom", "Jones", &[("Ela", "Jones", "1A")]).await;
    let page = fetch(&app, &format!("/s/{}", tom.code.as_str())).await;
    assert!(page.contains("side-by-side"), "{page}");
    assert_eq!(crate::helpers::hidden(&page, "shown"), "en cy");
    let cymraeg = page
        .find("Rydym yn siarad yn barchus.")
        .expect("the Welsh text");
    assert!(
        page.find(r#"lang="en""#).unwrap() < cymraeg,
        "English first"
    );
    let gwen = app.family("Gwen", "Evans", &[("Cai", "Evans", "1A")]).await;
    speaks(&app, gwen.carer_id, "cy").await;
    let page = fetch(&app, &format!("/s/{}", gwen.code.as_str())).await;
    assert_eq!(crate::helpers::hidden(&page, "shown"), "cy en");
    assert!(page.contains(r#"<html lang="cy""#));
    assert!(
        page.contains("y testun Saesneg sy&#39;n cyfrif")
            || page.contains("y testun Saesneg sy'n cyfrif"),
        "{page}"
    );
    crate::helpers::sign(&app, &gwen).await;
    let (language, hashes): (String, String) =
        sqlx::query_as("SELECT language, shown_sha256 FROM declarations WHERE carer_id = ?")
            .bind(gwen.carer_id)
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(language, "cy en");
    assert_eq!(hashes.split(' ').count(), 2);
    let (ok, out) = verify_cli(&app);
    assert!(ok, "{out}");
}

#[tokio::test]
async fn a_bilingual_school_prints_each_letter_in_both_languages() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let welsh = [
        ("language", "cy"),
        ("title", "Cod Ymddygiad i Rieni"),
        ("body", "## Ein cod\n\nRydym yn siarad yn barchus."),
        ("declaration_text", "Rwy'n cytuno."),
        ("action", "publish"),
    ];
    assert_eq!(translate(&app, &head, &welsh).await.0, 303);
    let dafydd = app.family("Dafydd", "Rees", &[("Nia", "Rees", "2B")]).await;
    speaks(&app, dafydd.carer_id, "cy").await;
    app.family("Kate", "Hill", &[("Sam", "Hill", "2B")]).await;
    let print = || async {
        let csrf = csrf_of(&app, &head, "/office/letters").await;
        head.post(app.url("/office/letters"))
            .form(&[("csrf", csrf.as_str()), ("status", "outstanding")])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    // One language at a time: no letter has a second half.
    let letters = print().await;
    assert!(!letters.contains("letter-texts side-by-side"), "{letters}");
    // Bilingual: Dafydd's letter is Welsh first with English beside it; Kate's the other way
    // round; the Welsh half names the code by its Welsh title.
    sqlx::query("UPDATE schools SET side_by_side = 'cy'")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let letters = print().await;
    let count = |s: &str| letters.matches(s).count();
    assert_eq!(
        count("letter-texts side-by-side"),
        count("<article class=\"letter\"")
    );
    assert!(count("Annwyl ") >= 2 && count("Dear ") >= 2, "{letters}");
    assert!(letters.contains("<strong>Cod Ymddygiad i Rieni</strong>"));
    let dafydd_letter = &letters[letters.find("Dafydd Rees").unwrap()..];
    assert!(dafydd_letter.find("Annwyl").unwrap() < dafydd_letter.find("Dear").unwrap());
}

#[tokio::test]
async fn what_changed_is_shown_in_the_language_the_parent_reads() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let welsh = |body: &'static str| {
        [
            ("language", "cy"),
            ("title", "Cod Ymddygiad i Rieni"),
            ("body", body),
            ("declaration_text", "Rwy'n cytuno."),
            ("action", "publish"),
        ]
    };
    let first = welsh("## Ein cod\n\nRydym yn siarad yn barchus.");
    assert_eq!(translate_version(&app, &head, 1, &first).await.0, 303);
    let gwen = app.family("Gwen", "Evans", &[("Cai", "Evans", "1A")]).await;
    speaks(&app, gwen.carer_id, "cy").await;
    crate::helpers::sign(&app, &gwen).await;

    let doc = doc_id(&app).await;
    let res = crate::revisions::publish(
        &app,
        &head,
        doc,
        "## Our code\n\nWe always speak politely, online and offline.",
        "material",
        "Speaking politely, everywhere.",
    )
    .await;
    assert_eq!(res.status(), 303);
    let mut second = welsh("## Ein cod\n\nRydym yn siarad yn barchus bob amser.").to_vec();
    second.push(("summary", "Siarad yn gwrtais, ym mhobman."));
    assert_eq!(translate_version(&app, &head, 2, &second).await.0, 303);

    let page = fetch(&app, &format!("/s/{}", gwen.code.as_str())).await;
    // The school's summary as the translation gives it, and the words that changed, in Welsh.
    let changed = &page[page.find("notice-changed").expect("what changed")..];
    let changed = &changed[..changed.find("</details>").unwrap()];
    assert!(changed.contains("bob amser"), "{changed}");
    assert!(
        changed.contains("Siarad yn gwrtais, ym mhobman."),
        "{changed}"
    );
    assert!(
        !changed.contains("politely"),
        "the English text is not what she reads: {changed}"
    );
}

#[tokio::test]
async fn the_public_page_offers_each_translation() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let page = fetch(&app, "/policy").await;
    assert!(!page.contains("?text="), "no translation, no links");
    assert_eq!(translate(&app, &head, &arabic("publish")).await.0, 303);
    let page = fetch(&app, "/policy").await;
    assert!(page.contains(r#"href="/policy?text=ar""#), "{page}");
    let page = fetch(&app, "/policy?text=ar").await;
    assert!(
        page.contains(r#"class="policy-body" lang="ar" dir="rtl""#),
        "{page}"
    );
    assert!(page.contains(DECL_AR));
    assert!(page.contains(r#"href="/policy?text=en""#));
}

#[tokio::test]
async fn verify_catches_a_translation_made_to_govern_or_dated_after_it_was_read() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    assert_eq!(translate(&app, &head, &arabic("publish")).await.0, 303);
    let samira = app
        .family("Samira", "Haddad", &[("Yusuf", "Haddad", "2A")])
        .await;
    speaks(&app, samira.carer_id, "ar").await;
    crate::helpers::sign(&app, &samira).await;
    assert!(verify_cli(&app).0);

    // Made the text that governs behind the portal's back: its fixed text says it was not.
    tamper(
        &app,
        &[
            "DROP TRIGGER version_translations_are_immutable",
            "UPDATE version_translations SET authoritative = 1",
        ],
    )
    .await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok);
    assert!(
        out.contains("its fields no longer match its published text"),
        "{out}"
    );
    tamper(&app, &["UPDATE version_translations SET authoritative = 0"]).await;
    assert!(verify_cli(&app).0);

    // Dated after the signature that says it was read.
    tamper(
        &app,
        &["UPDATE version_translations SET published_at = '2099-01-01T00:00:00Z'"],
    )
    .await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok);
    assert!(
        out.contains("which was not a published text of version 1 when it was signed"),
        "{out}"
    );

    // Put back, but with no audit event saying the portal published it.
    tamper(
        &app,
        &[
            "UPDATE version_translations SET published_at = '2026-11-21T10:00:00Z'",
            "DROP TRIGGER audit_events_are_kept",
            "DELETE FROM audit_events WHERE action = 'translation.published'",
        ],
    )
    .await;
    let (ok, out) = verify_cli(&app);
    assert!(!ok);
    assert!(
        out.contains("has no audit event recording it published with its fingerprint"),
        "{out}"
    );
}
