//! Small rules about text typed into forms.

/// Plain text: no control characters other than line breaks and tabs.
pub fn is_plain(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
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
