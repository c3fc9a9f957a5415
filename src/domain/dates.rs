//! Dates as people type them, and as pages show them.

use super::london;
use crate::clock::parse_stamp;

/// A date as schools type and write it: `12/09/2026`, `12.09.25`, `12 9 2026`, `2026-09-12`,
/// `12 September 2026`, `12th Sept 2026`, `Saturday 12 September 2026`. A day is needed: see
/// [`read_month`] for "September 2026". A weekday in front must be the date's own ("Friday 12
/// September 2026" is refused: [`wrong_weekday`] says why), and an impossible date (31/02/2026)
/// is none.
pub fn read_date(s: &str) -> Option<time::Date> {
    let words = tokens(s);
    let (date, used) = date_at(&words)?;
    (used == words.len()).then_some(date)
}

/// When `s` is a date with a weekday in front that is not the date's ("Friday 12 September
/// 2026"), what to tell the person who typed it.
pub fn wrong_weekday(s: &str) -> Option<String> {
    let words = tokens(s);
    let (typed, rest) = words.split_first()?;
    let typed = weekday(typed)?;
    let (date, used) = plain_date_at(rest)?;
    (used == rest.len() && date.weekday() != typed).then(|| {
        format!(
            "{} is a {}, not a {typed}.",
            london::format_date(date),
            date.weekday()
        )
    })
}

/// "fri", "friday", "Thurs" as the weekday they start.
fn weekday(word: &str) -> Option<time::Weekday> {
    if word.len() < 3 {
        return None;
    }
    let mut day = time::Weekday::Monday;
    for name in WEEKDAYS {
        if name.starts_with(word) {
            return Some(day);
        }
        day = day.next();
    }
    None
}

/// "September 2026" or "Sept 2026" as the 1st of that month (how a review month is usually
/// written), for text pasted from a document; a form field asks for the day.
pub fn read_month(s: &str) -> Option<time::Date> {
    match tokens(s).as_slice() {
        [m, y] => month_year(m, y),
        [season, term, y] if term == "term" => month_year(season, y),
        _ => None,
    }
}

/// The first date written anywhere in `s`, and whether it named a day (a month and year alone
/// is taken as the 1st).
pub fn find_date(s: &str) -> Option<(time::Date, bool)> {
    let words = tokens(s);
    for i in 0..words.len() {
        // "Friday 12 September 2026" on a Saturday: which is meant cannot be told.
        if weekday(&words[i]).is_some()
            && date_at(&words[i..]).is_none()
            && date_at(&words[i + 1..]).is_some()
        {
            return None;
        }
        if let Some((d, _)) = date_at(&words[i..]) {
            return Some((d, true));
        }
        if let [m, y, ..] = &words[i..]
            && let Some(d) = month_year(m, y)
        {
            return Some((d, false));
        }
        // "Summer term 2025".
        if let [season, term, y, ..] = &words[i..]
            && term == "term"
            && let Some(d) = month_year(season, y)
        {
            return Some((d, false));
        }
    }
    None
}

/// Words of a date, without the punctuation around them ("12th," "Sept." "(2026)").
fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| {
            w.trim_matches(|c: char| matches!(c, '(' | ')' | ';' | ':' | '.' | '\u{2019}' | '\''))
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A date at the start of `words`, and how many words it took.
fn date_at(words: &[String]) -> Option<(time::Date, usize)> {
    let named = weekday(words.first()?);
    let skip = usize::from(named.is_some());
    let (date, used) = plain_date_at(&words[skip..])?;
    named
        .is_none_or(|w| w == date.weekday())
        .then_some((date, skip + used))
}

/// A date (with no weekday) at the start of `words`, and how many words it took.
fn plain_date_at(words: &[String]) -> Option<(time::Date, usize)> {
    let first = words.first()?;
    if let Ok(d) = time::Date::parse(
        first,
        time::macros::format_description!("[year]-[month]-[day]"),
    ) {
        return Some((d, 1));
    }
    let parts: Vec<&str> = first.split(['.', '/', '-']).collect();
    if parts.len() == 3 {
        return Some((numeric(parts[0], parts[1], parts[2])?, 1));
    }
    let [day, month, year, ..] = words else {
        return None;
    };
    let day = day.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
    if month.chars().all(|c| c.is_ascii_digit()) {
        return Some((numeric(day, month, year)?, 3));
    }
    if !day.chars().all(|c| c.is_ascii_digit()) || day.is_empty() || day.len() > 2 {
        return None;
    }
    let d = calendar(year_of(year)?, month_number(month)?, day.parse().ok()?)?;
    Some((d, 3))
}

/// Day, month and year in digits; a two-digit year is this century's.
fn numeric(day: &str, month: &str, year: &str) -> Option<time::Date> {
    if [day, month]
        .iter()
        .any(|p| p.is_empty() || p.len() > 2 || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    calendar(year_of(year)?, month.parse().ok()?, day.parse().ok()?)
}

fn year_of(y: &str) -> Option<i32> {
    if !y.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match y.len() {
        2 => Some(2000 + y.parse::<i32>().ok()?),
        4 => y.parse().ok(),
        _ => None,
    }
}

fn calendar(year: i32, month: u8, day: u8) -> Option<time::Date> {
    time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

fn month_year(month: &str, year: &str) -> Option<time::Date> {
    if year.len() != 4 {
        return None;
    }
    calendar(year_of(year)?, month_number(month)?, 1)
}

/// "sep", "sept", "september" (and every other month by its first three letters or more); a
/// school term as the month it starts ("Summer 2025", a common review date, is April 2025: a
/// review due in the summer term is due from its start).
fn month_number(word: &str) -> Option<u8> {
    match word {
        "autumn" => return Some(9),
        "spring" => return Some(1),
        "summer" => return Some(4),
        _ => {}
    }
    if word.len() < 3 {
        return None;
    }
    let word = if word == "sept" { "sep" } else { word };
    MONTHS
        .iter()
        .position(|m| m.starts_with(word))
        .and_then(|i| u8::try_from(i + 1).ok())
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

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

/// [`format_stamp`] in `lang`.
pub fn format_stamp_in(lang: crate::domain::language::Lang, s: &str) -> String {
    parse_stamp(s)
        .map(|t| london::format_datetime_in(lang, t))
        .unwrap_or_else(|| s.to_string())
}

/// [`format_iso`] in `lang`.
pub fn format_iso_in(lang: crate::domain::language::Lang, s: &str) -> String {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map(|d| london::format_date_in(lang, d))
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

    #[test]
    fn a_school_term_is_read_as_the_month_it_starts() {
        use time::macros::date;
        assert_eq!(read_month("Summer 2025"), Some(date!(2025 - 04 - 01)));
        assert_eq!(read_month("Autumn term 2026"), Some(date!(2026 - 09 - 01)));
        assert_eq!(
            find_date("Next review due by: Spring 2027"),
            Some((date!(2027 - 01 - 01), false))
        );
        assert_eq!(
            find_date("Review: summer term 2025."),
            Some((date!(2025 - 04 - 01), false))
        );
        assert_eq!(find_date("a summer fair"), None);
    }

    #[test]
    fn a_weekday_must_be_the_dates_own_and_the_date_must_exist() {
        assert_eq!(
            read_date("Saturday 12 September 2026"),
            Some(date!(2026 - 09 - 12))
        );
        assert_eq!(read_date("Sat, 12/09/2026"), Some(date!(2026 - 09 - 12)));
        assert_eq!(read_date("Friday 12 September 2026"), None);
        assert_eq!(
            wrong_weekday("Friday 12 September 2026").as_deref(),
            Some("12 September 2026 is a Saturday, not a Friday.")
        );
        assert_eq!(wrong_weekday("Saturday 12 September 2026"), None);
        assert_eq!(wrong_weekday("12 September 2026"), None);
        assert_eq!(find_date("Approved on Friday 12 September 2026."), None);
        assert_eq!(
            find_date("Approved on Saturday 12 September 2026."),
            Some((date!(2026 - 09 - 12), true))
        );
        for impossible in [
            "31/02/2026",
            "29 February 2027",
            "31 April 2026",
            "2026-02-30",
        ] {
            assert_eq!(read_date(impossible), None, "{impossible}");
        }
        assert_eq!(read_date("29/2/2028"), Some(date!(2028 - 02 - 29)));
    }
}
