//! Roster import: reading a school MIS export, and working out what importing it would change.
//!
//! A file has one row per pupil–carer pair, or one row per pupil with numbered carer columns
//! (`carer2_first_name`, ...). Pupils are matched by MIS id, else by name; carers by MIS id, else
//! by name and email. Nothing here touches the database: [`plan`] compares with a snapshot.

use std::collections::{BTreeSet, HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use super::email::Email;
use super::name::PersonName;

/// The columns of the downloadable template, in order.
pub const TEMPLATE_COLUMNS: &[&str] = &[
    "pupil_mis_id",
    "pupil_first_name",
    "pupil_last_name",
    "class",
    "year_group",
    "carer_mis_id",
    "carer_first_name",
    "carer_last_name",
    "relationship",
    "email",
    "phone",
    "address_1",
    "address_2",
    "town",
    "postcode",
];

/// Most carers per row in the "one row per pupil" layout.
const MAX_SLOTS: usize = 4;

/// Something wrong with the file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Line in the file (1 is the header); 0 for the file as a whole.
    pub line: usize,
    pub column: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilIn {
    pub key: String,
    pub mis_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub class_name: String,
    pub year_group: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarerIn {
    pub key: String,
    pub mis_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkIn {
    pub carer_key: String,
    pub pupil_key: String,
    pub relationship: String,
}

/// A file read and checked.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub rows: usize,
    pub pupils: Vec<PupilIn>,
    pub carers: Vec<CarerIn>,
    pub links: Vec<LinkIn>,
    pub problems: Vec<Problem>,
}

/// Turns uploaded bytes into text: UTF-8 (with or without a BOM), else Windows-1252 as Excel saves.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// A header as a plain identifier: `Pupil First Name` → `pupil_first_name`.
fn normalise_header(h: &str) -> String {
    let mut out = String::new();
    for c in h.trim().trim_start_matches('\u{feff}').chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// The canonical field a header names, and for carer fields which carer (1-based).
fn field_of(header: &str) -> Option<(&'static str, usize)> {
    let h = normalise_header(header);
    let pupil =
        match h.as_str() {
            "pupil_mis_id" | "upn" | "mis_id" | "pupil_id" | "admission_number" | "adno" => {
                Some("pupil_mis_id")
            }
            "pupil_first_name" | "pupil_forename" | "forename" | "legal_forename"
            | "first_name" => Some("pupil_first_name"),
            "pupil_last_name" | "pupil_surname" | "surname" | "legal_surname" | "last_name" => {
                Some("pupil_last_name")
            }
            "class" | "class_name" | "reg_group" | "registration_group" | "form"
            | "tutor_group" => Some("class"),
            "year_group" | "year" | "nc_year" | "ncyear" => Some("year_group"),
            _ => None,
        };
    if let Some(p) = pupil {
        return Some((p, 0));
    }
    let (slot, rest) = if let Some(r) = h
        .strip_prefix("carer_")
        .or_else(|| h.strip_prefix("contact_"))
    {
        (1, r.to_string())
    } else if let Some(r) = h
        .strip_prefix("carer")
        .or_else(|| h.strip_prefix("contact"))
    {
        let digits: String = r.chars().take_while(char::is_ascii_digit).collect();
        let n: usize = digits.parse().ok()?;
        (n, r[digits.len()..].trim_start_matches('_').to_string())
    } else {
        (1, h.clone())
    };
    if slot == 0 || slot > MAX_SLOTS {
        return None;
    }
    let f = match rest.as_str() {
        "mis_id" | "id" => "mis_id",
        "first_name" | "forename" => "first_name",
        "last_name" | "surname" => "last_name",
        "relationship" | "relation" => "relationship",
        "email" | "email_address" => "email",
        "phone" | "telephone" | "mobile" | "phone_number" => "phone",
        "address_1" | "address_line_1" | "address" => "address_1",
        "address_2" | "address_line_2" => "address_2",
        "address_3" | "address_line_3" => "address_3",
        "town" | "city" => "town",
        "postcode" | "post_code" => "postcode",
        _ => return None,
    };
    Some((f, slot))
}

/// Lower-case, accent-free, single-spaced: how names are compared.
pub fn fold(s: &str) -> String {
    let t: String = s
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn pupil_key(mis_id: Option<&str>, first: &str, last: &str) -> String {
    match mis_id {
        Some(id) => format!("mis:{}", id.trim().to_lowercase()),
        None => format!("name:{}|{}", fold(first), fold(last)),
    }
}

pub fn carer_key(mis_id: Option<&str>, first: &str, last: &str, email: &str) -> String {
    match mis_id {
        Some(id) => format!("mis:{}", id.trim().to_lowercase()),
        None => format!(
            "name:{}|{}|{}",
            fold(first),
            fold(last),
            email.trim().to_lowercase()
        ),
    }
}

fn clean_phone(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if s.chars()
        .all(|c| c.is_ascii_digit() || " +()-.".contains(c))
        && (7..=16).contains(&digits)
    {
        Ok(s.to_string())
    } else {
        Err("is not a phone number: use digits, spaces and + only, like 07700 900123")
    }
}

/// Reads and checks a roster file. Every problem is reported with its line and column.
pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.problems.push(Problem {
                line: 1,
                column: String::new(),
                reason: format!("The first line could not be read: {e}"),
            });
            return out;
        }
    };
    let mut columns: HashMap<(&'static str, usize), usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if let Some(f) = field_of(h) {
            columns.entry(f).or_insert(i);
        }
    }
    for required in ["pupil_first_name", "pupil_last_name", "class"] {
        if !columns.contains_key(&(required, 0)) {
            out.problems.push(Problem {
                line: 1,
                column: required.into(),
                reason: format!("There is no {required} column. Download the template to see the columns Signoff reads."),
            });
        }
    }
    if !columns.contains_key(&("first_name", 1)) || !columns.contains_key(&("last_name", 1)) {
        out.problems.push(Problem {
            line: 1,
            column: "carer_first_name".into(),
            reason: "There are no carer_first_name and carer_last_name columns. Download the template to see the columns Signoff reads.".into(),
        });
    }
    if !out.problems.is_empty() {
        return out;
    }
    let mut pupils: HashMap<String, (usize, PupilIn)> = HashMap::new();
    let mut pupil_order = Vec::new();
    let mut carers: HashMap<String, CarerIn> = HashMap::new();
    let mut carer_order = Vec::new();
    let mut links = BTreeSet::new();
    let mut link_list = Vec::new();
    for record in reader.records() {
        let line = out.rows + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(line);
                out.problems.push(Problem {
                    line,
                    column: String::new(),
                    reason: format!("This line could not be read: {e}"),
                });
                out.rows += 1;
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(line);
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        out.rows += 1;
        let get = |f: &'static str, slot: usize| -> &str {
            columns
                .get(&(f, slot))
                .and_then(|&i| record.get(i))
                .unwrap_or("")
        };
        let mut problem = |column: &str, reason: String| {
            out.problems.push(Problem {
                line,
                column: column.to_string(),
                reason,
            })
        };
        let name = |column: &'static str,
                    value: &str,
                    problem: &mut dyn FnMut(&str, String)|
         -> Option<String> {
            match PersonName::parse(value) {
                Ok(n) => Some(n.to_string()),
                Err(e) => {
                    problem(
                        column,
                        format!(
                            "{column} {}",
                            match e {
                                super::name::NameError::Empty => "is empty".to_string(),
                                other => format!("is not usable: {other}"),
                            }
                        ),
                    );
                    None
                }
            }
        };
        let first = name("pupil_first_name", get("pupil_first_name", 0), &mut problem);
        let last = name("pupil_last_name", get("pupil_last_name", 0), &mut problem);
        let class = get("class", 0).trim().to_string();
        if class.is_empty() {
            problem("class", "class is empty: every pupil needs a class".into());
        } else if class.chars().count() > 40 || class.chars().any(char::is_control) {
            problem(
                "class",
                "class must be at most 40 characters of plain text".into(),
            );
        }
        let year = get("year_group", 0).trim().to_string();
        let mis = Some(get("pupil_mis_id", 0).trim())
            .filter(|s| !s.is_empty())
            .map(String::from);
        let mut row_carers = Vec::new();
        for slot in 1..=MAX_SLOTS {
            let cf = get("first_name", slot);
            let cl = get("last_name", slot);
            if slot > 1 && cf.is_empty() && cl.is_empty() {
                continue;
            }
            let col = |f: &str| {
                if slot == 1 {
                    format!("carer_{f}")
                } else {
                    format!("carer{slot}_{f}")
                }
            };
            let cfirst = match PersonName::parse(cf) {
                Ok(n) => Some(n.to_string()),
                Err(_) => {
                    problem(
                        &col("first_name"),
                        format!(
                            "{} is empty or not usable: every carer needs a first name",
                            col("first_name")
                        ),
                    );
                    None
                }
            };
            let clast = match PersonName::parse(cl) {
                Ok(n) => Some(n.to_string()),
                Err(_) => {
                    problem(
                        &col("last_name"),
                        format!(
                            "{} is empty or not usable: every carer needs a last name",
                            col("last_name")
                        ),
                    );
                    None
                }
            };
            let raw_email = get("email", slot);
            let email = if raw_email.is_empty() {
                Some(String::new())
            } else {
                match Email::parse(raw_email) {
                    Ok(e) => Some(e.as_str().to_string()),
                    Err(_) => {
                        problem(
                            &col("email"),
                            format!("\u{201c}{raw_email}\u{201d} is not an email address"),
                        );
                        None
                    }
                }
            };
            let phone = match clean_phone(get("phone", slot)) {
                Ok(p) => Some(p),
                Err(reason) => {
                    problem(
                        &col("phone"),
                        format!("\u{201c}{}\u{201d} {reason}", get("phone", slot)),
                    );
                    None
                }
            };
            let address = ["address_1", "address_2", "address_3", "town"]
                .iter()
                .map(|f| get(f, slot).trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            if let (Some(f), Some(l), Some(email), Some(phone)) = (cfirst, clast, email, phone) {
                let mis = Some(get("mis_id", slot).trim())
                    .filter(|s| !s.is_empty())
                    .map(String::from);
                let key = carer_key(mis.as_deref(), &f, &l, &email);
                row_carers.push((
                    CarerIn {
                        key,
                        mis_id: mis,
                        first_name: f,
                        last_name: l,
                        email,
                        phone,
                        address,
                        postcode: get("postcode", slot).trim().to_uppercase(),
                    },
                    get("relationship", slot)
                        .trim()
                        .chars()
                        .take(40)
                        .collect::<String>(),
                ));
            }
        }
        let (Some(first), Some(last)) = (first, last) else {
            continue;
        };
        if class.is_empty() {
            continue;
        }
        let key = pupil_key(mis.as_deref(), &first, &last);
        let pupil = PupilIn {
            key: key.clone(),
            mis_id: mis,
            first_name: first,
            last_name: last,
            class_name: class,
            year_group: year,
        };
        match pupils.get(&key) {
            Some((first_line, existing))
                if existing.class_name != pupil.class_name
                    || existing.year_group != pupil.year_group =>
            {
                let reason = if pupil.mis_id.is_none() {
                    format!(
                        "{} {} is also on line {first_line} in another class. If these are two pupils with the same name, add a pupil_mis_id column to tell them apart.",
                        pupil.first_name, pupil.last_name
                    )
                } else {
                    format!(
                        "pupil_mis_id {} is also on line {first_line} with a different class.",
                        pupil.mis_id.as_deref().unwrap_or("")
                    )
                };
                out.problems.push(Problem {
                    line,
                    column: "class".into(),
                    reason,
                });
                continue;
            }
            Some(_) => {}
            None => {
                pupils.insert(key.clone(), (line, pupil));
                pupil_order.push(key.clone());
            }
        }
        for (carer, relationship) in row_carers {
            if !carers.contains_key(&carer.key) {
                carer_order.push(carer.key.clone());
                carers.insert(carer.key.clone(), carer.clone());
            }
            if links.insert((carer.key.clone(), key.clone())) {
                link_list.push(LinkIn {
                    carer_key: carer.key,
                    pupil_key: key.clone(),
                    relationship,
                });
            }
        }
    }
    if out.rows == 0 && out.problems.is_empty() {
        out.problems.push(Problem {
            line: 0,
            column: String::new(),
            reason: "The file has a header but no pupils.".into(),
        });
    }
    out.pupils = pupil_order
        .into_iter()
        .filter_map(|k| pupils.remove(&k).map(|(_, p)| p))
        .collect();
    out.carers = carer_order
        .into_iter()
        .filter_map(|k| carers.remove(&k))
        .collect();
    out.links = link_list;
    out
}

/// A pupil as the database has them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExistingPupil {
    pub id: i64,
    pub mis_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub class_name: String,
    pub year_group: String,
    pub left_on: Option<String>,
}

/// A carer as the database has them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExistingCarer {
    pub id: i64,
    pub mis_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    pub left_on: Option<String>,
}

/// What the database has for a school.
#[derive(Debug, Clone, Default)]
pub struct Existing {
    pub pupils: Vec<ExistingPupil>,
    pub carers: Vec<ExistingCarer>,
    /// (carer id, pupil id)
    pub links: Vec<(i64, i64)>,
}

/// What importing a parsed file would do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub add_pupils: Vec<PupilIn>,
    pub update_pupils: Vec<(i64, PupilIn)>,
    pub leave_pupils: Vec<i64>,
    pub add_carers: Vec<CarerIn>,
    pub update_carers: Vec<(i64, CarerIn)>,
    pub leave_carers: Vec<i64>,
    /// Links to add, by key (new rows get ids during the import).
    pub add_links: Vec<LinkIn>,
    /// (carer id, pupil id) links the file no longer has.
    pub remove_links: Vec<(i64, i64)>,
    pub unchanged_pupils: usize,
    pub unchanged_carers: usize,
}

impl Plan {
    pub fn changes(&self) -> usize {
        self.add_pupils.len()
            + self.update_pupils.len()
            + self.leave_pupils.len()
            + self.add_carers.len()
            + self.update_carers.len()
            + self.leave_carers.len()
            + self.add_links.len()
            + self.remove_links.len()
    }
}

/// Compares a parsed file with what the database has.
pub fn plan(parsed: &Parsed, existing: &Existing) -> Plan {
    let mut p = Plan::default();
    let pupil_ids: HashMap<String, &ExistingPupil> = existing
        .pupils
        .iter()
        .flat_map(|e| {
            let mut keys = vec![(pupil_key(None, &e.first_name, &e.last_name), e)];
            if let Some(m) = &e.mis_id {
                keys.insert(0, (pupil_key(Some(m), "", ""), e));
            }
            keys
        })
        .rev()
        .collect();
    let carer_ids: HashMap<String, &ExistingCarer> = existing
        .carers
        .iter()
        .flat_map(|e| {
            let mut keys = vec![(carer_key(None, &e.first_name, &e.last_name, &e.email), e)];
            if let Some(m) = &e.mis_id {
                keys.insert(0, (carer_key(Some(m), "", "", ""), e));
            }
            keys
        })
        .rev()
        .collect();
    let mut seen_pupils = HashSet::new();
    let mut pupil_by_key: HashMap<&str, i64> = HashMap::new();
    for pupil in &parsed.pupils {
        match pupil_ids
            .get(&pupil.key)
            .filter(|e| seen_pupils.insert(e.id))
        {
            Some(e) => {
                pupil_by_key.insert(&pupil.key, e.id);
                let same = e.first_name == pupil.first_name
                    && e.last_name == pupil.last_name
                    && e.class_name == pupil.class_name
                    && e.year_group == pupil.year_group
                    && e.mis_id == pupil.mis_id
                    && e.left_on.is_none();
                if same {
                    p.unchanged_pupils += 1;
                } else {
                    p.update_pupils.push((e.id, pupil.clone()));
                }
            }
            None => p.add_pupils.push(pupil.clone()),
        }
    }
    p.leave_pupils = existing
        .pupils
        .iter()
        .filter(|e| e.left_on.is_none() && !seen_pupils.contains(&e.id))
        .map(|e| e.id)
        .collect();
    let mut seen_carers = HashSet::new();
    let mut carer_by_key: HashMap<&str, i64> = HashMap::new();
    for carer in &parsed.carers {
        match carer_ids
            .get(&carer.key)
            .filter(|e| seen_carers.insert(e.id))
        {
            Some(e) => {
                carer_by_key.insert(&carer.key, e.id);
                let same = e.first_name == carer.first_name
                    && e.last_name == carer.last_name
                    && e.email == carer.email
                    && e.phone == carer.phone
                    && e.address == carer.address
                    && e.postcode == carer.postcode
                    && e.mis_id == carer.mis_id
                    && e.left_on.is_none();
                if same {
                    p.unchanged_carers += 1;
                } else {
                    p.update_carers.push((e.id, carer.clone()));
                }
            }
            None => p.add_carers.push(carer.clone()),
        }
    }
    p.leave_carers = existing
        .carers
        .iter()
        .filter(|e| e.left_on.is_none() && !seen_carers.contains(&e.id))
        .map(|e| e.id)
        .collect();
    let existing_links: HashSet<(i64, i64)> = existing.links.iter().copied().collect();
    let mut wanted = HashSet::new();
    for link in &parsed.links {
        match (
            carer_by_key.get(link.carer_key.as_str()),
            pupil_by_key.get(link.pupil_key.as_str()),
        ) {
            (Some(&c), Some(&pu)) => {
                wanted.insert((c, pu));
                if !existing_links.contains(&(c, pu)) {
                    p.add_links.push(link.clone());
                }
            }
            _ => p.add_links.push(link.clone()),
        }
    }
    let file_pupils: HashSet<i64> = pupil_by_key.values().copied().collect();
    p.remove_links = existing
        .links
        .iter()
        .filter(|l| file_pupils.contains(&l.1) && !wanted.contains(l))
        .copied()
        .collect();
    p
}

/// The template file offered for download.
pub fn template_csv() -> String {
    let mut s = TEMPLATE_COLUMNS.join(",");
    s.push_str("\r\nA1001,Finn,Example,3B,Year 3,C2001,Sam,Example,Mother,sam@example.org,07700 900123,1 Example Road,,Oakfield,OK1 2AB\r\n");
    s.push_str("A1001,Finn,Example,3B,Year 3,C2002,Alex,Example,Father,,07700 900456,1 Example Road,,Oakfield,OK1 2AB\r\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\u{feff}Pupil First Name,Pupil Last Name,Class,Year Group,Carer First Name,Carer Last Name,Relationship,Email\n\
        Finn,O'Brien,3B,Year 3,Zoë,O'Brien,Mother,zoe@example.org\n\
        \n\
        Ava,O'Brien,5A,Year 5,Zoë,O'Brien,Mother,zoe@example.org\n\
        \"Mei\",\"Li\",3B,Year 3,\"Xiuying\",\"Wang\",Mother,\n";

    #[test]
    fn reads_pairs_and_merges_carers() {
        let p = parse(&decode(FILE.as_bytes()));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.rows, 3);
        assert_eq!(p.pupils.len(), 3);
        assert_eq!(p.carers.len(), 2, "Zoë appears twice but is one carer");
        assert_eq!(p.links.len(), 3);
    }

    #[test]
    fn windows_1252_is_decoded() {
        let bytes = b"pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\nZo\xeb,Smith,1A,Ren\xe9e,Smith\n";
        let p = parse(&decode(bytes));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.pupils[0].first_name, "Zoë");
        assert_eq!(p.carers[0].first_name, "Renée");
    }

    #[test]
    fn one_row_per_pupil_with_numbered_carers() {
        let f = "pupil_first_name,pupil_last_name,class,carer1_first_name,carer1_last_name,carer2_first_name,carer2_last_name\n\
                 Tom,Hill,2C,Ann,Hill,Bob,Hill\nJo,Dee,2C,Cat,Dee,,\n";
        let p = parse(f);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.carers.len(), 3);
        assert_eq!(p.links.len(), 3);
    }

    #[test]
    fn every_bad_row_is_reported_with_line_and_column() {
        let f = "pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name,email,phone\n\
                 ,Hill,2C,Ann,Hill,,\n\
                 Tom,Hill,,Ann,Hill,,\n\
                 Jo,Dee,2C,,Dee,,\n\
                 Al,Ray,2C,Cy,Ray,not-an-email,\n\
                 Bo,Ray,2C,Cy,Ray,,call me\n";
        let p = parse(f);
        let found: Vec<(usize, &str)> = p
            .problems
            .iter()
            .map(|x| (x.line, x.column.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (2, "pupil_first_name"),
                (3, "class"),
                (4, "carer_first_name"),
                (5, "carer_email"),
                (6, "carer_phone")
            ]
        );
    }

    #[test]
    fn missing_columns_are_named() {
        let p = parse("name,class\nTom,2C\n");
        assert!(p.problems.iter().any(|x| x.column == "pupil_first_name"));
        assert!(p.problems.iter().any(|x| x.column == "carer_first_name"));
    }

    #[test]
    fn plan_adds_then_changes_nothing_then_marks_leavers() {
        let parsed = parse(FILE);
        let first = plan(&parsed, &Existing::default());
        assert_eq!(
            (
                first.add_pupils.len(),
                first.add_carers.len(),
                first.add_links.len()
            ),
            (3, 2, 3)
        );
        let existing = Existing {
            pupils: parsed
                .pupils
                .iter()
                .enumerate()
                .map(|(i, p)| ExistingPupil {
                    id: i as i64 + 1,
                    mis_id: None,
                    first_name: p.first_name.clone(),
                    last_name: p.last_name.clone(),
                    class_name: p.class_name.clone(),
                    year_group: p.year_group.clone(),
                    left_on: None,
                })
                .collect(),
            carers: parsed
                .carers
                .iter()
                .enumerate()
                .map(|(i, c)| ExistingCarer {
                    id: i as i64 + 1,
                    mis_id: None,
                    first_name: c.first_name.clone(),
                    last_name: c.last_name.clone(),
                    email: c.email.clone(),
                    phone: c.phone.clone(),
                    address: c.address.clone(),
                    postcode: c.postcode.clone(),
                    left_on: None,
                })
                .collect(),
            links: vec![(1, 1), (1, 2), (2, 3)],
        };
        let again = plan(&parsed, &existing);
        assert_eq!(again.changes(), 0, "{again:?}");
        let next_term = parse(
            "pupil_first_name,pupil_last_name,class,year_group,carer_first_name,carer_last_name,email\n\
             Finn,O'Brien,4B,Year 4,Zoë,O'Brien,zoe@example.org\n",
        );
        let p = plan(&next_term, &existing);
        assert_eq!(p.update_pupils.len(), 1);
        assert_eq!(p.leave_pupils, vec![2, 3]);
        assert_eq!(p.leave_carers, vec![2]);
    }
}
