//! The document's title: a line at the top that names a code, a policy or an agreement
//! ("Oakfield Primary School – Code of Conduct for Parents and Carers", "Parents' Social Media
//! Code of Conduct", "HOME–SCHOOL AGREEMENT"), or failing that, for a draft without a title, a
//! short first line.

use super::Cleaned;
use super::headings::is_short_heading;
use super::lines::Line;

/// Words that say a line names the document.
const NAMES_A_DOCUMENT: &[&str] = &[
    "code of conduct",
    "code",
    "policy",
    "agreement",
    "charter",
    "guidance",
    "guidelines",
    "expectations",
    "protocol",
];

/// How many non-blank lines at the top may hold the title (a school name, a logo's caption or
/// a motto may come first).
const HEAD: usize = 6;

/// A line shaped like a title rather than a sentence.
fn title_shaped(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=20).contains(&words)
        && s.chars().count() <= 160
        && !s.ends_with(['.', ',', ';', '!', '?'])
        && s.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '\'' || c == '\u{2018}')
}

fn names_a_document(s: &str) -> bool {
    let lower = s.to_lowercase();
    NAMES_A_DOCUMENT.iter().any(|w| {
        lower.match_indices(w).any(|(i, _)| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + w.len()..].chars().next();
            before.is_none_or(|c| !c.is_alphanumeric())
                && after.is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

/// Takes the title line out of the body into `out.title`. A short first line that names no
/// document is taken only when `first_line_will_do` (the draft has no title of its own):
/// otherwise it is the paste's first heading ("Introduction"), not the document's name.
pub(super) fn take_title(
    mut body: Vec<Line>,
    out: &mut Cleaned,
    first_line_will_do: bool,
) -> Vec<Line> {
    let head: Vec<usize> = body
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_blank())
        .take(HEAD)
        .take_while(|(_, l)| title_shaped(&single_spaced(&l.text)))
        .map(|(i, _)| i)
        .collect();
    let named = head
        .iter()
        .find(|i| names_a_document(&body[**i].text))
        .copied();
    // Without a word like "code" or "policy", only a short first line that is not a heading
    // Word bookmarked (the first section, when the paste has no title).
    let first = head.first().copied().filter(|i| {
        let l = &body[*i];
        first_line_will_do && !l.bookmarked && is_short_heading(&single_spaced(&l.text))
    });
    let Some(at) = named.or(first) else {
        return body;
    };
    let line = body.remove(at);
    let written = single_spaced(&line.text);
    let title = if is_shouting(&written) {
        title_case(&written)
    } else {
        written.clone()
    };
    out.title = Some(title);
    body
}

fn single_spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// All in capitals ("PARENTS' CODE OF CONDUCT").
fn is_shouting(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).count() >= 4 && !s.chars().any(char::is_lowercase)
}

/// "PARENTS' SOCIAL MEDIA CODE OF CONDUCT" as "Parents' Social Media Code of Conduct".
pub(super) fn title_case(s: &str) -> String {
    const SMALL: &[&str] = &[
        "a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to", "with",
    ];
    s.split(' ')
        .enumerate()
        .map(|(i, word)| {
            let lower = word.to_lowercase();
            if i > 0 && SMALL.contains(&lower.as_str()) {
                return lower;
            }
            lower
                .split_inclusive(['-', '\u{2013}', '/'])
                .map(|part| {
                    let mut c = part.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect::<String>())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
