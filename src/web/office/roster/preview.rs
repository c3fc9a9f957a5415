//! The preview of a roster file (every column, problem and change, by name) and its import.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::app::roster::uploads;
use crate::app::roster::{
    self as roster_import, Consent, MappingSource, Outcome, Preview, Reading, Unknown,
};
use crate::app::{AppState, school};
use crate::domain::dates::format_stamp;
use crate::domain::roster::{Problem, Target};

use crate::web::error::AppError;
use crate::web::extract::StaffForm;
use crate::web::session::Staff;

/// Longest list of names shown for additions and class moves (leavers are always all shown).
const NAMES_SHOWN: usize = 300;
/// Most warnings listed row by row.
const WARNINGS_SHOWN: usize = 500;

pub struct ColumnView {
    pub header: String,
    pub taken_as: String,
    pub note: String,
    pub ignored: bool,
}

pub struct Counts {
    pub add: usize,
    pub update: usize,
    pub leave: usize,
    pub unchanged: usize,
}

/// A list of names, perhaps cut short.
pub struct Names {
    pub shown: Vec<String>,
    pub more: usize,
}

impl Names {
    fn of(names: impl Iterator<Item = String>, limit: usize) -> Names {
        let all: Vec<String> = names.collect();
        let more = all.len().saturating_sub(limit);
        Names {
            shown: all.into_iter().take(limit).collect(),
            more,
        }
    }

    pub fn total(&self) -> usize {
        self.shown.len() + self.more
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "office/roster_preview.html")]
pub struct PreviewPage {
    pub school_name: String,
    pub staff: Staff,
    pub upload_id: i64,
    pub filename: String,
    pub rows: usize,
    pub columns: Vec<ColumnView>,
    pub mapping_note: String,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    pub warnings_more: usize,
    pub skipped: usize,
    pub good_rows: usize,
    pub pupils: Counts,
    pub carers: Counts,
    pub links_added: usize,
    pub links_removed: usize,
    pub added: Names,
    pub moves: Names,
    pub returners: Names,
    pub leavers: Names,
    pub carers_leaving: Names,
    pub changes: usize,
    pub digest: String,
    pub needs_confirm: bool,
    /// Why the last "Import" did not happen, tied to the field to fix.
    pub form_error: Option<String>,
    /// Something the office should know before looking again.
    pub notice: Option<String>,
}

fn class_label(c: &str) -> &str {
    if c.is_empty() { "no class" } else { c }
}

fn page(
    staff: Staff,
    school_name: String,
    upload: &crate::domain::roster::Upload,
    p: &Preview,
) -> PreviewPage {
    let plan = &p.plan;
    let columns = p
        .mapping
        .columns
        .iter()
        .map(|c| ColumnView {
            header: c.header.clone(),
            taken_as: c.target.label(),
            note: c.note.clone().unwrap_or_default(),
            ignored: c.target == Target::Ignore,
        })
        .collect();
    let mapping_note = match &p.source {
        MappingSource::Headers => "Signoff read every column from its header.".to_string(),
        MappingSource::Chosen => "Columns as you chose them for this file; files with the same headers will be read the same way.".to_string(),
        MappingSource::Remembered(at) => format!(
            "Columns as chosen on {} for a file with the same headers.",
            format_stamp(at)
        ),
    };
    let (errors, warnings): (Vec<Problem>, Vec<Problem>) = p
        .parsed
        .problems
        .iter()
        .cloned()
        .partition(Problem::is_error);
    let warnings_more = warnings.len().saturating_sub(WARNINGS_SHOWN);
    let skipped = p.parsed.skipped.len();
    PreviewPage {
        school_name,
        staff,
        upload_id: upload.id,
        filename: upload.filename.clone(),
        rows: p.parsed.rows,
        columns,
        mapping_note,
        errors,
        warnings: warnings.into_iter().take(WARNINGS_SHOWN).collect(),
        warnings_more,
        skipped,
        good_rows: p.parsed.rows - skipped,
        pupils: Counts {
            add: plan.add_pupils.len(),
            update: plan.update_pupils.len(),
            leave: plan.leave_pupils.len(),
            unchanged: plan.unchanged_pupils,
        },
        carers: Counts {
            add: plan.add_carers.len(),
            update: plan.update_carers.len(),
            leave: plan.leave_carers.len(),
            unchanged: plan.unchanged_carers,
        },
        links_added: plan.add_links.len(),
        links_removed: plan.remove_links.len(),
        added: Names::of(
            plan.add_pupils.iter().map(|p| {
                format!(
                    "{} {} ({})",
                    p.first_name,
                    p.last_name,
                    class_label(&p.class_name)
                )
            }),
            NAMES_SHOWN,
        ),
        moves: Names::of(
            plan.moves().map(|(e, p)| {
                format!(
                    "{} {}: {} to {}",
                    p.first_name,
                    p.last_name,
                    class_label(&e.class_name),
                    class_label(&p.class_name)
                )
            }),
            NAMES_SHOWN,
        ),
        returners: Names::of(
            plan.returners().map(|(_, p)| {
                format!(
                    "{} {} ({})",
                    p.first_name,
                    p.last_name,
                    class_label(&p.class_name)
                )
            }),
            NAMES_SHOWN,
        ),
        leavers: Names::of(
            plan.leave_pupils.iter().map(|e| {
                format!(
                    "{} {} ({})",
                    e.first_name,
                    e.last_name,
                    class_label(&e.class_name)
                )
            }),
            usize::MAX,
        ),
        carers_leaving: Names::of(
            plan.leave_carers
                .iter()
                .map(|e| format!("{} {}", e.first_name, e.last_name)),
            usize::MAX,
        ),
        changes: plan.changes(),
        digest: plan.digest(),
        needs_confirm: plan.needs_leaver_confirmation(),
        form_error: None,
        notice: None,
    }
}

/// `GET /office/roster/{id}`: what importing the file would do, changing nothing.
pub async fn show_preview(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let mut upload = uploads::load(&state, &staff, &id).await?;
    if upload.imported_at.is_some() {
        return Ok(Redirect::to(&format!("/office/roster?imported={}", upload.id)).into_response());
    }
    let reading = super::read_upload(&state, &staff, &mut upload).await?;
    match reading {
        Reading::Ready(p) => {
            let school_name = school::name(&state, Some(staff.scope)).await?;
            Ok(page(staff, school_name, &upload, &p).into_response())
        }
        Reading::NeedsMapping { .. } => {
            Ok(Redirect::to(&format!("/office/roster/{}/columns", upload.id)).into_response())
        }
        Reading::Unreadable(e) => Err(AppError::BadRequest(e)),
        Reading::Busy => Err(super::busy()),
    }
}

#[derive(Deserialize)]
pub struct ImportForm {
    digest: Option<String>,
    skip: Option<String>,
    confirm_leavers: Option<String>,
}

/// `POST /office/roster/{id}/import`: imports exactly what the preview showed, in one transaction.
pub async fn import_roster(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StaffForm(staff, form): StaffForm<ImportForm>,
) -> Result<Response, AppError> {
    let mut upload = uploads::load(&state, &staff, &id).await?;
    let content = std::mem::take(&mut upload.content);
    if upload.imported_at.is_some() {
        return Ok(Redirect::to(&format!("/office/roster?imported={}", upload.id)).into_response());
    }
    let now = state.clock.now();
    let consent = Consent {
        digest: Some(form.digest.unwrap_or_default()),
        skip_invalid: form.skip.is_some(),
        confirm_leavers: form.confirm_leavers.is_some(),
    };
    let outcome = roster_import::import(
        &state.db,
        roster_import::Request {
            scope: staff.scope,
            upload_id: Some(upload.id),
            text: content,
            chosen: upload.mapping.as_deref(),
            unknown_columns: Unknown::Ask,
            consent,
            actor: &staff.actor(),
            now,
        },
    )
    .await?;
    let school_name = school::name(&state, Some(staff.scope)).await?;
    let again =
        |preview: &Preview, status: StatusCode, error: Option<&str>, notice: Option<&str>| {
            let mut p = page(staff.clone(), school_name.clone(), &upload, preview);
            p.form_error = error.map(String::from);
            p.notice = notice.map(String::from);
            (status, p).into_response()
        };
    match outcome {
        Outcome::Imported(..) => {
            Ok(Redirect::to(&format!("/office/roster?imported={}", upload.id)).into_response())
        }
        Outcome::Changed(p) => Ok(again(
            &p,
            StatusCode::CONFLICT,
            None,
            Some(
                "The roster changed after this preview was made (another import, or a change by a colleague), so nothing was imported. This is the preview again, against the roster as it is now: check it and import again.",
            ),
        )),
        Outcome::NeedsLeaverConfirmation(p) => Ok(again(
            &p,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(
                "Tick the box to confirm that these pupils have left, or cancel if this is the wrong file.",
            ),
            None,
        )),
        Outcome::HasErrors(p) => Ok(again(
            &p,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(
                "Some rows have errors: choose to import the good rows and skip those, or cancel and fix the file.",
            ),
            None,
        )),
        Outcome::NotReady(Reading::Busy) => Err(super::busy()),
        Outcome::NotReady(_) => {
            Ok(Redirect::to(&format!("/office/roster/{}/columns", upload.id)).into_response())
        }
    }
}
