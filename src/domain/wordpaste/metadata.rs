//! The document's title and its metadata lines (approved by, last reviewed, next review due),
//! taken out of the body and into [`Cleaned`]'s fields.

use super::Cleaned;
use super::headings::is_short_heading;
use super::lines::Line;
use crate::domain::dates::read_date;
use crate::domain::london::format_date;

/// Recognises a metadata line; returns (field, value) with the value's cells joined.
fn metadata(line: &str) -> Option<(&'static str, String)> {
    let lower = line.to_lowercase();
    let field = if lower.starts_with("approved by") {
        "approved_by"
    } else if lower.starts_with("last reviewed") {
        "last_reviewed"
    } else if lower.starts_with("next review due") || lower.starts_with("next review date") {
        "next_review_due"
    } else if lower.starts_with("approved on") || lower.starts_with("date approved") {
        "approved_on"
    } else {
        return None;
    };
    let value = line.split_once(':').map(|(_, v)| v).unwrap_or("");
    Some((
        field,
        value
            .split('\t')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("\t"),
    ))
}

/// Fills the title and metadata from the lines that carry them; returns the rest, the body.
pub(super) fn take_title_and_metadata(lines: Vec<Line>, out: &mut Cleaned) -> Vec<Line> {
    let mut body: Vec<Line> = Vec::new();
    for line in lines {
        let trimmed = line.text.trim();
        if out.title.is_none()
            && body.iter().all(Line::is_blank)
            && !trimmed.is_empty()
            && is_short_heading(trimmed)
            && metadata(trimmed).is_none()
            && !line.bookmarked
        {
            out.title = Some(trimmed.split_whitespace().collect::<Vec<_>>().join(" "));
            out.notes.push(format!("Title: {}", trimmed));
            continue;
        }
        if let Some((field, value)) = metadata(trimmed) {
            if take_field(field, &value, trimmed, out) {
                continue;
            }
            // A date that could not be read ("Summer 2025") stays in the text for a person to fix.
            out.notes.push(format!(
                "Could not read a date in \u{201c}{}\u{201d}: it is left in the text.",
                trimmed.replace('\t', " ")
            ));
        }
        body.push(line);
    }
    body
}

/// Stores one metadata line's value and notes it; false when it could not be read.
fn take_field(field: &str, value: &str, line: &str, out: &mut Cleaned) -> bool {
    let cells: Vec<&str> = value.split('\t').collect();
    let date = cells.iter().rev().find_map(|c| read_date(c));
    let named = cells
        .iter()
        .filter(|c| read_date(c).is_none())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let taken = match field {
        "approved_by" => {
            if !named.is_empty() {
                out.approved_by = Some(named.clone());
            }
            if let Some(d) = date {
                out.approved_on = Some(d.to_string());
            }
            !named.is_empty() && (date.is_some() || cells.len() == 1)
        }
        _ => match date {
            Some(d) => {
                let v = Some(d.to_string());
                match field {
                    "last_reviewed" => out.last_reviewed = v,
                    "next_review_due" => out.next_review_due = v,
                    _ => out.approved_on = v,
                }
                true
            }
            None => false,
        },
    };
    if taken {
        out.notes.push(format!(
            "{}: {}",
            line.split(':').next().unwrap_or(field).trim(),
            match (field, date) {
                ("approved_by", Some(d)) => format!("{named}, {}", format_date(d)),
                ("approved_by", None) => named,
                (_, Some(d)) => format_date(d),
                _ => String::new(),
            }
        ));
    }
    taken
}
