//! Bullets as Word pastes them: `·`, `•`, private-use symbols, `o` and a tab, or a dash.

const BULLETS: &[char] = &[
    '·', '•', '▪', '◦', '‣', '\u{f0b7}', '\u{f0a7}', '-', '*', '–',
];

/// The item's text when the line starts with a bullet.
pub(super) fn bullet_text(s: &str) -> Option<&str> {
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
