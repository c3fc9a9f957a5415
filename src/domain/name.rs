//! People's names as typed into forms, and whether a typed signature matches a name on record.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// Longest name accepted, in characters.
pub const MAX_LEN: usize = 100;

/// A person's name: trimmed, inner whitespace collapsed, no control characters, not empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

/// Why typed text is not a usable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong,
    ControlCharacter,
    /// An invisible or direction-changing character (see [`crate::domain::text::is_format`]).
    FormatCharacter,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => f.write_str("Type your full name."),
            NameError::TooLong => write!(f, "A name can be at most {MAX_LEN} characters."),
            NameError::ControlCharacter => {
                f.write_str("The name contains a character that cannot be used. Type it again.")
            }
            NameError::FormatCharacter => f.write_str(
                "The name contains an invisible or direction-changing character, often brought in by copying and pasting. Type the name yourself instead of pasting it.",
            ),
        }
    }
}

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        if input.chars().any(|c| c.is_control()) {
            return Err(NameError::ControlCharacter);
        }
        if input.chars().any(crate::domain::text::is_format) {
            return Err(NameError::FormatCharacter);
        }
        let collapsed = crate::domain::text::single_spaced(input);
        if collapsed.is_empty() {
            return Err(NameError::Empty);
        }
        if collapsed.chars().count() > MAX_LEN {
            return Err(NameError::TooLong);
        }
        Ok(PersonName(collapsed.nfc().collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Folds a name for comparison: no accents, no case, no punctuation, single spaces.
fn fold(name: &str) -> String {
    crate::domain::text::fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a typed signature is the name on record, forgiving case, accents, punctuation and
/// spacing (a parent on a phone may type "zoe obrien" for "Zoë O'Brien").
pub fn signature_matches(typed: &str, on_record: &str) -> bool {
    let t = fold(typed);
    !t.is_empty()
        && (t == fold(on_record) || t.replace(' ', "") == fold(on_record).replace(' ', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_cleans_and_refuses() {
        assert_eq!(
            PersonName::parse("  Zoë   O'Brien ").unwrap().as_str(),
            "Zoë O'Brien"
        );
        assert_eq!(PersonName::parse("   "), Err(NameError::Empty));
        assert_eq!(
            PersonName::parse("a\u{0}b"),
            Err(NameError::ControlCharacter)
        );
        assert_eq!(PersonName::parse(&"x".repeat(101)), Err(NameError::TooLong));
        assert_eq!(PersonName::parse("王秀英").unwrap().as_str(), "王秀英");
    }

    #[test]
    fn signatures_match_forgivingly_but_not_loosely() {
        assert!(signature_matches("zoe obrien", "Zoë O'Brien"));
        assert!(signature_matches("ZOË O’BRIEN", "Zoë O'Brien"));
        assert!(signature_matches("Mary-Jane Smith", "Mary Jane Smith"));
        assert!(signature_matches("王秀英", "王秀英"));
        assert!(!signature_matches("Zoe", "Zoë O'Brien"));
        assert!(!signature_matches("John Smith", "Zoë O'Brien"));
        assert!(!signature_matches("", ""));
    }
}
