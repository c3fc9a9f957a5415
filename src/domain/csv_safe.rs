//! Cells for spreadsheets: text that Excel would run as a formula is neutralised.

/// Prefixes a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return with `'`, so
/// a spreadsheet shows it as text instead of evaluating it (OWASP's CSV injection advice).
/// Invisible and direction-changing characters are dropped, so a cell reads as what it holds.
pub fn cell(s: &str) -> String {
    let s = &*super::text::strip_format(s);
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("+44 7700 900123"), "'+44 7700 900123");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("O'Brien"), "O'Brien");
        assert_eq!(cell(""), "");
        assert_eq!(
            cell("\u{202E}=1+1"),
            "'=1+1",
            "a hidden character cannot hide a formula"
        );
    }
}
