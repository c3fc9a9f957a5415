//! Reading a roster file's rows with a [`Mapping`]: pupils, carers and the links between them,
//! and every problem named by row, column header, pupil, carer and value.
//!
//! Errors keep a row out of the import; warnings let it in with the doubtful part left out or
//! kept as typed. A pupil or carer named on a row kept out is held: neither changed nor marked
//! as left, so one bad row never makes a pupil a leaver.

use std::collections::{HashMap, HashSet};

use super::columns::{CarerField, MAX_CONTACTS, Mapping, PupilField, Target};
use super::contact::contact;
use super::table::Table;
use super::values::{Phone, in_capitals, looks_like_formula, read_phone, split_full_name, unquote};
use super::{CarerIn, LinkIn, Parsed, Problem, PupilIn, Severity, pupil_key};
use sha2::{Digest, Sha256};

use crate::domain::name::PersonName;
use crate::domain::text::{is_format, strip_format};

/// A row's cells as the mapping reads them: whitespace (line breaks too) collapsed, and a cell
/// written as `'=…` read as `=…`.
pub(super) struct Cells<'a> {
    pub(super) cells: Vec<String>,
    pub(super) mapping: &'a Mapping,
}

impl Cells<'_> {
    /// The first non-empty cell taken as `t`, with its column header.
    pub(super) fn get(&self, t: Target) -> Option<(&str, &str)> {
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

    pub(super) fn value(&self, t: Target) -> &str {
        self.get(t).map_or("", |x| x.0)
    }

    /// The header of the first column taken as any of `ts` (for naming a missing value).
    pub(super) fn header(&self, ts: &[Target]) -> String {
        self.mapping
            .columns
            .iter()
            .find(|c| ts.contains(&c.target))
            .map(|c| c.header.clone())
            .unwrap_or_default()
    }
}

pub(super) struct RowReport<'a> {
    row: usize,
    pupil: String,
    problems: &'a mut Vec<Problem>,
    errors: Vec<String>,
}

impl RowReport<'_> {
    pub(super) fn add(
        &mut self,
        severity: Severity,
        column: &str,
        carer: &str,
        value: &str,
        message: String,
    ) {
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
    // A row's fingerprint (first 16 bytes of its SHA-256) → its row number, to notice copies.
    let mut seen_rows: HashMap<[u8; 16], usize> = HashMap::new();
    let mut pupils: HashMap<String, (usize, usize)> = HashMap::new(); // key → (row, index)
    let mut carers: HashMap<String, usize> = HashMap::new();
    let mut links: HashSet<(usize, usize)> = HashSet::new();
    let slots: Vec<u8> = (1..=MAX_CONTACTS)
        .filter(|n| {
            mapping
                .columns
                .iter()
                .any(|c| matches!(c.target, Target::Carer(m, _) if m == *n))
        })
        .collect();
    for row in table.rows() {
        out.rows += 1;
        let cells = Cells {
            cells: row
                .cells
                .iter()
                .map(|c| {
                    strip_format(unquote(c))
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
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
        let fingerprint = {
            let mut h = Sha256::new();
            for c in &row.cells {
                h.update(c.as_bytes());
                h.update([0x1f]);
            }
            let mut f = [0u8; 16];
            f.copy_from_slice(&h.finalize()[..16]);
            f
        };
        if let Some(first) = seen_rows.get(&fingerprint) {
            report.add(
                Severity::Warning,
                "",
                "",
                "",
                format!("This row is the same as row {first}, so it was read once. Remove the copy from the file if it should not be there."),
            );
            continue;
        }
        seen_rows.insert(fingerprint, row.number);
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
            let typed = row.cells.get(i).map(String::as_str).unwrap_or("");
            if c.target != Target::Ignore && typed.chars().any(is_format) {
                report.add(
                    Severity::Warning,
                    &c.header,
                    "",
                    raw,
                    "Held invisible or direction-changing characters (often pasted in from elsewhere), which were removed so the text reads as it is.".into(),
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
                "",
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
            let any = mapping.columns.iter().enumerate().any(|(i, col)| {
                matches!(col.target, Target::Carer(m, _) if m == slot)
                    && row.cells.get(i).is_some_and(|v| !v.is_empty())
            });
            if !any {
                continue;
            }
            any_contact = true;
            if let Some((carer, relationship)) = contact(&cells, slot, &mut report) {
                held_carers.push(carer.key.clone());
                row_carers.push((carer, relationship));
            }
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
            out.skipped.push((row, reasons));
            continue;
        }
        let Some(pupil) = pupil else { continue };
        let pupil_index = match pupils.get(&pupil.key) {
            Some(&(_, i)) => {
                if out.pupils[i].class_name.is_empty() {
                    out.pupils[i].class_name = pupil.class_name;
                }
                i
            }
            None => {
                let i = out.pupils.len();
                pupils.insert(pupil.key.clone(), (row.number, i));
                out.pupils.push(pupil);
                i
            }
        };
        for (carer, relationship) in row_carers {
            let carer_index = match carers.get(&carer.key) {
                Some(&i) => i,
                None => {
                    let i = out.carers.len();
                    carers.insert(carer.key.clone(), i);
                    out.carers.push(carer);
                    i
                }
            };
            if links.insert((carer_index, pupil_index)) {
                out.links.push(LinkIn {
                    carer: carer_index,
                    pupil: pupil_index,
                    relationship,
                });
            }
        }
    }
    out
}
