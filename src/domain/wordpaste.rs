//! Turning text pasted from a Word document into a clean Markdown draft.
//!
//! A paste brings bookmark markers (`[bookmark: _Legal]`), bullets as `·`, `•` or `o` followed by a
//! tab, tab-separated metadata lines (`Approved by:<tab>The Governing Body<tab>17.7.24`), numbered
//! headings, lists whose bullets were lost, and lines repeated as they were retyped. This keeps
//! every word of the real text: it only removes markers, joins what was split and marks structure.

use super::dates::read_date;
use super::london::format_date;

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

const BULLETS: &[char] = &[
    '·', '•', '▪', '◦', '‣', '\u{f0b7}', '\u{f0a7}', '-', '*', '–',
];

fn strip_bookmarks(line: &str) -> (String, bool) {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut found = false;
    while let Some(start) = rest.find("[bookmark:") {
        out.push_str(&rest[..start]);
        match rest[start..].find(']') {
            Some(end) => {
                found = true;
                rest = &rest[start + end + 1..];
            }
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    (out, found)
}

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

fn ends_sentence(s: &str) -> bool {
    s.ends_with(['.', ',', ';', ':', '!', '?', ')', '"', '\u{201d}'])
}

fn is_short_heading(s: &str) -> bool {
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

fn bullet_text(s: &str) -> Option<&str> {
    let first = s.chars().next()?;
    if BULLETS.contains(&first) {
        let rest = s[first.len_utf8()..].trim_start();
        // "-" and "*" count only when followed by a space (not "-1" or "*note*").
        if matches!(first, '-' | '*' | '–') && !s[first.len_utf8()..].starts_with([' ', '\t']) {
            return None;
        }
        return (!rest.is_empty()).then_some(rest);
    }
    // Word's second-level bullet arrives as "o" and a tab.
    s.strip_prefix("o\t").map(str::trim_start)
}

/// Cleans a paste into Markdown and the metadata it carried.
pub fn clean(paste: &str) -> Cleaned {
    let mut out = Cleaned::default();
    let text = paste
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace(['\u{a0}', '\u{2007}', '\u{202f}'], " ")
        .replace(['\u{200b}', '\u{feff}', '\u{ad}'], "");

    // 1. Lines without markers, noting which carried a bookmark (Word puts them on headings).
    let mut lines: Vec<(String, bool)> = Vec::new();
    for raw in text.lines() {
        let (line, bookmarked) = strip_bookmarks(raw);
        let line = line.trim_end().to_string();
        // A line retyped with more words: keep only the longest.
        if let Some((prev, prev_mark)) = lines.last()
            && !line.trim().is_empty()
            && (line.trim() == prev.trim()
                || (line.trim().starts_with(prev.trim()) && prev.trim().len() > 20))
        {
            let mark = *prev_mark || bookmarked;
            lines.pop();
            lines.push((line, mark));
            continue;
        }
        lines.push((line, bookmarked));
    }

    // 2. Title and metadata.
    let mut body: Vec<(String, bool)> = Vec::new();
    for (line, mark) in lines {
        let trimmed = line.trim();
        if out.title.is_none()
            && body.iter().all(|(l, _)| l.trim().is_empty())
            && !trimmed.is_empty()
            && is_short_heading(trimmed)
            && metadata(trimmed).is_none()
            && !mark
        {
            out.title = Some(trimmed.split_whitespace().collect::<Vec<_>>().join(" "));
            out.notes.push(format!("Title: {}", trimmed));
            continue;
        }
        if let Some((field, value)) = metadata(trimmed) {
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
                    trimmed.split(':').next().unwrap_or(field).trim(),
                    match (field, date) {
                        ("approved_by", Some(d)) => format!("{named}, {}", format_date(d)),
                        ("approved_by", None) => named,
                        (_, Some(d)) => format_date(d),
                        _ => String::new(),
                    }
                ));
                continue;
            }
            // A date that could not be read ("Summer 2025") stays in the text for a person to fix.
            out.notes.push(format!(
                "Could not read a date in \u{201c}{}\u{201d}: it is left in the text.",
                trimmed.replace('\t', " ")
            ));
        }
        body.push((line, mark));
    }

    // 3. Structure: headings, bullets, lists introduced by a colon.
    let mut md: Vec<String> = Vec::new();
    let mut in_colon_list = false;
    let n = body.len();
    for i in 0..n {
        let (line, mark) = &body[i];
        let t = line
            .split('\t')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let t = t
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if t.is_empty() {
            in_colon_list = false;
            if md.last().is_some_and(|l| !l.is_empty()) {
                md.push(String::new());
            }
            continue;
        }
        // A line Word wrapped (indented, or after a comma) carries on the line before.
        // ("Dear Parents," is a short line of its own, not a sentence carrying on.)
        let wrapped = line.starts_with(' ')
            || md
                .last()
                .is_some_and(|l| l.ends_with(',') && l.chars().count() > 40);
        if wrapped
            && bullet_text(line.trim_start()).is_none()
            && let Some(last) = md.last_mut().filter(|l| {
                !l.is_empty() && !l.starts_with("## ") && !l.ends_with(['.', '!', '?', ':'])
            })
        {
            last.push(' ');
            last.push_str(&t);
            continue;
        }
        let prev_blank = i == 0 || body[i - 1].0.trim().is_empty();
        let next_blank = i + 1 >= n || body[i + 1].0.trim().is_empty();
        if let Some(item) = bullet_text(line.trim_start()) {
            let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
            if md
                .last()
                .is_some_and(|l| !l.is_empty() && !l.starts_with("- "))
            {
                md.push(String::new());
            }
            md.push(format!("- {item}"));
            // Following lines whose bullet was lost carry on the list until a sentence ends it.
            in_colon_list = true;
            continue;
        }
        let heading = if let Some(h) = numbered_heading(&t) {
            (prev_blank || *mark).then(|| h.to_string())
        } else if is_short_heading(&t) && (*mark || (prev_blank && next_blank && !in_colon_list)) {
            Some(t.clone())
        } else {
            None
        };
        if let Some(h) = heading {
            if md.last().is_some_and(|l| !l.is_empty()) {
                md.push(String::new());
            }
            md.push(format!("## {h}"));
            md.push(String::new());
            in_colon_list = false;
            continue;
        }
        if in_colon_list && !t.ends_with('.') && !t.ends_with(':') {
            md.push(format!("- {t}"));
            continue;
        }
        if md.last().is_some_and(|l| !l.is_empty()) {
            md.push(String::new());
        }
        md.push(t.clone());
        in_colon_list = t.ends_with(':');
        if in_colon_list {
            md.push(String::new());
        }
    }
    // Tidy blank lines: at most one in a row, none at the ends, none between list items.
    let mut tidy: Vec<String> = Vec::new();
    for (i, l) in md.iter().enumerate() {
        if l.is_empty() {
            let prev_item = tidy.last().is_some_and(|p: &String| p.starts_with("- "));
            let next_item = md[i + 1..]
                .iter()
                .find(|x| !x.is_empty())
                .is_some_and(|x| x.starts_with("- "));
            if tidy.last().is_none_or(|p| p.is_empty()) || (prev_item && next_item) {
                continue;
            }
        }
        tidy.push(l.clone());
    }
    while tidy.last().is_some_and(String::is_empty) {
        tidy.pop();
    }
    out.body_md = tidy.join("\n");
    out.body_md.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written for this test in the shape a Word paste arrives in.
    const MESSY: &str = "Code of Conduct for Families\r\n\r\n\r\nMeadowbank Infant School\r\n\r\n\
Approved by:\tThe Trust Board\t3.9.25\r\n\
Last reviewed on:\t12.6.24\t\r\n\
Next review due by:\tAutumn 2026\t\r\n\r\n\
[bookmark: _Purpose_1][bookmark: purpose]Purpose \r\n\
Meadowbank wants families to feel part of the school online as well as in person.\u{a0}This code explains how.\r\n\r\n\r\n\r\n\
1. Laws we follow\r\n\r\n\
This code takes account of the following:\r\n\
Data Protection Act 2018 \r\n\
UK GDPR\r\n\
Equality Act 2010\r\n\
Please also read our Complaints Policy.\r\n\
[bookmark: _Chats]Group chats\r\n\
We ask families not to do any of these:\r\n\
· Share photos of other children\r\n\
•\tSpread rumours about staff\r\n\
o\tAdd staff to family chats\r\n\
- Ask before you post,\r\n  even in a closed group\r\n\
Thank you for helping. If you have a worry, please talk\r\n\
Thank you for helping. If you have a worry, please talk to the office.\r\n\
Thank you for helping. If you have a worry, please talk to the office.\r\n";

    #[test]
    fn a_messy_paste_becomes_clean_markdown() {
        let c = clean(MESSY);
        assert_eq!(c.title.as_deref(), Some("Code of Conduct for Families"));
        assert_eq!(c.approved_by.as_deref(), Some("The Trust Board"));
        assert_eq!(c.approved_on.as_deref(), Some("2025-09-03"));
        assert_eq!(c.last_reviewed.as_deref(), Some("2024-06-12"));
        assert_eq!(c.next_review_due, None, "Autumn 2026 is not a date");
        let md = &c.body_md;
        assert!(!md.contains("bookmark"), "{md}");
        assert!(
            !md.contains('\t') && !md.contains('\r') && !md.contains('\u{a0}'),
            "{md}"
        );
        assert!(md.contains("## Purpose\n"), "{md}");
        assert!(md.contains("## Laws we follow\n"), "{md}");
        assert!(md.contains("## Group chats\n"), "{md}");
        assert!(
            md.contains("- Data Protection Act 2018\n- UK GDPR\n- Equality Act 2010\n"),
            "{md}"
        );
        assert!(md.contains("- Share photos of other children\n- Spread rumours about staff\n- Add staff to family chats\n"), "{md}");
        assert!(
            md.contains("- Ask before you post, even in a closed group\n"),
            "a wrapped line is joined: {md}"
        );
        assert!(
            md.contains("Next review due by: Autumn 2026"),
            "unread dates stay in the text: {md}"
        );
        assert_eq!(md.matches("Thank you for helping").count(), 1, "{md}");
        assert!(md.contains("please talk to the office."));
        assert!(md.contains("Meadowbank Infant School"));
        assert!(!md.contains("\n\n\n"));
        // Every word of the real text is still there.
        for word in [
            "Meadowbank",
            "person.",
            "explains",
            "Complaints",
            "rumours",
            "worry",
        ] {
            assert!(md.contains(word), "{word} lost: {md}");
        }
    }

    #[test]
    fn clean_markdown_passes_through() {
        let md = "## Rules\n\nBe kind.\n\n- one\n- two\n";
        assert_eq!(clean(md).body_md, md);
    }

    #[test]
    fn dates_as_schools_write_them() {
        use super::super::dates::read_date;
        assert_eq!(
            read_date("17.7.24").map(|d| d.to_string()).as_deref(),
            Some("2024-07-17")
        );
        assert_eq!(
            read_date("27/04/2022").map(|d| d.to_string()).as_deref(),
            Some("2022-04-27")
        );
        assert_eq!(
            read_date("1 May 2025").map(|d| d.to_string()).as_deref(),
            Some("2025-05-01")
        );
        assert_eq!(read_date("Summer 2025"), None);
        assert_eq!(read_date("31.2.25"), None);
    }
}
