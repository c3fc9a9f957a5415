//! A trust's journey in Chromium, clicked and typed as people do: the first trust administrator
//! sets up their account and publishes the trust's code, adds a school (after a mistake), the
//! school's new headteacher sets up, imports a roster and publishes the trust's code as the
//! school's own, and the trust's Schools page then shows it; its office view changes nothing.

use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::browser::{Driver, wait_for};
use crate::helpers::TestApp;
use crate::pages::Audit;

/// An export as an MIS writes it: one row per pupil with numbered contacts. Alfie and Maisie
/// are siblings with one carer; Zara has two.
const ELMWOOD_EXPORT: &str = "UPN,Legal Forename,Legal Surname,Reg Group,Year,\
Contact 1 Forename,Contact 1 Surname,Contact 1 Relationship,Contact 1 Email,Contact 1 Mobile,\
Contact 2 Forename,Contact 2 Surname,Contact 2 Relationship,Contact 2 Email,Contact 2 Mobile\r\n\
E100000000101,Alfie,Hughes,4H,Year 4,Dawn,Hughes,Mother,dawn.hughes@example.org,07700 900101,,,,,\r\n\
E100000000102,Maisie,Hughes,2R,Year 2,Dawn,Hughes,Mother,dawn.hughes@example.org,07700 900101,,,,,\r\n\
E100000000103,Zara,Begum,4H,Year 4,Farid,Begum,Father,farid.begum@example.org,07700 900102,\
Ruksana,Begum,Mother,ruksana.begum@example.org,07700 900103\r\n";

const TRUST_TITLE: &str = "Trust Code of Conduct for Parents";
const TRUST_BODY: &str = "## Kindness online\n\nWe ask every family in our trust to speak \
about pupils, staff and other families with respect, online as in person.\n\n## Group chats\n\n\
- Keep class chats to arrangements and reminders\n- Never share photos of other people's children\n";
const LOCAL: &str = "## At Elmwood\n\nOur class WhatsApp groups are run by the class reps.";
const TARA_PASSWORD: &str = "copper meadow lantern";
const ERIN_PASSWORD: &str = "willow chalk harbour";

async fn click(c: &Client, xpath: &str) {
    c.find(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn type_into(c: &Client, css: &str, text: &str) {
    let field = wait_for(c, css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn text(c: &Client, css: &str) -> String {
    wait_for(c, css).await.text().await.unwrap()
}

async fn value(c: &Client, css: &str) -> String {
    let v = wait_for(c, css).await.prop("value").await.unwrap();
    v.unwrap_or_default()
}

/// Waits for a page headed by one of `headings` (the page before a click may still be showing)
/// and returns which.
async fn wait_heading(c: &Client, headings: &[&str]) -> String {
    for _ in 0..100 {
        if let Ok(h) = c.find(Locator::Css("main h1")).await
            && let Ok(t) = h.text().await
            && headings.contains(&t.as_str())
        {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url = c.current_url().await.map(|u| u.to_string());
    let main = c.find(Locator::Css("main")).await;
    let shown = match main {
        Ok(m) => m.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    panic!("no page headed {headings:?} at {url:?}:\n{shown}");
}

/// The POST forms a person can see in the page's main part.
async fn visible_post_forms(c: &Client) -> serde_json::Value {
    let script = "return [...document.querySelectorAll('main form')]
        .filter(f => f.method === 'post' && f.getClientRects().length > 0)
        .map(f => f.getAttribute('action'))";
    c.execute(script, vec![]).await.unwrap()
}

#[tokio::test]
async fn a_trust_adds_a_school_whose_head_publishes_the_trusts_code() {
    let app = TestApp::spawn().await;
    let token = signoff::app::trust::appoint_from_shell(
        &app.state.db,
        app.clock.as_ref(),
        "Tara Quinn",
        "tara@trust.example",
    )
    .await
    .unwrap();
    let today = signoff::Clock::now(app.clock.as_ref()).date();

    // 1. The trust administrator chooses a password and lands on the trust's Schools page.
    let mut audit = Audit::start("trust-journey").await;
    let tara = audit.c.clone();
    tara.set_window_size(1280, 900).await.unwrap();
    tara.goto(&app.url(&format!("/setup/{token}")))
        .await
        .unwrap();
    assert_eq!(text(&tara, "main .caption").await, "Trust administrator");
    type_into(&tara, "#password", TARA_PASSWORD).await;
    type_into(&tara, "#confirm", TARA_PASSWORD).await;
    click(&tara, "//main//button[.='Save and sign in']").await;
    wait_heading(&tara, &["Schools"]).await;
    let schools = text(&tara, "main").await;
    assert!(
        schools.contains("1 school: 0% of 0 carers signed")
            && schools.contains("Oakfield Primary School"),
        "{schools}"
    );
    audit.check("Schools, one school").await;
    tara.set_window_size(1280, 900).await.unwrap();

    // The trust's code, typed with a heading and a list, previewed, then published.
    click(&tara, "//nav//a[.='Trust code']").await;
    wait_heading(&tara, &["The trust's code of conduct"]).await;
    type_into(&tara, "#title", TRUST_TITLE).await;
    type_into(&tara, "#body", TRUST_BODY).await;
    type_into(&tara, "#summary", "The trust's first code for parents.").await;
    click(&tara, "//main//button[.='Preview']").await;
    wait_for(&tara, "#preview").await;
    let preview = text(&tara, "main article.policy").await;
    assert!(
        preview.contains("Kindness online") && preview.contains("Never share photos"),
        "{preview}"
    );
    let heading = text(&tara, "main article.policy h2").await;
    assert_eq!(heading, "Kindness online", "## is a heading");
    let items = tara
        .find_all(Locator::Css("main article.policy li"))
        .await
        .unwrap();
    assert_eq!(items.len(), 2, "- is a list item");
    assert_eq!(
        value(&tara, "#summary").await,
        "The trust's first code for parents."
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM trust_versions").await, 0);
    click(&tara, "//main//button[.='Publish to the schools']").await;
    let done = text(&tara, "main .notice").await;
    assert!(
        done.contains("Version 1 of the trust's code is published"),
        "{done}"
    );
    let listed = text(&tara, "main").await;
    assert!(
        listed.contains(&format!(
            "Version 1, {TRUST_TITLE}, published {} {} {}",
            today.day(),
            today.month(),
            today.year()
        )),
        "{listed}"
    );

    // 2. Adding Elmwood: the portal's own address first, explained beside the field.
    click(&tara, "//nav//a[.='Add a school']").await;
    wait_heading(&tara, &["Add a school"]).await;
    audit.check("Add a school").await;
    tara.set_window_size(1280, 900).await.unwrap();
    type_into(&tara, "#name", "Elmwood Academy").await;
    type_into(&tara, "#slug", "office").await;
    type_into(&tara, "#address", "Elm Road\nElmbury\nEB1 2CD").await;
    click(&tara, "//main//button[.='Add the school']").await;
    let summary = text(&tara, ".error-summary").await;
    assert!(
        summary.contains("one the portal uses for its own pages"),
        "{summary}"
    );
    let beside = text(&tara, "#slug-error").await;
    assert!(beside.contains("The address \"office\""), "{beside}");
    let link_to = wait_for(&tara, ".error-summary a").await.attr("href").await;
    assert_eq!(link_to.unwrap().as_deref(), Some("#slug"));
    assert_eq!(value(&tara, "#name").await, "Elmwood Academy");
    assert_eq!(value(&tara, "#address").await, "Elm Road\nElmbury\nEB1 2CD");
    assert!(tara.title().await.unwrap().starts_with("Error: "));
    assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 1);
    audit.check("Add a school, reserved address").await;
    tara.set_window_size(1280, 900).await.unwrap();
    type_into(&tara, "#slug", "elmwood").await;
    click(&tara, "//main//button[.='Add the school']").await;
    assert_eq!(text(&tara, ".panel h2").await, "Elmwood Academy is added");
    let link = text(&tara, ".panel .hash").await;
    assert!(link.starts_with(&app.url("/setup/")), "{link}");
    audit.check("Add a school, added").await;
    tara.set_window_size(1280, 900).await.unwrap();

    // 3. Elmwood's headteacher, in a browser of their own, opens the link and sets up.
    let erin_driver = Driver::start().await;
    let erin = erin_driver.phone().await;
    erin.set_window_size(1280, 900).await.unwrap();
    erin.goto(&link).await.unwrap();
    wait_heading(&erin, &["Set up your account"]).await;
    assert_eq!(text(&erin, "main .caption").await, "Headteacher");
    assert_eq!(text(&erin, ".masthead-school").await, "Elmwood Academy");
    type_into(&erin, "#name", "Erin Ash").await;
    type_into(&erin, "#email", "erin.ash@elmwood.example").await;
    type_into(&erin, "#password", ERIN_PASSWORD).await;
    type_into(&erin, "#confirm", ERIN_PASSWORD).await;
    click(&erin, "//main//button[.='Save and sign in']").await;
    wait_heading(&erin, &["Who has signed"]).await;
    assert!(text(&erin, "main").await.contains("No pupils yet."));

    // The roster, exported from the MIS, previewed and imported.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Elmwood contacts.csv");
    std::fs::write(&file, ELMWOOD_EXPORT).unwrap();
    click(&erin, "//nav//a[.='Roster']").await;
    wait_heading(&erin, &["Import the roster"]).await;
    let picker = wait_for(&erin, "#file").await;
    picker.send_keys(file.to_str().unwrap()).await.unwrap();
    click(&erin, "//main//button[.='Upload and preview']").await;
    wait_heading(&erin, &["Check before importing"]).await;
    let counts = text(&erin, "main table.narrow-table").await;
    assert!(
        counts.contains("Pupils 3 0 0 0") && counts.contains("Carers 3 0 0 0"),
        "{counts}"
    );
    click(&erin, "//main//button[.='Import these changes']").await;
    wait_heading(&erin, &["Import the roster"]).await;
    let done = text(&erin, "main .notice").await;
    assert!(
        done.contains("3 pupils added") && done.contains("3 carers added"),
        "{done}"
    );

    // Documents → the trust's code → a draft with a local section.
    click(&erin, "//nav//a[.='Documents']").await;
    wait_heading(&erin, &["Documents parents sign"]).await;
    click(&erin, "//main//a[contains(., \"See your trust's code\")]").await;
    wait_heading(&erin, &["The trust's code of conduct"]).await;
    let offer = text(&erin, "main").await;
    assert!(
        offer.contains(&format!("{TRUST_TITLE}, version 1"))
            && offer.contains("Your school keeps its own code"),
        "{offer}"
    );
    type_into(&erin, "#local", LOCAL).await;
    click(
        &erin,
        "//main//button[.=\"Make my draft from the trust's code\"]",
    )
    .await;
    wait_heading(&erin, &["Edit the draft"]).await;
    assert_eq!(value(&erin, "#title").await, TRUST_TITLE);
    let body = value(&erin, "#body_md").await;
    assert!(
        body.starts_with("## Kindness online") && body.trim_end().ends_with(LOCAL),
        "{body}"
    );

    // The draft's declaration already names the trust code's title, so Save and preview goes
    // straight to the preview. (Waiting for either heading raced the old page's own heading.)
    // Publishing needs the governors' approval date.
    let declaration = value(&erin, "#declaration_text").await;
    assert!(declaration.contains(TRUST_TITLE), "{declaration}");
    click(&erin, "//main//button[.='Save and preview']").await;
    wait_heading(&erin, &["Preview of version 2"]).await;
    let before = text(&erin, "main .error-summary").await;
    assert!(
        before.contains("Enter the date it was approved"),
        "{before}"
    );
    let publish = erin.find(Locator::XPath("//main//a[.='Publish version 2']"));
    assert!(
        publish.await.is_err(),
        "no publishing without the approval date"
    );
    click(&erin, "//main//div[contains(@class, 'error-summary')]//a").await;
    wait_heading(&erin, &["Edit the draft"]).await;
    assert!(
        text(&erin, "#approved_on-error")
            .await
            .contains("Enter the date")
    );
    let typed = format!(
        "{} {} {}",
        today.day(),
        u8::from(today.month()),
        today.year()
    );
    type_into(&erin, "#approved_on", &typed).await;
    click(&erin, "//main//button[.='Save and preview']").await;
    wait_heading(&erin, &["Preview of version 2"]).await;
    let shown = text(&erin, "main .panel").await;
    assert!(
        shown.contains("At Elmwood")
            && shown.contains("Kindness online")
            && shown.contains(&format!("I have read the school's {TRUST_TITLE}")),
        "{shown}"
    );
    click(&erin, "//main//a[.='Publish version 2']").await;
    wait_heading(&erin, &["Publish version 2"]).await;
    let in_words = format!("{} {} {}", today.day(), today.month(), today.year());
    assert_eq!(value(&erin, "#approved_on").await, in_words);
    assert_eq!(
        value(&erin, "#summary").await,
        "The trust's first code for parents."
    );
    click(&erin, "//label[@for='change-material']").await;
    type_into(&erin, "#password", ERIN_PASSWORD).await;
    click(&erin, "//main//button[.='Publish version 2']").await;
    let published = text(&erin, "main .notice").await;
    assert!(published.starts_with("Published."), "{published}");
    // The school's own headteacher has forms on a carer's page (the trust's view must not).
    click(&erin, "//nav//a[.='Carers']").await;
    wait_heading(&erin, &["Carers"]).await;
    click(&erin, "//main//table//a[contains(., 'Dawn Hughes')]").await;
    wait_heading(&erin, &["Dawn Hughes"]).await;
    let forms = visible_post_forms(&erin).await;
    assert!(forms.as_array().is_some_and(|f| !f.is_empty()), "{forms}");
    erin.close().await.unwrap();

    // 4. The trust's Schools page: Elmwood on the trust's version, its carers counted.
    click(&tara, "//nav//a[.='Schools']").await;
    wait_heading(&tara, &["Schools"]).await;
    let all = text(&tara, "main").await;
    assert!(
        all.contains("2 schools: 0% of 3 carers signed, 3 outstanding")
            && all.contains("Every school that adopted it has published it."),
        "{all}"
    );
    let row = "//tr[th[contains(., 'Elmwood Academy')]]";
    let mut cells = Vec::new();
    for td in tara
        .find_all(Locator::XPath(&format!("{row}/td")))
        .await
        .unwrap()
    {
        cells.push(td.text().await.unwrap().replace('\n', " "));
    }
    assert_eq!(cells[..5], ["0% 0 of 3", "3", "0", "0", "2"], "{cells:?}");
    assert_eq!(cells[6], "Published trust version 1", "{cells:?}");
    audit.check("Schools, Elmwood on the trust's code").await;
    tara.set_window_size(1280, 900).await.unwrap();

    // Elmwood's office view: the figures, the Read-only note, and no form that changes anything.
    click(
        &tara,
        &format!("{row}//button[contains(., 'Open office view')]"),
    )
    .await;
    wait_heading(&tara, &["Who has signed"]).await;
    assert_eq!(text(&tara, ".masthead-school").await, "Elmwood Academy");
    let note = text(&tara, "main .notice[role=note]").await;
    assert!(note.starts_with("Read-only:"), "{note}");
    assert!(
        text(&tara, "main .stats")
            .await
            .contains("signed (0 of 3 carers)")
    );
    assert_eq!(visible_post_forms(&tara).await, json!([]));
    click(&tara, "//nav//a[.='Carers']").await;
    wait_heading(&tara, &["Carers"]).await;
    click(&tara, "//main//table//a[contains(., 'Dawn Hughes')]").await;
    wait_heading(&tara, &["Dawn Hughes"]).await;
    assert!(text(&tara, "main").await.contains("Maisie Hughes (2R)"));
    assert_eq!(visible_post_forms(&tara).await, json!([]));
    click(&tara, "//nav//button[.='Back to the trust']").await;
    wait_heading(&tara, &["Schools"]).await;
    audit.finish().await;
}
