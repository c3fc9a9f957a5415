//! A draft of a document's next version: read from its form once into what is kept and what is
//! wrong, and what publishing needs on top.

use crate::domain::dates::read_date;
use crate::domain::london::format_date;
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
                    format!(
                        "{label} must be a real date, for example 12 9 2026 or 12 September 2026."
                    ),
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
    match approved {
        None => push(
            "approved_on",
            "Enter the date it was approved, for example 12 9 2026.".into(),
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
            "Enter the date it was last reviewed, for example 12 9 2026.".into(),
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
            "Enter the date the next review is due, for example 1 9 2027.".into(),
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

/// The declaration with the document's old title replaced by its new one, wherever it names
/// the document as a whole title ("I have read the school's Code of Conduct for Parents…"):
/// matched without regard to case, only between word boundaries, never inside a longer word
/// or a longer name ("Behaviour Code" is not "Code"). Where the text at a match already reads
/// as the new title (which contains the old one), or the declaration names the new title
/// already, it stays as written.
pub fn declaration_for_title(declaration: &str, old_titles: &[&str], new_title: &str) -> String {
    let new_title = new_title.trim();
    if new_title.is_empty() || find_title(declaration, new_title, 0).is_some() {
        return declaration.to_string();
    }
    let mut out = declaration.to_string();
    for old in old_titles.iter().map(|t| t.trim()) {
        if old.is_empty() || old == new_title {
            continue;
        }
        // Where the old title sits inside the new one: the words before and after it there.
        let around = find_title(new_title, old, 0).map(|(s, e)| (&new_title[..s], &new_title[e..]));
        let mut from = 0;
        while let Some((mut start, mut end)) = find_title(&out, old, from) {
            if let Some((before, after)) = around {
                if let Some(s) = starts_before(&out, start, before) {
                    start = s;
                }
                if let Some(e) = continues_with(&out, end, after) {
                    end = e;
                }
                if same_ignoring_case(&out[start..end], new_title) {
                    from = end;
                    continue;
                }
            }
            if in_a_longer_name(&out, start, end) {
                from = end;
                continue;
            }
            out.replace_range(start..end, new_title);
            from = start + new_title.len();
        }
    }
    out
}

/// What the page says when a save or a paste changed the declaration to follow the title.
pub fn declaration_notice(new_title: &str) -> String {
    format!(
        "The declaration now names the new title: \u{201c}{new_title}\u{201d}. Check its wording below before you preview and publish."
    )
}

/// Whether `text[start..end]` runs into a capitalised word on either side ("Behaviour Code",
/// "Code of Conduct Policy"): then it is part of another name. A possessive before it ("Oakfield's
/// Code") and "I" after it do not count.
fn in_a_longer_name(text: &str, start: usize, end: usize) -> bool {
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let before = text[..start]
        .strip_suffix(' ')
        .and_then(|t| t.split_whitespace().next_back())
        .filter(|w| !w.ends_with(['.', ',', ';', ':', '!', '?', ')', '"', '\u{201d}']));
    let possessive = |w: &str| w.ends_with("'s") || w.ends_with("\u{2019}s") || w.ends_with("s'");
    let after = text[end..]
        .strip_prefix(' ')
        .and_then(|t| t.split_whitespace().next());
    before.is_some_and(|w| capitalised(w) && !possessive(w))
        || after.is_some_and(|w| capitalised(w) && w != "I")
}

/// The byte range of the first whole-word `title` in `text` at or after byte `from`, ignoring
/// case. Offsets are the text's own (compared a character at a time), so they always cut it
/// on a character boundary.
fn find_title(text: &str, title: &str, from: usize) -> Option<(usize, usize)> {
    let rest = text.get(from..)?;
    rest.char_indices().find_map(|(i, _)| {
        let start = from + i;
        let end = continues_with(text, start, title)?;
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let edge = |outside: Option<char>, inside: Option<char>| {
            !(outside.is_some_and(char::is_alphanumeric)
                && inside.is_some_and(char::is_alphanumeric))
        };
        (edge(before, title.chars().next()) && edge(after, title.chars().next_back()))
            .then_some((start, end))
    })
}

/// Where `text` from byte `at` reads as `words` (ignoring case; any run of white space for a
/// space), as the byte where that reading ends.
fn continues_with(text: &str, at: usize, words: &str) -> Option<usize> {
    let mut t = text.get(at..)?.char_indices().peekable();
    let mut end = 0;
    for w in words.chars() {
        let (i, c) = t.next()?;
        if !same_char(c, w) {
            return None;
        }
        end = i + c.len_utf8();
        if c.is_whitespace() {
            while let Some((j, s)) = t.peek().copied().filter(|(_, s)| s.is_whitespace()) {
                end = j + s.len_utf8();
                t.next();
            }
        }
    }
    Some(at + end)
}

/// Where `text` up to byte `at` ends with `words` (as [`continues_with`]), as the byte where
/// that reading starts.
fn starts_before(text: &str, at: usize, words: &str) -> Option<usize> {
    let head = text.get(..at)?;
    let mut start = at;
    let mut t = head.char_indices().rev().peekable();
    for w in words.chars().rev() {
        let (i, c) = t.next()?;
        if !same_char(c, w) {
            return None;
        }
        start = i;
        if c.is_whitespace() {
            while let Some((j, _)) = t.peek().copied().filter(|(_, s)| s.is_whitespace()) {
                start = j;
                t.next();
            }
        }
    }
    Some(start)
}

fn same_ignoring_case(a: &str, b: &str) -> bool {
    continues_with(a, 0, b) == Some(a.len())
}

/// One character against another, ignoring case (and any white space for any other).
fn same_char(a: char, b: char) -> bool {
    a == b || (a.is_whitespace() && b.is_whitespace()) || a.to_lowercase().eq(b.to_lowercase())
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
    fn the_declaration_follows_the_title() {
        let old = "Social Media Code of Conduct for Parents";
        let new = "Oakfield Primary School \u{2013} Code of Conduct for Parents and Carers";
        let decl = "I have read the school's social media code of conduct for parents and I agree.";
        assert_eq!(
            declaration_for_title(decl, &[old], new),
            format!("I have read the school's {new} and I agree.")
        );
        assert_eq!(declaration_for_title("I agree.", &[old], new), "I agree.");
        let already = format!("I have read the {new}.");
        assert_eq!(declaration_for_title(&already, &["Code"], new), already);
    }

    #[test]
    fn a_title_inside_the_new_one_is_not_named_twice() {
        let new = "Oakfield Primary School \u{2013} Code of Conduct for Parents and Carers";
        let decl = "I have read the Code of Conduct for Parents and Carers and I agree.";
        assert_eq!(
            declaration_for_title(decl, &["Code of Conduct"], new),
            format!("I have read the {new} and I agree.")
        );
        let already = format!("I have read the {new} and I agree.");
        assert_eq!(
            declaration_for_title(&already, &["Code of Conduct", "Code"], new),
            already
        );
    }

    #[test]
    fn only_the_whole_old_title_is_replaced() {
        let decl = "I follow the Code, the Behaviour Code and the barcode rules.";
        assert_eq!(
            declaration_for_title(decl, &["Code"], "Charter"),
            "I follow the Charter, the Behaviour Code and the barcode rules."
        );
        assert_eq!(
            declaration_for_title("I read the Codes.", &["Code"], "Charter"),
            "I read the Codes."
        );
    }

    #[test]
    fn letters_that_change_length_in_lower_case_do_not_break_the_swap() {
        let decl = "\u{130}stanbul \u{1e9e}chule: I have read the Code of Conduct.";
        assert_eq!(
            declaration_for_title(decl, &["code of conduct"], "Parents' Charter"),
            "\u{130}stanbul \u{1e9e}chule: I have read the Parents' Charter."
        );
        let decl = "I have read the \u{130}stanbul Code.";
        assert_eq!(
            declaration_for_title(decl, &["\u{130}stanbul Code"], "Charter"),
            "I have read the Charter."
        );
        assert_eq!(
            declaration_for_title("\u{130}\u{130}\u{130}, the code, \u{1e9e}", &["CODE"], "X"),
            "\u{130}\u{130}\u{130}, the X, \u{1e9e}"
        );
    }
}
