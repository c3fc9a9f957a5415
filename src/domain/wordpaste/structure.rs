//! Marking the body's structure in Markdown: headings, bullets, lists introduced by a colon,
//! lines Word wrapped, and the blank lines between blocks.

use super::headings::{Surroundings, heading};
use super::lines::Line;
use super::lists::{Item, Levels, Marker, item};

/// The Markdown lines so far, and whether a list is still open (after a bullet, or a line
/// ending in a colon), so that following lines whose bullet was lost carry it on; the open
/// list's levels, and the width of each open item's marker (what a nested item is indented by).
#[derive(Default)]
struct Draft {
    md: Vec<String>,
    in_list: bool,
    levels: Levels,
    widths: Vec<usize>,
}

/// Whether a Markdown line is a list item (`- `, `1. `, indented or not).
pub(super) fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    t.starts_with("- ") || (digits > 0 && t[digits..].starts_with(". "))
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

    /// A list item at its level, indented under the item it belongs to.
    fn bullet(&mut self, item: &Item<'_>) {
        let level = self.levels.level(item).min(self.widths.len());
        self.push_item(
            level,
            item.marker.ordered().then_some(item.number),
            item.text,
        );
    }

    fn push_item(&mut self, level: usize, number: Option<u32>, text: &str) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if self.md.last().is_some_and(|l| !l.is_empty() && !is_item(l)) {
            self.md.push(String::new());
        }
        self.widths.truncate(level);
        let indent = " ".repeat(self.widths.iter().sum());
        let marker = number.map_or_else(|| "- ".to_string(), |n| format!("{n}. "));
        self.widths.push(marker.len());
        self.md.push(format!("{indent}{marker}{text}"));
        self.in_list = true;
    }

    /// Out of any list: the next item starts a new one.
    fn end_list(&mut self) {
        self.levels.clear();
        self.widths.clear();
    }

    fn heading(&mut self, h: &str) {
        self.end_list();
        self.end_block();
        self.md.push(format!("## {h}"));
        self.md.push(String::new());
        self.in_list = false;
    }

    fn paragraph(&mut self, t: String) {
        self.end_list();
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
        let at = Surroundings {
            bookmarked: line.bookmarked,
            prev_blank: blank(i.checked_sub(1)),
            next_blank: blank(Some(i + 1)),
            in_list: draft.in_list,
        };
        let bullet = item(&line.text);
        // A numbered line standing alone ("1. Legal framework") is a heading, not a list.
        let numbered_heading = bullet
            .as_ref()
            .is_some_and(|b| b.marker == Marker::Decimal && at.prev_blank && at.next_blank);
        if bullet.is_none() && draft.carry_on(&line.text, &t) {
            continue;
        }
        if let Some(b) = bullet.as_ref().filter(|_| !numbered_heading) {
            draft.bullet(b);
            continue;
        }
        if let Some(h) = heading(&t, &at) {
            draft.heading(&h);
        } else if draft.in_list && !t.ends_with(['.', ':']) {
            draft.push_item(0, None, &t);
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
            let prev_item = tidy.last().is_some_and(|p| is_item(p));
            let next_item = md[i + 1..]
                .iter()
                .find(|x| !x.is_empty())
                .is_some_and(|x| is_item(x));
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
