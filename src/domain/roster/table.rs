//! A CSV file as rows of cells, each row numbered as Excel numbers it (the header is row 1).
//!
//! Excel counts every row, blank ones too, and a line break inside quotes stays inside its cell;
//! Windows (`\r\n`), Unix (`\n`) and old Mac (`\r`) line endings each end one row.

/// Turns uploaded bytes into text: UTF-8 (with or without a BOM), else Windows-1252 as Excel saves.
pub fn decode(mut bytes: Vec<u8>) -> String {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(e.as_bytes())
            .0
            .into_owned(),
    }
}

/// One row of the file that is not blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row number Excel shows for it.
    pub number: usize,
    pub cells: Vec<String>,
}

/// A file's header, and its text to read the rows from one at a time (a large file is never
/// held as cells all at once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    text: String,
    delimiter: u8,
    /// Where each row (as Excel counts them) starts.
    starts: Vec<usize>,
    rows: usize,
}

impl Table {
    /// Reads CSV text (comma-separated, or semicolon- or tab-separated as some Excel locales save).
    pub fn read(text: String) -> Result<Table, String> {
        let delimiter = sniff_delimiter(&text);
        let starts = row_starts(&text, delimiter);
        let mut table = Table {
            headers: Vec::new(),
            text,
            delimiter,
            starts,
            rows: 0,
        };
        let mut rows = 0;
        let mut reader = table.reader();
        let mut record = csv::StringRecord::new();
        let mut header = None;
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(format!("The file could not be read as CSV: {e}")),
            }
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            match header {
                None => header = Some(record.iter().map(|c| c.trim().to_string()).collect()),
                Some(_) => rows += 1,
            }
        }
        drop(reader);
        table.rows = rows;
        table.headers = header.ok_or_else(|| {
            "The file is empty. Export the pupils and their contacts from your MIS as CSV and upload that file.".to_string()
        })?;
        Ok(table)
    }

    fn reader(&self) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(self.text.as_bytes())
    }

    /// How many rows are not blank (the header aside).
    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The text as uploaded.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The rows that are not blank, after the header, read as they are asked for.
    pub fn rows(&self) -> impl Iterator<Item = Row> + '_ {
        let mut reader = self.reader();
        let mut record = csv::StringRecord::new();
        let mut header_seen = false;
        std::iter::from_fn(move || {
            loop {
                if !matches!(reader.read_record(&mut record), Ok(true)) {
                    return None;
                }
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                if !header_seen {
                    header_seen = true;
                    continue;
                }
                // The reader reports where it stopped after the previous row: step over line ends.
                let mut byte = record.position().map_or(0, |p| p.byte() as usize);
                while matches!(self.text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
                    byte += 1;
                }
                return Some(Row {
                    number: self.starts.partition_point(|&s| s <= byte),
                    cells: record.iter().map(|c| c.trim().to_string()).collect(),
                });
            }
        })
    }
}

/// Commas unless the first line has more semicolons or tabs than commas.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let (commas, semis, tabs) = (count(','), count(';'), count('\t'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

/// The byte offset where each row begins, outside quoted cells.
fn row_starts(text: &str, delimiter: u8) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut state = S::FieldStart;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let newline = b == b'\n' || b == b'\r';
        state = match state {
            S::Quoted if b == b'"' => S::QuoteInQuoted,
            S::Quoted => S::Quoted,
            S::QuoteInQuoted if b == b'"' => S::Quoted,
            S::FieldStart if b == b'"' => S::Quoted,
            _ if b == delimiter => S::FieldStart,
            _ if newline => {
                if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                starts.push(i + 1);
                S::FieldStart
            }
            _ => S::Unquoted,
        };
        i += 1;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<usize> {
        Table::read(text.to_string())
            .unwrap()
            .rows()
            .map(|r| r.number)
            .collect()
    }

    #[test]
    fn rows_are_numbered_as_excel_numbers_them() {
        assert_eq!(numbers("h\na\nb\n"), [2, 3]);
        assert_eq!(numbers("h\r\na\r\nb\r\n"), [2, 3]);
        assert_eq!(numbers("h\r\n\r\na\r\n\r\n\r\nb"), [3, 6]);
        assert_eq!(numbers("h\n\"two\nlines\",x\nb\n"), [2, 3]);
        assert_eq!(numbers("h\r\"x\"\"\ny\"\rb\r"), [2, 3]);
        assert_eq!(numbers("h\n,,\nb\n"), [3], "a row of empty cells is blank");
        assert_eq!(numbers("\n\nh\na\n"), [4]);
    }

    #[test]
    fn semicolons_and_tabs_are_read() {
        let t = Table::read("a;b\n1;2\n".into()).unwrap();
        assert_eq!(t.rows().next().unwrap().cells, ["1", "2"]);
        assert_eq!(t.len(), 1);
        let t = Table::read("a\tb\n1\t2\n".into()).unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert!(Table::read(String::new()).is_err());
        assert!(Table::read("\r\n,\r\n".into()).is_err());
    }

    #[test]
    fn windows_1252_is_decoded() {
        assert_eq!(decode(b"Zo\xeb".to_vec()), "Zoë");
        assert_eq!(decode("\u{feff}Zoë".as_bytes().to_vec()), "Zoë");
    }
}
