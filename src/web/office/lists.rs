//! Lists: carers filtered by class, status and name; pupils, covered or not.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};

use super::{DocChoice, StatusQuery, doc_choices};
use crate::app::{AppState, reports};
use crate::domain::dates::format_stamp;
use crate::web::error::AppError;
use crate::web::session::Staff;
use crate::web::views::tag;

pub struct CarerRow {
    pub id: i64,
    pub name: String,
    pub children: String,
    pub tag_class: &'static str,
    pub tag: &'static str,
    pub signed: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/carers.html")]
pub struct CarersPage {
    pub school_name: String,
    pub staff: Staff,
    pub docs: Vec<DocChoice>,
    pub doc_id: i64,
    pub title: String,
    pub classes: Vec<String>,
    pub class: String,
    pub status: String,
    pub q: String,
    pub rows: Vec<CarerRow>,
    pub query: String,
}

/// `GET /office/carers`: carers filtered by class, status and name.
pub async fn list_carers(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<StatusQuery>,
) -> Result<CarersPage, AppError> {
    let l = reports::load(&state, &staff, q.doc.as_deref()).await?;
    let report = &l.report;
    let rows = report
        .carers_where(q.class(), q.status_filter(), q.search())
        .into_iter()
        .map(|c| {
            let (tag_class, tag) = tag(c.status, c.paper);
            CarerRow {
                id: c.record.id,
                name: c.record.full_name(),
                children: c
                    .children
                    .iter()
                    .map(|&p| {
                        format!(
                            "{} {} ({})",
                            report.pupils[p].first_name,
                            report.pupils[p].last_name,
                            report.pupils[p].class_name
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                tag_class,
                tag,
                signed: match (&c.record.best_signed, &c.record.best_signed_at) {
                    (Some(n), Some(at)) => format!("Version {n}, {}", format_stamp(at)),
                    _ => String::new(),
                },
            }
        })
        .collect();
    Ok(CarersPage {
        school_name: l.school_name.clone(),
        docs: doc_choices(&l),
        doc_id: l.doc.document.id,
        title: l.doc.version.title.clone(),
        classes: l.summary.classes(),
        class: q.class().unwrap_or("").to_string(),
        status: q.status.clone().unwrap_or_default(),
        q: q.search().unwrap_or("").to_string(),
        rows,
        query: q.query_string(l.doc.document.id),
        staff,
    })
}

pub struct PupilRow {
    pub name: String,
    pub class_name: String,
    pub covered: bool,
    pub carers: Vec<(i64, String, &'static str, &'static str)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/pupils.html")]
pub struct PupilsPage {
    pub school_name: String,
    pub staff: Staff,
    pub docs: Vec<DocChoice>,
    pub doc_id: i64,
    pub title: String,
    pub classes: Vec<String>,
    pub class: String,
    pub q: String,
    pub cover_every: bool,
    pub rows: Vec<PupilRow>,
}

/// `GET /office/pupils`: each pupil, covered or not, with their carers' status.
pub async fn list_pupils(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<StatusQuery>,
) -> Result<PupilsPage, AppError> {
    let l = reports::load(&state, &staff, q.doc.as_deref()).await?;
    let search = q.search().map(|s| s.to_lowercase());
    let rows = l
        .report
        .pupils
        .iter()
        .zip(&l.report.covered)
        .filter(|(p, _)| q.class().is_none_or(|c| p.class_name == c))
        .filter(|(p, _)| {
            search.as_deref().is_none_or(|s| {
                format!("{} {}", p.first_name, p.last_name)
                    .to_lowercase()
                    .contains(s)
            })
        })
        .map(|(p, covered)| PupilRow {
            name: format!("{} {}", p.first_name, p.last_name),
            class_name: p.class_name.clone(),
            covered: *covered,
            carers: p
                .carers
                .iter()
                .map(|&i| {
                    let c = &l.report.carers[i];
                    let (tc, t) = tag(c.status, c.paper);
                    (c.record.id, c.record.full_name(), tc, t)
                })
                .collect(),
        })
        .collect();
    Ok(PupilsPage {
        school_name: l.school_name.clone(),
        docs: doc_choices(&l),
        doc_id: l.doc.document.id,
        title: l.doc.version.title.clone(),
        classes: l.summary.classes(),
        class: q.class().unwrap_or("").to_string(),
        q: q.search().unwrap_or("").to_string(),
        cover_every: l.cover_every,
        rows,
        staff,
    })
}
