//! Links for a school with its own host name: letters and their QR codes, a carer's new code,
//! staff setup links and emails carry the host; a form sent from the host is the portal's own.

use crate::helpers::{TestApp, browser, hidden};
use crate::hosts::{HOST, add_second, at};
use crate::schools::signoff;

/// Imports a roster for Second School: Ivy Birch (ivy@example.org), carer of Hazel in 1E.
fn second_roster(app: &TestApp) {
    let file = app.state.config.database.with_extension("second.csv");
    std::fs::write(
        &file,
        "pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name,email\n\
         Hazel,Birch,1E,Ivy,Birch,ivy@example.org\n",
    )
    .unwrap();
    let file = file.to_str().unwrap().to_string();
    let (ok, out) = signoff(app, &["--school", "second", "import-roster", &file]);
    assert!(ok, "{out}");
}

/// Completes a setup link's form (the path, from any host) as a new headteacher.
async fn set_up(app: &TestApp, link: &str, email: &str) -> reqwest::Client {
    let token = link
        .split("/setup/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a setup link")
        .to_string();
    let c = browser();
    let path = format!("/setup/{token}");
    let form = c
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(app.url(&path))
        .form(&[
            ("csrf", hidden(&form, "csrf").as_str()),
            ("name", "Sam Reed"),
            ("email", email),
            ("password", "second school orchard lane"),
            ("confirm", "second school orchard lane"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "setup completes");
    c
}
#[tokio::test]
async fn letters_codes_and_setup_links_for_a_school_with_its_own_host_use_it() {
    let app = TestApp::spawn().await;
    let out = add_second(&app);
    second_roster(&app);
    let head = set_up(&app, &out, "head@second.example").await;
    let own = format!("http://{HOST}");

    let choose = head
        .get(app.url("/office/letters"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc: i64 = app
        .count("SELECT id FROM documents WHERE school_id = (SELECT id FROM schools WHERE slug = 'second')")
        .await;
    let res = head
        .post(app.url("/office/letters"))
        .form(&[
            ("csrf", hidden(&choose, "csrf").as_str()),
            ("doc", &doc.to_string()),
            ("class", ""),
            ("status", "outstanding"),
            ("q", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let letters = res.text().await.unwrap();
    assert!(letters.contains("Dear Ivy Birch"), "{letters}");
    assert!(
        letters.contains(&format!("{own}/sign</strong>")),
        "{letters}"
    );
    assert!(
        !letters.contains(&app.base),
        "no link to the portal's own address"
    );
    // The QR code holds the personal link on the school's host; it opens Ivy's page there.
    let code = letters
        .split("class=\"code-display\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .replace('-', "");
    let link = format!("{own}/s/{code}");
    let qr = signoff::domain::qr::svg(&link).unwrap();
    assert!(letters.contains(qr.as_str()), "the QR code encodes {link}");
    let (status, ivy) = at(&app, HOST, &format!("/s/{code}")).await;
    assert_eq!(status, 200);
    assert!(ivy.contains("Second School"));

    // A code issued for one carer, and an invitation for a colleague, link there too.
    let carer = app.carer_id("Ivy", "Birch").await;
    let page = head
        .get(app.url(&format!("/office/carers/{carer}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let issued = head
        .post(app.url(&format!("/office/carers/{carer}/code")))
        .form(&[("csrf", hidden(&page, "csrf").as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(issued.contains(&format!("{own}/s/")), "{issued}");
    let staff = head
        .get(app.url("/head/staff"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let invited = head
        .post(app.url("/head/staff"))
        .form(&[
            ("csrf", hidden(&staff, "csrf").as_str()),
            ("name", "Ola Nowak"),
            ("email", "ola@second.example"),
            ("role", "office"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(invited.contains(&format!("{own}/setup/")), "{invited}");

    // `signoff setup-link` prints the school's host too; Oakfield's links are as before.
    let (ok, out) = signoff(&app, &["--school", "second", "setup-link"]);
    assert!(ok && out.contains(&format!("{own}/setup/")), "{out}");
    let (ok, out) = signoff(&app, &["--school", "oakfield", "setup-link"]);
    assert!(ok && out.contains("http://127.0.0.1:3000/setup/"), "{out}");
}

#[tokio::test]
async fn invitations_for_a_school_with_its_own_host_link_to_it() {
    let sink = crate::fakes::smtp::SmtpSink::start().await;
    let app = crate::messages::app_sending(Some(sink.url()), None).await;
    let out = add_second(&app);
    second_roster(&app);
    // Queued from the office's "Email or text these carers" (the sender runs on the test's clock).
    let head = set_up(&app, &out, "head@second.example").await;
    crate::messages::send_to(&app, &head, "status=outstanding", "email-first").await;
    assert_eq!(crate::messages::drain(&app).await, 1);
    let got = sink.wait_for(1, std::time::Duration::from_secs(10)).await;
    let mail = &got[0];
    assert_eq!(mail.rcpt_to, ["ivy@example.org"]);
    let text = mail.text_part().unwrap();
    assert!(text.contains(&format!("http://{HOST}/s/")), "{text}");
    assert!(!text.contains(&app.base), "{text}");
    let unsubscribe = mail.header("List-Unsubscribe").unwrap();
    assert!(
        unsubscribe.starts_with(&format!("<http://{HOST}/stop/")),
        "{unsubscribe}"
    );
}

#[tokio::test]
async fn a_form_from_a_schools_own_host_is_accepted_and_one_from_elsewhere_refused() {
    let app =
        TestApp::spawn_with(|c| c.public_url = Some("https://portal.trust.example".into())).await;
    add_second(&app);
    let ivy = app
        .family("Ivy", "Birch", &[("Hazel", "Birch", "1E")])
        .await;
    let (_, code_box) = at(&app, HOST, "/sign").await;
    let csrf = hidden(&code_box, "csrf");
    let post = |origin: &'static str| {
        let csrf = csrf.clone();
        let code = ivy.code.as_str().to_string();
        let app = &app;
        async move {
            let res = app
                .client
                .post(app.url("/sign"))
                .header("host", HOST)
                .header("origin", origin)
                .form(&[("csrf", csrf.as_str()), ("code", code.as_str())])
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.text().await.unwrap())
        }
    };
    // Neither the portal's public address nor the address the test reaches it at.
    let (status, _) = post("https://sign.second.example").await;
    assert_eq!(
        status, 303,
        "a form from the school's own host is the portal's own"
    );
    for foreign in [
        "https://sign.evil.example",
        "https://sign.second.example.evil.example",
    ] {
        let (status, body) = post(foreign).await;
        assert_eq!(status, 403, "{foreign}");
        assert!(body.contains("sent from another website"), "{body}");
    }
}
