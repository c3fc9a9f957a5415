//! Roster upload: the file as the school exported it, its columns chosen where Signoff cannot
//! tell, a preview of every change and problem, then an import of exactly what was previewed.

mod columns;
mod preview;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::app::AppState;
use crate::app::roster::{self as roster_import, Unknown, uploads};
use crate::app::school;
use crate::domain::roster::Upload;
use crate::domain::roster::{self, Summary, Table};
use crate::web::error::AppError;
use crate::web::extract::{Button, StaffForm};
use crate::web::session::Staff;

/// Largest roster file accepted: a school's export with every column an MIS offers fits well
/// inside. Bigger files (a whole trust at once) go through `signoff import-roster` on the server.
pub const UPLOAD_LIMIT: usize = 8 * 1024 * 1024;

/// Most rows read from one upload: a school of 3,000 pupils with two carers each is 6,000 rows
/// one way and 3,000 the other. This bounds the memory one import takes (see the README).
pub const MAX_ROWS: usize = 15_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/office/roster",
            get(show_roster)
                .post(upload_roster)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/office/roster/template.csv", get(download_template))
        .route("/office/roster/{id}", get(preview::show_preview))
        .route(
            "/office/roster/{id}/columns",
            get(columns::show_columns).post(columns::choose_columns),
        )
        .route("/office/roster/{id}/import", post(preview::import_roster))
        .route("/office/roster/{id}/cancel", post(cancel_upload))
        .route("/office/roster/{id}/skipped.csv", get(download_skipped))
}

#[derive(Template, WebTemplate)]
#[template(path = "office/roster.html")]
pub struct RosterPage {
    pub school_name: String,
    pub staff: Staff,
    pub error: Option<String>,
    pub done: Option<String>,
    /// After an import that skipped rows: the upload to download them from, and how many.
    pub skipped: Option<(i64, usize)>,
}

/// Which notice to show: an import's result is read from its upload, never from the address.
#[derive(Deserialize)]
pub struct DoneQuery {
    imported: Option<String>,
    cancelled: Option<String>,
}

/// A second file for a school while one is being read or imported.
fn busy() -> AppError {
    AppError::Conflict(
        "Another roster file for this school is being read or imported at this moment. Wait a minute, then reload this page.".into(),
    )
}

/// Reads an upload's file with its own column choices (or the school's, or its headers).
async fn read_upload(
    state: &AppState,
    staff: &Staff,
    upload: &mut Upload,
) -> Result<roster_import::Reading, AppError> {
    let content = std::mem::take(&mut upload.content);
    Ok(roster_import::read(
        &state.db,
        staff.scope,
        content,
        upload.mapping.as_deref(),
        Unknown::Ask,
    )
    .await?)
}

/// `GET /office/roster`: the upload form.
pub async fn show_roster(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Result<RosterPage, AppError> {
    let mut done = q.cancelled.map(|_| {
        "Import cancelled: nothing was changed, and the uploaded file was deleted.".to_string()
    });
    let mut skipped = None;
    if let Some(id) = q.imported.as_deref()
        && let Ok(upload) = uploads::load(&state, &staff, id).await
        && let Some(summary) = upload.result.as_deref().and_then(Summary::from_text)
    {
        done = Some(format!("Roster imported: {summary}."));
        skipped = Some((upload.id, summary.skipped)).filter(|s| s.1 > 0);
    }
    Ok(RosterPage {
        school_name: school::name(&state, Some(staff.scope)).await?,
        staff,
        error: None,
        done,
        skipped,
    })
}

/// `GET /office/roster/template.csv`.
pub async fn download_template(_staff: Staff) -> Response {
    csv_download("signoff-roster-template.csv", roster::template_csv())
}

fn csv_download(filename: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        // A byte-order mark, so Excel opens accented names as UTF-8.
        format!("\u{feff}{body}"),
    )
        .into_response()
}

/// `POST /office/roster`: keeps a readable file and goes on to its preview (or its columns).
pub async fn upload_roster(
    State(state): State<AppState>,
    staff: Staff,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut csrf = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    let too_big = || {
        AppError::TooLarge(format!(
            "The file is larger than {} MB. Export only the pupils\u{2019} names, classes and contacts, or import it on the server with signoff import-roster.",
            UPLOAD_LIMIT / 1024 / 1024
        ))
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
                    .filter(|c| !c.is_control())
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
                file = Some((name, Vec::from(bytes)));
            }
            _ => {}
        }
    }
    staff.check_form(csrf.as_deref())?;
    let refuse = |state: &AppState, staff: Staff, error: String| {
        let state = state.clone();
        async move {
            let page = RosterPage {
                school_name: school::name(&state, Some(staff.scope)).await?,
                staff,
                error: Some(error),
                done: None,
                skipped: None,
            };
            Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let Some((filename, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refuse(&state, staff, "Choose a CSV file to upload.".into()).await;
    };
    let text = roster::decode(bytes);
    if text.contains('\0') {
        return refuse(
            &state,
            staff,
            "This is not a CSV file. In your MIS or in Excel, save the export as \u{201c}CSV (Comma delimited)\u{201d} and upload that.".into(),
        )
        .await;
    }
    let table = match Table::read(text) {
        Ok(t) if t.len() > MAX_ROWS => {
            let message = format!(
                "This file has {} rows; the office page takes up to {MAX_ROWS} at a time. Export one school at a time, or import the whole file on the server with signoff import-roster.",
                t.len()
            );
            return refuse(&state, staff, message).await;
        }
        Ok(t) => t,
        Err(e) => return refuse(&state, staff, e).await,
    };
    let id = uploads::keep(&state, &staff, &filename, table.text()).await?;
    Ok(Redirect::to(&format!("/office/roster/{id}")).into_response())
}

/// `POST /office/roster/{id}/cancel`: forgets the upload; nothing was imported.
pub async fn cancel_upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm(staff, _): StaffForm<Button>,
) -> Result<Response, AppError> {
    let upload = uploads::load(&state, &staff, &id).await?;
    uploads::cancel(&state, &staff, &upload).await?;
    Ok(Redirect::to("/office/roster?cancelled=1").into_response())
}

/// `GET /office/roster/{id}/skipped.csv`: the rows with errors, with a column saying why, to fix
/// and import again.
pub async fn download_skipped(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let mut upload = uploads::load(&state, &staff, &id).await?;
    let content = std::mem::take(&mut upload.content);
    let stem = upload
        .filename
        .trim_end_matches(".csv")
        .trim_end_matches(".CSV")
        .chars()
        .filter(|c| c.is_alphanumeric() || "-_ ".contains(*c))
        .collect::<String>();
    let stem = if stem.trim().is_empty() {
        "roster".into()
    } else {
        stem
    };
    let filename = format!("{stem} - skipped rows.csv");
    if upload.imported_at.is_some() {
        // An imported upload keeps only its skipped rows.
        return Ok(csv_download(&filename, content));
    }
    let rows = roster_import::read_rows(
        &state.db,
        staff.scope,
        content,
        upload.mapping.as_deref(),
        Unknown::Ask,
    )
    .await?;
    if let Err(roster_import::Reading::Busy) = rows {
        return Err(busy());
    }
    let Ok(preview) = rows else {
        return Ok(Redirect::to(&format!("/office/roster/{}", upload.id)).into_response());
    };
    Ok(csv_download(
        &filename,
        roster_import::skipped_csv(&preview),
    ))
}
