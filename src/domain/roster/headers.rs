//! Reading headers as schools write them: split into words (CamelCase, digits, punctuation), then
//! matched against the names the main MIS exports and hand-made spreadsheets use.

use super::columns::{CarerField, MAX_CONTACTS, PupilField, Target};

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
    // The status list's own columns (`status::export`), so that file reads back in.
    "signoff id",
    "status",
    "version signed",
    "signed uk time",
    "signed utc iso 8601",
    "method",
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
        "language"
        | "home language"
        | "first language"
        | "preferred language"
        | "main language"
        | "spoken language"
        | "language spoken"
        | "language spoken at home"
        | "correspondence language"
        | "language of correspondence"
        | "preferred language of communication" => CarerField::Language,
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
        // The pupil's own language (a "Pupil First Language" column) is not the family's.
        if NOT_NEEDED.contains(&rest.as_str()) || carer_field(&rest) == Some(CarerField::Language) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roster::columns::{Mapping, choices, signature};

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
