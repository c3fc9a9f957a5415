//! Anchors outside the database (issue 18): the signed checkpoint a headteacher downloads for the
//! governors, `verify --against` with it, and checking a parent's receipt (in `receipts`).

mod receipts;

use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use signoff::Clock;

use crate::helpers::{Family, TestApp, csrf_of, sign};
use crate::trust::{tamper, verify_cli};

async fn signed_app(n: usize) -> (TestApp, Vec<Family>) {
    let app = TestApp::spawn().await;
    let mut families = Vec::new();
    for i in 0..n {
        let f = app
            .family(&format!("Carer{i}"), "Test", &[("Kid", "Test", "1A")])
            .await;
        sign(&app, &f).await;
        families.push(f);
    }
    (app, families)
}

async fn scalar(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar(sql)
        .bind(app.school_id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap()
}

/// Downloads the checkpoint as `client`: the status, the file's name and its text.
async fn download(app: &TestApp, client: &reqwest::Client) -> (u16, String, String) {
    let csrf = csrf_of(app, client, "/office").await;
    let res = client
        .post(app.url("/head/checkpoint/download"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let name = res
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, name, res.text().await.unwrap())
}

/// Checks a receipt's number and hash on the checkpoint page: the status and the page.
async fn check_receipt(
    app: &TestApp,
    head: &reqwest::Client,
    number: &str,
    hash: &str,
) -> (u16, String) {
    let csrf = csrf_of(app, head, "/head/checkpoint").await;
    let res = head
        .post(app.url("/head/checkpoint/receipt"))
        .form(&[("csrf", csrf.as_str()), ("number", number), ("hash", hash)])
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn verify_against(app: &TestApp, text: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("signoff-checkpoint.txt");
    std::fs::write(&file, text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_signoff"))
        .args([
            "--database",
            app.state.config.database.to_str().unwrap(),
            "verify",
            "--against",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

/// The value after `label` on a line of the file.
fn field<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label} in {text}"))
        .trim()
}

/// Checks the file's signature independently of the portal's own reading: Ed25519 over
/// "signoff checkpoint v1\n" and each line between the markers, ending in a line break.
fn signature_holds(text: &str) -> bool {
    let key: [u8; 32] = hex::decode(field(text, "Public key (Ed25519):"))
        .unwrap()
        .try_into()
        .unwrap();
    let key = VerifyingKey::from_bytes(&key).unwrap();
    let signature =
        Signature::from_slice(&hex::decode(field(text, "Signature (Ed25519):")).unwrap()).unwrap();
    let mut message = b"signoff checkpoint v1\n".to_vec();
    let signed = text
        .lines()
        .skip_while(|l| *l != "-----BEGIN SIGNED CHECKPOINT-----")
        .skip(1)
        .take_while(|l| *l != "-----END SIGNED CHECKPOINT-----");
    for line in signed {
        message.extend_from_slice(line.as_bytes());
        message.push(b'\n');
    }
    key.verify(&message, &signature).is_ok()
}

/// The place and hash a parent's receipt shows for the school's record after their signature.
async fn receipt_anchor(app: &TestApp, receipt: &str) -> (String, String) {
    let html = app.get(receipt).await.text().await.unwrap();
    let at = html.find("after your signature (no. ").unwrap();
    let rest = &html[at + "after your signature (no. ".len()..];
    let number = rest.split(')').next().unwrap().to_string();
    let rest = &rest[rest.find("<dd class=\"hash\">").unwrap() + 17..];
    (number, rest.split('<').next().unwrap().to_string())
}

#[tokio::test]
async fn a_head_downloads_a_signed_checkpoint_and_office_staff_cannot() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    // An empty record has nothing to anchor.
    let page = head.get(app.url("/head/checkpoint")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("No parent has signed yet")
    );
    assert_eq!(download(&app, &head).await.0, 409);

    for i in 0..2 {
        let f = app
            .family(&format!("Carer{i}"), "Test", &[("Kid", "Test", "1A")])
            .await;
        sign(&app, &f).await;
    }
    let settings = head.get(app.url("/head/settings")).send().await.unwrap();
    assert!(
        settings
            .text()
            .await
            .unwrap()
            .contains("href=\"/head/checkpoint\"")
    );
    let newest = scalar(
        &app,
        "SELECT row_hash FROM declarations WHERE school_id = ? AND seq = 2",
    )
    .await;
    let page = head.get(app.url("/head/checkpoint")).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&newest) && html.contains("Download the checkpoint"),
        "{html}"
    );

    let (status, name, text) = download(&app, &head).await;
    assert_eq!(status, 200, "{text}");
    let school = scalar(&app, "SELECT name FROM schools WHERE id = ?").await;
    let slug = scalar(&app, "SELECT slug FROM schools WHERE id = ?").await;
    let today = app.clock.now().date().to_string();
    assert_eq!(
        name,
        format!("attachment; filename=\"signoff-checkpoint-{slug}-{today}.txt\"")
    );
    assert!(
        text.contains(&format!(
            "\n{school}: 2 entries in the chain; head {newest}\n"
        )),
        "{text}"
    );
    assert!(text.contains(&format!("School: {school}")), "{text}");
    assert!(text.contains("signoff verify --against"), "{text}");
    assert!(field(&text, "Made:").ends_with(" UTC"), "{text}");
    assert!(signature_holds(&text), "{text}");
    assert!(!signature_holds(&text.replace("Made: 2", "Made: 1")));

    // The key is made once and kept: the next download names the same one, as does the page.
    let (_, _, again) = download(&app, &head).await;
    let fingerprint = field(&text, "Key fingerprint:");
    assert_eq!(field(&again, "Key fingerprint:"), fingerprint);
    let html = head.get(app.url("/head/checkpoint")).send().await.unwrap();
    assert!(html.text().await.unwrap().contains(fingerprint));
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'checkpoint.downloaded' AND subject = ?",
    )
    .bind(format!("school:{}", app.school_id))
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(events, 2);

    // Office staff: refused the page, the download and the receipt check.
    let (office, _) = app
        .colleague(
            &head,
            "Omar Shah",
            "office@oakfield.example",
            "office",
            "blue kettle morning",
        )
        .await;
    let res = office
        .get(app.url("/head/checkpoint"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(download(&app, &office).await.0, 403);
    let csrf = csrf_of(&app, &office, "/office").await;
    let res = office
        .post(app.url("/head/checkpoint/receipt"))
        .form(&[("csrf", csrf.as_str()), ("number", "1"), ("hash", &newest)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn verify_against_a_signed_checkpoint_refuses_one_edited_after_download() {
    let (app, _) = signed_app(2).await;
    let head = app.head().await;
    let (_, _, text) = download(&app, &head).await;
    let (ok, out) = verify_against(&app, &text);
    assert!(ok, "{out}");
    assert!(
        out.contains("all 1 chain heads it names are still in place")
            && out.contains("made with this portal's signing key (fingerprint ")
            && out.contains(field(&text, "Key fingerprint:")),
        "{out}"
    );

    // One character of the signed head hash changed: refused for its signature.
    let newest = scalar(
        &app,
        "SELECT row_hash FROM declarations WHERE school_id = ? AND seq = 2",
    )
    .await;
    let first = newest.chars().next().unwrap();
    let edited_hash = format!("{}{}", if first == 'a' { 'b' } else { 'a' }, &newest[1..]);
    let edited = text.replace(&format!("head {newest}"), &format!("head {edited_hash}"));
    assert_ne!(edited, text);
    let (ok, out) = verify_against(&app, &edited);
    assert!(!ok, "{out}");
    assert!(
        out.contains(
            "the checkpoint's signature does not match its lines: it was changed after it was downloaded"
        ),
        "{out}"
    );

    // Signed by another key than the portal's now: the heads still hold, and it says so.
    tamper(
        &app,
        &["UPDATE settings SET value = '0707070707070707070707070707070707070707070707070707070707070707' \
           WHERE key = 'checkpoint_signing_key'"],
    )
    .await;
    let (ok, out) = verify_against(&app, &text);
    assert!(ok, "{out}");
    assert!(
        out.contains("which is NOT this portal's current key"),
        "{out}"
    );

    // An unsigned checkpoint (an earlier verify's output) is still read as before.
    let (ok, plain) = verify_cli(&app);
    assert!(ok, "{plain}");
    let (ok, out) = verify_against(&app, &plain);
    assert!(ok, "{out}");
    assert!(!out.contains("Checkpoint signature"), "{out}");
}
