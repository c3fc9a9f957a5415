//! A cleaned paste put into a draft's wording, with a note for each title and date saying
//! whether it came from the paste or was kept from before.

use super::Cleaned;
use crate::domain::dates::format_iso;
use crate::domain::draft::{declaration_for_title, declaration_notice};
use crate::domain::wording::Wording;

/// Replaces `w`'s text with the paste's, and its title, approver and dates with those the
/// paste had; returns what the headteacher should check. `published` is the current version's
/// wording, to say where a kept value came from.
pub fn apply(c: Cleaned, w: &mut Wording, published: Option<&Wording>) -> Vec<String> {
    let mut notes = Vec::new();
    let from = |pick: fn(&Wording) -> &String, value: &str| -> &'static str {
        if published.is_some_and(|p| pick(p) == value) {
            "the previous version"
        } else {
            "the draft"
        }
    };
    w.body_md = c.body_md.trim_end().to_string();
    let old_title = w.title.clone();
    match c.title {
        Some(t) => {
            notes.push(format!("Title found in the paste: \u{201c}{t}\u{201d}."));
            w.title = t;
        }
        None if w.title.is_empty() => {
            notes.push("No title line found in the paste: enter the title below.".into())
        }
        None => notes.push(format!(
            "No title line found in the paste; kept \u{201c}{}\u{201d} from {} \u{2014} change it below.",
            w.title,
            from(|p| &p.title, &w.title)
        )),
    }
    match c.approved_by {
        Some(by) => {
            notes.push(format!("Approved by, found in the paste: {by}."));
            w.approved_by = by;
        }
        None => notes.push(format!(
            "No \u{201c}approved by\u{201d} found in the paste; kept {} from {} \u{2014} change it below.",
            w.approved_by,
            from(|p| &p.approved_by, &w.approved_by)
        )),
    }
    let dates: [DateSlot<'_>; 3] = [
        (
            "approval date",
            c.approved_on,
            c.month_only.approved_on,
            &mut w.approved_on,
            |p| &p.approved_on,
        ),
        (
            "last-reviewed date",
            c.last_reviewed,
            c.month_only.last_reviewed,
            &mut w.last_reviewed,
            |p| &p.last_reviewed,
        ),
        (
            "next-review date",
            c.next_review_due,
            c.month_only.next_review_due,
            &mut w.next_review_due,
            |p| &p.next_review_due,
        ),
    ];
    for (what, found, month_only, target, pick) in dates {
        match found {
            Some(d) => {
                let shown = format_iso(&d);
                notes.push(if month_only {
                    format!(
                        "{} found in the paste: {shown} (the paste gives only the month or term, so the 1st of its month is used \u{2014} change it below if needed).",
                        capitalised(what)
                    )
                } else {
                    format!("{} found in the paste: {shown}.", capitalised(what))
                });
                *target = d;
            }
            None => notes.push(format!(
                "No {what} found in the paste; kept {} from {} \u{2014} change it below.",
                format_iso(target.as_str()),
                from(pick, target.as_str())
            )),
        }
    }
    let declaration = declaration_for_title(&w.declaration_text, &[&old_title], &w.title);
    if declaration != w.declaration_text {
        notes.push(declaration_notice(&w.title));
        w.declaration_text = declaration;
    }
    notes.extend(c.notes);
    notes
}

/// A date field: what it is called, what the paste had, whether only the month, where it goes,
/// and where the published version keeps it.
type DateSlot<'a> = (
    &'static str,
    Option<String>,
    bool,
    &'a mut String,
    fn(&Wording) -> &String,
);

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
