//! The office's pages: the dashboard, lists of carers and pupils, the export, one carer (with
//! codes and paper forms), the roster import, letters and the evidence check.

mod carer;
mod dashboard;
mod erase;
pub mod evidence;
mod export;
pub mod letters;
mod lists;
mod messages;
mod paper;
pub mod roster;

use axum::Router;
use axum::routing::{get, post};
use serde::Deserialize;

use crate::app::AppState;
use crate::app::reports::Counted;
use crate::domain::status::StatusFilter;
use crate::web::session::encode;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office", get(dashboard::show_dashboard))
        .route("/office/carers", get(lists::list_carers))
        .route("/office/carers/{id}", get(carer::show_carer))
        .route("/office/carers/{id}/code", post(carer::issue_code))
        .route("/office/carers/{id}/erase", post(erase::ask))
        .route("/office/carers/{id}/erase/{request}", post(erase::decide))
        .route("/office/carers/{id}/paper", post(paper::record_paper_form))
        .route("/office/pupils", get(lists::list_pupils))
        .route("/office/export.csv", get(export::export_csv))
        .merge(roster::router())
        .merge(evidence::router())
        .merge(letters::router())
        .merge(messages::router())
}

/// What every status view filters by; all optional.
#[derive(Deserialize, Default, Clone)]
pub struct StatusQuery {
    pub doc: Option<String>,
    pub class: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    pub done: Option<String>,
}

impl StatusQuery {
    pub fn class(&self) -> Option<&str> {
        self.class
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
    }

    pub fn status_filter(&self) -> StatusFilter {
        StatusFilter::parse(self.status.as_deref().unwrap_or(""))
    }

    pub fn search(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|c| !c.is_empty())
    }

    /// The same filters as a query string, for links (export, letters).
    pub fn query_string(&self, doc_id: i64) -> String {
        let mut parts = vec![format!("doc={doc_id}")];
        if let Some(c) = self.class() {
            parts.push(format!("class={}", encode(c)));
        }
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("status={}", encode(s)));
        }
        if let Some(q) = self.search() {
            parts.push(format!("q={}", encode(q)));
        }
        parts.join("&")
    }
}

pub struct DocChoice {
    pub id: i64,
    pub title: String,
    pub selected: bool,
}

pub fn doc_choices(l: &Counted) -> Vec<DocChoice> {
    l.docs
        .iter()
        .map(|d| DocChoice {
            id: d.document.id,
            title: d.version.title.clone(),
            selected: d.document.id == l.doc.document.id,
        })
        .collect()
}
