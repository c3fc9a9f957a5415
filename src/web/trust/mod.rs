//! The trust's pages: every school's figures (and their CSV), looking at a school's records
//! read-only, adding a school, the trust's administrators and the trust's code of conduct.

mod code;
mod people;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::app::AppState;
use crate::app::trust::dashboard::{self, Line, Overview};
use crate::domain::dates::{Review, format_iso};
use crate::web::error::AppError;
use crate::web::extract::Form;
use crate::web::session::Trustee;

/// How large the trust code's form may be as sent (as a Word paste may be: see the draft's).
const CODE_FORM_LIMIT: usize = 2 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/trust", get(show_dashboard))
        .route("/trust/export.csv", get(export_csv))
        .route("/trust/look", post(look_at_school))
        .route("/trust/leave", post(leave_school))
        .route(
            "/trust/schools/new",
            get(people::show_add_school).post(people::add_school),
        )
        .route(
            "/trust/admins",
            get(people::list_admins).post(people::invite_admin),
        )
        .route("/trust/admins/{id}/active", post(people::set_admin_active))
        .route(
            "/trust/code",
            get(code::show_code)
                .post(code::publish_code)
                .layer(DefaultBodyLimit::max(CODE_FORM_LIMIT)),
        )
        .route(
            "/head/trust-code",
            get(code::show_trust_code_offer)
                .post(code::adopt_trust_code)
                .layer(DefaultBodyLimit::max(CODE_FORM_LIMIT)),
        )
}

/// A form from a trust administrator, its token checked against their session.
pub struct TrustForm<T>(pub Trustee, pub T);

#[derive(Deserialize)]
struct Tokened<T> {
    csrf: Option<String>,
    #[serde(flatten)]
    fields: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for TrustForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let me = Trustee::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Form(Tokened { csrf, fields }) =
            Form::<Tokened<T>>::from_request(Request::from_parts(parts, body), state)
                .await
                .map_err(IntoResponse::into_response)?;
        me.check_form(csrf.as_deref())
            .map_err(IntoResponse::into_response)?;
        Ok(TrustForm(me, fields))
    }
}

/// A school's line as the page shows it.
pub struct Row {
    pub line: Line,
    pub review: String,
    pub overdue: bool,
    pub next_review_due: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "trust/dashboard.html")]
pub struct DashboardPage {
    pub school_name: String,
    pub me: Trustee,
    pub rows: Vec<Row>,
    pub totals: crate::domain::status::Counts,
    pub latest: Option<(i64, String)>,
    pub behind: Vec<String>,
    pub overdue: usize,
    pub due: usize,
}

fn rows(o: Overview) -> (Vec<Row>, crate::domain::status::Counts) {
    let rows = o
        .lines
        .into_iter()
        .map(|line| {
            let (review, overdue) = match line.review {
                Some(Review::Overdue(d)) => (format!("Overdue by {d} days"), true),
                Some(Review::DueIn(0)) => ("Due today".to_string(), false),
                Some(Review::DueIn(d)) => (format!("Due in {d} days"), false),
                None => (String::new(), false),
            };
            Row {
                next_review_due: format_iso(&line.next_review_due),
                line,
                review,
                overdue,
            }
        })
        .collect();
    (rows, o.totals)
}

/// `GET /trust`: every school's figures in one table.
pub async fn show_dashboard(
    State(state): State<AppState>,
    me: Trustee,
) -> Result<DashboardPage, AppError> {
    let o = dashboard::overview(&state).await?;
    let (overdue, due) = o.reviews();
    let behind = o.behind().iter().map(|l| l.name.clone()).collect();
    let latest = o.latest.as_ref().map(|v| {
        (
            v.number,
            crate::domain::london::format_date(
                crate::domain::london::to_london(v.published_at).date(),
            ),
        )
    });
    let (rows, totals) = rows(o);
    Ok(DashboardPage {
        school_name: String::new(),
        me,
        rows,
        totals,
        latest,
        behind,
        overdue,
        due,
    })
}

/// `GET /trust/export.csv`: the same figures, one school a row.
pub async fn export_csv(State(state): State<AppState>, _me: Trustee) -> Result<Response, AppError> {
    let o = dashboard::overview(&state).await?;
    let body = dashboard::csv(&o)?;
    let filename = format!("signoff-trust-{}.csv", state.clock.now().date());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct LookForm {
    #[serde(default)]
    school: String,
}

/// `POST /trust/look`: opens a school's office pages, read-only.
pub async fn look_at_school(
    State(state): State<AppState>,
    TrustForm(me, form): TrustForm<LookForm>,
) -> Result<Redirect, AppError> {
    crate::app::trust::look_at(&state, &me.admin, me.session_id, &form.school).await?;
    Ok(Redirect::to("/office"))
}

#[derive(Deserialize)]
pub struct NoFields {}

/// `POST /trust/leave`: back to the trust's pages.
pub async fn leave_school(
    State(state): State<AppState>,
    TrustForm(me, _): TrustForm<NoFields>,
) -> Result<Redirect, AppError> {
    crate::app::sessions::look_at(&state, &me.admin, me.session_id, None).await?;
    Ok(Redirect::to("/trust"))
}
