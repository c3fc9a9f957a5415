//! Small rules about text typed into forms.

/// Lower-case, accent-free, single-spaced: how names are compared and searched.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let t: String = s
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect();
    single_spaced(&t)
}

/// Runs of spaces, tabs and line breaks made one space; no space at either end.
pub fn single_spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text from a box of several lines, as kept: Windows line ends made `\n`, blank edges trimmed.
pub fn tidy_block(s: &str) -> String {
    s.replace("\r\n", "\n").trim().to_string()
}

/// Plain text: no control characters other than line breaks and tabs.
pub fn is_plain(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// Unicode's format characters (general category Cf): invisible, and some reverse the direction
/// of the text after them (U+202E), so a name can read differently from what it holds. The two
/// joiners (U+200C, U+200D) are left alone: Persian, Indic scripts and emoji need them.
pub fn is_format(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2
        | 0x180E | 0x200B | 0x200E..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064
        | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
}

/// The text without format characters (see [`is_format`]).
pub fn strip_format(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_format) {
        s.chars()
            .filter(|c| !is_format(*c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// A URL-safe slug from a title.
pub fn slugify(title: &str) -> String {
    let mut s = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').chars().take(60).collect::<String>();
    if s.is_empty() { "document".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_direction_characters_are_format_characters() {
        for c in [
            '\u{202E}',
            '\u{200B}',
            '\u{2066}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{E0041}',
        ] {
            assert!(is_format(c), "{:04X}", c as u32);
        }
        for c in ['a', 'é', '\u{200C}', '\u{200D}', ' ', '\u{0627}'] {
            assert!(!is_format(c), "{:04X}", c as u32);
        }
        assert_eq!(strip_format("Sam\u{202E}nhoJ"), "SamnhoJ");
    }
}
