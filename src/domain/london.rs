//! Showing UTC times in Europe/London.
//!
//! The UK rule is fixed in law (Summer Time Order 2002): BST (UTC+1) runs from 01:00 UTC on the
//! last Sunday of March to 01:00 UTC on the last Sunday of October. That one rule is all this
//! product needs, so it is written here rather than shipping a whole time-zone database.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

fn last_sunday(year: i32, month: Month) -> Option<Date> {
    let mut day = Date::from_calendar_date(year, month, month.length(year)).ok()?;
    while day.weekday() != Weekday::Sunday {
        day = day.previous_day()?;
    }
    Some(day)
}

/// The offset London uses at a UTC instant.
pub fn offset_at(utc: OffsetDateTime) -> UtcOffset {
    let utc = utc.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let one = Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT);
    let start =
        last_sunday(year, Month::March).map(|d| PrimitiveDateTime::new(d, one).assume_utc());
    let end =
        last_sunday(year, Month::October).map(|d| PrimitiveDateTime::new(d, one).assume_utc());
    match (start, end) {
        (Some(s), Some(e)) if utc >= s && utc < e => {
            UtcOffset::from_hms(1, 0, 0).unwrap_or(UtcOffset::UTC)
        }
        _ => UtcOffset::UTC,
    }
}

/// The instant as London wall-clock time.
pub fn to_london(utc: OffsetDateTime) -> OffsetDateTime {
    utc.to_offset(offset_at(utc))
}

/// "21 November 2026 at 10:48" (and "GMT"/"BST" so a printout is unambiguous).
pub fn format_datetime(utc: OffsetDateTime) -> String {
    let local = to_london(utc);
    let zone = if local.offset() == UtcOffset::UTC {
        "GMT"
    } else {
        "BST"
    };
    format!(
        "{} {} {} at {:02}:{:02} {}",
        local.day(),
        local.month(),
        local.year(),
        local.hour(),
        local.minute(),
        zone
    )
}

/// "21 November 2026".
pub fn format_date(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn summer_time_boundaries() {
        // 2026: BST from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            offset_at(datetime!(2026-03-29 00:59:59 UTC)).whole_hours(),
            0
        );
        assert_eq!(
            offset_at(datetime!(2026-03-29 01:00:00 UTC)).whole_hours(),
            1
        );
        assert_eq!(
            offset_at(datetime!(2026-10-25 00:59:59 UTC)).whole_hours(),
            1
        );
        assert_eq!(
            offset_at(datetime!(2026-10-25 01:00:00 UTC)).whole_hours(),
            0
        );
        assert_eq!(
            offset_at(datetime!(2026-01-15 12:00:00 UTC)).whole_hours(),
            0
        );
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
    }
}
