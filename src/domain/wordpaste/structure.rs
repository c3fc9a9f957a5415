//! Marking the body's structure in Markdown: headings, bullets, lists introduced by a colon,
//! lines Word wrapped, and the blank lines between blocks.

use super::headings::{Surroundings, heading};
use super::lines::Line;
use super::lists::bullet_text;

/// The Markdown lines so far, and whether a list is still open (after a bullet, or a line
/// ending in a colon), so that following lines whose bullet was lost carry it on.
#[derive(Default)]
struct Draft {
    md: Vec<String>,
    in_list: bool,
}

impl Draft {
    /// A blank line before a new block, unless there is one already.
    fn end_block(&mut self) {
        if self.md.last().is_some_and(|l| !l.is_empty()) {
            self.md.push(String::new());
        }
    }

    /// A line Word wrapped (indented, or after a long line ending in a comma) carries on the
    /// line before, unless that one ended a sentence or is a heading. ("Dear Parents," is a
    /// short line of its own, not a sentence carrying on.)
    fn carry_on(&mut self, raw: &str, t: &str) -> bool {
        let wrapped = raw.starts_with(' ')
            || self
                .md
                .last()
                .is_some_and(|l| l.ends_with(',') && l.chars().count() > 40);
        let last = self.md.last_mut().filter(|l| {
            !l.is_empty() && !l.starts_with("## ") && !l.ends_with(['.', '!', '?', ':'])
        });
        match last {
            Some(last) if wrapped => {
                last.push(' ');
                last.push_str(t);
                true
            }
            _ => false,
        }
    }

    fn bullet(&mut self, item: &str) {
        let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
        if self
            .md
            .last()
            .is_some_and(|l| !l.is_empty() && !l.starts_with("- "))
        {
            self.md.push(String::new());
        }
        self.md.push(format!("- {item}"));
        self.in_list = true;
    }

    fn heading(&mut self, h: &str) {
        self.end_block();
        self.md.push(format!("## {h}"));
        self.md.push(String::new());
        self.in_list = false;
    }

    fn paragraph(&mut self, t: String) {
        self.end_block();
        self.in_list = t.ends_with(':');
        self.md.push(t);
        if self.in_list {
            self.md.push(String::new());
        }
    }
}

/// A line with its tab-separated cells and runs of spaces each made one space.
fn single_spaced(line: &str) -> String {
    let t = line
        .split('\t')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    t.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The body as Markdown lines, with blank lines between blocks (tidied by [`tidy`]).
pub(super) fn mark_structure(body: &[Line]) -> Vec<String> {
    let mut draft = Draft::default();
    let blank = |i: Option<usize>| i.and_then(|i| body.get(i)).is_none_or(Line::is_blank);
    for (i, line) in body.iter().enumerate() {
        let t = single_spaced(&line.text);
        if t.is_empty() {
            draft.in_list = false;
            draft.end_block();
            continue;
        }
        let bullet = bullet_text(line.text.trim_start());
        if bullet.is_none() && draft.carry_on(&line.text, &t) {
            continue;
        }
        if let Some(item) = bullet {
            draft.bullet(item);
            continue;
        }
        let at = Surroundings {
            bookmarked: line.bookmarked,
            prev_blank: blank(i.checked_sub(1)),
            next_blank: blank(Some(i + 1)),
            in_list: draft.in_list,
        };
        if let Some(h) = heading(&t, &at) {
            draft.heading(&h);
        } else if draft.in_list && !t.ends_with(['.', ':']) {
            draft.md.push(format!("- {t}"));
        } else {
            draft.paragraph(t);
        }
    }
    draft.md
}

/// Joins the lines with at most one blank line in a row, none at the ends and none between
/// list items, ending in a newline.
pub(super) fn tidy(md: &[String]) -> String {
    let mut tidy: Vec<&str> = Vec::new();
    for (i, l) in md.iter().enumerate() {
        if l.is_empty() {
            let prev_item = tidy.last().is_some_and(|p| p.starts_with("- "));
            let next_item = md[i + 1..]
                .iter()
                .find(|x| !x.is_empty())
                .is_some_and(|x| x.starts_with("- "));
            if tidy.last().is_none_or(|p| p.is_empty()) || (prev_item && next_item) {
                continue;
            }
        }
        tidy.push(l);
    }
    while tidy.last().is_some_and(|l| l.is_empty()) {
        tidy.pop();
    }
    let mut out = tidy.join("\n");
    out.push('\n');
    out
}
