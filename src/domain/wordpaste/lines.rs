//! Line-level cleaning: line endings, invisible characters, Word's bookmark markers, and lines
//! repeated as they were retyped.

/// A line of the paste without its markers, and whether it carried a bookmark (Word puts them
/// on headings).
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub text: String,
    pub bookmarked: bool,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// One kind of line ending, ordinary spaces, and no zero-width characters or soft hyphens.
pub(super) fn normalise(paste: &str) -> String {
    paste
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace(['\u{a0}', '\u{2007}', '\u{202f}'], " ")
        .replace(['\u{200b}', '\u{feff}', '\u{ad}'], "")
}

/// The lines without bookmark markers; a line retyped with more words keeps only the longest.
pub(super) fn unmarked_lines(text: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for raw in text.lines() {
        let (line, bookmarked) = strip_bookmarks(raw);
        let text = line.trim_end().to_string();
        if let Some(prev) = lines.last_mut()
            && !text.trim().is_empty()
            && (text.trim() == prev.text.trim()
                || (text.trim().starts_with(prev.text.trim()) && prev.text.trim().len() > 20))
        {
            prev.bookmarked |= bookmarked;
            prev.text = text;
            continue;
        }
        lines.push(Line { text, bookmarked });
    }
    lines
}

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
