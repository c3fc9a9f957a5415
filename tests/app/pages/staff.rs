//! Staff pages of a school with nobody on roll yet: setup, sign-in, the empty dashboard, and the
//! headteacher's settings, staff and sending settings, with and without errors.

use super::{Audit, submit};
use crate::browser::{staff_sign_in, wait_for};
use crate::helpers::{HEAD_EMAIL, HEAD_PASSWORD, TestApp};

const STAFF_FORM: &str = "main form[action='/head/staff']";
const SENDING_FORM: &str = "main form[action='/head/messaging']";

#[tokio::test]
async fn staff_pages_of_an_empty_school_pass_axe_and_fit_narrow_screens() {
    let app = TestApp::spawn().await;
    let mut a = Audit::start("staff").await;

    // The first headteacher's setup link, with errors and then completed.
    let setup = app.url(&format!("/setup/{}", app.setup_token));
    a.visit(&setup, "setup, fresh").await;
    submit(
        &a.c,
        "main form",
        &[
            ("name", ""),
            ("email", "not an email"),
            ("password", "short"),
            ("confirm", "different"),
        ],
    )
    .await;
    a.check("setup, with errors").await;
    submit(
        &a.c,
        "main form",
        &[
            ("name", "Helen Ward"),
            ("email", HEAD_EMAIL),
            ("password", HEAD_PASSWORD),
            ("confirm", HEAD_PASSWORD),
        ],
    )
    .await;
    a.check("dashboard, empty school, straight after setup")
        .await;

    // Signing in, wrongly and then rightly, in a fresh session.
    a.c.delete_all_cookies().await.unwrap();
    a.visit(&app.url("/staff/sign-in"), "sign-in").await;
    submit(
        &a.c,
        "main form",
        &[("email", HEAD_EMAIL), ("password", "wrong password here")],
    )
    .await;
    a.check("sign-in, wrong password").await;
    a.visit(&app.url("/staff/sign-in"), "sign-in").await;
    staff_sign_in(&a.c, HEAD_EMAIL, HEAD_PASSWORD).await;
    a.check("dashboard, empty school").await;
    for (path, state) in [
        ("/office/carers", "carers, none"),
        ("/office/pupils", "pupils, none"),
        ("/office/roster", "roster, nothing imported"),
        ("/office/letters", "letters, nobody to write to"),
        ("/office/messages", "messages, none sent"),
        ("/office/documents", "documents"),
    ] {
        a.visit(&app.url(path), state).await;
    }

    // The headteacher's settings.
    a.visit(&app.url("/head/settings"), "head settings").await;
    submit(&a.c, "main form[action='/head/settings']", &[]).await;
    a.check("head settings, saved").await;
    submit(
        &a.c,
        "main form[action='/head/settings']",
        &[("cover_rule", "")],
    )
    .await;
    a.check("head settings, nothing chosen").await;
    a.visit(&app.url("/head/settings"), "head settings").await;
    submit(
        &a.c,
        "main form[action='/head/settings']",
        &[("csrf", "stale")],
    )
    .await;
    a.check("form sent with an expired token").await;
    a.visit(
        &app.url("/head/checkpoint"),
        "checkpoint, nothing signed yet",
    )
    .await;
    a.visit(&app.url("/office/nothing-here"), "not found, signed in")
        .await;
    a.visit(
        &app.url("/staff/sign-out"),
        "wrong method (GET of a form address)",
    )
    .await;

    // Staff: the list, an invitation with errors, and one sent.
    a.visit(&app.url("/head/staff"), "head staff").await;
    submit(
        &a.c,
        STAFF_FORM,
        &[("name", ""), ("email", "nope"), ("role", "office")],
    )
    .await;
    a.check("head staff, invitation with errors").await;
    submit(
        &a.c,
        STAFF_FORM,
        &[
            ("name", "Olu Ade"),
            ("email", "olu@oakfield.example"),
            ("role", "office"),
        ],
    )
    .await;
    a.check("head staff, invitation link shown").await;
    let html = a.c.source().await.unwrap();
    let start = html
        .find("/setup/")
        .expect("the invitation link on the page");
    let token: String = html[start + 7..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    let invite = format!("/setup/{token}");
    a.visit(&app.url(&invite), "setup from an invitation").await;
    a.visit(&app.url("/head/staff"), "head staff, one invited")
        .await;

    // Sending settings: fresh, with errors, and saved.
    a.visit(&app.url("/head/messaging"), "head messaging, not set up")
        .await;
    submit(
        &a.c,
        SENDING_FORM,
        &[
            ("public_url", "not a url"),
            ("email_via", "smtp"),
            ("smtp_port", "99999"),
            ("from_address", "nobody"),
            ("reply_to", "also nobody"),
            ("email_subject", ""),
            ("email_body", "No link here"),
        ],
    )
    .await;
    a.check("head messaging, with errors").await;
    a.visit(&app.url("/head/messaging"), "head messaging").await;
    submit(
        &a.c,
        SENDING_FORM,
        &[
            ("public_url", &app.base),
            ("email_via", "smtp"),
            ("smtp_host", "mail.oakfield.example"),
            ("from_address", "office@oakfield.example"),
        ],
    )
    .await;
    wait_for(&a.c, "main").await;
    a.check("head messaging, saved").await;

    // Signing in paused after too many wrong passwords.
    a.c.delete_all_cookies().await.unwrap();
    a.visit(&app.url("/staff/sign-in"), "sign-in").await;
    let mut paused = false;
    for _ in 0..30 {
        submit(
            &a.c,
            "main form",
            &[("email", HEAD_EMAIL), ("password", "wrong password here")],
        )
        .await;
        if a.c
            .source()
            .await
            .unwrap()
            .contains("too many wrong passwords")
        {
            paused = true;
            break;
        }
    }
    assert!(paused, "signing in pauses after wrong passwords");
    a.check("sign-in, paused after too many wrong passwords")
        .await;
    a.finish().await;
}
