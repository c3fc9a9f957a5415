//! Reading a roster file's rows with a [`Mapping`]: pupils, carers and the links between them,
//! and every problem named by row, column header, pupil, carer and value.
//!
//! Errors keep a row out of the import; warnings let it in with the doubtful part left out or
//! kept as typed. A pupil or carer named on a row kept out is held: neither changed nor marked
//! as left, so one bad row never makes a pupil a leaver.

use std::collections::{HashMap, HashSet};

use super::columns::{CarerField, MAX_CONTACTS, Mapping, PupilField, Target};
use super::table::Table;
use super::{CarerIn, LinkIn, Parsed, Problem, PupilIn, Severity, carer_key, pupil_key};
use crate::domain::email::Email;
use crate::domain::name::PersonName;

/// A row's cells as the mapping reads them: whitespace (line breaks too) collapsed, and a cell
/// written as `'=…` read as `=…`.
struct Cells<'a> {
    cells: Vec<String>,
    mapping: &'a Mapping,
}

impl Cells<'_> {
    /// The first non-empty cell taken as `t`, with its column header.
    fn get(&self, t: Target) -> Option<(&str, &str)> {
        self.mapping
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.target == t)
            .find_map(|(i, c)| {
                let v = self.cells.get(i).map(String::as_str).unwrap_or("");
                (!v.is_empty()).then_some((v, c.header.as_str()))
            })
    }

    fn value(&self, t: Target) -> &str {
        self.get(t).map_or("", |x| x.0)
    }

    /// The header of the first column taken as any of `ts` (for naming a missing value).
    fn header(&self, ts: &[Target]) -> String {
        self.mapping
            .columns
            .iter()
            .find(|c| ts.contains(&c.target))
            .map(|c| c.header.clone())
            .unwrap_or_default()
    }
}

/// A cell written as `'=…` (as Signoff's own downloads and Excel write text) is read as `=…`.
fn unquote(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => s,
    }
}

fn looks_like_formula(s: &str) -> bool {
    s.len() > 1 && s.starts_with(['=', '+', '-', '@'])
}

/// Whether every letter of a name is a capital (`SMITH`), as some MIS exports write surnames.
fn in_capitals(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).count() > 1 && s.chars().all(|c| !c.is_lowercase())
}

/// `Surname, Forename` or `Forename Middle Surname`.
fn split_full_name(s: &str) -> (String, String) {
    if let Some((last, first)) = s.split_once(',') {
        return (first.trim().to_string(), last.trim().to_string());
    }
    match s.trim().rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_string(), last.trim().to_string()),
        None => (String::new(), s.trim().to_string()),
    }
}

/// How a phone number reads as a UK number.
enum Phone {
    Uk(String),
    /// Excel dropped the leading 0 of a mobile: read as `07…`.
    ZeroRestored(String),
    Other(String),
    Unusable,
}

fn read_phone(s: &str) -> Phone {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let phone_like = s
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-.".contains(c));
    if !phone_like || !(7..=16).contains(&digits.len()) {
        return Phone::Unusable;
    }
    let national = if let Some(rest) = digits
        .strip_prefix("44")
        .filter(|_| s.trim_start().starts_with('+'))
    {
        format!("0{rest}")
    } else if let Some(rest) = digits.strip_prefix("0044") {
        format!("0{rest}")
    } else {
        digits.clone()
    };
    if national.starts_with('0') && (10..=11).contains(&national.len()) {
        Phone::Uk(s.trim().to_string())
    } else if national.len() == 10 && national.starts_with('7') {
        Phone::ZeroRestored(format!("0{} {}", &national[..4], &national[4..]))
    } else {
        Phone::Other(s.trim().to_string())
    }
}

/// Yes, no, or not said.
fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "t" => Some(true),
        "no" | "n" | "false" | "0" | "f" => Some(false),
        _ => None,
    }
}

struct RowReport<'a> {
    row: usize,
    pupil: String,
    problems: &'a mut Vec<Problem>,
    errors: Vec<String>,
}

impl RowReport<'_> {
    fn add(&mut self, severity: Severity, column: &str, carer: &str, value: &str, message: String) {
        if severity == Severity::Error {
            self.errors.push(message.clone());
        }
        self.problems.push(Problem {
            row: self.row,
            column: column.to_string(),
            pupil: self.pupil.clone(),
            carer: carer.to_string(),
            value: value.chars().take(80).collect(),
            message,
            severity,
        });
    }
}

/// Reads every row of `table` with `mapping` (whose [`Mapping::gaps`] must be empty).
pub fn read(table: &Table, mapping: &Mapping) -> Parsed {
    let mut out = Parsed::default();
    let mut seen_rows: HashMap<&[String], usize> = HashMap::new();
    let mut pupils: HashMap<String, (usize, usize)> = HashMap::new(); // key → (row, index)
    let mut carers: HashMap<String, usize> = HashMap::new();
    let mut links: HashSet<(String, String)> = HashSet::new();
    let slots: Vec<u8> = (1..=MAX_CONTACTS)
        .filter(|n| {
            mapping
                .columns
                .iter()
                .any(|c| matches!(c.target, Target::Carer(m, _) if m == *n))
        })
        .collect();
    for (index, row) in table.rows.iter().enumerate() {
        out.rows += 1;
        let cells = Cells {
            cells: row
                .cells
                .iter()
                .map(|c| unquote(c).split_whitespace().collect::<Vec<_>>().join(" "))
                .collect(),
            mapping,
        };
        let pupil_first = cells.value(Target::Pupil(PupilField::FirstName));
        let pupil_last = cells.value(Target::Pupil(PupilField::LastName));
        let (pupil_first, pupil_last) = match cells.get(Target::Pupil(PupilField::FullName)) {
            Some((full, _)) if pupil_first.is_empty() || pupil_last.is_empty() => {
                split_full_name(full)
            }
            _ => (pupil_first.to_string(), pupil_last.to_string()),
        };
        let shown = format!("{pupil_first} {pupil_last}").trim().to_string();
        let mut report = RowReport {
            row: row.number,
            pupil: shown,
            problems: &mut out.problems,
            errors: Vec::new(),
        };
        if let Some(first) = seen_rows.get(row.cells.as_slice()) {
            report.add(
                Severity::Warning,
                "",
                "",
                "",
                format!("This row is the same as row {first}, so it was read once. Remove the copy from the file if it should not be there."),
            );
            continue;
        }
        seen_rows.insert(row.cells.as_slice(), row.number);
        for (i, c) in mapping.columns.iter().enumerate() {
            let raw = cells.cells.get(i).map(String::as_str).unwrap_or("");
            let phone = matches!(
                c.target,
                Target::Carer(_, CarerField::Mobile | CarerField::Phone)
            );
            let phone_number = phone && !matches!(read_phone(raw), Phone::Unusable);
            if c.target != Target::Ignore && looks_like_formula(raw) && !phone_number {
                report.add(
                    Severity::Warning,
                    &c.header,
                    "",
                    raw,
                    format!("Begins with \u{201c}{}\u{201d}, which a spreadsheet would run as a formula. It is kept as plain text and never run; check the cell in your MIS.", &raw[..1]),
                );
            }
        }
        let name_columns = [
            Target::Pupil(PupilField::FirstName),
            Target::Pupil(PupilField::LastName),
            Target::Pupil(PupilField::FullName),
        ];
        let first = PersonName::parse(&pupil_first).ok();
        let last = PersonName::parse(&pupil_last).ok();
        if first.is_none() || last.is_none() {
            let which = if first.is_none() && last.is_none() {
                "first and last name"
            } else if first.is_none() {
                "first name"
            } else {
                "last name"
            };
            report.add(
                Severity::Error,
                &cells.header(&name_columns),
                "",
                &format!("{pupil_first} {pupil_last}"),
                format!("The pupil has no {which}, so this row cannot be imported. Fill it in and import the skipped rows again."),
            );
        }
        for n in [&first, &last].into_iter().flatten() {
            if in_capitals(n.as_str()) {
                report.add(
                    Severity::Warning,
                    &cells.header(&name_columns),
                    "",
                    n.as_str(),
                    "The pupil\u{2019}s name is in capitals. It is kept as typed; letters and pages will show it so.".into(),
                );
                break;
            }
        }
        let class_col = cells.header(&[Target::Pupil(PupilField::Class)]);
        let mut class = cells.value(Target::Pupil(PupilField::Class)).to_string();
        if class.is_empty() {
            report.add(
                Severity::Warning,
                &class_col,
                "",
                "",
                "No class. The pupil is imported without one (a pupil already on the roster keeps their class); add the registration group in your MIS.".into(),
            );
        } else if class.chars().count() > 40 || class.chars().any(char::is_control) {
            report.add(
                Severity::Warning,
                &class_col,
                "",
                &class,
                "A class can be at most 40 characters of plain text, so this one was left out."
                    .into(),
            );
            class.clear();
        }
        let year: String = cells
            .value(Target::Pupil(PupilField::YearGroup))
            .chars()
            .take(40)
            .collect();
        let mis = Some(cells.value(Target::Pupil(PupilField::MisId)).to_string())
            .filter(|s| !s.is_empty());

        let mut row_carers: Vec<(CarerIn, String)> = Vec::new();
        let mut held_carers = Vec::new();
        let mut any_contact = false;
        for &slot in &slots {
            let c = |f: CarerField| cells.value(Target::Carer(slot, f));
            let h = |fs: &[CarerField]| {
                cells.header(
                    &fs.iter()
                        .map(|f| Target::Carer(slot, *f))
                        .collect::<Vec<_>>(),
                )
            };
            let any = mapping.columns.iter().enumerate().any(|(i, col)| {
                matches!(col.target, Target::Carer(m, _) if m == slot)
                    && row.cells.get(i).is_some_and(|v| !v.is_empty())
            });
            if !any {
                continue;
            }
            any_contact = true;
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
                report.add(
                    Severity::Error,
                    &h(&names),
                    &shown,
                    &shown,
                    format!("{who} has details but no full name, so this row cannot be imported. Add their first and last name, or clear that contact\u{2019}s cells."),
                );
                continue;
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
                continue;
            }
            if in_capitals(&cfirst) || in_capitals(&clast) {
                report.add(
                    Severity::Warning,
                    &h(&names),
                    &shown,
                    &shown,
                    "The carer\u{2019}s name is in capitals. It is kept as typed; letters will show it so.".into(),
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
                        "Is not shaped like a UK phone number. It is kept as typed; check it in your MIS.".into(),
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
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
            held_carers.push(key.clone());
            row_carers.push((
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
                },
                c(CarerField::Relationship).chars().take(40).collect(),
            ));
        }
        let pupil = match (first, last) {
            (Some(f), Some(l)) => Some(PupilIn {
                key: pupil_key(mis.as_deref(), f.as_str(), l.as_str()),
                mis_id: mis,
                first_name: f.to_string(),
                last_name: l.to_string(),
                class_name: class,
                year_group: year,
            }),
            _ => None,
        };
        if let Some(p) = &pupil
            && let Some(&(first_row, i)) = pupils.get(&p.key)
        {
            let earlier = &out.pupils[i];
            {
                if !p.class_name.is_empty()
                    && !earlier.class_name.is_empty()
                    && earlier.class_name != p.class_name
                {
                    let message = if p.mis_id.is_none() {
                        format!(
                            "{} {} is also on row {first_row} in class {}. If these are two pupils with the same name, add the MIS id or UPN column to tell them apart; otherwise correct the class.",
                            p.first_name, p.last_name, earlier.class_name
                        )
                    } else {
                        format!(
                            "The same MIS id is on row {first_row} in class {}. Correct the class on one of the rows.",
                            earlier.class_name
                        )
                    };
                    report.add(Severity::Error, &class_col, "", &p.class_name, message);
                }
            }
        }
        if !any_contact && report.errors.is_empty() {
            report.add(
                Severity::Warning,
                &cells.header(&[Target::Carer(1, CarerField::FirstName), Target::Carer(1, CarerField::FullName)]),
                "",
                "",
                "No carer on this row. The pupil is imported, but nobody can sign for them until a carer is added in your MIS and imported.".into(),
            );
        }
        if !report.errors.is_empty() {
            let reasons = report.errors.join(" ");
            if let Some(p) = &pupil {
                out.held_pupils.push(p.key.clone());
            }
            out.held_carers.extend(held_carers);
            out.skipped.push((index, reasons));
            continue;
        }
        let Some(pupil) = pupil else { continue };
        let pupil_key = pupil.key.clone();
        match pupils.get(&pupil_key) {
            Some(&(_, i)) if out.pupils[i].class_name.is_empty() => {
                out.pupils[i].class_name = pupil.class_name
            }
            Some(_) => {}
            None => {
                pupils.insert(pupil_key.clone(), (row.number, out.pupils.len()));
                out.pupils.push(pupil);
            }
        }
        for (carer, relationship) in row_carers {
            if !carers.contains_key(&carer.key) {
                carers.insert(carer.key.clone(), out.carers.len());
                out.carers.push(carer.clone());
            }
            if links.insert((carer.key.clone(), pupil_key.clone())) {
                out.links.push(LinkIn {
                    carer_key: carer.key,
                    pupil_key: pupil_key.clone(),
                    relationship,
                });
            }
        }
    }
    out
}
