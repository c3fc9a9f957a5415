//! The rows a status report is built from: current carers with the best version each signed,
//! and the links from carers to their children.

/// A current carer and the best version they signed of one document.
#[derive(Debug, Clone)]
pub struct CarerRecord {
    pub id: i64,
    /// Mr, Ms, Dr… as the MIS has it; may be empty.
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    /// Highest version number signed, if any.
    pub best_signed: Option<i64>,
    /// How that version was signed (`online` or `paper`).
    pub best_method: Option<String>,
    pub best_signed_at: Option<String>,
}

impl CarerRecord {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// The name on an envelope: "Mrs Judith Greaves", or without a title when there is none.
    pub fn postal_name(&self) -> String {
        format!("{} {}", self.title, self.full_name())
            .trim()
            .to_string()
    }

    /// How a letter greets them: "Mrs Greaves", or their full name when there is no title.
    pub fn salutation(&self) -> String {
        if self.title.is_empty() {
            self.full_name()
        } else {
            format!("{} {}", self.title, self.last_name)
        }
    }

    pub fn sort_name(&self) -> String {
        format!("{}, {}", self.last_name, self.first_name)
    }
}

/// A link from a current carer to a current pupil.
#[derive(Debug, Clone)]
pub struct PupilLink {
    pub carer_id: i64,
    pub pupil_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub class_name: String,
    pub year_group: String,
}
