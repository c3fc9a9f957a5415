//! A draft of a document's next version: read from its form once into what is kept and what is
//! wrong, and what publishing needs on top.

use crate::domain::dates::read_date;
use crate::domain::text::{is_plain, tidy_block};
use crate::domain::wording::Wording;

/// What to put right in a form: (field, message) pairs, in the form's order.
pub type FieldErrors = Vec<(String, String)>;

/// A draft: the wording being written and the summary of changes parents will be shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub wording: Wording,
    pub summary: String,
}

impl std::ops::Deref for Draft {
    type Target = Wording;
    fn deref(&self) -> &Wording {
        &self.wording
    }
}

/// A draft form's fields, as sent (every one optional: a form may come back half-filled).
#[derive(serde::Deserialize, Default)]
pub struct DraftFields {
    pub title: Option<String>,
    pub body_md: Option<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<String>,
    pub last_reviewed: Option<String>,
    pub next_review_due: Option<String>,
    pub related_policies: Option<String>,
    pub declaration_text: Option<String>,
    pub summary: Option<String>,
}

/// Longest policy body accepted, in characters.
pub const MAX_BODY: usize = 60_000;

/// Reads a draft form: what was typed (always kept) and what is wrong with it.
pub fn read_draft(form: DraftFields) -> (Draft, FieldErrors) {
    let nl = |s: Option<String>| s.unwrap_or_default().replace("\r\n", "\n");
    let mut errors = Vec::new();
    let mut date = |field: &str, label: &str, raw: Option<String>| -> String {
        let raw = raw.unwrap_or_default();
        let raw = raw.trim();
        if raw.is_empty() {
            return String::new();
        }
        match read_date(raw) {
            Some(d) => d.to_string(),
            None => {
                errors.push((
                    field.to_string(),
                    format!("{label} must be a date, like 2026-09-01 or 01/09/2026."),
                ));
                raw.chars().take(40).collect()
            }
        }
    };
    let wording = Wording {
        approved_on: date("approved_on", "Approved on", form.approved_on),
        last_reviewed: date("last_reviewed", "Last reviewed", form.last_reviewed),
        next_review_due: date("next_review_due", "Next review due", form.next_review_due),
        title: form
            .title
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        body_md: nl(form.body_md).trim_end().to_string(),
        approved_by: form.approved_by.unwrap_or_default().trim().to_string(),
        related_policies: tidy_block(&form.related_policies.unwrap_or_default()),
        declaration_text: tidy_block(&form.declaration_text.unwrap_or_default()),
    };
    let d = Draft {
        wording,
        summary: tidy_block(&form.summary.unwrap_or_default()),
    };
    if d.title.chars().count() > 200 {
        errors.push((
            "title".into(),
            "The title can be at most 200 characters.".into(),
        ));
    }
    if d.body_md.chars().count() > MAX_BODY {
        errors.push((
            "body_md".into(),
            format!("The text can be at most {MAX_BODY} characters."),
        ));
    }
    if d.summary.chars().count() > 2000 {
        errors.push((
            "summary".into(),
            "Keep the summary of changes to 2,000 characters.".into(),
        ));
    }
    for (field, value) in [
        ("title", &d.title),
        ("body_md", &d.body_md),
        ("approved_by", &d.approved_by),
        ("related_policies", &d.related_policies),
        ("declaration_text", &d.declaration_text),
        ("summary", &d.summary),
    ] {
        if !is_plain(value) {
            errors.push((
                field.to_string(),
                "This contains a character that cannot be used. Retype it.".into(),
            ));
        }
    }
    (d, errors)
}

/// What publishing needs on top of a saveable draft.
pub fn publish_errors(d: &Draft) -> FieldErrors {
    let mut e = Vec::new();
    let mut need = |field: &str, ok: bool, message: &str| {
        if !ok {
            e.push((field.to_string(), message.to_string()));
        }
    };
    need("title", !d.title.is_empty(), "Enter a title.");
    need(
        "body_md",
        !d.body_md.trim().is_empty(),
        "Write the text of the code.",
    );
    need(
        "approved_by",
        !d.approved_by.is_empty(),
        "Say who approved it, for example The Governing Body.",
    );
    for (f, v, label) in [
        ("approved_on", &d.approved_on, "Approved on"),
        ("last_reviewed", &d.last_reviewed, "Last reviewed"),
        ("next_review_due", &d.next_review_due, "Next review due"),
    ] {
        need(f, read_date(v).is_some(), &format!("{label} needs a date."));
    }
    need(
        "declaration_text",
        !d.declaration_text.is_empty(),
        "Write the declaration parents agree to.",
    );
    e
}
