//! A carer's status for a document, derived from their declarations and the versions; never stored.
//!
//! This file holds the rule for one carer; [`Report`] (in `report.rs`) applies it to a whole
//! school, from the rows in `rows.rs`, and counts the results (`counts.rs`) by class and year.

mod counts;
pub mod export;
mod report;
mod rows;
mod summary;

pub use counts::Counts;
pub use report::{CarerStatus, CoverRule, PupilStatus, Report, StatusFilter};
pub use rows::{CarerRecord, PupilLink};
pub use summary::{CarerMove, LinkMove, Roster, Standing, Summary};

/// Where a carer stands with one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Signed a version at or after the latest material version.
    Signed,
    /// Signed, but only versions before the latest material version.
    MustResign,
    /// Never signed any version.
    NotSigned,
}

impl Status {
    /// Works out the status from the version numbers the carer signed.
    pub fn from_signed(
        signed_numbers: impl IntoIterator<Item = i64>,
        latest_material: i64,
    ) -> Status {
        let mut any = false;
        for n in signed_numbers {
            if n >= latest_material {
                return Status::Signed;
            }
            any = true;
        }
        if any {
            Status::MustResign
        } else {
            Status::NotSigned
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Signed => "Signed",
            Status::MustResign => "Must re-sign",
            Status::NotSigned => "Not signed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_latest_material_version() {
        assert_eq!(Status::from_signed([], 1), Status::NotSigned);
        assert_eq!(Status::from_signed([1], 1), Status::Signed);
        assert_eq!(Status::from_signed([1], 2), Status::MustResign);
        assert_eq!(Status::from_signed([1, 2], 2), Status::Signed);
        // Version 3 was minor: signing version 2 still counts.
        assert_eq!(Status::from_signed([2], 2), Status::Signed);
        assert_eq!(Status::from_signed([3], 2), Status::Signed);
    }
}
