//! Which of a carer's contact details a message can use: an email address that looks
//! deliverable, and a UK mobile number (texts cannot go to landlines).

use crate::domain::email::Email;

/// The carer's email address, if it looks deliverable.
pub fn usable_email(raw: &str) -> Option<String> {
    // A roster cell sometimes holds two addresses; the first is the carer's main one.
    let first = raw.split([';', ',']).next().unwrap_or("").trim();
    Email::parse(first).ok().map(|e| e.as_str().to_string())
}

/// The carer's mobile number in international form (`+447700900123`), if it is a UK mobile.
/// Accepts the shapes MIS exports hold: `07700 900123`, `+44 7700 900123`, `0044…`, `(07700)…`.
pub fn usable_mobile(raw: &str) -> Option<String> {
    let first = raw.split([';', ',', '/']).next().unwrap_or("").trim();
    let plus = first.starts_with('+');
    let digits: String = first.chars().filter(char::is_ascii_digit).collect();
    if first
        .chars()
        .any(|c| !(c.is_ascii_digit() || " ()-.+".contains(c)))
    {
        return None;
    }
    let national = if plus {
        digits.strip_prefix("44")?.to_string()
    } else if let Some(rest) = digits.strip_prefix("0044") {
        rest.to_string()
    } else if let Some(rest) = digits.strip_prefix('0') {
        rest.to_string()
    } else if digits.starts_with("447") && digits.len() == 12 {
        digits[2..].to_string()
    } else {
        return None;
    };
    // UK mobiles are 07xxx xxxxxx (but 070 is personal numbering and 076 mostly pagers).
    let national = national.strip_prefix('0').unwrap_or(&national).to_string();
    if national.len() == 10
        && national.starts_with('7')
        && !national.starts_with("70")
        && !national.starts_with("76")
    {
        Some(format!("+44{national}"))
    } else {
        None
    }
}

/// `j•••@example.org` / `•••• ••0123`: enough for a carer to recognise, not enough to harvest.
pub fn masked(recipient: &str) -> String {
    if let Some((local, domain)) = recipient.split_once('@') {
        let first: String = local.chars().take(1).collect();
        format!("{first}•••@{domain}")
    } else {
        let tail: String = recipient
            .chars()
            .rev()
            .take(3)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("number ending {tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_in_the_shapes_exports_hold() {
        for raw in [
            "07700 900123",
            "07700900123",
            "+44 7700 900123",
            "+44 (0)7700 900123",
            "0044 7700 900123",
            "447700900123",
            "07700-900-123",
            "07700 900123; 01632 960000",
        ] {
            assert_eq!(
                usable_mobile(raw).as_deref(),
                Some("+447700900123"),
                "{raw}"
            );
        }
        for raw in [
            "",
            "01632 960000",
            "020 7946 0000",
            "0770 090 012",
            "+33 6 12 34 56 78",
            "07700 9001234",
            "ring after 6",
            "07623 123456",
        ] {
            assert_eq!(usable_mobile(raw), None, "{raw}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            usable_email(" Amy.Greaves@Example.org ").as_deref(),
            Some("amy.greaves@example.org")
        );
        assert_eq!(
            usable_email("a@example.org; b@example.org").as_deref(),
            Some("a@example.org")
        );
        assert_eq!(usable_email("none"), None);
        assert_eq!(usable_email(""), None);
    }

    #[test]
    fn masks() {
        assert_eq!(masked("amy@example.org"), "a•••@example.org");
        assert_eq!(masked("+447700900123"), "number ending 123");
    }
}
