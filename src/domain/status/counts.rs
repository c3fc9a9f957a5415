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

    /// Counts `n` carers who stand so.
    pub fn add_many(&mut self, (status, paper): (Status, bool), n: usize) {
        match status {
            Status::Signed => {
                self.signed += n;
                if paper {
                    self.paper += n;
                }
            }
            Status::MustResign => self.must_resign += n,
            Status::NotSigned => self.not_signed += n,
        }
    }

    /// Takes away one carer counted with [`Counts::add`].
    pub(super) fn remove(&mut self, status: Status, paper: bool) {
        let n = match status {
            Status::Signed => {
                if paper {
                    self.paper = self.paper.saturating_sub(1);
                }
                &mut self.signed
            }
            Status::MustResign => &mut self.must_resign,
            Status::NotSigned => &mut self.not_signed,
        };
        *n = n.saturating_sub(1);
    }

    /// Adds another group's counts to these (a trust's totals over its schools).
    pub fn add_counts(&mut self, other: &Counts) {
        self.signed += other.signed;
        self.must_resign += other.must_resign;
        self.not_signed += other.not_signed;
        self.paper += other.paper;
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
