//! What changed between two versions, as formatted text: both versions' canonical texts are
//! read into blocks (the title and dates, headings, paragraphs, list items at their depth, the
//! declaration), the blocks are aligned, and a block that was edited rather than rewritten is
//! compared word by word. A block added or removed whole is marked whole.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use similar::{Algorithm, ChangeTag, DiffOp, TextDiff, capture_diff_slices};

use crate::domain::dates::format_iso;
use crate::domain::text::single_spaced;

/// One run of text inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    Added(String),
    Removed(String),
}

/// What a block is, as a page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A heading, at the level the policy page gives it (`##` is 3: the page's title is 1).
    Heading(u8),
    Paragraph,
    /// A list item, 0 for the outermost list.
    Item {
        depth: usize,
        ordered: bool,
    },
    /// The title or a date line ("Next review due: 1 September 2027").
    Detail,
}

/// How a block changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
    Edited,
}

/// One block of the comparison, with its text in runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    pub change: Change,
    pub pieces: Vec<Piece>,
}

/// The differences between two versions' canonical texts (the version-number line, which
/// always differs, is left out).
pub fn versions(old: &str, new: &str) -> Vec<Block> {
    compare(&blocks(old), &blocks(new))
}

/// How many words were added and removed.
pub fn counts(blocks: &[Block]) -> (usize, usize) {
    let words = |s: &str| s.split_whitespace().count();
    blocks
        .iter()
        .flat_map(|b| &b.pieces)
        .fold((0, 0), |(a, r), p| match p {
            Piece::Added(s) => (a + words(s), r),
            Piece::Removed(s) => (a, r + words(s)),
            Piece::Same(_) => (a, r),
        })
}

/// A version's canonical text as blocks: the title and dates, the body, the declaration.
fn blocks(canonical: &str) -> Vec<(Kind, String)> {
    let text = canonical.replace("\r\n", "\n");
    let (head, rest) = text.split_once("\n\n").unwrap_or((text.as_str(), ""));
    let (body, declaration) = match rest.rfind("Declaration\n") {
        Some(at) if at == 0 || rest[..at].ends_with("\n\n") => {
            (&rest[..at], Some(&rest[at + "Declaration\n".len()..]))
        }
        _ => (rest, None),
    };
    let mut out = Vec::new();
    for (i, line) in head.lines().enumerate() {
        if i == 0 {
            out.push((Kind::Detail, format!("Title: {}", line.trim())));
        } else if !line.starts_with("Version ") {
            let shown = match line.split_once(": ") {
                Some((label, value)) => format!("{label}: {}", format_iso(value.trim())),
                None => line.to_string(),
            };
            out.push((Kind::Detail, shown));
        }
    }
    out.extend(markdown_blocks(body));
    if let Some(d) = declaration {
        out.push((Kind::Heading(2), "Declaration".into()));
        out.extend(
            d.split("\n\n")
                .map(single_spaced)
                .filter(|p| !p.is_empty())
                .map(|p| (Kind::Paragraph, p)),
        );
    }
    out
}

/// Markdown as blocks of plain text: headings, paragraphs, and list items at their depth.
fn markdown_blocks(md: &str) -> Vec<(Kind, String)> {
    let mut out = Vec::new();
    let mut lists: Vec<bool> = Vec::new();
    let mut kind = Kind::Paragraph;
    let mut text = String::new();
    let flush = |out: &mut Vec<(Kind, String)>, kind: Kind, text: &mut String| {
        let t = single_spaced(text);
        if !t.is_empty() {
            out.push((kind, t));
        }
        text.clear();
    };
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TABLES);
    for event in Parser::new_ext(md, opts) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut out, kind, &mut text);
                kind = Kind::Heading(page_level(level));
            }
            Event::Start(Tag::List(start)) => {
                flush(&mut out, kind, &mut text);
                lists.push(start.is_some());
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut out, kind, &mut text);
                lists.pop();
                // Back in the item the list was nested in, or out of lists.
                kind = match lists.last() {
                    Some(ordered) => Kind::Item {
                        depth: lists.len() - 1,
                        ordered: *ordered,
                    },
                    None => Kind::Paragraph,
                };
            }
            Event::Start(Tag::Item) => {
                flush(&mut out, kind, &mut text);
                kind = Kind::Item {
                    depth: lists.len().saturating_sub(1),
                    ordered: lists.last().copied().unwrap_or(false),
                };
            }
            Event::Start(
                Tag::Paragraph | Tag::BlockQuote(_) | Tag::CodeBlock(_) | Tag::Table(_),
            ) if lists.is_empty() => {
                flush(&mut out, kind, &mut text);
                kind = Kind::Paragraph;
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => flush(&mut out, kind, &mut text),
            Event::End(TagEnd::Heading(_)) => {
                flush(&mut out, kind, &mut text);
                kind = Kind::Paragraph;
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::TableCell) => text.push(' '),
            Event::Rule => flush(&mut out, kind, &mut text),
            _ => {}
        }
    }
    flush(&mut out, kind, &mut text);
    out
}

/// The level the policy page shows a Markdown heading at (see `markdown::render`).
fn page_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 2,
        HeadingLevel::H2 => 3,
        HeadingLevel::H3 => 4,
        HeadingLevel::H4 => 5,
        _ => 6,
    }
}

/// Aligns the two lists of blocks, and compares the pairs that were edited word by word.
fn compare(old: &[(Kind, String)], new: &[(Kind, String)]) -> Vec<Block> {
    let keys = |b: &[(Kind, String)]| -> Vec<String> {
        b.iter().map(|(k, t)| format!("{k:?}\u{0}{t}")).collect()
    };
    let (old_keys, new_keys) = (keys(old), keys(new));
    let mut out = Vec::new();
    let (mut o, mut n) = (0, 0);
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            align(&mut out, &old[o..old_index], &new[n..new_index]);
            for (kind, text) in &new[new_index..new_index + len] {
                out.push(Block {
                    kind: *kind,
                    change: Change::Same,
                    pieces: vec![Piece::Same(text.clone())],
                });
            }
            (o, n) = (old_index + len, new_index + len);
        }
    }
    align(&mut out, &old[o..], &new[n..]);
    out
}

/// A stretch of blocks that differ: each old block paired with the most alike new block of
/// the same kind (in order), the rest removed or added whole.
fn align(out: &mut Vec<Block>, old: &[(Kind, String)], new: &[(Kind, String)]) {
    let (m, n) = (old.len(), new.len());
    // Past this many pairs to weigh, a stretch is shown removed, then added; within it, a
    // block is weighed against the new blocks near its own place (edits rarely move far).
    let pairable = m * n <= 40_000;
    let near = |i: usize, j: usize| (i * n).abs_diff(j * m) <= 8 * m.max(n);
    let alike = |i: usize, j: usize| -> f32 {
        if !near(i, j) {
            return 0.0;
        }
        let same_kind = match (old[i].0, new[j].0) {
            (Kind::Item { .. }, Kind::Item { .. }) => true,
            (Kind::Detail, Kind::Detail) => {
                old[i].1.split(':').next() == new[j].1.split(':').next()
            }
            (a, b) => a == b,
        };
        let (a, b) = (
            old[i].1.split_whitespace().count(),
            new[j].1.split_whitespace().count(),
        );
        // The ratio can be no more than this; skip the comparison when it cannot reach 0.5.
        let bound = 2.0 * a.min(b) as f32 / (a + b).max(1) as f32;
        if !same_kind || bound < 0.5 {
            return 0.0;
        }
        let ratio = similarity(&old[i].1, &new[j].1);
        if ratio >= 0.5 { ratio } else { 0.0 }
    };
    let scores: Vec<Vec<f32>> = if pairable {
        (0..m)
            .map(|i| (0..n).map(|j| alike(i, j)).collect())
            .collect()
    } else {
        Vec::new()
    };
    let score = |i: usize, j: usize| scores.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0);
    // best[i][j]: the most similarity pairing old[i..] with new[j..] can reach.
    // Allocated only where blocks may pair: a stretch too long to pair is all added and removed.
    let mut best = if pairable {
        vec![vec![0f32; n + 1]; m + 1]
    } else {
        Vec::new()
    };
    let best_at = |best: &[Vec<f32>], i: usize, j: usize| {
        best.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0)
    };
    if pairable {
        for i in (0..m).rev() {
            for j in (0..n).rev() {
                let s = score(i, j);
                let pair = if s > 0.0 { s + best[i + 1][j + 1] } else { 0.0 };
                best[i][j] = pair.max(best[i + 1][j]).max(best[i][j + 1]);
            }
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < m || j < n {
        let s = if pairable && i < m && j < n {
            score(i, j)
        } else {
            0.0
        };
        if s > 0.0 && (s + best_at(&best, i + 1, j + 1) - best_at(&best, i, j)).abs() < 1e-6 {
            out.push(Block {
                kind: new[j].0,
                change: Change::Edited,
                pieces: words(&old[i].1, &new[j].1),
            });
            (i, j) = (i + 1, j + 1);
        } else if i < m
            && (j == n || (best_at(&best, i + 1, j) - best_at(&best, i, j)).abs() < 1e-6)
        {
            out.push(Block {
                kind: old[i].0,
                change: Change::Removed,
                pieces: vec![Piece::Removed(old[i].1.clone())],
            });
            i += 1;
        } else {
            out.push(Block {
                kind: new[j].0,
                change: Change::Added,
                pieces: vec![Piece::Added(new[j].1.clone())],
            });
            j += 1;
        }
    }
}

/// How alike two texts are, by their words (0 to 1).
fn similarity(a: &str, b: &str) -> f32 {
    let (a, b): (Vec<&str>, Vec<&str>) = (
        a.split_whitespace().collect(),
        b.split_whitespace().collect(),
    );
    TextDiff::from_slices(&a, &b).ratio()
}

/// Word-level differences inside one edited block.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for change in TextDiff::from_words(old, new).iter_all_changes() {
        let v = change.value().to_string();
        push(
            &mut out,
            match change.tag() {
                ChangeTag::Equal => Piece::Same(v),
                ChangeTag::Insert => Piece::Added(v),
                ChangeTag::Delete => Piece::Removed(v),
            },
        );
    }
    out
}

/// Appends a piece, merging it into the last one when they are of a kind.
fn push(out: &mut Vec<Piece>, piece: Piece) {
    match (out.last_mut(), piece) {
        (Some(Piece::Same(a)), Piece::Same(b))
        | (Some(Piece::Added(a)), Piece::Added(b))
        | (Some(Piece::Removed(a)), Piece::Removed(b)) => a.push_str(&b),
        (_, p) => {
            let empty =
                matches!(&p, Piece::Same(t) | Piece::Added(t) | Piece::Removed(t) if t.is_empty());
            if !empty {
                out.push(p);
            }
        }
    }
}

#[cfg(test)]
mod tests;
