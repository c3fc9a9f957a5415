//! The dashboard: counts and percentages, overall and per class and year group.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};

use super::{DocChoice, StatusQuery, doc_choices};
use crate::app::{AppState, outreach, reports};
use crate::domain::status::Counts;
use crate::web::error::AppError;
use crate::web::session::{Staff, encode};
use crate::web::views::review_notice;

pub struct GroupRow {
    pub name: String,
    pub total: usize,
    pub signed: usize,
    pub must_resign: usize,
    pub not_signed: usize,
    pub paper: usize,
    pub pct: u32,
    pub link: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/dashboard.html")]
pub struct DashboardPage {
    pub school_name: String,
    pub staff: Staff,
    pub docs: Vec<DocChoice>,
    pub doc_id: i64,
    pub title: String,
    pub version_number: i64,
    pub latest_material: i64,
    pub total: usize,
    pub signed: usize,
    pub must_resign: usize,
    pub not_signed: usize,
    pub paper: usize,
    pub pct_signed: u32,
    pub pct_must_resign: u32,
    pub pct_not_signed: u32,
    pub pupils: usize,
    pub pupils_covered: usize,
    pub cover_every: bool,
    pub classes: Vec<GroupRow>,
    pub years: Vec<GroupRow>,
    pub review: Option<(String, String)>,
    /// Outstanding carers whose every message channel has failed.
    pub no_contact: usize,
    /// For a headteacher: the trust's code version their school adopted and has not published.
    pub trust_code: Option<i64>,
}

/// `GET /office`: counts and percentages, overall and per class and year group.
pub async fn show_dashboard(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<StatusQuery>,
) -> Result<DashboardPage, AppError> {
    let l = reports::counts(&state, &staff, q.doc.as_deref()).await?;
    let doc_id = l.doc.document.id;
    let rows = |groups: &[(String, Counts)], by_class: bool| -> Vec<GroupRow> {
        groups
            .iter()
            .map(|(name, c)| GroupRow {
                // Pupils imported without a class or year group are counted, not lost.
                name: match (name.is_empty(), by_class) {
                    (false, _) => name.clone(),
                    (true, true) => "No class".into(),
                    (true, false) => "No year group".into(),
                },
                total: c.total(),
                signed: c.signed,
                must_resign: c.must_resign,
                not_signed: c.not_signed,
                paper: c.paper,
                pct: c.pct_signed(),
                link: if by_class && !name.is_empty() {
                    format!(
                        "/office/carers?doc={doc_id}&class={}&status=outstanding",
                        encode(name)
                    )
                } else {
                    String::new()
                },
            })
            .collect()
    };
    let review = review_notice(&l.doc.next_review_due, state.clock.now().date());
    let o = l.summary.overall;
    let no_contact = outreach::log::without_working_contact(&state, staff.scope, &l.doc).await?;
    let trust_code = match staff.is_head() {
        true => crate::app::trust::code::offer(&state, &staff)
            .await?
            .filter(|o| o.is_new())
            .map(|o| o.latest.number),
        false => None,
    };
    Ok(DashboardPage {
        school_name: l.school_name.clone(),
        docs: doc_choices(&l),
        doc_id,
        title: l.doc.version.title.clone(),
        version_number: l.doc.version.number,
        latest_material: l.doc.latest_material,
        total: o.total(),
        signed: o.signed,
        must_resign: o.must_resign,
        not_signed: o.not_signed,
        paper: o.paper,
        pct_signed: o.pct_signed(),
        pct_must_resign: o.pct_must_resign(),
        pct_not_signed: o.pct_not_signed(),
        pupils: l.summary.pupils,
        pupils_covered: l.summary.pupils_covered,
        cover_every: l.cover_every,
        classes: rows(&l.summary.by_class, true),
        years: rows(&l.summary.by_year, false),
        review,
        no_contact,
        trust_code,
        staff,
    })
}
