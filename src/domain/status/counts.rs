//! How many carers are signed, must re-sign or have not signed, and what share each is.

use super::Status;

/// Signed / must re-sign / not signed / paper, for any group of carers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub signed: usize,
    pub must_resign: usize,
    pub not_signed: usize,
    /// Of `signed`, how many by a paper form.
    pub paper: usize,
}

impl Counts {
    pub(super) fn add(&mut self, status: Status, paper: bool) {
        match status {
            Status::Signed => {
                self.signed += 1;
                if paper {
                    self.paper += 1;
                }
            }
            Status::MustResign => self.must_resign += 1,
            Status::NotSigned => self.not_signed += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.signed + self.must_resign + self.not_signed
    }

    pub fn outstanding(&self) -> usize {
        self.must_resign + self.not_signed
    }

    fn pct(&self, n: usize) -> u32 {
        if self.total() == 0 {
            0
        } else {
            ((n * 100) as f64 / self.total() as f64).round() as u32
        }
    }

    pub fn pct_signed(&self) -> u32 {
        self.pct(self.signed)
    }

    pub fn pct_must_resign(&self) -> u32 {
        self.pct(self.must_resign)
    }

    pub fn pct_not_signed(&self) -> u32 {
        self.pct(self.not_signed)
    }

    pub fn pct_paper(&self) -> u32 {
        self.pct(self.paper)
    }
}
