//! Turning text pasted from a Word document into a clean Markdown draft.
//!
//! A paste brings bookmark markers (`[bookmark: _Legal]`), bullets as `·`, `•` or `o` followed by a
//! tab, tab-separated metadata lines (`Approved by:<tab>The Governing Body<tab>17.7.24`), numbered
//! headings, lists whose bullets were lost, and lines repeated as they were retyped. This keeps
//! every word of the real text: it only removes markers, joins what was split and marks structure.

mod headings;
mod lines;
mod lists;
mod metadata;
mod structure;
#[cfg(test)]
mod tests;

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
    /// What was recognised, for the headteacher to check.
    pub notes: Vec<String>,
}

/// Cleans a paste into Markdown and the metadata it carried.
pub fn clean(paste: &str) -> Cleaned {
    let mut out = Cleaned::default();
    let text = lines::normalise(paste);
    let lines = lines::unmarked_lines(&text);
    let body = metadata::take_title_and_metadata(lines, &mut out);
    let md = structure::mark_structure(&body);
    out.body_md = structure::tidy(&md);
    out
}
