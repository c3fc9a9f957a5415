//! Letters inviting carers to sign: one per page, with a fresh personal code and a QR code.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::StatusQuery;
use crate::app::reports::load;
use crate::app::{AppState, carers, codes, school};
use crate::domain::i18n::{Lang, Tr};
use crate::domain::markdown::SafeHtml;
use crate::domain::{london, qr};
use crate::web::error::AppError;
use crate::web::extract::StaffForm;
use crate::web::session::Staff;

pub fn router() -> Router<AppState> {
    Router::new().route("/office/letters", get(choose_letters).post(print_letters))
}

#[derive(Template, WebTemplate)]
#[template(path = "office/letters_choose.html")]
pub struct ChoosePage {
    pub school_name: String,
    pub staff: Staff,
    pub doc_id: i64,
    pub title: String,
    pub classes: Vec<String>,
    pub class: String,
    pub status: String,
    pub q: String,
    pub count: usize,
    pub without_address: usize,
}

/// `GET /office/letters`: choose who gets a letter (by default, everyone outstanding).
pub async fn choose_letters(
    State(state): State<AppState>,
    staff: Staff,
    Query(mut q): Query<StatusQuery>,
) -> Result<ChoosePage, AppError> {
    if q.status.is_none() {
        q.status = Some("outstanding".into());
    }
    let l = load(&state, &staff, q.doc.as_deref()).await?;
    let chosen = l
        .report
        .carers_where(q.class(), q.status_filter(), q.search());
    Ok(ChoosePage {
        school_name: l.school_name.clone(),
        doc_id: l.doc.document.id,
        title: l.doc.version.title.clone(),
        classes: l.summary.classes(),
        class: q.class().unwrap_or("").to_string(),
        status: q.status.clone().unwrap_or_default(),
        q: q.search().unwrap_or("").to_string(),
        count: chosen.len(),
        without_address: chosen
            .iter()
            .filter(|c| c.record.address.trim().is_empty())
            .count(),
        staff,
    })
}

/// One carer's letter, in their language (the school's own letter text for English).
pub struct Letter {
    pub tr: Tr,
    /// The letter's date, as its language writes it.
    pub date: String,
    /// The body's paragraphs: the school's letter text, or the catalogue's in another language.
    pub paragraphs: Vec<String>,
    pub name: String,
    pub dear: String,
    pub address: String,
    pub children: String,
    pub code: String,
    pub link: String,
    pub qr: Option<SafeHtml>,
    /// In a bilingual school, the same letter in its other language, printed beside it.
    pub also: Option<LetterText>,
    /// The document's title in the letter's language (a translation's, where there is one).
    pub title: String,
}

/// A letter's words in one language, for the second half of a bilingual letter.
pub struct LetterText {
    pub tr: Tr,
    pub title: String,
    pub paragraphs: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/letters.html")]
pub struct LettersPage {
    pub school_name: String,
    pub staff: Staff,
    pub contact: school::Contact,
    pub title: String,
    pub sign_url: String,
    pub letters: Vec<Letter>,
}

/// `POST /office/letters`: issues fresh codes for the chosen carers (their old codes stop working)
/// and shows their letters, ready to print.
pub async fn print_letters(
    State(state): State<AppState>,
    StaffForm(staff, q): StaffForm<StatusQuery>,
) -> Result<Response, AppError> {
    let l = load(&state, &staff, q.doc.as_deref()).await?;
    let school = school::of(&state, &staff).await?;
    let chosen = l
        .report
        .carers_where(q.class(), q.status_filter(), q.search());
    let ids: Vec<i64> = chosen.iter().map(|c| c.record.id).collect();
    let doc_id = l.doc.document.id;
    let issued =
        codes::issue_for_letters(&state, &staff, &ids, doc_id, &q.query_string(doc_id)).await?;
    let today = london::to_london(state.clock.now()).date();
    let languages = carers::languages(&state, &staff).await?;
    let school_text: Vec<String> = school
        .letter_text
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let bilingual = Lang::parse(&school::side_by_side(&state, staff.scope).await?)
        .filter(|l| *l != Lang::English);
    let titles =
        crate::app::publishing::translate::of(&state, &l.doc.document, &l.doc.version).await?;
    let title_in = |lang: Lang| {
        titles
            .iter()
            .find(|t| Lang::parse(&t.language) == Some(lang) && lang != Lang::English)
            .map_or_else(|| l.doc.version.title.clone(), |t| t.title.clone())
    };
    let body = |lang: Lang| -> Vec<String> {
        if lang == Lang::English && !school_text.is_empty() {
            school_text.clone()
        } else {
            let tr = Tr::new(lang);
            ["letter-body-1", "letter-body-2", "letter-body-3"]
                .iter()
                .map(|k| tr.t(k))
                .collect()
        }
    };
    let base = school::links(&state, &school);
    let links: Vec<String> = issued
        .iter()
        .map(|code| format!("{base}/s/{}", code.as_str()))
        .collect();
    // Drawing thousands of QR codes is CPU work: off the async threads, over every core.
    let (links, qrs) = tokio::task::spawn_blocking(move || {
        let qrs = qr::svgs(&links);
        (links, qrs)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?;
    let letters = chosen
        .iter()
        .zip(issued)
        .zip(links.into_iter().zip(qrs))
        .map(|((c, code), (link, qr))| {
            let lang = Lang::of_tag(languages.get(&c.record.id).map(String::as_str));
            let tr = Tr::new(lang);
            let paragraphs = body(lang);
            // A bilingual school prints its other language beside the carer's own.
            let other = match bilingual {
                Some(b) if lang == Lang::English => Some(b),
                Some(b) if lang == b => Some(Lang::English),
                _ => None,
            };
            Letter {
                also: other.map(|o| LetterText {
                    tr: Tr::new(o),
                    title: title_in(o),
                    paragraphs: body(o),
                }),
                title: title_in(lang),
                date: london::format_date_in(lang, today),
                paragraphs,
                tr,
                name: c.record.postal_name(),
                dear: c.record.salutation(),
                address: [c.record.address.trim(), c.record.postcode.trim()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n"),
                children: c
                    .children
                    .iter()
                    .map(|&p| {
                        format!(
                            "{} {}",
                            l.report.pupils[p].first_name, l.report.pupils[p].last_name
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                code: code.display(),
                qr,
                link,
            }
        })
        .collect();
    Ok(LettersPage {
        school_name: school.name.clone(),
        contact: school::Contact::of(&school),
        title: l.doc.version.title.clone(),
        sign_url: format!("{base}/sign"),
        letters,
        staff,
    }
    .into_response())
}
