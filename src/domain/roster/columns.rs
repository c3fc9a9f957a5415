//! What each column of a roster file holds: headers matched as schools write them, and the
//! office's own choices for a file whose headers Signoff cannot read by itself.

use sha2::{Digest, Sha256};

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

/// A header split into lower-case words: `PupilForename` → `pupil forename`,
/// `Contact1 E-mail` → `contact 1 e mail`, `Address_Line_2` → `address line 2`.
pub fn words(header: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = header
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            continue;
        }
        if !word.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_alphabetic() != c.is_alphabetic())
                || (prev.is_uppercase() && c.is_uppercase() && next_lower);
            if boundary {
                out.push(std::mem::take(&mut word));
            }
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    // "E-mail" and "Post Code" are one word each to the people who type them.
    let mut joined: Vec<String> = Vec::new();
    for w in out {
        match (joined.last().map(String::as_str), w.as_str()) {
            (Some("e"), "mail") => *joined.last_mut().expect("last") = "email".into(),
            (Some("post"), "code") => *joined.last_mut().expect("last") = "postcode".into(),
            (Some("sur"), "name") => *joined.last_mut().expect("last") = "surname".into(),
            (Some("fore"), "name") => *joined.last_mut().expect("last") = "forename".into(),
            _ => joined.push(w),
        }
    }
    joined
}

const PUPIL_WORDS: &[&str] = &["pupil", "pupils", "student", "child", "learner", "childs"];
const CARER_WORDS: &[&str] = &[
    "carer", "contact", "parent", "guardian", "parents", "carers", "contacts", "adult",
];

/// The two columns Signoff adds to a download of skipped rows (read back as "ignore").
pub const SKIPPED_COLUMNS: [&str; 2] = ["Row in the uploaded file", "Why it was skipped"];

/// Headers that are plainly not for Signoff: taken as "ignore" without asking.
const NOT_NEEDED: &[&str] = &[
    "dob",
    "date of birth",
    "birth date",
    "gender",
    "sex",
    "age",
    "admission date",
    "date of admission",
    "entry date",
    "enrolment status",
    "ethnicity",
    "sen",
    "sen status",
    "fsm",
    "fsm eligible",
    "pupil premium",
    "eal",
    "first language",
    "home language",
    "language",
    "nationality",
    "house",
    "boarder",
    "priority",
    "contact priority",
    "order",
    "contact order",
    "responsible",
    "lives with pupil",
    "lives with",
    "court order",
    "photo consent",
    "notes",
    "comments",
    "row in the uploaded file",
    "why it was skipped",
];

/// The field that words name, without any pupil/carer prefix.
fn pupil_field(rest: &str) -> Option<PupilField> {
    Some(match rest {
        "upn"
        | "mis id"
        | "id"
        | "admission number"
        | "adno"
        | "adm no"
        | "admission no"
        | "unique pupil number"
        | "pupil number"
        | "number"
        | "mis"
        | "reference" => PupilField::MisId,
        "forename" | "first name" | "legal forename" | "preferred forename" | "given name"
        | "firstname" | "known as" | "preferred name" | "chosen forename" => PupilField::FirstName,
        "surname" | "last name" | "family name" | "legal surname" | "preferred surname"
        | "lastname" => PupilField::LastName,
        "name" | "full name" | "fullname" | "pupil name" | "student name" => PupilField::FullName,
        "class" | "class name" | "reg group" | "registration group" | "reg" | "form"
        | "form group" | "tutor group" | "tutor" | "form class" | "registration" | "reg class"
        | "group" => PupilField::Class,
        "year"
        | "year group"
        | "nc year"
        | "ncy"
        | "national curriculum year"
        | "curriculum year"
        | "year of education" => PupilField::YearGroup,
        _ => return None,
    })
}

fn carer_field(rest: &str) -> Option<CarerField> {
    let line = |s: &str| -> Option<u8> {
        let n = s
            .strip_prefix("address line ")
            .or_else(|| s.strip_prefix("address "))
            .or_else(|| s.strip_prefix("line "))?;
        n.parse().ok().filter(|n| (1..=4).contains(n))
    };
    if let Some(n) = line(rest) {
        return Some(CarerField::Line(n));
    }
    Some(match rest {
        "id" | "mis id" | "person id" | "contact id" | "reference" => CarerField::MisId,
        "title" | "salutation" | "honorific" => CarerField::Title,
        "forename" | "first name" | "legal forename" | "preferred forename" | "given name"
        | "firstname" | "known as" => CarerField::FirstName,
        "surname" | "last name" | "family name" | "legal surname" | "lastname" => {
            CarerField::LastName
        }
        "name" | "full name" | "fullname" => CarerField::FullName,
        "relationship"
        | "relation"
        | "relationship to pupil"
        | "relationship to child"
        | "relationship to student"
        | "relationship type"
        | "rel" => CarerField::Relationship,
        "parental responsibility" | "has parental responsibility" | "pr" => {
            CarerField::ParentalResponsibility
        }
        "email" | "email address" | "primary email" | "main email" | "preferred email" => {
            CarerField::Email
        }
        "home email" | "work email" | "other email" | "secondary email" | "personal email"
        | "alternative email" | "email 2" => CarerField::EmailOther,
        "mobile" | "mobile phone" | "mobile number" | "mobile telephone" | "mobile tel"
        | "mobile no" | "cell" | "cell phone" | "sms" | "sms number" | "primary mobile" => {
            CarerField::Mobile
        }
        "phone" | "telephone" | "tel" | "phone number" | "telephone number" | "home phone"
        | "home telephone" | "home tel" | "work phone" | "work telephone" | "work tel"
        | "daytime phone" | "daytime telephone" | "landline" | "primary phone"
        | "primary telephone" => CarerField::Phone,
        "address" | "address line" | "address 0" | "home address" => CarerField::Line(1),
        "house name" | "building" | "building name" => CarerField::HouseName,
        "house number"
        | "house no"
        | "house num"
        | "number"
        | "no"
        | "house name number"
        | "house name or number" => CarerField::HouseNumber,
        "street" | "street name" | "road" => CarerField::Street,
        "locality" | "district" | "village" | "area" => CarerField::Locality,
        "town" | "city" | "post town" | "town city" | "town or city" => CarerField::Town,
        "county" | "region" => CarerField::County,
        "postcode" | "zip" | "post code" | "zip code" => CarerField::Postcode,
        _ => return None,
    })
}

/// What a header names, if Signoff can tell by itself.
pub fn guess(header: &str) -> Option<Target> {
    let w = words(header);
    let all = w.join(" ");
    if all.is_empty() {
        return None;
    }
    if NOT_NEEDED.contains(&all.as_str()) {
        return Some(Target::Ignore);
    }
    let first = w[0].as_str();
    if PUPIL_WORDS.contains(&first) {
        let rest = w[1..].join(" ");
        if rest.is_empty() {
            return Some(Target::Pupil(PupilField::FullName));
        }
        if NOT_NEEDED.contains(&rest.as_str()) {
            return Some(Target::Ignore);
        }
        return pupil_field(&rest).map(Target::Pupil);
    }
    // "Primary Contact Email", "Parent/Carer 2 Forename", "Contact1Surname", "Carer Email 2".
    let skip_primary = usize::from(first == "primary" || first == "main");
    let lead = w.get(skip_primary).map(String::as_str).unwrap_or("");
    if CARER_WORDS.contains(&lead) {
        let mut rest: Vec<&str> = w[skip_primary + 1..].iter().map(String::as_str).collect();
        while rest.first().is_some_and(|x| CARER_WORDS.contains(x)) {
            rest.remove(0);
        }
        let mut slot = 1u8;
        if let Some(n) = rest.first().and_then(|x| x.parse::<u8>().ok()) {
            slot = n;
            rest.remove(0);
        } else if rest.len() >= 2
            && let Some(n) = rest.last().and_then(|x| x.parse::<u8>().ok())
            && !matches!(rest[rest.len() - 2], "address" | "line")
        {
            slot = n;
            rest.pop();
        }
        if !(1..=MAX_CONTACTS).contains(&slot) {
            return None;
        }
        let rest = rest.join(" ");
        if rest.is_empty() {
            return Some(Target::Carer(slot, CarerField::FullName));
        }
        if NOT_NEEDED.contains(&rest.as_str()) {
            return Some(Target::Ignore);
        }
        return carer_field(&rest).map(|f| Target::Carer(slot, f));
    }
    // No prefix: names, class and year are the pupil's; contact details are the carer's.
    if let Some(f) = pupil_field(&all).filter(|f| *f != PupilField::MisId || all != "number") {
        return Some(Target::Pupil(f));
    }
    carer_field(&all)
        .filter(|f| !matches!(f, CarerField::MisId))
        .map(|f| Target::Carer(1, f))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: &str) -> Option<Target> {
        guess(h)
    }

    #[test]
    fn headers_split_as_people_write_them() {
        assert_eq!(words("PupilForename"), ["pupil", "forename"]);
        assert_eq!(words("Contact1Email"), ["contact", "1", "email"]);
        assert_eq!(words("Address_Line_2"), ["address", "line", "2"]);
        assert_eq!(words(" Post-Code "), ["postcode"]);
        assert_eq!(words("UPNNumber"), ["upn", "number"]);
        assert_eq!(words("E-mail Address"), ["email", "address"]);
    }

    #[test]
    fn mis_headers_are_recognised() {
        use CarerField as C;
        use PupilField as P;
        let cases = [
            ("PupilForename", Target::Pupil(P::FirstName)),
            ("Legal Surname", Target::Pupil(P::LastName)),
            ("RegGroup", Target::Pupil(P::Class)),
            ("Reg Group", Target::Pupil(P::Class)),
            ("NC Year", Target::Pupil(P::YearGroup)),
            ("UPN", Target::Pupil(P::MisId)),
            ("Adno", Target::Pupil(P::MisId)),
            ("Pupil Name", Target::Pupil(P::FullName)),
            ("ContactForename", Target::Carer(1, C::FirstName)),
            ("ContactRelationship", Target::Carer(1, C::Relationship)),
            ("PrimaryEmail", Target::Carer(1, C::Email)),
            ("MobilePhone", Target::Carer(1, C::Mobile)),
            ("Home Telephone", Target::Carer(1, C::Phone)),
            ("Address1", Target::Carer(1, C::Line(1))),
            ("Address 3", Target::Carer(1, C::Line(3))),
            ("Town", Target::Carer(1, C::Town)),
            ("County", Target::Carer(1, C::County)),
            ("Post Code", Target::Carer(1, C::Postcode)),
            ("Contact 2 Forename", Target::Carer(2, C::FirstName)),
            ("Contact 3 Email", Target::Carer(3, C::Email)),
            ("Contact3Email", Target::Carer(3, C::Email)),
            ("Parent/Carer 2 Mobile", Target::Carer(2, C::Mobile)),
            ("Carer 2 Address Line 1", Target::Carer(2, C::Line(1))),
            ("Primary Contact Surname", Target::Carer(1, C::LastName)),
            ("Contact Title", Target::Carer(1, C::Title)),
            (
                "Parental Responsibility",
                Target::Carer(1, C::ParentalResponsibility),
            ),
            ("pupil_first_name", Target::Pupil(P::FirstName)),
            ("carer2_last_name", Target::Carer(2, C::LastName)),
            ("Date of Birth", Target::Ignore),
            ("Contact Priority", Target::Ignore),
        ];
        for (h, want) in cases {
            assert_eq!(t(h), Some(want), "{h}");
        }
        assert_eq!(t("Favourite Colour"), None);
        assert_eq!(t("Contact 9 Email"), None);
    }

    #[test]
    fn a_second_column_for_the_same_thing_is_ignored_with_a_reason() {
        let headers: Vec<String> = ["Forename", "Preferred Forename", "Surname", "Shoe size"]
            .map(String::from)
            .to_vec();
        let (m, unknown) = Mapping::guess(&headers);
        assert_eq!(m.columns[1].target, Target::Ignore);
        assert!(
            m.columns[1]
                .note
                .as_deref()
                .unwrap_or("")
                .contains("Forename")
        );
        assert_eq!(unknown, vec![3]);
    }

    #[test]
    fn keys_round_trip_and_gaps_are_explained() {
        for (_, group) in choices() {
            for (key, _) in group {
                assert_eq!(Target::from_key(&key).map(|t| t.key()), Some(key));
            }
        }
        let headers: Vec<String> = ["A", "B"].map(String::from).to_vec();
        let m = Mapping::from_keys(
            &headers,
            &["pupil.full_name".into(), "pupil.full_name".into()],
        )
        .unwrap();
        let gaps = m.gaps();
        assert!(gaps.iter().any(|g| g.contains("class")));
        assert!(gaps.iter().any(|g| g.contains("both taken")));
        assert!(Mapping::from_keys(&headers, &["pupil.nope".into(), "ignore".into()]).is_none());
        assert_eq!(
            signature(&["Forename".into()]),
            signature(&[" forename ".into()])
        );
    }
}
