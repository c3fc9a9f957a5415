//! Showing UTC times in Europe/London, by the IANA time-zone database (`time-tz`).
//!
//! BST (UTC+1) runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
//! of October; the rest of the year is GMT. time-tz 2's copy of the database (2022a) lists
//! every change up to 2099; later instants show as GMT.

use time::{Date, OffsetDateTime, UtcOffset};
use time_tz::{Offset, OffsetDateTimeExt, TimeZone, timezones::db::europe::LONDON};

/// The offset London uses at a UTC instant.
pub fn offset_at(utc: OffsetDateTime) -> UtcOffset {
    LONDON.get_offset_utc(&utc).to_utc()
}

/// The instant as London wall-clock time.
pub fn to_london(utc: OffsetDateTime) -> OffsetDateTime {
    utc.to_timezone(LONDON)
}

/// "21 November 2026 at 10:48 GMT" (the zone's abbreviation, so a printout is unambiguous).
pub fn format_datetime(utc: OffsetDateTime) -> String {
    let local = to_london(utc);
    format!(
        "{} {} {} at {:02}:{:02} {}",
        local.day(),
        local.month(),
        local.year(),
        local.hour(),
        local.minute(),
        LONDON.get_offset_utc(&utc).name()
    )
}

/// "21 November 2026".
pub fn format_date(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

const WELSH_MONTHS: [&str; 12] = [
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
];

/// A date as `lang` writes it: "1 September 2026", "1 Medi 2026".
pub fn format_date_in(lang: crate::domain::language::Lang, date: Date) -> String {
    match lang {
        crate::domain::language::Lang::English => format_date(date),
        crate::domain::language::Lang::Welsh => format!(
            "{} {} {}",
            date.day(),
            WELSH_MONTHS[usize::from(u8::from(date.month())) - 1],
            date.year()
        ),
    }
}

/// An instant as `lang` writes it, in UK time: "21 Tachwedd 2026 am 10:48 GMT".
pub fn format_datetime_in(lang: crate::domain::language::Lang, utc: OffsetDateTime) -> String {
    let local = to_london(utc);
    let at = match lang {
        crate::domain::language::Lang::English => "at",
        crate::domain::language::Lang::Welsh => "am",
    };
    format!(
        "{} {at} {:02}:{:02} {}",
        format_date_in(lang, local.date()),
        local.hour(),
        local.minute(),
        LONDON.get_offset_utc(&utc).name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn hours(utc: OffsetDateTime) -> i8 {
        offset_at(utc).whole_hours()
    }

    #[test]
    fn summer_time_starts_on_the_last_sunday_of_march() {
        // 2026: 29 March at 01:00 UTC (01:00 GMT becomes 02:00 BST).
        assert_eq!(hours(datetime!(2026-03-29 00:59:59 UTC)), 0);
        assert_eq!(hours(datetime!(2026-03-29 01:00:00 UTC)), 1);
        assert_eq!(
            format_datetime(datetime!(2026-03-29 00:59:00 UTC)),
            "29 March 2026 at 00:59 GMT"
        );
        assert_eq!(
            format_datetime(datetime!(2026-03-29 01:00:00 UTC)),
            "29 March 2026 at 02:00 BST"
        );
        // The Sunday before is still winter; other years move with the calendar.
        assert_eq!(hours(datetime!(2026-03-22 12:00:00 UTC)), 0);
        assert_eq!(hours(datetime!(2027-03-28 00:59:59 UTC)), 0);
        assert_eq!(hours(datetime!(2027-03-28 01:00:00 UTC)), 1);
        assert_eq!(hours(datetime!(2032-03-28 01:00:00 UTC)), 1);
    }

    #[test]
    fn summer_time_ends_on_the_last_sunday_of_october() {
        // 2026: 25 October at 01:00 UTC (02:00 BST becomes 01:00 GMT; 01:xx happens twice).
        assert_eq!(hours(datetime!(2026-10-25 00:59:59 UTC)), 1);
        assert_eq!(hours(datetime!(2026-10-25 01:00:00 UTC)), 0);
        assert_eq!(
            format_datetime(datetime!(2026-10-25 00:30:00 UTC)),
            "25 October 2026 at 01:30 BST"
        );
        assert_eq!(
            format_datetime(datetime!(2026-10-25 01:30:00 UTC)),
            "25 October 2026 at 01:30 GMT"
        );
        assert_eq!(hours(datetime!(2027-10-31 00:59:59 UTC)), 1);
        assert_eq!(hours(datetime!(2027-10-31 01:00:00 UTC)), 0);
        assert_eq!(hours(datetime!(2026-01-15 12:00:00 UTC)), 0);
    }

    #[test]
    fn the_rule_holds_in_other_years() {
        for (winter, summer) in [
            (
                datetime!(1990-01-10 12:00 UTC),
                datetime!(1990-07-10 12:00 UTC),
            ),
            (
                datetime!(2038-01-10 12:00 UTC),
                datetime!(2038-07-10 12:00 UTC),
            ),
            (
                datetime!(2099-01-10 12:00 UTC),
                datetime!(2099-07-10 12:00 UTC),
            ),
        ] {
            assert_eq!((hours(winter), hours(summer)), (0, 1), "{winter}");
        }
    }

    #[test]
    fn formats_in_london() {
        assert_eq!(
            format_datetime(datetime!(2026-07-01 23:30:00 UTC)),
            "2 July 2026 at 00:30 BST"
        );
        assert_eq!(
            format_datetime(datetime!(2026-11-21 10:48:00 UTC)),
            "21 November 2026 at 10:48 GMT"
        );
        // An instant given at another offset is the same instant.
        assert_eq!(
            format_datetime(datetime!(2026-07-01 19:30:00 -04:00)),
            "2 July 2026 at 00:30 BST"
        );
        assert_eq!(
            to_london(datetime!(2026-12-31 23:59:00 UTC)).date(),
            time::macros::date!(2026 - 12 - 31)
        );
        assert_eq!(
            format_date(time::macros::date!(2026 - 03 - 01)),
            "1 March 2026"
        );
    }
}
