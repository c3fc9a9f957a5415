//! One contact on a row: their name (from two cells or one), whether they are a carer at all, and
//! their email, phone and postal address, each checked.

use super::columns::{CarerField, Target};
use super::read::{Cells, RowReport};
use super::values::{Phone, in_capitals, read_phone, split_full_name, yes_no};
use super::{CarerIn, Severity, carer_key};
use crate::domain::email::Email;
use crate::domain::name::PersonName;

/// Contact `slot` of a row that has something in that contact's cells: the carer and their
/// relationship, or `None` (with the reason reported) when they cannot be or are not a carer.
pub(super) fn contact(
    cells: &Cells<'_>,
    slot: u8,
    report: &mut RowReport<'_>,
) -> Option<(CarerIn, String)> {
    let c = |f: CarerField| cells.value(Target::Carer(slot, f));
    let h = |fs: &[CarerField]| {
        cells.header(
            &fs.iter()
                .map(|f| Target::Carer(slot, *f))
                .collect::<Vec<_>>(),
        )
    };
    let (mut cf, mut cl) = (
        c(CarerField::FirstName).to_string(),
        c(CarerField::LastName).to_string(),
    );
    if (cf.is_empty() || cl.is_empty())
        && let Some((full, _)) = cells.get(Target::Carer(slot, CarerField::FullName))
    {
        (cf, cl) = split_full_name(full);
    }
    let who = if slot == 1 {
        "The carer".to_string()
    } else {
        format!("Contact {slot}")
    };
    let shown = format!("{cf} {cl}").trim().to_string();
    let names = [
        CarerField::FirstName,
        CarerField::LastName,
        CarerField::FullName,
    ];
    let (Ok(cfirst), Ok(clast)) = (PersonName::parse(&cf), PersonName::parse(&cl)) else {
        // What the contact's cells do hold, so the office can tell which contact this is.
        let details: Vec<&str> = cells
            .mapping
            .columns
            .iter()
            .zip(&cells.cells)
            .filter(|(col, v)| {
                matches!(col.target, Target::Carer(m, _) if m == slot) && !v.is_empty()
            })
            .map(|(_, v)| v.as_str())
            .collect();
        report.add(
            Severity::Error,
            &h(&names),
            &shown,
            &details.join(", "),
            format!("{who} has details but no full name, so this row cannot be imported. Add their first and last name, or clear that contact\u{2019}s cells."),
        );
        return None;
    };
    let (cfirst, clast) = (cfirst.to_string(), clast.to_string());
    let raw_email = c(CarerField::Email);
    let raw_email = if raw_email.is_empty() {
        c(CarerField::EmailOther)
    } else {
        raw_email
    };
    let email = match Email::parse(raw_email) {
        _ if raw_email.is_empty() => String::new(),
        Ok(e) => e.as_str().to_string(),
        Err(_) => {
            report.add(
                Severity::Warning,
                &h(&[CarerField::Email, CarerField::EmailOther]),
                &shown,
                raw_email,
                "This cannot be an email address, so it was left out. The carer is imported without one; correct it in your MIS.".into(),
            );
            String::new()
        }
    };
    let key = carer_key(
        Some(c(CarerField::MisId)).filter(|s| !s.is_empty()),
        &cfirst,
        &clast,
        &email,
    );
    if c(CarerField::ParentalResponsibility).is_empty()
        || yes_no(c(CarerField::ParentalResponsibility)) != Some(false)
    {
        // Said yes, or not said: a carer.
    } else {
        report.add(
            Severity::Warning,
            &h(&[CarerField::ParentalResponsibility]),
            &shown,
            c(CarerField::ParentalResponsibility),
            "Has no parental responsibility, so is not asked to sign and was not imported as a carer.".into(),
        );
        return None;
    }
    if in_capitals(&cfirst) || in_capitals(&clast) {
        report.add(
            Severity::Warning,
            &h(&names),
            &shown,
            &shown,
            "The carer\u{2019}s name is in capitals. It is kept as typed; letters will show it so."
                .into(),
        );
    }
    let raw_phone = c(CarerField::Mobile);
    let raw_phone = if raw_phone.is_empty() {
        c(CarerField::Phone)
    } else {
        raw_phone
    };
    let phone_col = h(&[CarerField::Mobile, CarerField::Phone]);
    let phone = match read_phone(raw_phone) {
        _ if raw_phone.is_empty() => String::new(),
        Phone::Uk(p) => p,
        Phone::ZeroRestored(p) => {
            report.add(
                Severity::Warning,
                &phone_col,
                &shown,
                raw_phone,
                format!("Looks like a mobile number that lost its leading 0 in a spreadsheet; read as {p}."),
            );
            p
        }
        Phone::Other(p) => {
            report.add(
                Severity::Warning,
                &phone_col,
                &shown,
                raw_phone,
                "Is not shaped like a UK phone number. It is kept as typed; check it in your MIS."
                    .into(),
            );
            p
        }
        Phone::Unusable => {
            report.add(
                Severity::Warning,
                &phone_col,
                &shown,
                raw_phone,
                "Is not a phone number, so it was left out. Use digits, spaces and + only, like 07700 900123.".into(),
            );
            String::new()
        }
    };
    let number_street = format!("{} {}", c(CarerField::HouseNumber), c(CarerField::Street))
        .trim()
        .to_string();
    let address = [
        c(CarerField::HouseName),
        &number_street,
        c(CarerField::Line(1)),
        c(CarerField::Line(2)),
        c(CarerField::Line(3)),
        c(CarerField::Line(4)),
        c(CarerField::Locality),
        c(CarerField::Town),
        c(CarerField::County),
    ]
    .iter()
    .map(|s| crate::domain::text::single_spaced(s))
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("\n");
    Some((
        CarerIn {
            key,
            mis_id: Some(c(CarerField::MisId).to_string()).filter(|s| !s.is_empty()),
            title: c(CarerField::Title).chars().take(20).collect(),
            first_name: cfirst,
            last_name: clast,
            email,
            phone,
            address,
            postcode: c(CarerField::Postcode)
                .to_uppercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            // A row's one language column (a household's "Home Language") serves every contact
            // on it that has none of their own.
            language: crate::domain::language::from_roster(match c(CarerField::Language) {
                "" => cells.value(Target::Carer(1, CarerField::Language)),
                own => own,
            })
            .map(String::from),
        },
        c(CarerField::Relationship).chars().take(40).collect(),
    ))
}
