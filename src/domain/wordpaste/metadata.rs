//! The document's metadata lines (approved by, approved on, last reviewed, next review due),
//! wherever the school put them: a header block, a footer, a line of label and value, a
//! table pasted as tab-separated cells (label and value side by side, or a row of labels over a
//! row of values). What was read leaves the body for [`Cleaned`]'s fields.

use super::Cleaned;
use super::lines::Line;
use crate::domain::dates::{find_date, read_date, read_month};

/// A metadata field a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    ApprovedBy,
    ApprovedOn,
    LastReviewed,
    NextReview,
}

/// Labels as schools write them, longest first so "next review date" wins over "review date".
const LABELS: &[(&str, Field)] = &[
    ("date of next review", Field::NextReview),
    ("next scheduled review", Field::NextReview),
    ("next review due by", Field::NextReview),
    ("next review due", Field::NextReview),
    ("next review date", Field::NextReview),
    ("next review", Field::NextReview),
    ("due for review", Field::NextReview),
    ("to be reviewed", Field::NextReview),
    ("review due", Field::NextReview),
    ("review date", Field::NextReview),
    ("date of last review", Field::LastReviewed),
    ("date last reviewed", Field::LastReviewed),
    ("last reviewed on", Field::LastReviewed),
    ("last reviewed", Field::LastReviewed),
    ("last review date", Field::LastReviewed),
    ("last review", Field::LastReviewed),
    ("date reviewed", Field::LastReviewed),
    ("reviewed on", Field::LastReviewed),
    ("reviewed", Field::LastReviewed),
    ("date of approval", Field::ApprovedOn),
    ("date approved", Field::ApprovedOn),
    ("approval date", Field::ApprovedOn),
    ("approved on", Field::ApprovedOn),
    ("date ratified", Field::ApprovedOn),
    ("ratified on", Field::ApprovedOn),
    ("date adopted", Field::ApprovedOn),
    ("adopted on", Field::ApprovedOn),
    ("approved by", Field::ApprovedBy),
    ("ratified by", Field::ApprovedBy),
    ("agreed by", Field::ApprovedBy),
    ("adopted by", Field::ApprovedBy),
    ("approved", Field::ApprovedOn),
    ("ratified", Field::ApprovedOn),
    ("adopted", Field::ApprovedOn),
];

/// A cell's label and what follows it in the cell, when the cell starts with one. "Date"
/// alone labels the approval date when it follows "Approved by" on the same line.
fn label(cell: &str, after: Option<Field>) -> Option<(Field, &str)> {
    let lower = cell.to_lowercase();
    let found = LABELS
        .iter()
        .find(|(l, _)| lower.starts_with(l))
        .map(|(l, f)| (*f, l.len()))
        .or_else(|| {
            (after == Some(Field::ApprovedBy) && lower.starts_with("date"))
                .then_some((Field::ApprovedOn, 4))
        })?;
    // Lower-casing can change byte lengths (rarely); only cut where the cell allows it.
    let rest = cell.get(found.1..)?;
    let ends_word = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
    ends_word.then_some((found.0, rest))
}

/// What follows a label: without the colon or dash between them.
fn value_after_label(rest: &str) -> &str {
    rest.trim_start_matches([':', '-', '\u{2013}', '\u{2014}', ' '])
        .trim()
}

/// The cells of a line: split at tabs and at " | ".
fn cells(line: &str) -> Vec<&str> {
    line.split(['\t', '|'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// A line's (field, value) pairs when it starts with a label and carries a value for each.
fn pairs(line: &str) -> Option<Vec<(Field, String)>> {
    if line.chars().count() > 200 {
        return None;
    }
    let cells = cells(line);
    let mut out: Vec<(Field, String)> = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let after = out.last().map(|(f, _)| *f);
        match label(cells[i], after) {
            Some((field, rest)) => {
                let had_separator = rest
                    .trim_start()
                    .starts_with([':', '-', '\u{2013}', '\u{2014}']);
                let mut value = value_after_label(rest).to_string();
                let bare = value.is_empty();
                // The value in the next cell (a table's two columns), and for "Approved by" a
                // date in the cell after that.
                while i + 1 < cells.len()
                    && label(cells[i + 1], Some(field)).is_none()
                    && (value.is_empty()
                        || (field == Field::ApprovedBy && find_date(cells[i + 1]).is_some()))
                {
                    if !value.is_empty() {
                        value.push('\t');
                    }
                    value.push_str(cells[i + 1]);
                    i += 1;
                }
                // "Reviewed regularly by governors" is a sentence: a label needs a colon, a
                // cell of its own, or a date after it.
                if !(had_separator || bare || find_date(&value).is_some()) {
                    return None;
                }
                out.push((field, value));
            }
            None if out.is_empty() => return None,
            None => {
                if let Some((_, v)) = out.last_mut() {
                    v.push('\t');
                    v.push_str(cells[i]);
                }
            }
        }
        i += 1;
    }
    (!out.is_empty()).then_some(out)
}

/// A row of bare labels (a table's heading row): the fields, in order.
fn label_row(line: &str) -> Option<Vec<Field>> {
    let cells = cells(line);
    let fields: Vec<Field> = cells
        .iter()
        .map(|c| label(c, None).filter(|(_, rest)| value_after_label(rest).is_empty()))
        .map(|l| l.map(|(f, _)| f))
        .collect::<Option<_>>()?;
    (fields.len() >= 2).then_some(fields)
}

/// Takes every metadata line out of the body, filling `out`'s fields; a line with a date that
/// could not be read ("Summer 2025") stays in the text, with a note, for a person to fix.
pub(super) fn take_metadata(lines: Vec<Line>, out: &mut Cleaned) -> Vec<Line> {
    let mut body: Vec<Line> = Vec::new();
    let mut in_sentences: Vec<(Field, (time::Date, bool))> = Vec::new();
    let mut iter = lines.into_iter().peekable();
    while let Some(line) = iter.next() {
        let text = line.text.trim();
        // A table's row of labels over a row of values.
        if let Some(fields) = label_row(text) {
            let values: Option<Vec<String>> = iter
                .peek()
                .map(|next| cells(&next.text).into_iter().map(String::from).collect())
                .filter(|v: &Vec<String>| v.len() == fields.len());
            if let Some(values) = values {
                let pairs: Vec<(Field, String)> = fields.into_iter().zip(values).collect();
                if take_all(&pairs, text, out) {
                    iter.next();
                    continue;
                }
            }
        }
        if let Some(pairs) = pairs(text) {
            if pairs.iter().all(|(f, v)| just_a_value(*f, v)) {
                if take_all(&pairs, text, out) {
                    continue;
                }
            } else {
                // A sentence that starts like a label: it stays, and only its date is read.
                in_sentences.extend(pairs.iter().filter_map(|(f, v)| Some((*f, find_date(v)?))));
            }
        }
        body.push(line);
    }
    for (field, (date, day)) in in_sentences {
        let (slot, month_only) = match field {
            Field::ApprovedBy | Field::ApprovedOn => {
                (&mut out.approved_on, &mut out.month_only.approved_on)
            }
            Field::LastReviewed => (&mut out.last_reviewed, &mut out.month_only.last_reviewed),
            Field::NextReview => (
                &mut out.next_review_due,
                &mut out.month_only.next_review_due,
            ),
        };
        if slot.is_none() {
            *slot = Some(date.to_string());
            *month_only = !day;
        }
    }
    if out.next_review_due.is_none() {
        next_review_in_a_sentence(&body, out);
    }
    body
}

/// Whether what follows a label is only its value, so the line can leave the body: for
/// "approved by" a name and/or a date ("The Governing Body on 12 Sept 2025"), for a date field
/// a date, after "on", "in" or "by" and a name at most. Anything after the date, or a value
/// that reads as a sentence ("… in September 2025, this code applies to all parents"), is text.
fn just_a_value(field: Field, value: &str) -> bool {
    let text = value.replace('\t', " ");
    let words: Vec<&str> = text.split_whitespace().collect();
    let a_date = |from: usize| {
        let rest = words[from..].join(" ");
        read_date(&rest).is_some() || read_month(&rest).is_some()
    };
    let (mut before, dated) = match (0..words.len()).find(|j| a_date(*j)) {
        Some(at) => (words[..at].to_vec(), true),
        None => (words.clone(), false),
    };
    let joining = |w: &&str| {
        let w = w.trim_end_matches([',', ':']).to_lowercase();
        matches!(
            w.as_str(),
            "on" | "in"
                | "dated"
                | "date"
                | "of"
                | "is"
                | "was"
                | "at"
                | ""
                | "-"
                | "\u{2013}"
                | "\u{2014}"
        )
    };
    while before.last().is_some_and(joining) {
        before.pop();
    }
    let a_name = |name: &[&str]| {
        name.len() <= 10
            && !name.iter().any(|w| w.ends_with(';'))
            && !name
                .iter()
                .rev()
                .skip(1)
                .any(|w| w.ends_with('.') && w.trim_end_matches('.').chars().count() > 2)
    };
    match field {
        Field::ApprovedBy => a_name(&before) && (dated || find_date(&text).is_none()),
        // Without a date, `take_all` says it could not read one and keeps the line; a date
        // with words after it is a sentence.
        _ if !dated => find_date(&text).is_none(),
        _ => match before.split_first() {
            None => true,
            Some((by, name)) => by.eq_ignore_ascii_case("by") && a_name(name),
        },
    }
}

/// Wording that says when the next review is ("… will next be reviewed in", "the next review
/// is due"); a date after it is the next review's.
const SAYS_NEXT_REVIEW: &[&str] = &[
    "next scheduled review date",
    "next scheduled review is",
    "next scheduled review will be",
    "next review is",
    "next review will be",
    "next review due",
    "next review date",
    "next review:",
    "will next be reviewed",
    "will be reviewed again",
    "is due for review",
    "due to be reviewed",
];

/// "The next scheduled review date for this document is May 2025.": the date is taken, and the
/// sentence stays in the text. A line that only mentions a next review ("the next review
/// meeting on 3 March 2026") gives no date.
fn next_review_in_a_sentence(body: &[Line], out: &mut Cleaned) {
    let found = body.iter().find_map(|l| {
        if l.text.chars().count() > 200 {
            return None;
        }
        let lower = l.text.to_lowercase();
        SAYS_NEXT_REVIEW.iter().find_map(|phrase| {
            let at = lower.find(phrase)?;
            find_date(&lower[at + phrase.len()..])
        })
    });
    if let Some((date, day)) = found {
        out.next_review_due = Some(date.to_string());
        out.month_only.next_review_due = !day;
    }
}

/// Stores every pair of one line; false (nothing stored) when a value could not be read.
fn take_all(pairs: &[(Field, String)], line: &str, out: &mut Cleaned) -> bool {
    // (field, who approved it, the date and whether it named a day)
    type Read = (Field, String, Option<(time::Date, bool)>);
    let mut read: Vec<Read> = Vec::new();
    for (field, value) in pairs {
        let date = value
            .split('\t')
            .rev()
            .find_map(find_date)
            .or_else(|| find_date(value));
        match (field, date) {
            (Field::ApprovedBy, _) => {
                let name = name_part(value);
                if name.is_empty() {
                    return unreadable(line, out);
                }
                read.push((*field, name, date));
            }
            (_, Some(d)) => read.push((*field, String::new(), Some(d))),
            (_, None) => return unreadable(line, out),
        }
    }
    for (field, name, date) in read {
        let date = date.map(|(d, day)| (d.to_string(), day));
        match field {
            Field::ApprovedBy => {
                out.approved_by = Some(name);
                if let Some(d) = date {
                    out.approved_on = Some(d.0);
                    out.month_only.approved_on = !d.1;
                }
            }
            Field::ApprovedOn => {
                if let Some(d) = date {
                    out.approved_on = Some(d.0);
                    out.month_only.approved_on = !d.1;
                }
            }
            Field::LastReviewed => {
                if let Some(d) = date {
                    out.last_reviewed = Some(d.0);
                    out.month_only.last_reviewed = !d.1;
                }
            }
            Field::NextReview => {
                if let Some(d) = date {
                    out.next_review_due = Some(d.0);
                    out.month_only.next_review_due = !d.1;
                }
            }
        }
    }
    true
}

fn unreadable(line: &str, out: &mut Cleaned) -> bool {
    out.notes.push(format!(
        "Could not read a date in \u{201c}{}\u{201d}: it is left in the text.",
        cells(line).join(" ")
    ));
    false
}

/// Who approved it, without the date after the name ("The Governing Body on 12 Sept 2025").
fn name_part(value: &str) -> String {
    let text = value.replace('\t', " ");
    let mut words: Vec<&str> = text.split_whitespace().collect();
    let date_from = |j: usize| find_date(&words[j..].join(" "));
    let first_date =
        (0..words.len()).find(|j| date_from(*j).is_some() && date_from(*j) != date_from(j + 1));
    if let Some(j) = first_date {
        words.truncate(j);
    }
    while words.last().is_some_and(|w| {
        matches!(
            w.to_lowercase().trim_end_matches(':'),
            "on" | "in" | "dated" | "date" | "-" | "\u{2013}" | ","
        )
    }) {
        words.pop();
    }
    // "Approved by governors: 1 September 2026": the colon belonged to the date.
    words
        .join(" ")
        .trim_end_matches([',', ';', ':', '-', '\u{2013}'])
        .trim_end()
        .to_string()
}
