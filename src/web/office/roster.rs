//! Roster upload: preview every change and problem, then import all or nothing.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::AppState;
use crate::clock::stamp;
use crate::domain::roster::{self, Plan, Problem};
use crate::roster_import::{self, Outcome};
use crate::store::{roster as store_roster, schools};
use crate::web::error::AppError;
use crate::web::extract::Form;
use crate::web::session::Staff;

/// Largest roster file accepted (100,000 rows of a typical export fit well inside).
pub const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/office/roster",
            get(show_roster)
                .post(upload_roster)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/office/roster/template.csv", get(download_template))
        .route("/office/roster/{id}/import", post(import_roster))
}

#[derive(Template, WebTemplate)]
#[template(path = "office/roster.html")]
pub struct RosterPage {
    pub school_name: String,
    pub staff: Staff,
    pub error: Option<String>,
    pub done: Option<String>,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /office/roster`: the upload form.
pub async fn show_roster(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> Result<RosterPage, AppError> {
    let school_name = schools::get(&state.db.read, staff.school_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let done = q.done.map(|d| format!("Roster imported: {d}."));
    Ok(RosterPage {
        school_name,
        staff,
        error: None,
        done,
    })
}

/// `GET /office/roster/template.csv`.
pub async fn download_template(_staff: Staff) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"signoff-roster-template.csv\"",
            ),
        ],
        roster::template_csv(),
    )
        .into_response()
}

pub struct Counts {
    pub add: usize,
    pub update: usize,
    pub leave: usize,
    pub unchanged: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/roster_preview.html")]
pub struct PreviewPage {
    pub school_name: String,
    pub staff: Staff,
    pub upload_id: i64,
    pub filename: String,
    pub rows: usize,
    pub pupils: Counts,
    pub carers: Counts,
    pub links_added: usize,
    pub links_removed: usize,
    pub changes: usize,
    pub problems: Vec<Problem>,
}

fn counts(plan: &Plan) -> (Counts, Counts) {
    (
        Counts {
            add: plan.add_pupils.len(),
            update: plan.update_pupils.len(),
            leave: plan.leave_pupils.len(),
            unchanged: plan.unchanged_pupils,
        },
        Counts {
            add: plan.add_carers.len(),
            update: plan.update_carers.len(),
            leave: plan.leave_carers.len(),
            unchanged: plan.unchanged_carers,
        },
    )
}

/// `POST /office/roster`: keeps the file and shows what importing it would do.
pub async fn upload_roster(
    State(state): State<AppState>,
    staff: Staff,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut csrf = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    let too_big = || {
        AppError::Status(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "The file is larger than {} MB. Export only the columns in the template and try again.",
                UPLOAD_LIMIT / 1024 / 1024
            ),
        )
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_big()),
            Err(e) => {
                return Err(AppError::BadRequest(format!(
                    "The upload could not be read ({}). Choose the file and try again.",
                    e.body_text()
                )));
            }
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.ok(),
            Some("file") => {
                let name = field
                    .file_name()
                    .unwrap_or("roster.csv")
                    .chars()
                    .take(200)
                    .collect::<String>();
                let bytes = field.bytes().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        too_big()
                    } else {
                        AppError::BadRequest(
                            "The file could not be read. Choose it and try again.".into(),
                        )
                    }
                })?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    staff.check_form(csrf.as_deref())?;
    let school_name = schools::get(&state.db.read, staff.school_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let Some((filename, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let page = RosterPage {
            school_name,
            staff,
            error: Some("Choose a CSV file to upload.".into()),
            done: None,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let text = roster::decode(&bytes);
    let now = state.clock.now();
    store_roster::purge_uploads(&state.db.write, &stamp(now - time::Duration::days(1))).await?;
    let (parsed, plan) = roster_import::preview(&state.db, staff.school_id, &text).await?;
    let upload_id = store_roster::insert_upload(
        &state.db.write,
        staff.school_id,
        Some(staff.id),
        &filename,
        &text,
        &stamp(state.clock.now()),
    )
    .await?;
    let (pupils, carers) = counts(&plan);
    let status = if parsed.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PreviewPage {
        school_name,
        upload_id,
        filename,
        rows: parsed.rows,
        pupils,
        carers,
        links_added: plan.add_links.len(),
        links_removed: plan.remove_links.len(),
        changes: plan.changes(),
        problems: parsed.problems,
        staff,
    };
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct ImportForm {
    csrf: Option<String>,
}

/// `POST /office/roster/{id}/import`: imports a previewed file, all or nothing.
pub async fn import_roster(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<ImportForm>,
) -> Result<Response, AppError> {
    staff.check_form(form.csrf.as_deref())?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let upload = store_roster::upload(&state.db.read, id)
        .await?
        .filter(|u| u.school_id == staff.school_id)
        .ok_or(AppError::NotFound)?;
    if upload.imported_at.is_some() {
        return Ok(Redirect::to("/office/roster?done=already%20imported").into_response());
    }
    let now = state.clock.now();
    let outcome = roster_import::import(
        &state.db,
        staff.school_id,
        &upload.content,
        &staff.actor(),
        &stamp(now),
        &now.date().to_string(),
    )
    .await?;
    match outcome {
        Outcome::Imported(plan) => {
            store_roster::mark_imported(&state.db.write, id, &stamp(now)).await?;
            store_roster::purge_uploads(&state.db.write, &stamp(now - time::Duration::days(1)))
                .await?;
            let summary = format!(
                "{} pupils added, {} updated, {} marked as left; {} carers added, {} updated, {} marked as left",
                plan.add_pupils.len(),
                plan.update_pupils.len(),
                plan.leave_pupils.len(),
                plan.add_carers.len(),
                plan.update_carers.len(),
                plan.leave_carers.len()
            );
            Ok(Redirect::to(&format!(
                "/office/roster?done={}",
                crate::web::session::encode(&summary)
            ))
            .into_response())
        }
        Outcome::Problems(_) => Err(AppError::BadRequest(
            "This file has problems, so nothing was imported. Upload it again to see them.".into(),
        )),
    }
}
