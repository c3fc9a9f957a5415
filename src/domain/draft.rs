//! A draft of a document's next version: read from its form once into what is kept and what is
//! wrong, and what publishing needs on top.

use crate::domain::dates::{read_date, wrong_weekday};
use crate::domain::london::format_date;
use crate::domain::text::{is_plain, tidy_block};
use crate::domain::wording::Wording;

mod declaration;

pub use declaration::{declaration_for_title, declaration_notice};

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

/// Longest one-line field (a title, a date as typed), in characters.
pub const MAX_LINE: usize = 200;

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
                let message = match wrong_weekday(raw) {
                    Some(why) => format!("{label}: {why} Check the date and type it again."),
                    None => format!(
                        "{label} must be a real date, for example 12 9 2026 or 12 September 2026."
                    ),
                };
                errors.push((field.to_string(), message));
                // Kept as typed, to be put right: only what no field may hold is cut.
                raw.chars().take(MAX_LINE).collect()
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
    if d.title.chars().count() > MAX_LINE {
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

/// What publishing needs on top of a saveable draft, on `today` (UK date).
pub fn publish_errors(d: &Draft, today: time::Date) -> FieldErrors {
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
    need(
        "declaration_text",
        !d.declaration_text.is_empty(),
        "Write the declaration parents agree to.",
    );
    e.extend(date_errors(d, today));
    e
}

/// The approval and review dates as publishing needs them: each a date; approval and the last
/// review not in the future; the next review after today and after the approval.
pub fn date_errors(d: &Draft, today: time::Date) -> FieldErrors {
    let mut e: FieldErrors = Vec::new();
    let approved = read_date(&d.approved_on);
    let reviewed = read_date(&d.last_reviewed);
    let next = read_date(&d.next_review_due);
    let mut push = |field: &str, message: String| e.push((field.to_string(), message));
    let or_weekday = |typed: &str, message: &str| {
        wrong_weekday(typed).map_or_else(
            || message.to_string(),
            |why| format!("{why} Check the date and type it again."),
        )
    };
    match approved {
        None => push(
            "approved_on",
            or_weekday(
                &d.approved_on,
                "Enter the date it was approved, for example 12 9 2026.",
            ),
        ),
        Some(a) if a > today => push(
            "approved_on",
            format!(
                "The approval date cannot be in the future: enter {} or earlier.",
                format_date(today)
            ),
        ),
        Some(_) => {}
    }
    match reviewed {
        None => push(
            "last_reviewed",
            or_weekday(
                &d.last_reviewed,
                "Enter the date it was last reviewed, for example 12 9 2026.",
            ),
        ),
        Some(r) if r > today => push(
            "last_reviewed",
            format!(
                "The last review cannot be in the future: enter {} or earlier.",
                format_date(today)
            ),
        ),
        Some(_) => {}
    }
    match next {
        None => push(
            "next_review_due",
            or_weekday(
                &d.next_review_due,
                "Enter the date the next review is due, for example 1 9 2027.",
            ),
        ),
        Some(n) if n <= today => push(
            "next_review_due",
            format!(
                "The next review must be after today: {} has already passed or is today.",
                format_date(n)
            ),
        ),
        Some(n) if approved.is_some_and(|a| n <= a) => push(
            "next_review_due",
            "The next review must be after the approval date.".into(),
        ),
        Some(_) => {}
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft(approved: &str, reviewed: &str, next: &str) -> Draft {
        Draft {
            wording: Wording {
                title: "Code".into(),
                body_md: "Be kind.".into(),
                approved_by: "Governors".into(),
                approved_on: approved.into(),
                last_reviewed: reviewed.into(),
                next_review_due: next.into(),
                related_policies: String::new(),
                declaration_text: "I agree.".into(),
            },
            summary: String::new(),
        }
    }

    #[test]
    fn review_dates_must_make_sense_on_the_day_of_publishing() {
        let today = date!(2026 - 11 - 21);
        let ok = draft("2026-11-20", "2026-11-21", "2027-11-01");
        assert!(publish_errors(&ok, today).is_empty());
        let past = date_errors(&draft("2026-11-20", "2026-11-20", "2026-09-01"), today);
        assert_eq!(past.len(), 1);
        assert_eq!(past[0].0, "next_review_due");
        assert!(past[0].1.contains("1 September 2026"), "{past:?}");
        let future = date_errors(&draft("2026-12-01", "2026-11-20", "2027-09-01"), today);
        assert_eq!(future[0].0, "approved_on");
        let before = date_errors(&draft("2026-11-20", "2026-11-20", "2026-11-20"), today);
        assert_eq!(before[0].0, "next_review_due");
    }

    #[test]
    fn a_date_that_cannot_be_right_is_refused_and_kept_as_typed() {
        let typed = "Friday 12 September 2026 (the governors' autumn meeting)";
        let form = |approved: &str| DraftFields {
            title: Some("Code".into()),
            approved_on: Some(approved.into()),
            last_reviewed: Some("31/02/2026".into()),
            next_review_due: Some("Friday 12 September 2026".into()),
            ..Default::default()
        };
        let (d, errors) = read_draft(form(typed));
        assert_eq!(d.approved_on, typed, "kept in full");
        assert_eq!(d.last_reviewed, "31/02/2026");
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(errors[1].0, "last_reviewed");
        assert!(errors[1].1.contains("must be a real date"), "{errors:?}");
        assert_eq!(
            errors[2],
            (
                "next_review_due".to_string(),
                "Next review due: 12 September 2026 is a Saturday, not a Friday. Check the date and type it again.".to_string()
            )
        );
        let (d, errors) = read_draft(form("Saturday 12 September 2026"));
        assert_eq!(d.approved_on, "2026-09-12");
        assert_eq!(errors.len(), 2);
        let (d, _) = read_draft(form(&"9".repeat(500)));
        assert_eq!(d.approved_on.chars().count(), MAX_LINE);

        let wrong = draft("2026-11-20", "2026-11-20", "Friday 12 September 2027");
        let e = date_errors(&wrong, date!(2026 - 11 - 21));
        assert!(e[0].1.contains("is a Sunday, not a Friday"), "{e:?}");
    }
}
