//! The declaration parents sign, following the document's title when the headteacher changes
//! it: only where it names the whole old title, and said plainly on the page.

/// The declaration with the document's old title replaced by its new one, wherever it names
/// the document as a whole title ("I have read the school's Code of Conduct for Parents…"):
/// matched without regard to case, only between word boundaries, never inside a longer word
/// or a longer name ("Behaviour Code" is not "Code"). Where the text at a match already reads
/// as the new title (which contains the old one), or the declaration names the new title
/// already, it stays as written.
pub fn declaration_for_title(declaration: &str, old_titles: &[&str], new_title: &str) -> String {
    let new_title = new_title.trim();
    if new_title.is_empty() || find_title(declaration, new_title, 0).is_some() {
        return declaration.to_string();
    }
    let mut out = declaration.to_string();
    for old in old_titles.iter().map(|t| t.trim()) {
        if old.is_empty() || old == new_title {
            continue;
        }
        // Where the old title sits inside the new one: the words before and after it there.
        let around = find_title(new_title, old, 0).map(|(s, e)| (&new_title[..s], &new_title[e..]));
        let mut from = 0;
        while let Some((mut start, mut end)) = find_title(&out, old, from) {
            if let Some((before, after)) = around {
                if let Some(s) = starts_before(&out, start, before) {
                    start = s;
                }
                if let Some(e) = continues_with(&out, end, after) {
                    end = e;
                }
                if same_ignoring_case(&out[start..end], new_title) {
                    from = end;
                    continue;
                }
            }
            if in_a_longer_name(&out, start, end) {
                from = end;
                continue;
            }
            out.replace_range(start..end, new_title);
            from = start + new_title.len();
        }
    }
    out
}

/// What the page says when a save or a paste changed the declaration to follow the title.
pub fn declaration_notice(new_title: &str) -> String {
    format!(
        "The declaration now names the new title: \u{201c}{new_title}\u{201d}. Check its wording below before you preview and publish."
    )
}

/// Whether `text[start..end]` runs into a capitalised word on either side ("Behaviour Code",
/// "Code of Conduct Policy"): then it is part of another name. A possessive before it ("Oakfield's
/// Code") and "I" after it do not count.
fn in_a_longer_name(text: &str, start: usize, end: usize) -> bool {
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let before = text[..start]
        .strip_suffix(' ')
        .and_then(|t| t.split_whitespace().next_back())
        .filter(|w| !w.ends_with(['.', ',', ';', ':', '!', '?', ')', '"', '\u{201d}']));
    let possessive = |w: &str| w.ends_with("'s") || w.ends_with("\u{2019}s") || w.ends_with("s'");
    let after = text[end..]
        .strip_prefix(' ')
        .and_then(|t| t.split_whitespace().next());
    before.is_some_and(|w| capitalised(w) && !possessive(w))
        || after.is_some_and(|w| capitalised(w) && w != "I")
}

/// The byte range of the first whole-word `title` in `text` at or after byte `from`, ignoring
/// case. Offsets are the text's own (compared a character at a time), so they always cut it
/// on a character boundary.
fn find_title(text: &str, title: &str, from: usize) -> Option<(usize, usize)> {
    let rest = text.get(from..)?;
    rest.char_indices().find_map(|(i, _)| {
        let start = from + i;
        let end = continues_with(text, start, title)?;
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let edge = |outside: Option<char>, inside: Option<char>| {
            !(outside.is_some_and(char::is_alphanumeric)
                && inside.is_some_and(char::is_alphanumeric))
        };
        (edge(before, title.chars().next()) && edge(after, title.chars().next_back()))
            .then_some((start, end))
    })
}

/// Where `text` from byte `at` reads as `words` (ignoring case; any run of white space for a
/// space), as the byte where that reading ends.
fn continues_with(text: &str, at: usize, words: &str) -> Option<usize> {
    let mut t = text.get(at..)?.char_indices().peekable();
    let mut end = 0;
    for w in words.chars() {
        let (i, c) = t.next()?;
        if !same_char(c, w) {
            return None;
        }
        end = i + c.len_utf8();
        if c.is_whitespace() {
            while let Some((j, s)) = t.peek().copied().filter(|(_, s)| s.is_whitespace()) {
                end = j + s.len_utf8();
                t.next();
            }
        }
    }
    Some(at + end)
}

/// Where `text` up to byte `at` ends with `words` (as [`continues_with`]), as the byte where
/// that reading starts.
fn starts_before(text: &str, at: usize, words: &str) -> Option<usize> {
    let head = text.get(..at)?;
    let mut start = at;
    let mut t = head.char_indices().rev().peekable();
    for w in words.chars().rev() {
        let (i, c) = t.next()?;
        if !same_char(c, w) {
            return None;
        }
        start = i;
        if c.is_whitespace() {
            while let Some((j, _)) = t.peek().copied().filter(|(_, s)| s.is_whitespace()) {
                start = j;
                t.next();
            }
        }
    }
    Some(start)
}

fn same_ignoring_case(a: &str, b: &str) -> bool {
    continues_with(a, 0, b) == Some(a.len())
}

/// One character against another, ignoring case (and any white space for any other).
fn same_char(a: char, b: char) -> bool {
    a == b || (a.is_whitespace() && b.is_whitespace()) || a.to_lowercase().eq(b.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declaration_follows_the_title() {
        let old = "Social Media Code of Conduct for Parents";
        let new = "Oakfield Primary School \u{2013} Code of Conduct for Parents and Carers";
        let decl = "I have read the school's social media code of conduct for parents and I agree.";
        assert_eq!(
            declaration_for_title(decl, &[old], new),
            format!("I have read the school's {new} and I agree.")
        );
        assert_eq!(declaration_for_title("I agree.", &[old], new), "I agree.");
        let already = format!("I have read the {new}.");
        assert_eq!(declaration_for_title(&already, &["Code"], new), already);
    }

    #[test]
    fn a_title_inside_the_new_one_is_not_named_twice() {
        let new = "Oakfield Primary School \u{2013} Code of Conduct for Parents and Carers";
        let decl = "I have read the Code of Conduct for Parents and Carers and I agree.";
        assert_eq!(
            declaration_for_title(decl, &["Code of Conduct"], new),
            format!("I have read the {new} and I agree.")
        );
        let already = format!("I have read the {new} and I agree.");
        assert_eq!(
            declaration_for_title(&already, &["Code of Conduct", "Code"], new),
            already
        );
    }

    #[test]
    fn only_the_whole_old_title_is_replaced() {
        let decl = "I follow the Code, the Behaviour Code and the barcode rules.";
        assert_eq!(
            declaration_for_title(decl, &["Code"], "Charter"),
            "I follow the Charter, the Behaviour Code and the barcode rules."
        );
        assert_eq!(
            declaration_for_title("I read the Codes.", &["Code"], "Charter"),
            "I read the Codes."
        );
    }

    #[test]
    fn letters_that_change_length_in_lower_case_do_not_break_the_swap() {
        let decl = "\u{130}stanbul \u{1e9e}chule: I have read the Code of Conduct.";
        assert_eq!(
            declaration_for_title(decl, &["code of conduct"], "Parents' Charter"),
            "\u{130}stanbul \u{1e9e}chule: I have read the Parents' Charter."
        );
        let decl = "I have read the \u{130}stanbul Code.";
        assert_eq!(
            declaration_for_title(decl, &["\u{130}stanbul Code"], "Charter"),
            "I have read the Charter."
        );
        assert_eq!(
            declaration_for_title("\u{130}\u{130}\u{130}, the code, \u{1e9e}", &["CODE"], "X"),
            "\u{130}\u{130}\u{130}, the X, \u{1e9e}"
        );
    }
}
