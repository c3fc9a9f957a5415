//! Turning text pasted from a Word document into a clean Markdown draft.
//!
//! A paste brings bookmark markers (`[bookmark: _Legal]`), bullets as `·`, `•` or `o` followed by a
//! tab, tab-separated metadata lines (`Approved by:<tab>The Governing Body<tab>17.7.24`), numbered
//! headings, lists whose bullets were lost, and lines repeated as they were retyped. This keeps
//! every word of the real text: it only removes markers, joins what was split and marks structure
//! (nested lists stay nested).

mod apply;
mod headings;
mod lines;
mod lists;
mod metadata;
mod structure;
#[cfg(test)]
mod tests;
mod title;

pub use apply::apply;

/// What a paste was turned into.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub title: Option<String>,
    pub body_md: String,
    pub approved_by: Option<String>,
    /// ISO dates, where the paste had one that could be read.
    pub approved_on: Option<String>,
    pub last_reviewed: Option<String>,
    pub next_review_due: Option<String>,
    /// Which of the dates were written as a month and year only (the 1st is taken).
    pub month_only: MonthOnly,
    /// What could not be read, for the headteacher to put right.
    pub notes: Vec<String>,
}

/// Dates the paste gave as a month alone ("Next review: September 2026").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthOnly {
    pub approved_on: bool,
    pub last_reviewed: bool,
    pub next_review_due: bool,
}

/// Cleans a paste into Markdown and the metadata it carried, for a draft with no title yet.
pub fn clean(paste: &str) -> Cleaned {
    clean_for(paste, "")
}

/// Cleans a paste for a draft titled `draft_title`: without a line that names the document, a
/// short first line becomes the title only when the draft has none (a paste that starts at
/// "Introduction" keeps the draft's title, and its first heading).
pub fn clean_for(paste: &str, draft_title: &str) -> Cleaned {
    let mut out = Cleaned::default();
    let text = lines::normalise(paste);
    let lines = lines::unmarked_lines(&text);
    let body = metadata::take_metadata(lines, &mut out);
    let body = title::take_title(body, &mut out, draft_title.trim().is_empty());
    let md = structure::mark_structure(&body);
    out.body_md = structure::tidy(&md);
    out
}
