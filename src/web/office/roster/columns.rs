//! The mapping step: for each column of the file, the office says what it holds (or "ignore").
//! The choice is kept for the upload and remembered for the next file with the same headers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::roster::uploads;
use crate::app::roster::{self as roster_import, Reading};
use crate::app::{AppState, school};
use crate::domain::roster::Upload;
use crate::domain::roster::columns::choices;
use crate::domain::roster::{Mapping, Table};
use crate::web::error::AppError;
use crate::web::extract::Form;
use crate::web::session::Staff;

pub struct ColumnRow {
    pub index: usize,
    pub header: String,
    pub samples: String,
    pub chosen: String,
    pub unknown: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/roster_columns.html")]
pub struct ColumnsPage {
    pub school_name: String,
    pub staff: Staff,
    pub upload_id: i64,
    pub filename: String,
    pub rows: Vec<ColumnRow>,
    pub groups: Vec<(String, Vec<(String, String)>)>,
    /// What is missing or doubled in the choices (shown as errors after a submit).
    pub gaps: Vec<String>,
    pub submitted: bool,
}

#[allow(clippy::too_many_arguments)]
fn page(
    staff: Staff,
    school_name: String,
    upload: &Upload,
    table: &Table,
    mapping: &Mapping,
    unknown: &[usize],
    gaps: Vec<String>,
    submitted: bool,
) -> ColumnsPage {
    let first_rows: Vec<_> = table.rows().take(50).collect();
    let rows = mapping
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let samples: Vec<&str> = first_rows
                .iter()
                .filter_map(|r| r.cells.get(i).map(String::as_str))
                .filter(|v| !v.is_empty())
                .take(3)
                .collect();
            ColumnRow {
                index: i,
                header: if c.header.is_empty() {
                    format!("(column {} has no header)", i + 1)
                } else {
                    c.header.clone()
                },
                samples: samples
                    .iter()
                    .map(|s| s.chars().take(40).collect::<String>())
                    .collect::<Vec<_>>()
                    .join(", "),
                chosen: c.target.key(),
                unknown: unknown.contains(&i),
            }
        })
        .collect();
    ColumnsPage {
        school_name,
        staff,
        upload_id: upload.id,
        filename: upload.filename.clone(),
        rows,
        groups: choices(),
        gaps,
        submitted,
    }
}

/// `GET /office/roster/{id}/columns`: what each column holds, as Signoff (or the office) has it.
pub async fn show_columns(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let mut upload = uploads::load(&state, &staff, &id).await?;
    let reading = super::read_upload(&state, &staff, &mut upload).await?;
    let school_name = school::name(&state, Some(staff.scope)).await?;
    let page = match reading {
        Reading::Unreadable(e) => return Err(AppError::BadRequest(e)),
        Reading::Busy => return Err(super::busy()),
        Reading::NeedsMapping {
            table,
            mapping,
            unknown,
            gaps,
        } => page(
            staff,
            school_name,
            &upload,
            &table,
            &mapping,
            &unknown,
            gaps,
            false,
        ),
        Reading::Ready(p) => page(
            staff,
            school_name,
            &upload,
            &p.table,
            &p.mapping,
            &[],
            Vec::new(),
            false,
        ),
    };
    Ok(page.into_response())
}

/// `POST /office/roster/{id}/columns`: keeps the choices, or says what is still missing.
pub async fn choose_columns(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    staff.check_form(csrf)?;
    let mut upload = uploads::load(&state, &staff, &id).await?;
    let content = std::mem::take(&mut upload.content);
    let table = Table::read(content).map_err(AppError::BadRequest)?;
    let keys: Vec<String> = (0..table.headers.len())
        .map(|i| {
            let name = format!("col{i}");
            fields
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| "ignore".into())
        })
        .collect();
    let mapping = Mapping::from_keys(&table.headers, &keys).ok_or_else(|| {
        AppError::BadRequest(
            "One of the choices is not one Signoff offers. Go back, reload the page and choose again.".into(),
        )
    })?;
    let gaps = mapping.gaps();
    if !gaps.is_empty() {
        let school_name = school::name(&state, Some(staff.scope)).await?;
        let page = page(
            staff,
            school_name,
            &upload,
            &table,
            &mapping,
            &[],
            gaps,
            true,
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    roster_import::choose_columns(
        &state.db,
        staff.scope,
        upload.id,
        &mapping,
        Some(staff.id),
        state.clock.now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/office/roster/{}", upload.id)).into_response())
}
