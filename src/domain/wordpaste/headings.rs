//! Which lines are headings: short capitalised lines standing alone, bookmarked lines, and
//! numbered headings (`1. Legal framework`).

fn ends_sentence(s: &str) -> bool {
    s.ends_with(['.', ',', ';', ':', '!', '?', ')', '"', '\u{201d}'])
}

/// A line short enough, and shaped like a title rather than a sentence.
pub(super) fn is_short_heading(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=8).contains(&words)
        && s.chars().count() <= 70
        && !ends_sentence(s)
        && !s.contains(':')
        && s.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// `1. Legal framework` → `Legal framework`, when the line looks like a numbered heading.
fn numbered_heading(s: &str) -> Option<&str> {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = s[digits..].strip_prefix('.').unwrap_or(&s[digits..]);
    let rest = rest.strip_prefix(char::is_whitespace)?.trim();
    is_short_heading(rest).then_some(rest)
}

/// Where a line stands: beside blank lines, bookmarked, or inside a list a colon introduced.
pub(super) struct Surroundings {
    pub bookmarked: bool,
    pub prev_blank: bool,
    pub next_blank: bool,
    pub in_list: bool,
}

/// The heading's text, when the (single-spaced) line `t` is one.
pub(super) fn heading(t: &str, at: &Surroundings) -> Option<String> {
    if let Some(h) = numbered_heading(t) {
        return (at.prev_blank || at.bookmarked).then(|| h.to_string());
    }
    let alone = at.prev_blank && at.next_blank && !at.in_list;
    (is_short_heading(t) && (at.bookmarked || alone)).then(|| t.to_string())
}
