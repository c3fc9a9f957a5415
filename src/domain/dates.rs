//! Dates as people type them, and as pages show them.

use super::london;
use crate::clock::parse_stamp;

/// A date as schools write it: `17.7.24`, `27/04/2022`, `2025-05-01`, `1 May 2025`.
pub fn read_date(s: &str) -> Option<time::Date> {
    let s = s.trim().trim_end_matches('.');
    if let Ok(d) = time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")) {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['.', '/', '-']).collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let day: u8 = parts[0].parse().ok()?;
        let month: u8 = parts[1].parse().ok()?;
        let mut year: i32 = parts[2].parse().ok()?;
        if parts[2].len() <= 2 {
            year += 2000;
        }
        return time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok();
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() == 3 {
        let day: u8 = words[0]
            .trim_end_matches(|c: char| c.is_alphabetic())
            .parse()
            .ok()?;
        let month = MONTHS
            .iter()
            .position(|m| words[1].to_lowercase().starts_with(&m[..3]))? as u8
            + 1;
        let year: i32 = words[2].parse().ok()?;
        return time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok();
    }
    None
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// An instant shown in UK time.
pub fn format_instant(t: time::OffsetDateTime) -> String {
    london::format_datetime(t)
}

/// A stored UTC stamp shown in UK time; anything unreadable as written.
pub fn format_stamp(s: &str) -> String {
    parse_stamp(s)
        .map(london::format_datetime)
        .unwrap_or_else(|| s.to_string())
}

/// "2026-09-01" as "1 September 2026"; anything else as written.
pub fn format_iso(s: &str) -> String {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map(london::format_date)
        .unwrap_or_else(|_| s.to_string())
}

/// Where a document stands against its next review date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Due within 30 days.
    DueIn(i64),
    /// Past the date by this many days.
    Overdue(i64),
}

/// The review rule: a notice from 30 days before the date, a warning once it has passed.
pub fn review_state(next_review_due: &str, today: time::Date) -> Option<Review> {
    let due = time::Date::parse(
        next_review_due,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()?;
    let days = (due - today).whole_days();
    if days < 0 {
        Some(Review::Overdue(-days))
    } else if days <= 30 {
        Some(Review::DueIn(days))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_review_rule() {
        assert_eq!(
            review_state("2027-01-31", date!(2027 - 01 - 01)),
            Some(Review::DueIn(30))
        );
        assert_eq!(review_state("2027-02-01", date!(2027 - 01 - 01)), None);
        assert_eq!(
            review_state("2026-12-17", date!(2027 - 01 - 01)),
            Some(Review::Overdue(15))
        );
        assert_eq!(review_state("Summer 2025", date!(2027 - 01 - 01)), None);
    }
}
