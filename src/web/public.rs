//! Pages anyone may see: the school's front door and the current code of conduct.

use std::sync::Arc;

use crate::domain::markdown::SafeHtml;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::error::AppError;
use super::extract::RequestHost;
use super::lang::Choice;
use super::views::{self, MetaView, Run};
use crate::app::school::Contact;
use crate::app::school::School;
use crate::app::signing::{policy_html, texts};
use crate::app::{AppState, documents};
use crate::domain::i18n::Tr;
use crate::domain::london;
use crate::domain::translation;

/// Each page at the instance's own address (for its only school) and at each school's.
pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for root in ["", "/{school}"] {
        router = router
            .route(&format!("{root}/"), get(show_home))
            .route(&format!("{root}/policy"), get(show_policy))
            .route(
                &format!("{root}/policy/{{slug}}/history"),
                get(show_history),
            )
            .route(
                &format!("{root}/policy/{{slug}}/v/{{n}}"),
                get(show_public_version),
            )
            .route(
                &format!("{root}/policy/{{slug}}/v/{{n}}/text"),
                get(download_version_text),
            );
    }
    // A school's own front door also answers without the final slash.
    router.route("/{school}", get(show_home))
}

/// A public page's address: the school's slug when it has one, the document's and the version.
#[derive(serde::Deserialize)]
pub struct Where {
    school: Option<String>,
    slug: Option<String>,
    n: Option<String>,
}

impl Where {
    fn slug(&self) -> Result<&str, AppError> {
        self.slug.as_deref().ok_or(AppError::NotFound)
    }
    fn n(&self) -> Result<&str, AppError> {
        self.n.as_deref().ok_or(AppError::NotFound)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "schools.html")]
pub struct SchoolsPage {
    pub tr: Tr,
    pub school_name: String,
    pub schools: Vec<(String, String)>,
    /// The rest of the address asked for, to follow after the school chosen.
    pub rest: String,
}

/// The school a public page is for, and the root of its links (`""` or `"/{slug}"`). At an
/// address without a school, that is the school whose own host name the request came to, or the
/// only school; with several and none at this host, the request is answered with the page that
/// asks which, and the handler never runs.
pub struct PublicSchool {
    school: School,
    root: String,
}

impl FromRequestParts<AppState> for PublicSchool {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Path(at) = Path::<Where>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let host = RequestHost::of(&parts.headers, &parts.uri);
        match documents::public_school(state, at.school.as_deref(), host.as_deref()).await {
            Ok(Ok(school)) => Ok(PublicSchool {
                root: match &at.school {
                    Some(_) => format!("/{}", school.slug),
                    None => String::new(),
                },
                school,
            }),
            Ok(Err(schools)) => Err(SchoolsPage {
                tr: Choice::of(&parts.uri, &parts.headers).anonymous(),
                school_name: String::new(),
                schools,
                rest: parts.uri.path().to_string(),
            }
            .into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub tr: Tr,
    pub school_name: String,
    /// Where this school's public pages are: `""` or `"/{slug}"`.
    pub root: String,
    pub contact: Contact,
    pub csrf: String,
    pub titles: Vec<String>,
}

/// `GET /` (or `/{school}/`): the school's front door; with several schools, `/` lists them.
pub async fn show_home(
    State(state): State<AppState>,
    PublicSchool { school, root }: PublicSchool,
    choice: Choice,
) -> Result<Response, AppError> {
    let titles = documents::current(&state, school.scope)
        .await?
        .into_iter()
        .map(|c| c.version.wording.title)
        .collect();
    Ok(HomePage {
        tr: choice.anonymous(),
        contact: Contact::of(&school),
        school_name: school.name,
        root,
        csrf: super::csrf::code_entry_token(&state),
        titles,
    }
    .into_response())
}

pub struct PublicDoc {
    pub slug: String,
    /// The language of the text shown, its direction, and the other languages it can be read in
    /// (tag, own name).
    pub lang: String,
    pub dir: &'static str,
    pub others: Vec<(String, String)>,
    pub title: String,
    pub number: i64,
    pub meta: MetaView,
    pub html: Arc<SafeHtml>,
    pub declaration_text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "policy.html")]
pub struct PolicyPage {
    pub tr: Tr,
    pub school_name: String,
    pub root: String,
    pub contact: Contact,
    pub docs: Vec<PublicDoc>,
}

/// `GET /policy`: the current version of each document, for anyone to read.
pub async fn show_policy(
    State(state): State<AppState>,
    PublicSchool { school, root }: PublicSchool,
    choice: Choice,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let tr = choice.anonymous();
    // `?text=ar` reads the code in a translation; else the page's language, where there is one.
    let wanted = q
        .get("text")
        .cloned()
        .unwrap_or_else(|| tr.code().to_string());
    let mut docs = Vec::new();
    for c in documents::current(&state, school.scope).await? {
        let texts = texts::for_reader(&state, school.scope, &c.version, &wanted).await?;
        let t = texts.texts.into_iter().next().ok_or(AppError::NotFound)?;
        let others = std::iter::once(("en".to_string(), "English".to_string()))
            .chain(
                crate::app::publishing::translate::of(&state, &c.document, &c.version)
                    .await?
                    .into_iter()
                    .map(|x| {
                        let name = translation::language(&x.language)
                            .map_or_else(|| x.language.clone(), |l| l.native.to_string());
                        (x.language, name)
                    }),
            )
            .filter(|(code, _)| *code != t.language)
            .collect();
        docs.push(PublicDoc {
            slug: c.document.slug.clone(),
            dir: if t.rtl { "rtl" } else { "ltr" },
            others,
            title: t.wording.title.clone(),
            number: c.version.number,
            meta: MetaView::new_in(
                tr.lang,
                &t.wording.approved_by,
                &t.wording.approved_on,
                &t.wording.last_reviewed,
                &t.wording.next_review_due,
                &t.wording.related_policies,
            ),
            declaration_text: t.wording.declaration_text.clone(),
            html: t.html,
            lang: t.language,
        });
    }
    Ok(PolicyPage {
        tr,
        contact: Contact::of(&school),
        school_name: school.name,
        root,
        docs,
    }
    .into_response())
}

pub struct HistoryRow {
    pub date: String,
    pub number: Option<i64>,
    pub what: String,
    pub summary: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "history.html")]
pub struct HistoryPage {
    pub tr: Tr,
    pub school_name: String,
    pub root: String,
    pub contact: Contact,
    pub slug: String,
    pub title: String,
    pub rows: Vec<HistoryRow>,
}

/// `GET /policy/{slug}/history`: every version and review with its summary of changes. No personal
/// data, so the school website can link to it.
pub async fn show_history(
    State(state): State<AppState>,
    PublicSchool { school, root }: PublicSchool,
    Path(at): Path<Where>,
    choice: Choice,
) -> Result<Response, AppError> {
    let tr = choice.anonymous();
    let doc = documents::by_slug(&state, &school, at.slug()?).await?;
    let (versions, reviews) = documents::history(&state, &doc).await?;
    let title = versions
        .first()
        .map(|v| v.title.clone())
        .ok_or(AppError::NotFound)?;
    let mut rows: Vec<(time::OffsetDateTime, HistoryRow)> = versions
        .iter()
        .map(|v| {
            (
                v.published_at,
                HistoryRow {
                    date: london::format_date_in(tr.lang, london::to_london(v.published_at).date()),
                    number: Some(v.number),
                    what: tr.t(if v.number == 1 {
                        "history-first"
                    } else if v.material {
                        "history-material"
                    } else {
                        "history-minor"
                    }),
                    summary: v.summary.clone(),
                },
            )
        })
        .collect();
    for r in reviews.into_iter().filter(|r| r.decision == "no_change") {
        rows.push((
            r.recorded_at,
            HistoryRow {
                date: tr.date(&r.reviewed_on),
                number: None,
                what: tr.t1("history-reviewed", "date", tr.date(&r.next_review_due)),
                summary: r.note,
            },
        ));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    Ok(HistoryPage {
        tr,
        contact: Contact::of(&school),
        school_name: school.name,
        root,
        slug: doc.slug,
        title,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "public_version.html")]
pub struct PublicVersionPage {
    pub tr: Tr,
    pub school_name: String,
    pub root: String,
    pub contact: Contact,
    pub slug: String,
    pub doc: PublicDoc,
    pub published: String,
    pub summary: String,
    pub fingerprint: String,
    /// The version before, and every word changed since it (none for the first version).
    pub previous: Option<i64>,
    pub diff: Vec<Run>,
    pub added: usize,
    pub removed: usize,
}

/// `GET /policy/{slug}/v/{n}`: a past version exactly as it was published.
pub async fn show_public_version(
    State(state): State<AppState>,
    PublicSchool { school, root }: PublicSchool,
    Path(at): Path<Where>,
    choice: Choice,
) -> Result<Response, AppError> {
    let tr = choice.anonymous();
    let doc = documents::by_slug(&state, &school, at.slug()?).await?;
    let v = documents::version(&state, &doc, at.n()?).await?;
    let before = match v.number {
        1 => None,
        n => Some(documents::version(&state, &doc, &(n - 1).to_string()).await?),
    };
    let (diff, added, removed) = before
        .as_ref()
        .map(|b| views::runs(&b.canonical_text, &v.canonical_text))
        .unwrap_or_default();
    Ok(PublicVersionPage {
        previous: before.map(|b| b.number),
        diff,
        added,
        removed,
        contact: Contact::of(&school),
        school_name: school.name,
        root,
        slug: doc.slug.clone(),
        published: london::format_datetime_in(tr.lang, v.published_at),
        summary: v.summary.clone(),
        fingerprint: v.sha256.clone(),
        doc: PublicDoc {
            slug: doc.slug,
            lang: translation::ORIGINAL.into(),
            dir: "ltr",
            others: Vec::new(),
            title: v.title.clone(),
            number: v.number,
            meta: MetaView::of_in(&v, tr.lang),
            html: policy_html(&state, &v),
            declaration_text: v.declaration_text.clone(),
        },
        tr,
    }
    .into_response())
}

/// `GET /policy/{slug}/v/{n}/text`: the exact bytes parents signed, for `sha256sum`.
pub async fn download_version_text(
    State(state): State<AppState>,
    PublicSchool { school, .. }: PublicSchool,
    Path(at): Path<Where>,
) -> Result<Response, AppError> {
    let doc = documents::by_slug(&state, &school, at.slug()?).await?;
    let v = documents::version(&state, &doc, at.n()?).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{}-version-{}.txt\"", doc.slug, v.number),
            ),
        ],
        v.canonical_text,
    )
        .into_response())
}
