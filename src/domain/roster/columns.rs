//! What each column of a roster file holds: headers matched as schools write them, and the
//! office's own choices for a file whose headers Signoff cannot read by itself.

use sha2::{Digest, Sha256};

pub use super::headers::SKIPPED_COLUMNS;
use super::headers::{guess, words};

/// Most carers read from one row of a "one row per pupil" file (`Contact 1 …` to `Contact 4 …`).
pub const MAX_CONTACTS: u8 = 4;

/// Something about the pupil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PupilField {
    MisId,
    FirstName,
    LastName,
    FullName,
    Class,
    YearGroup,
}

/// Something about a carer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CarerField {
    MisId,
    Title,
    FirstName,
    LastName,
    FullName,
    Relationship,
    ParentalResponsibility,
    Email,
    EmailOther,
    Mobile,
    Phone,
    HouseName,
    HouseNumber,
    Street,
    Line(u8),
    Locality,
    Town,
    County,
    Postcode,
    /// Home or preferred language ("Welsh", "Cymraeg", "Polish", "cy").
    Language,
}

/// What one column of the file is taken as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Pupil(PupilField),
    /// A carer field, for carer 1 (or the only carer of a row) to [`MAX_CONTACTS`].
    Carer(u8, CarerField),
    /// Read past on purpose.
    Ignore,
}

const PUPIL_FIELDS: &[(PupilField, &str, &str)] = &[
    (
        PupilField::MisId,
        "mis_id",
        "MIS id, UPN or admission number",
    ),
    (PupilField::FirstName, "first_name", "first name"),
    (PupilField::LastName, "last_name", "last name"),
    (
        PupilField::FullName,
        "full_name",
        "full name (first and last in one cell)",
    ),
    (PupilField::Class, "class", "class or registration group"),
    (PupilField::YearGroup, "year_group", "year group"),
];

const CARER_FIELDS: &[(CarerField, &str, &str)] = &[
    (CarerField::MisId, "mis_id", "MIS id"),
    (CarerField::Title, "title", "title (Mr, Ms, Dr…)"),
    (CarerField::FirstName, "first_name", "first name"),
    (CarerField::LastName, "last_name", "last name"),
    (
        CarerField::FullName,
        "full_name",
        "full name (first and last in one cell)",
    ),
    (
        CarerField::Relationship,
        "relationship",
        "relationship to the pupil",
    ),
    (
        CarerField::ParentalResponsibility,
        "parental_responsibility",
        "parental responsibility (yes or no)",
    ),
    (CarerField::Email, "email", "email"),
    (
        CarerField::EmailOther,
        "email_other",
        "other email (used when email is empty)",
    ),
    (CarerField::Mobile, "mobile", "mobile phone"),
    (
        CarerField::Phone,
        "phone",
        "other phone (used when mobile is empty)",
    ),
    (CarerField::HouseName, "house_name", "house name"),
    (CarerField::HouseNumber, "house_number", "house number"),
    (CarerField::Street, "street", "street"),
    (CarerField::Line(1), "address_1", "address line 1"),
    (CarerField::Line(2), "address_2", "address line 2"),
    (CarerField::Line(3), "address_3", "address line 3"),
    (CarerField::Line(4), "address_4", "address line 4"),
    (CarerField::Locality, "locality", "locality or district"),
    (CarerField::Town, "town", "town or city"),
    (CarerField::County, "county", "county"),
    (CarerField::Postcode, "postcode", "postcode"),
    (
        CarerField::Language,
        "language",
        "home or preferred language",
    ),
];

impl Target {
    /// A stable name for forms and remembered mappings: `pupil.class`, `carer2.email`, `ignore`.
    pub fn key(&self) -> String {
        match self {
            Target::Ignore => "ignore".into(),
            Target::Pupil(f) => {
                let name = PUPIL_FIELDS.iter().find(|x| x.0 == *f).map_or("", |x| x.1);
                format!("pupil.{name}")
            }
            Target::Carer(n, f) => {
                let name = CARER_FIELDS.iter().find(|x| x.0 == *f).map_or("", |x| x.1);
                format!("carer{n}.{name}")
            }
        }
    }

    /// Reads a [`Target::key`] back.
    pub fn from_key(key: &str) -> Option<Target> {
        if key == "ignore" {
            return Some(Target::Ignore);
        }
        let (who, field) = key.split_once('.')?;
        if who == "pupil" {
            return PUPIL_FIELDS
                .iter()
                .find(|x| x.1 == field)
                .map(|x| Target::Pupil(x.0));
        }
        let n: u8 = who.strip_prefix("carer")?.parse().ok()?;
        if !(1..=MAX_CONTACTS).contains(&n) {
            return None;
        }
        CARER_FIELDS
            .iter()
            .find(|x| x.1 == field)
            .map(|x| Target::Carer(n, x.0))
    }

    /// How the office reads it: "Pupil: first name", "Carer 2: email".
    pub fn label(&self) -> String {
        match self {
            Target::Ignore => "Ignored".into(),
            Target::Pupil(f) => {
                let name = PUPIL_FIELDS.iter().find(|x| x.0 == *f).map_or("", |x| x.2);
                format!("Pupil: {name}")
            }
            Target::Carer(n, f) => {
                let name = CARER_FIELDS.iter().find(|x| x.0 == *f).map_or("", |x| x.2);
                if *n == 1 {
                    format!("Carer (or contact 1): {name}")
                } else {
                    format!("Contact {n}: {name}")
                }
            }
        }
    }

    /// Whether several columns may be taken as this (the first non-empty cell is used).
    fn may_repeat(&self) -> bool {
        matches!(
            self,
            Target::Ignore | Target::Carer(_, CarerField::EmailOther | CarerField::Phone)
        )
    }
}

/// Every choice the mapping step offers, grouped for a `<select>`: (group label, [(key, label)]).
pub fn choices() -> Vec<(String, Vec<(String, String)>)> {
    let mut groups = vec![(
        "Pupil".to_string(),
        PUPIL_FIELDS
            .iter()
            .map(|f| (Target::Pupil(f.0).key(), format!("Pupil: {}", f.2)))
            .collect(),
    )];
    for n in 1..=MAX_CONTACTS {
        let group = if n == 1 {
            "Carer (one per row, or contact 1)".to_string()
        } else {
            format!("Contact {n}")
        };
        groups.push((
            group,
            CARER_FIELDS
                .iter()
                .map(|f| (Target::Carer(n, f.0).key(), Target::Carer(n, f.0).label()))
                .collect(),
        ));
    }
    groups
}

/// One column of the file and what it is taken as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub target: Target,
    /// Why Signoff chose `target` when it was not obvious (shown in the preview).
    pub note: Option<String>,
}

/// What every column of a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub columns: Vec<Column>,
}

impl Mapping {
    /// Signoff's own reading of the headers, and the headers it could not place.
    pub fn guess(headers: &[String]) -> (Mapping, Vec<usize>) {
        let mut columns: Vec<Column> = Vec::new();
        let mut unknown = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let (target, mut note) = match guess(h) {
                Some(Target::Ignore) => (
                    Target::Ignore,
                    Some("not needed to ask for signatures".to_string()),
                ),
                Some(t) => (t, None),
                None => {
                    unknown.push(i);
                    (Target::Ignore, Some("not recognised".to_string()))
                }
            };
            let target = match columns.iter().find(|c| c.target == target) {
                Some(c) if !target.may_repeat() => {
                    note = Some(format!("\u{201c}{}\u{201d} already gives this", c.header));
                    Target::Ignore
                }
                _ => target,
            };
            columns.push(Column {
                header: h.clone(),
                target,
                note,
            });
        }
        (Mapping { columns }, unknown)
    }

    /// A mapping from the office's choices, one key per column; `None` if a key is not a choice.
    pub fn from_keys(headers: &[String], keys: &[String]) -> Option<Mapping> {
        if headers.len() != keys.len() {
            return None;
        }
        let columns = headers
            .iter()
            .zip(keys)
            .map(|(h, k)| {
                Target::from_key(k).map(|target| Column {
                    header: h.clone(),
                    target,
                    note: None,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Mapping { columns })
    }

    /// The keys, one line per column, as remembered for the school.
    pub fn to_text(&self) -> String {
        self.columns
            .iter()
            .map(|c| c.target.key())
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn from_text(headers: &[String], text: &str) -> Option<Mapping> {
        let keys: Vec<String> = text.lines().map(String::from).collect();
        Mapping::from_keys(headers, &keys)
    }

    pub fn has(&self, t: Target) -> bool {
        self.columns.iter().any(|c| c.target == t)
    }

    /// What stops the file being read with this mapping, in words for the office.
    pub fn gaps(&self) -> Vec<String> {
        let mut gaps = Vec::new();
        let pupil_name = self.has(Target::Pupil(PupilField::FullName))
            || (self.has(Target::Pupil(PupilField::FirstName))
                && self.has(Target::Pupil(PupilField::LastName)));
        if !pupil_name {
            gaps.push("No column gives the pupil\u{2019}s name: choose the pupil\u{2019}s first and last name columns, or one full-name column.".to_string());
        }
        if !self.has(Target::Pupil(PupilField::Class)) {
            gaps.push(
                "No column gives the pupil\u{2019}s class or registration group: choose it."
                    .to_string(),
            );
        }
        let carer_name = self.has(Target::Carer(1, CarerField::FullName))
            || (self.has(Target::Carer(1, CarerField::FirstName))
                && self.has(Target::Carer(1, CarerField::LastName)));
        if !carer_name {
            gaps.push("No column gives the carer\u{2019}s name (or contact 1\u{2019}s): choose the carer\u{2019}s first and last name columns, or one full-name column.".to_string());
        }
        for (i, c) in self.columns.iter().enumerate() {
            if c.target.may_repeat() {
                continue;
            }
            if let Some(first) = self.columns[..i].iter().find(|o| o.target == c.target) {
                gaps.push(format!(
                    "\u{201c}{}\u{201d} and \u{201c}{}\u{201d} are both taken as {}: choose one and set the other to Ignore.",
                    first.header,
                    c.header,
                    c.target.label()
                ));
            }
        }
        gaps
    }
}

/// A fingerprint of a file's headers, so a mapping chosen once applies to the next export.
pub fn signature(headers: &[String]) -> String {
    let mut h = Sha256::new();
    for header in headers {
        h.update(words(header).join(" ").as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}
