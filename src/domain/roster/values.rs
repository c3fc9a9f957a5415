//! Single cells: names in one cell or in capitals, UK phone numbers, yes/no, and text a
//! spreadsheet would run as a formula.

/// A cell written as `'=…` (as Signoff's own downloads and Excel write text) is read as `=…`.
pub fn unquote(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => s,
    }
}

pub fn looks_like_formula(s: &str) -> bool {
    s.len() > 1 && s.starts_with(['=', '+', '-', '@'])
}

/// Whether every letter of a name is a capital (`SMITH`), as some MIS exports write surnames.
pub fn in_capitals(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).count() > 1 && s.chars().all(|c| !c.is_lowercase())
}

/// `Surname, Forename` or `Forename Middle Surname`.
pub fn split_full_name(s: &str) -> (String, String) {
    if let Some((last, first)) = s.split_once(',') {
        return (first.trim().to_string(), last.trim().to_string());
    }
    match s.trim().rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_string(), last.trim().to_string()),
        None => (String::new(), s.trim().to_string()),
    }
}

/// How a phone number reads as a UK number.
pub enum Phone {
    Uk(String),
    /// Excel dropped the leading 0 of a mobile: read as `07…`.
    ZeroRestored(String),
    Other(String),
    Unusable,
}

pub fn read_phone(s: &str) -> Phone {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let phone_like = s
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-.".contains(c));
    if !phone_like || !(7..=16).contains(&digits.len()) {
        return Phone::Unusable;
    }
    let national = if let Some(rest) = digits
        .strip_prefix("44")
        .filter(|_| s.trim_start().starts_with('+'))
    {
        format!("0{}", rest.trim_start_matches('0'))
    } else if let Some(rest) = digits.strip_prefix("0044") {
        format!("0{}", rest.trim_start_matches('0'))
    } else {
        digits.clone()
    };
    if national.starts_with('0') && (10..=11).contains(&national.len()) {
        Phone::Uk(s.trim().to_string())
    } else if national.len() == 10 && national.starts_with('7') {
        Phone::ZeroRestored(format!("0{} {}", &national[..4], &national[4..]))
    } else {
        Phone::Other(s.trim().to_string())
    }
}

/// Yes, no, or not said.
pub fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "t" => Some(true),
        "no" | "n" | "false" | "0" | "f" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_read_as_uk_numbers_where_they_can() {
        assert!(matches!(read_phone("07700 900123"), Phone::Uk(_)));
        assert!(matches!(read_phone("+44 (0)7700 900123"), Phone::Uk(_)));
        assert!(matches!(read_phone("01632 960111"), Phone::Uk(_)));
        assert!(matches!(read_phone("7700900123"), Phone::ZeroRestored(p) if p == "07700 900123"));
        assert!(matches!(read_phone("+33 6 12 34 56 78"), Phone::Other(_)));
        assert!(matches!(read_phone("call after 6"), Phone::Unusable));
    }

    #[test]
    fn names_and_flags() {
        assert_eq!(
            split_full_name("Tan, Wei Jie"),
            ("Wei Jie".into(), "Tan".into())
        );
        assert_eq!(
            split_full_name("Mei Ling Tan"),
            ("Mei Ling".into(), "Tan".into())
        );
        assert!(in_capitals("O'BRIEN") && !in_capitals("O'Brien") && !in_capitals("A"));
        assert_eq!(
            (yes_no("Y"), yes_no("no"), yes_no("?")),
            (Some(true), Some(false), None)
        );
        assert_eq!(unquote("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unquote("'Tis"), "'Tis");
        assert!(looks_like_formula("@x") && !looks_like_formula("-"));
    }
}
