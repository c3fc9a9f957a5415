//! The office: signature status at a glance, who is outstanding, each carer's record, paper forms,
//! codes, the roster and letters. Headteachers see all of this too.

pub mod evidence;
pub mod letters;
pub mod roster;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::error::AppError;
use super::extract::{CsrfOnly, Form};
use super::parent::display_date;
use super::session::Staff;
use crate::AppState;
use crate::clock::{parse_stamp, stamp};
use crate::domain::code::SigningCode;
use crate::domain::csv_safe;
use crate::domain::dates::{Review, format_stamp, read_date, review_state};
use crate::domain::status::{CoverRule, Report, Status, StatusFilter};
use crate::store::declarations::{self, NewDeclaration};
use crate::store::documents::{self, Current};
use crate::store::{audit, carers, codes, schools, staff, status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office", get(show_dashboard))
        .route("/office/carers", get(list_carers))
        .route("/office/carers/{id}", get(show_carer))
        .route("/office/carers/{id}/code", post(issue_code))
        .route("/office/carers/{id}/paper", post(record_paper_form))
        .route("/office/pupils", get(list_pupils))
        .route("/office/export.csv", get(export_csv))
        .merge(roster::router())
        .merge(evidence::router())
        .merge(letters::router())
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
            parts.push(format!("class={}", super::session::encode(c)));
        }
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            parts.push(format!("status={}", super::session::encode(s)));
        }
        if let Some(q) = self.search() {
            parts.push(format!("q={}", super::session::encode(q)));
        }
        parts.join("&")
    }
}

/// One document's report for the signed-in person's school.
pub struct Loaded {
    pub school_name: String,
    pub cover_every: bool,
    pub docs: Vec<Current>,
    pub doc: Current,
    pub report: Report,
}

/// (school, chosen document) → (generation, report).
type ReportMap = std::collections::HashMap<(i64, Option<i64>), (u64, std::sync::Arc<Loaded>)>;

/// Each school's computed report per chosen document, kept while the write generation is unchanged:
/// the office looks again and again at the same numbers, and any write (a signature, an import, a
/// code) moves the generation on, so a kept report is never out of date.
#[derive(Default)]
pub struct ReportCache(std::sync::Mutex<ReportMap>);

/// Loads the chosen document (default: the first) and its report, from the cache when current.
pub async fn load(
    state: &AppState,
    staff: &Staff,
    doc: Option<&str>,
) -> Result<std::sync::Arc<Loaded>, AppError> {
    let wanted: Option<i64> = doc.and_then(|d| d.trim().parse().ok());
    let key = (staff.school_id, wanted);
    let generation = state.db.fresh_generation().await?;
    {
        let cache = state.reports.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((g, loaded)) = cache.get(&key)
            && *g == generation
        {
            return Ok(loaded.clone());
        }
    }
    let loaded = std::sync::Arc::new(compute(state, staff, wanted).await?);
    let mut cache = state.reports.0.lock().unwrap_or_else(|e| e.into_inner());
    // Keep only current entries: an old generation's reports are of no further use.
    cache.retain(|_, (g, _)| *g == generation);
    cache.insert(key, (generation, loaded.clone()));
    Ok(loaded)
}

async fn compute(state: &AppState, staff: &Staff, wanted: Option<i64>) -> Result<Loaded, AppError> {
    let db = &state.db.read;
    let school = schools::get(db, staff.school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let docs = documents::current_for_school(db, school.id).await?;
    let doc = match wanted {
        Some(id) => docs
            .iter()
            .find(|d| d.document.id == id)
            .cloned()
            .ok_or(AppError::NotFound)?,
        None => docs.first().cloned().ok_or(AppError::NotFound)?,
    };
    let (carer_rows, links) = tokio::try_join!(
        status::carer_records(db, school.id, doc.document.id),
        status::links(db, school.id)
    )?;
    let report = Report::build(
        carer_rows,
        links,
        doc.latest_material,
        CoverRule::parse(&school.cover_rule),
    );
    Ok(Loaded {
        cover_every: school.cover_rule == "all",
        school_name: school.name,
        docs,
        doc,
        report,
    })
}

pub struct DocChoice {
    pub id: i64,
    pub title: String,
    pub selected: bool,
}

fn doc_choices(l: &Loaded) -> Vec<DocChoice> {
    l.docs
        .iter()
        .map(|d| DocChoice {
            id: d.document.id,
            title: d.version.title.clone(),
            selected: d.document.id == l.doc.document.id,
        })
        .collect()
}

fn tag(status: Status, paper: bool) -> (&'static str, &'static str) {
    match (status, paper) {
        (Status::Signed, true) => ("tag-paper", "Signed on paper"),
        (Status::Signed, false) => ("tag-signed", "Signed"),
        (Status::MustResign, _) => ("tag-resign", "Must re-sign"),
        (Status::NotSigned, _) => ("tag-not", "Not signed"),
    }
}

// ---------------------------------------------------------------------------------------------
// Dashboard

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
}

/// `GET /office`: counts and percentages, overall and per class and year group.
pub async fn show_dashboard(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<StatusQuery>,
) -> Result<DashboardPage, AppError> {
    let l = load(&state, &staff, q.doc.as_deref()).await?;
    let doc_id = l.doc.document.id;
    let rows =
        |groups: &[(String, crate::domain::status::Counts)], by_class: bool| -> Vec<GroupRow> {
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
                            super::session::encode(name)
                        )
                    } else {
                        String::new()
                    },
                })
                .collect()
        };
    let review = review_notice(&l.doc.next_review_due, state.clock.now().date());
    let o = l.report.overall;
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
        pupils: l.report.pupils.len(),
        pupils_covered: l.report.pupils_covered,
        cover_every: l.cover_every,
        classes: rows(&l.report.by_class, true),
        years: rows(&l.report.by_year, false),
        review,
        staff,
    })
}

/// The review rule (`domain::dates::review_state`) as a notice: `(css class, message)`.
pub fn review_notice(next_review_due: &str, today: time::Date) -> Option<(String, String)> {
    let when = display_date(next_review_due);
    Some(match review_state(next_review_due, today)? {
        Review::Overdue(days) => (
            "notice-warning".into(),
            format!("The review of this code was due on {when} and is {days} days overdue."),
        ),
        Review::DueIn(days) => (
            "notice".into(),
            format!("The next review of this code is due on {when} (in {days} days)."),
        ),
    })
}

// ---------------------------------------------------------------------------------------------
// Lists

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
    let l = load(&state, &staff, q.doc.as_deref()).await?;
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
        classes: report.classes(),
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
    let l = load(&state, &staff, q.doc.as_deref()).await?;
    let search = q.search().map(|s| s.to_lowercase());
    let rows = l
        .report
        .pupils
        .iter()
        .filter(|p| q.class().is_none_or(|c| p.class_name == c))
        .filter(|p| {
            search.as_deref().is_none_or(|s| {
                format!("{} {}", p.first_name, p.last_name)
                    .to_lowercase()
                    .contains(s)
            })
        })
        .map(|p| PupilRow {
            name: format!("{} {}", p.first_name, p.last_name),
            class_name: p.class_name.clone(),
            covered: p.covered,
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
        classes: l.report.classes(),
        class: q.class().unwrap_or("").to_string(),
        q: q.search().unwrap_or("").to_string(),
        cover_every: l.cover_every,
        rows,
        staff,
    })
}

/// `GET /office/export.csv`: the status list for the MIS, safe to open in Excel.
pub async fn export_csv(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<StatusQuery>,
) -> Result<Response, AppError> {
    let l = load(&state, &staff, q.doc.as_deref()).await?;
    let report = &l.report;
    let mut w = csv::Writer::from_writer(Vec::with_capacity(report.carers.len() * 120));
    let header = [
        "Carer ID",
        "Carer",
        "Email",
        "Phone",
        "Children",
        "Classes",
        "Status",
        "Version signed",
        "Signed at (UTC)",
        "Method",
    ];
    w.write_record(header)
        .map_err(|e| AppError::Internal(e.into()))?;
    for c in report.carers_where(q.class(), q.status_filter(), q.search()) {
        let children = c
            .children
            .iter()
            .map(|&p| {
                format!(
                    "{} {}",
                    report.pupils[p].first_name, report.pupils[p].last_name
                )
            })
            .collect::<Vec<_>>();
        let mut classes = c
            .children
            .iter()
            .map(|&p| report.pupils[p].class_name.clone())
            .collect::<Vec<_>>();
        classes.dedup();
        let record = [
            c.record.id.to_string(),
            c.record.full_name(),
            c.record.email.clone(),
            c.record.phone.clone(),
            children.join("; "),
            classes.join("; "),
            c.status.label().to_string(),
            c.record
                .best_signed
                .map(|n| n.to_string())
                .unwrap_or_default(),
            c.record.best_signed_at.clone().unwrap_or_default(),
            c.record.best_method.clone().unwrap_or_default(),
        ];
        w.write_record(record.iter().map(|s| csv_safe::cell(s)))
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e.to_string())))?;
    let filename = format!("signoff-status-{}.csv", state.clock.now().date());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------------
// One carer

/// A carer of the signed-in person's school, by the id in the address.
pub async fn own_carer(
    state: &AppState,
    staff: &Staff,
    id: &str,
) -> Result<carers::Carer, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    carers::carer(&state.db.read, id)
        .await?
        .filter(|c| c.school_id == staff.school_id)
        .ok_or(AppError::NotFound)
}

pub struct HistoryRow {
    pub document: String,
    pub version: i64,
    pub signed_at: String,
    pub method: String,
    pub reference: String,
    pub recorded_by: String,
    pub note: String,
}

pub struct CodeRow {
    pub created_at: String,
    pub by: String,
    pub state: String,
    pub last_used: String,
}

pub struct DocStatusRow {
    pub title: String,
    pub tag_class: &'static str,
    pub tag: &'static str,
}

pub struct VersionChoice {
    pub id: i64,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/carer.html")]
pub struct CarerPage {
    pub school_name: String,
    pub staff: Staff,
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub children: Vec<(String, String)>,
    pub statuses: Vec<DocStatusRow>,
    pub history: Vec<HistoryRow>,
    pub codes: Vec<CodeRow>,
    pub versions: Vec<VersionChoice>,
    pub flash: Option<String>,
    pub errors: Vec<(String, String)>,
    pub paper_version: String,
    pub paper_received: String,
    pub paper_note: String,
}

async fn carer_page(state: &AppState, staff: Staff, id: i64) -> Result<CarerPage, AppError> {
    let db = &state.db.read;
    let carer = carers::carer(db, id)
        .await?
        .filter(|c| c.school_id == staff.school_id)
        .ok_or(AppError::NotFound)?;
    let school = schools::get(db, staff.school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let docs = documents::current_for_school(db, school.id).await?;
    let signed = declarations::for_carer(db, id).await?;
    let people = staff::users(db, school.id).await?;
    let name_of = |id: Option<i64>| {
        id.and_then(|i| people.iter().find(|u| u.id == i))
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let statuses = docs
        .iter()
        .map(|d| {
            let mine: Vec<_> = signed
                .iter()
                .filter(|x| x.document_id == d.document.id)
                .collect();
            let status =
                Status::from_signed(mine.iter().map(|x| x.version_number), d.latest_material);
            let best = mine.iter().max_by_key(|x| x.version_number);
            let (tag_class, tag) = tag(status, best.is_some_and(|b| b.method == "paper"));
            DocStatusRow {
                title: d.version.title.clone(),
                tag_class,
                tag,
            }
        })
        .collect();
    let history = signed
        .iter()
        .map(|d| HistoryRow {
            document: docs
                .iter()
                .find(|x| x.document.id == d.document_id)
                .map(|x| x.document.title.clone())
                .unwrap_or_default(),
            version: d.version_number,
            signed_at: format_stamp(&d.signed_at),
            method: if d.method == "paper" {
                format!(
                    "Paper, received {}",
                    d.received_on
                        .as_deref()
                        .map(display_date)
                        .unwrap_or_default()
                )
            } else {
                "Online".into()
            },
            reference: d.reference(),
            recorded_by: name_of(d.recorded_by),
            note: d.note.clone(),
        })
        .collect();
    let codes = codes::for_carer(db, id)
        .await?
        .into_iter()
        .map(|c| CodeRow {
            created_at: format_stamp(&c.created_at),
            by: c.created_by_name.unwrap_or_else(|| "Set-up".into()),
            state: match c.revoked_at {
                Some(r) => format!("Replaced {}", format_stamp(&r)),
                None => "In use".into(),
            },
            last_used: c
                .last_used_at
                .as_deref()
                .map(format_stamp)
                .unwrap_or_else(|| "Never".into()),
        })
        .collect();
    let mut versions = Vec::new();
    for d in &docs {
        for v in documents::versions_of(db, d.document.id).await? {
            let current = if v.id == d.version.id {
                " (current)"
            } else {
                ""
            };
            versions.push(VersionChoice {
                id: v.id,
                label: format!("{}, version {}{current}", v.title, v.number),
            });
        }
    }
    let children = carers::children(db, id)
        .await?
        .into_iter()
        .map(|c| (c.full_name(), c.class_name))
        .collect();
    Ok(CarerPage {
        school_name: school.name,
        id,
        name: carer.full_name(),
        email: carer.email,
        phone: carer.phone,
        address: [carer.address.as_str(), carer.postcode.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
        children,
        statuses,
        history,
        codes,
        paper_version: docs
            .first()
            .map(|d| d.version.id.to_string())
            .unwrap_or_default(),
        versions,
        flash: None,
        errors: Vec::new(),
        paper_received: state.clock.now().date().to_string(),
        paper_note: String::new(),
        staff,
    })
}

#[derive(Deserialize)]
pub struct FlashQuery {
    done: Option<String>,
}

/// `GET /office/carers/{id}`: children, status, signing history and codes.
pub async fn show_carer(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<FlashQuery>,
) -> Result<CarerPage, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let mut page = carer_page(&state, staff, id).await?;
    page.flash = match q.done.as_deref() {
        Some("paper") => Some("The paper form has been recorded.".into()),
        Some("already") => {
            Some("Nothing was recorded: this carer had already signed that version.".into())
        }
        _ => None,
    };
    Ok(page)
}

#[derive(Template, WebTemplate)]
#[template(path = "office/code_issued.html")]
pub struct CodeIssuedPage {
    pub school_name: String,
    pub staff: Staff,
    pub carer_id: i64,
    pub carer_name: String,
    pub code: String,
    pub link: String,
}

/// `POST /office/carers/{id}/code`: a new code (the old one stops working), shown once.
pub async fn issue_code(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    staff.check_form(form.csrf.as_deref())?;
    let carer = own_carer(&state, &staff, &id).await?;
    let id = carer.id;
    let code = SigningCode::generate();
    let now = stamp(state.clock.now());
    let mut tx = state.db.begin().await?;
    codes::replace(
        &mut tx,
        staff.school_id,
        id,
        &code.hash(),
        &now,
        Some(staff.id),
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Event {
            school_id: staff.school_id,
            at: &now,
            actor: &staff.actor(),
            action: "code.issued",
            subject: &format!("carer:{id}"),
            detail: "",
        },
    )
    .await?;
    tx.commit().await?;
    let school_name = schools::get(&state.db.read, staff.school_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    Ok(CodeIssuedPage {
        school_name,
        carer_id: id,
        carer_name: carer.full_name(),
        code: code.display(),
        link: format!("{}/s/{}", state.config.base_url(), code.as_str()),
        staff,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct PaperForm {
    csrf: Option<String>,
    version_id: Option<String>,
    received_on: Option<String>,
    note: Option<String>,
}

/// `POST /office/carers/{id}/paper`: a signed paper declaration came back to the office.
pub async fn record_paper_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<PaperForm>,
) -> Result<Response, AppError> {
    staff.check_form(form.csrf.as_deref())?;
    let carer = own_carer(&state, &staff, &id).await?;
    let id = carer.id;
    let now = state.clock.now();
    let mut errors = Vec::new();
    let version = match form
        .version_id
        .as_deref()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        Some(vid) => documents::version(&state.db.read, vid)
            .await?
            .filter(|v| v.school_id == staff.school_id),
        None => None,
    };
    if version.is_none() {
        errors.push((
            "version_id".to_string(),
            "Choose which version the parent signed on paper.".to_string(),
        ));
    }
    let received = form.received_on.as_deref().unwrap_or("");
    let received_on = match read_date(received) {
        None => {
            errors.push((
                "received_on".into(),
                "Enter the date the form came back, like 21/11/2026.".into(),
            ));
            None
        }
        Some(d) if d > now.date() => {
            errors.push((
                "received_on".into(),
                "The date the form came back cannot be in the future.".into(),
            ));
            None
        }
        Some(d) => match &version {
            Some(v) if parse_stamp(&v.published_at).is_some_and(|p| d < p.date()) => {
                errors.push((
                    "received_on".into(),
                    format!("Version {} was published on {}, so its form cannot have come back before then.", v.number, format_stamp(&v.published_at)),
                ));
                None
            }
            _ => Some(d),
        },
    };
    let note: String = form.note.unwrap_or_default();
    if note.chars().count() > 500
        || note
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        errors.push((
            "note".into(),
            "Keep the note to 500 characters of plain text.".into(),
        ));
    }
    let (Some(version), Some(received_on), true) = (version, received_on, errors.is_empty()) else {
        let mut page = carer_page(&state, staff, id).await?;
        page.errors = errors;
        page.paper_version = form.version_id.unwrap_or_default();
        page.paper_received = received.chars().take(40).collect();
        page.paper_note = note.chars().take(600).collect();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let children: Vec<serde_json::Value> = carers::children(&state.db.read, id)
        .await?
        .iter()
        .map(|c| serde_json::json!({ "id": c.id, "name": c.full_name(), "class": c.class_name }))
        .collect();
    let new = NewDeclaration {
        school_id: staff.school_id,
        carer_id: id,
        document_id: version.document_id,
        version_id: version.id,
        children: serde_json::Value::Array(children).to_string(),
        carer_name: carer.full_name(),
        typed_name: String::new(),
        declaration_text: version.declaration_text.clone(),
        text_sha256: version.sha256.clone(),
        signed_at: stamp(now),
        method: "paper",
        ip: String::new(),
        user_agent: String::new(),
        recorded_by: Some(staff.id),
        received_on: Some(received_on.to_string()),
        note: note.trim().to_string(),
    };
    let mut tx = state.db.begin().await?;
    let appended = declarations::append(&mut tx, new, &staff.actor()).await?;
    tx.commit().await?;
    let done = match appended {
        declarations::Appended::New(_) => "paper",
        declarations::Appended::Existing(_) => "already",
    };
    Ok(Redirect::to(&format!("/office/carers/{id}?done={done}")).into_response())
}
