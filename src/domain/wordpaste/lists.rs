//! List items as Word pastes them, and how deep each one sits.
//!
//! Word writes each level's bullet as a character: `·` or `•` at the first level, `o` at the
//! second, `▪` or `§` (a Wingdings square) at the third, sometimes `-`; numbered levels as `1.`,
//! `a)` or `(a)`, `i.`. Deeper items may also be indented with tabs or spaces. The level comes
//! from both: a marker or indentation not seen yet in the list goes one level deeper, and one
//! seen before goes back to its level.

/// The kind of marker an item had: levels are told apart by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    Dot,
    Circle,
    Square,
    Dash,
    Star,
    Decimal,
    LowerAlpha,
    UpperAlpha,
    LowerRoman,
    UpperRoman,
}

impl Marker {
    /// Whether the list is numbered (Markdown `1.`) rather than bulleted (`-`).
    pub fn ordered(self) -> bool {
        matches!(
            self,
            Marker::Decimal
                | Marker::LowerAlpha
                | Marker::UpperAlpha
                | Marker::LowerRoman
                | Marker::UpperRoman
        )
    }
}

/// One list item of the paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Item<'a> {
    pub marker: Marker,
    /// Its place in a numbered list (1 for `1.`, `a)` and `i.`).
    pub number: u32,
    /// Leading whitespace, a tab counting as four spaces.
    pub indent: usize,
    pub text: &'a str,
}

/// The item, when the line (with its leading whitespace) starts with a bullet or a number.
pub(super) fn item(line: &str) -> Option<Item<'_>> {
    let body = line.trim_start();
    let indent = line[..line.len() - body.len()]
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    let (marker, number, rest) = bullet(body).or_else(|| numbered(body))?;
    let text = rest.trim();
    (!text.is_empty()).then_some(Item {
        marker,
        number,
        indent,
        text,
    })
}

fn bullet(s: &str) -> Option<(Marker, u32, &str)> {
    let first = s.chars().next()?;
    let marker = match first {
        '·' | '•' | '\u{f0b7}' | '‣' => Marker::Dot,
        'o' | '◦' | '\u{25cb}' => Marker::Circle,
        '▪' | '■' | '§' | '\u{f0a7}' | '\u{f0a8}' => Marker::Square,
        '-' | '–' | '—' => Marker::Dash,
        '*' => Marker::Star,
        _ => return None,
    };
    let rest = &s[first.len_utf8()..];
    // A letter, a dash or a star counts only when followed by a space or tab (not "-1", "*note*"
    // or "only"); Word's own bullet characters need nothing after them.
    let spaced = rest.starts_with([' ', '\t']);
    // Word's second-level "o" comes with a tab; "o a" is text.
    if first == 'o' && !rest.starts_with('\t') {
        return None;
    }
    if matches!(
        marker,
        Marker::Dash | Marker::Star | Marker::Circle | Marker::Square
    ) && !spaced
    {
        return None;
    }
    Some((marker, 1, rest))
}

/// `1.`, `1)`, `a)`, `(a)`, `A.`, `i.`, `(iv)` followed by a space or tab.
fn numbered(s: &str) -> Option<(Marker, u32, &str)> {
    let (open, s) = match s.strip_prefix('(') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let label: &str = &s[..s.find(|c: char| !c.is_ascii_alphanumeric())?];
    let after = &s[label.len()..];
    let rest = if open {
        after.strip_prefix(')')?
    } else {
        after.strip_prefix(['.', ')'])?
    };
    if !rest.starts_with([' ', '\t']) || label.is_empty() {
        return None;
    }
    if label.chars().all(|c| c.is_ascii_digit()) {
        return (label.len() <= 2).then(|| (Marker::Decimal, label.parse().unwrap_or(1), rest));
    }
    if let Some(n) = roman(label) {
        let upper = label.chars().all(|c| c.is_ascii_uppercase());
        let marker = if upper {
            Marker::UpperRoman
        } else {
            Marker::LowerRoman
        };
        return Some((marker, n, rest));
    }
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_lowercase() => {
            Some((Marker::LowerAlpha, u32::from(c) - u32::from('a') + 1, rest))
        }
        (Some(c), None) if c.is_ascii_uppercase() => {
            Some((Marker::UpperAlpha, u32::from(c) - u32::from('A') + 1, rest))
        }
        _ => None,
    }
}

/// `i` to `xii` in one case: the numbers a sub-sub-list reaches.
fn roman(label: &str) -> Option<u32> {
    const NUMERALS: [&str; 12] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
    ];
    let same_case = label.chars().all(|c| c.is_ascii_lowercase())
        || label.chars().all(|c| c.is_ascii_uppercase());
    if !same_case {
        return None;
    }
    let lower = label.to_ascii_lowercase();
    NUMERALS
        .iter()
        .position(|n| *n == lower)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The levels seen so far in one list, outermost first.
#[derive(Debug, Default)]
pub(super) struct Levels(Vec<(usize, Marker)>);

impl Levels {
    /// The level (0 for the outermost) of the next item of the same list.
    pub fn level(&mut self, item: &Item<'_>) -> usize {
        let key = (item.indent, item.marker);
        if let Some(at) = self.0.iter().position(|k| *k == key) {
            self.0.truncate(at + 1);
            return at;
        }
        // Less indented than the deepest level: back out to the level it lines up with.
        while self.0.last().is_some_and(|(i, _)| *i > item.indent) {
            self.0.pop();
        }
        if let Some(at) = self.0.iter().position(|k| *k == key) {
            self.0.truncate(at + 1);
            return at;
        }
        // A new marker, or deeper indentation, is a level further in.
        self.0.push(key);
        self.0.len() - 1
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(lines: &[&str]) -> Vec<(usize, String)> {
        let mut l = Levels::default();
        lines
            .iter()
            .map(|line| {
                let i = item(line).unwrap_or_else(|| panic!("{line}"));
                (l.level(&i), i.text.to_string())
            })
            .collect()
    }

    #[test]
    fn word_bullet_characters_make_levels() {
        assert_eq!(
            levels(&[
                "·\tBe kind",
                "o\tin class chats",
                "▪\tand at the gate",
                "§\tand online",
                "·\tBe fair"
            ]),
            vec![
                (0, "Be kind".into()),
                (1, "in class chats".into()),
                (2, "and at the gate".into()),
                (2, "and online".into()),
                (0, "Be fair".into()),
            ]
        );
    }

    #[test]
    fn indentation_and_numbering_make_levels() {
        assert_eq!(
            levels(&[
                "1.\tArrive on time",
                "\ta)\tdoors open at 8:45",
                "\t\ti.\tuse the side gate",
                "\tb)\tcollect by 3:15",
                "2.\tSay hello"
            ])
            .into_iter()
            .map(|(l, _)| l)
            .collect::<Vec<_>>(),
            vec![0, 1, 2, 1, 0]
        );
        assert_eq!(
            levels(&["- top", "    - deeper", "  - top again? no, deeper still"])[1].0,
            1
        );
    }

    #[test]
    fn sentences_are_not_items() {
        for line in [
            "only",
            "-1 degrees",
            "*note*",
            "A school",
            "1.5 metres",
            "I agree",
            "ok then",
        ] {
            assert_eq!(item(line), None, "{line}");
        }
    }
}
