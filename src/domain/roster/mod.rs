//! Roster import: reading a school's MIS export as it comes, and working out what importing it
//! would change.
//!
//! [`table`] reads CSV into rows numbered as Excel numbers them; [`columns`] decides what each
//! column holds (by its header, or by the office's choice); [`read`] turns rows into pupils,
//! carers and problems; [`plan`] compares them with the database's snapshot. Nothing here does I/O.

pub mod columns;
mod contact;
pub mod headers;
pub mod plan;
pub mod read;
pub mod table;
pub mod values;

pub use columns::{Column, Mapping, Target};
pub use plan::{Existing, ExistingCarer, ExistingPupil, Plan, Summary, plan};
pub use read::read;
pub use table::{Table, decode};

/// Whether a problem keeps its row out of the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The row cannot be imported.
    Error,
    /// The row is imported, with the doubtful part left out or kept as typed.
    Warning,
}

/// Something wrong with one row, in the words and numbers the office sees in its own file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The row number Excel shows (the header is row 1).
    pub row: usize,
    /// The file's own header for the column.
    pub column: String,
    pub pupil: String,
    pub carer: String,
    pub value: String,
    /// What is wrong and what to do.
    pub message: String,
    pub severity: Severity,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilIn {
    pub key: String,
    pub mis_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    /// Empty when the file gave none (an existing pupil then keeps theirs).
    pub class_name: String,
    pub year_group: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarerIn {
    pub key: String,
    pub mis_id: Option<String>,
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    /// Address lines, town and county, one per line; the postcode is apart.
    pub address: String,
    pub postcode: String,
    /// Their language's tag, when the file names one Signoff recognises.
    pub language: Option<String>,
}

/// A carer and a pupil of the file, by their place in [`Parsed::carers`] and [`Parsed::pupils`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkIn {
    pub carer: usize,
    pub pupil: usize,
    pub relationship: String,
}

/// A file read with a mapping.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Rows read (blank rows are not counted).
    pub rows: usize,
    pub pupils: Vec<PupilIn>,
    pub carers: Vec<CarerIn>,
    pub links: Vec<LinkIn>,
    /// Errors and warnings, in row order.
    pub problems: Vec<Problem>,
    /// Rows kept out by an error, and the reasons.
    pub skipped: Vec<(table::Row, String)>,
    /// Pupils and carers named on skipped rows: neither changed nor marked as left.
    pub held_pupils: Vec<String>,
    pub held_carers: Vec<String>,
}

impl Parsed {
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.problems.len() - self.errors()
    }
}

pub use crate::domain::text::fold;

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

/// The columns of the downloadable template, in order.
pub const TEMPLATE_COLUMNS: &[&str] = &[
    "pupil_mis_id",
    "pupil_first_name",
    "pupil_last_name",
    "class",
    "year_group",
    "carer_mis_id",
    "carer_title",
    "carer_first_name",
    "carer_last_name",
    "relationship",
    "email",
    "mobile",
    "address_1",
    "address_2",
    "town",
    "county",
    "postcode",
];

/// The template file offered for download.
pub fn template_csv() -> String {
    let mut s = TEMPLATE_COLUMNS.join(",");
    s.push_str("\r\nA1001,Finn,Example,3B,Year 3,C2001,Ms,Sam,Example,Mother,sam@example.org,07700 900123,1 Example Road,Little Oakley,Oakfield,Exampleshire,OK1 2AB\r\n");
    s.push_str("A1001,Finn,Example,3B,Year 3,C2002,Mr,Alex,Example,Father,,07700 900456,1 Example Road,Little Oakley,Oakfield,Exampleshire,OK1 2AB\r\n");
    s
}

/// Reads a whole file with Signoff's own reading of its headers (for tests, fuzzing and tools).
pub fn parse(text: &str) -> Result<(Mapping, Parsed), Vec<String>> {
    let table = Table::read(text.to_string()).map_err(|e| vec![e])?;
    let (mapping, _) = Mapping::guess(&table.headers);
    let gaps = mapping.gaps();
    if !gaps.is_empty() {
        return Err(gaps);
    }
    let parsed = read(&table, &mapping);
    Ok((mapping, parsed))
}

#[cfg(test)]
mod tests;

/// A roster file waiting for "Import".
#[derive(Debug, Clone)]
pub struct Upload {
    pub id: i64,
    pub school_id: i64,
    pub filename: String,
    pub content: String,
    pub imported_at: Option<time::OffsetDateTime>,
    /// The office's column choices for this file, when it made them.
    pub mapping: Option<String>,
    /// After the import, what it did (see `domain::roster::Summary`).
    pub result: Option<String>,
}
