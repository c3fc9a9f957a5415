//! The status list as a CSV for Excel and the MIS: one row per carer and child (the shape an MIS
//! exports and Signoff's roster import reads), a UTF-8 byte order mark so Excel reads accents,
//! and each time twice: UK wall-clock time with its offset for people, ISO 8601 UTC for machines.

use super::{CarerStatus, Report};
use crate::clock::parse_stamp;
use crate::domain::{csv_safe, london};

/// The header row. The roster import maps the carer and pupil columns to the same fields and
/// passes over the rest (`roster::headers`), so this file can be read back in.
pub const HEADERS: [&str; 14] = [
    "Signoff ID",
    "Carer forename",
    "Carer surname",
    "Email",
    "Phone",
    "Pupil forename",
    "Pupil surname",
    "Class",
    "Year group",
    "Status",
    "Version signed",
    "Signed (UK time)",
    "Signed (UTC, ISO 8601)",
    "Method",
];

/// Excel takes a file as UTF-8 only when it starts with this.
pub const BOM: &str = "\u{feff}";

/// "2026-07-01 11:30 +01:00": London's wall clock and the offset it had then.
pub fn uk_time(stamp: &str) -> String {
    let Some(utc) = parse_stamp(stamp) else {
        return stamp.to_string();
    };
    let local = london::to_london(utc);
    let offset = local.offset();
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!(
        "{}-{:02}-{:02} {:02}:{:02} {sign}{:02}:{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute(),
        offset.whole_hours().abs(),
        offset.minutes_past_hour().abs()
    )
}

/// The CSV bytes for `carers`, a selection from `report`.
pub fn status_csv(report: &Report, carers: &[&CarerStatus]) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::with_capacity(carers.len() * 160 + 3);
    out.extend_from_slice(BOM.as_bytes());
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADERS)?;
    for c in carers {
        let r = &c.record;
        let signed_at = r.best_signed_at.clone().unwrap_or_default();
        let carer = [
            r.id.to_string(),
            r.first_name.clone(),
            r.last_name.clone(),
            r.email.clone(),
            r.phone.clone(),
        ];
        let status = [
            c.status.label().to_string(),
            r.best_signed.map(|n| n.to_string()).unwrap_or_default(),
            if signed_at.is_empty() {
                String::new()
            } else {
                uk_time(&signed_at)
            },
            signed_at,
            r.best_method.clone().unwrap_or_default(),
        ];
        let children: Vec<[String; 4]> = if c.children.is_empty() {
            vec![Default::default()]
        } else {
            c.children
                .iter()
                .map(|&p| {
                    let p = &report.pupils[p];
                    [
                        p.first_name.clone(),
                        p.last_name.clone(),
                        p.class_name.clone(),
                        p.year_group.clone(),
                    ]
                })
                .collect()
        };
        for child in &children {
            let row = carer.iter().chain(child).chain(status.iter());
            w.write_record(row.map(|s| csv_safe::cell(s)))?;
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roster::Target;
    use crate::domain::roster::headers::guess;

    #[test]
    fn times_are_uk_wall_clock_with_the_offset() {
        assert_eq!(uk_time("2026-11-21T10:05:00Z"), "2026-11-21 10:05 +00:00");
        assert_eq!(uk_time("2026-07-01T10:30:00Z"), "2026-07-01 11:30 +01:00");
        // The last Sunday of March 2027 is the 28th: BST from 01:00 UTC.
        assert_eq!(uk_time("2027-03-28T00:59:00Z"), "2027-03-28 00:59 +00:00");
        assert_eq!(uk_time("2027-03-28T01:00:00Z"), "2027-03-28 02:00 +01:00");
        assert_eq!(uk_time("not a time"), "not a time");
    }

    #[test]
    fn the_roster_import_reads_every_column_back() {
        use crate::domain::roster::columns::{CarerField, PupilField};
        let expected = [
            Target::Ignore,
            Target::Carer(1, CarerField::FirstName),
            Target::Carer(1, CarerField::LastName),
            Target::Carer(1, CarerField::Email),
            Target::Carer(1, CarerField::Phone),
            Target::Pupil(PupilField::FirstName),
            Target::Pupil(PupilField::LastName),
            Target::Pupil(PupilField::Class),
            Target::Pupil(PupilField::YearGroup),
            Target::Ignore,
            Target::Ignore,
            Target::Ignore,
            Target::Ignore,
            Target::Ignore,
        ];
        for (h, want) in HEADERS.iter().zip(expected) {
            assert_eq!(guess(h), Some(want), "{h}");
        }
    }
}
