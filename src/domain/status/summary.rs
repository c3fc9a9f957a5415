//! The office's counts for one document: overall, by class and by year group, and pupils covered.
//! Counted from the bare roster when a report is built cold ([`Summary::count`]); kept current
//! by applying the carers whose best signature moved since, with the links of their children
//! ([`Summary::apply`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Counts, CoverRule, Report, Status};

mod count;
pub use count::Roster;

/// The counts the dashboard shows for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub overall: Counts,
    /// By class name, in order (pupils without a class under "").
    pub by_class: Vec<(String, Counts)>,
    /// By year group, in order (pupils without one are left out).
    pub by_year: Vec<(String, Counts)>,
    /// Current pupils with at least one current carer.
    pub pupils: usize,
    pub pupils_covered: usize,
}

/// What the counts need of a carer: their status, and whether it rests on a paper form.
pub type Standing = (Status, bool);

/// A carer whose standing may have moved, before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarerMove {
    pub carer_id: i64,
    pub before: Standing,
    pub after: Standing,
}

/// A link from a pupil (whose cover may have moved) to one of their carers, with the carer's
/// standing before and after. Every link of each such pupil is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkMove {
    pub pupil_id: i64,
    pub carer_id: i64,
    pub class_name: String,
    pub year_group: String,
    pub before: Standing,
    pub after: Standing,
}

impl Summary {
    /// Counts a whole report.
    pub fn of(report: &Report) -> Summary {
        let mut s = Summary {
            pupils: report.pupils.len(),
            pupils_covered: report.covered.iter().filter(|c| **c).count(),
            ..Summary::default()
        };
        let mut classes: BTreeMap<&str, Counts> = BTreeMap::new();
        let mut years: BTreeMap<&str, Counts> = BTreeMap::new();
        for c in &report.carers {
            s.overall.add(c.status, c.paper);
            let kids = c.children.iter().map(|&p| &report.pupils[p]);
            let mine: BTreeSet<&str> = kids.clone().map(|p| p.class_name.as_str()).collect();
            for k in mine {
                classes.entry(k).or_default().add(c.status, c.paper);
            }
            let mine: BTreeSet<&str> = kids
                .map(|p| p.year_group.as_str())
                .filter(|y| !y.is_empty())
                .collect();
            for y in mine {
                years.entry(y).or_default().add(c.status, c.paper);
            }
        }
        fn owned(m: BTreeMap<&str, Counts>) -> Vec<(String, Counts)> {
            m.into_iter().map(|(k, c)| (k.to_string(), c)).collect()
        }
        s.by_class = owned(classes);
        s.by_year = owned(years);
        s
    }

    /// Applies carers whose standing moved, given every link of their children.
    pub fn apply(&mut self, carers: &[CarerMove], links: &[LinkMove], rule: CoverRule) {
        for m in carers.iter().filter(|m| m.before != m.after) {
            self.overall.remove(m.before.0, m.before.1);
            self.overall.add(m.after.0, m.after.1);
            let mine = links.iter().filter(|l| l.carer_id == m.carer_id);
            let classes: BTreeSet<&str> = mine.clone().map(|l| l.class_name.as_str()).collect();
            for k in classes {
                shift(&mut self.by_class, k, m);
            }
            let years: BTreeSet<&str> = mine
                .map(|l| l.year_group.as_str())
                .filter(|y| !y.is_empty())
                .collect();
            for y in years {
                shift(&mut self.by_year, y, m);
            }
        }
        let mut pupils: HashMap<i64, (Vec<Standing>, Vec<Standing>)> = HashMap::new();
        for l in links {
            let (before, after) = pupils.entry(l.pupil_id).or_default();
            before.push(l.before);
            after.push(l.after);
        }
        for (before, after) in pupils.values() {
            match (covered(before, rule), covered(after, rule)) {
                (false, true) => self.pupils_covered += 1,
                (true, false) => self.pupils_covered = self.pupils_covered.saturating_sub(1),
                _ => {}
            }
        }
    }

    /// The classes, in order.
    pub fn classes(&self) -> Vec<String> {
        self.by_class.iter().map(|(k, _)| k.clone()).collect()
    }
}

/// Moves one carer from their old standing to their new one in a group's counts.
fn shift(groups: &mut Vec<(String, Counts)>, key: &str, m: &CarerMove) {
    let at = match groups.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
        Ok(i) => i,
        Err(i) => {
            groups.insert(i, (key.to_string(), Counts::default()));
            i
        }
    };
    groups[at].1.remove(m.before.0, m.before.1);
    groups[at].1.add(m.after.0, m.after.1);
}

/// Whether a pupil whose carers stand so counts as covered under `rule`.
fn covered(carers: &[Standing], rule: CoverRule) -> bool {
    let mut signed = carers.iter().map(|(s, _)| *s == Status::Signed);
    match rule {
        CoverRule::OneCarer => signed.any(|s| s),
        CoverRule::EveryCarer => !carers.is_empty() && signed.all(|s| s),
    }
}

#[cfg(test)]
mod tests;
