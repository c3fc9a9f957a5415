//! The office's view of one document across a school: every carer's status, which pupils are
//! covered, and the counts overall, by class and by year.

use std::collections::HashMap;
use std::sync::Arc;

use super::Status;
use super::rows::{CarerRecord, PupilLink};
use crate::domain::text::fold;

/// When a pupil counts as covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverRule {
    /// One linked carer has signed (the default).
    OneCarer,
    /// Every linked carer has signed.
    EveryCarer,
}

impl CoverRule {
    pub fn parse(s: &str) -> CoverRule {
        if s == "all" {
            CoverRule::EveryCarer
        } else {
            CoverRule::OneCarer
        }
    }
}

/// One carer's standing, with the indexes of their children in [`Report::pupils`]. The record and
/// the children are shared between a report and the next one a signature makes of it.
#[derive(Debug, Clone)]
pub struct CarerStatus {
    pub record: Arc<CarerRecord>,
    pub status: Status,
    pub paper: bool,
    pub children: Arc<[usize]>,
}

/// A current pupil and their current carers.
#[derive(Debug, Clone)]
pub struct PupilStatus {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub class_name: String,
    pub year_group: String,
    /// Indexes into [`Report::carers`].
    pub carers: Vec<usize>,
}

/// Every carer's and pupil's standing with one document, for the office's lists, letters and
/// export (the counts are a [`super::Summary`]). The pupils never change between rebuilds and are
/// shared; a signature changes one carer's entry and their children's `covered`.
#[derive(Debug, Clone)]
pub struct Report {
    pub carers: Vec<CarerStatus>,
    pub pupils: Arc<Vec<PupilStatus>>,
    /// Per pupil (by index): whether the school's rule counts them as covered.
    pub covered: Vec<bool>,
    /// Carer id → index in `carers`.
    index: Arc<HashMap<i64, usize>>,
    latest_material: i64,
    rule: CoverRule,
}

/// Which carers a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    /// Not signed or must re-sign.
    Outstanding,
    Only(Status),
    Paper,
}

impl StatusFilter {
    pub fn parse(s: &str) -> StatusFilter {
        match s {
            "outstanding" => StatusFilter::Outstanding,
            "signed" => StatusFilter::Only(Status::Signed),
            "must-resign" => StatusFilter::Only(Status::MustResign),
            "not-signed" => StatusFilter::Only(Status::NotSigned),
            "paper" => StatusFilter::Paper,
            _ => StatusFilter::All,
        }
    }

    fn accepts(self, c: &CarerStatus) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Outstanding => c.status != Status::Signed,
            StatusFilter::Only(s) => c.status == s,
            StatusFilter::Paper => c.status == Status::Signed && c.paper,
        }
    }
}

impl Report {
    /// Builds the report. `carers` are the school's current carers; `links` their current children.
    pub fn build(
        carers: Vec<CarerRecord>,
        mut links: Vec<PupilLink>,
        latest_material: i64,
        rule: CoverRule,
    ) -> Report {
        // Pupils are listed in the order they are first met: by class, then name.
        links.sort_by(|a, b| {
            (&a.class_name, &a.last_name, &a.first_name, a.pupil_id).cmp(&(
                &b.class_name,
                &b.last_name,
                &b.first_name,
                b.pupil_id,
            ))
        });
        let mut carer_index = HashMap::with_capacity(carers.len());
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); carers.len()];
        for (i, record) in carers.iter().enumerate() {
            carer_index.insert(record.id, i);
        }
        let mut pupils: Vec<PupilStatus> = Vec::new();
        let mut pupil_index: HashMap<i64, usize> = HashMap::new();
        for link in links {
            let Some(&ci) = carer_index.get(&link.carer_id) else {
                continue;
            };
            let pi = *pupil_index.entry(link.pupil_id).or_insert_with(|| {
                pupils.push(PupilStatus {
                    id: link.pupil_id,
                    first_name: link.first_name,
                    last_name: link.last_name,
                    class_name: link.class_name,
                    year_group: link.year_group,
                    carers: Vec::new(),
                });
                pupils.len() - 1
            });
            pupils[pi].carers.push(ci);
            children[ci].push(pi);
        }
        let carers = carers
            .into_iter()
            .zip(children)
            .map(|(record, children)| {
                let (status, paper) = standing(&record, latest_material);
                CarerStatus {
                    record: Arc::new(record),
                    status,
                    paper,
                    children: children.into(),
                }
            })
            .collect();
        let mut report = Report {
            carers,
            covered: vec![false; pupils.len()],
            pupils: Arc::new(pupils),
            index: Arc::new(carer_index),
            latest_material,
            rule,
        };
        for p in 0..report.pupils.len() {
            report.covered[p] = report.is_covered(p);
        }
        report
    }

    /// Whether the school's rule counts pupil `p` as covered, from their carers' standing.
    fn is_covered(&self, p: usize) -> bool {
        let carers = &self.pupils[p].carers;
        let mut signed = carers
            .iter()
            .map(|&i| self.carers[i].status == Status::Signed);
        match self.rule {
            CoverRule::OneCarer => signed.any(|s| s),
            CoverRule::EveryCarer => !carers.is_empty() && signed.all(|s| s),
        }
    }

    /// The same report with these carers' records (as read again after they signed) in place of
    /// their old ones: their standing and their children's cover follow. Carers not in the
    /// report (left since) are ignored.
    pub fn with_records(&self, records: Vec<CarerRecord>) -> Report {
        let mut next = self.clone();
        let mut touched_pupils = Vec::new();
        for record in records {
            let Some(&i) = self.index.get(&record.id) else {
                continue;
            };
            let (status, paper) = standing(&record, self.latest_material);
            let c = &mut next.carers[i];
            c.record = Arc::new(record);
            c.status = status;
            c.paper = paper;
            touched_pupils.extend(c.children.iter().copied());
        }
        for p in touched_pupils {
            next.covered[p] = next.is_covered(p);
        }
        next
    }

    /// Carers matching a class, a status and a name search (carer's or child's), by surname.
    pub fn carers_where(
        &self,
        class: Option<&str>,
        status: StatusFilter,
        search: Option<&str>,
    ) -> Vec<&CarerStatus> {
        let q = search.map(fold).filter(|q| !q.trim().is_empty());
        let mut out: Vec<&CarerStatus> = self
            .carers
            .iter()
            .filter(|c| status.accepts(c))
            .filter(|c| {
                class.is_none_or(|k| c.children.iter().any(|&p| self.pupils[p].class_name == k))
            })
            .filter(|c| {
                q.as_deref().is_none_or(|q| {
                    let q = q.trim();
                    fold(&c.record.full_name()).contains(q)
                        || c.children.iter().any(|&p| {
                            let p = &self.pupils[p];
                            fold(&format!("{} {}", p.first_name, p.last_name)).contains(q)
                        })
                })
            })
            .collect();
        out.sort_by_cached_key(|c| fold(&c.record.sort_name()));
        out
    }
}

/// A carer's status and whether it rests on a paper form, from their best signature.
pub(super) fn standing(record: &CarerRecord, latest_material: i64) -> (Status, bool) {
    let status = Status::from_signed(record.best_signed, latest_material);
    let paper = record.best_method.as_deref() == Some("paper");
    (status, paper)
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use crate::domain::status::{Counts, Summary};

    fn carer(id: i64, best: Option<i64>, method: &str) -> CarerRecord {
        CarerRecord {
            id,
            title: String::new(),
            first_name: format!("C{id}"),
            last_name: "X".into(),
            email: String::new(),
            phone: String::new(),
            address: String::new(),
            postcode: String::new(),
            best_signed: best,
            best_method: best.map(|_| method.to_string()),
            best_signed_at: None,
        }
    }

    fn link(carer_id: i64, pupil_id: i64, class: &str) -> PupilLink {
        PupilLink {
            carer_id,
            pupil_id,
            first_name: format!("P{pupil_id}"),
            last_name: "Y".into(),
            class_name: class.into(),
            year_group: format!("Year {}", &class[..1]),
        }
    }

    #[test]
    fn counts_per_class_and_cover_rules() {
        // Latest material version is 2. Carer 1 signed v2 online, 2 signed v1, 3 never, 4 signed v2 on paper.
        let carers = vec![
            carer(1, Some(2), "online"),
            carer(2, Some(1), "online"),
            carer(3, None, ""),
            carer(4, Some(2), "paper"),
        ];
        // Pupil 10 (3B): carers 1 and 2. Pupil 11 (3B): carer 3. Pupil 12 (5A): carers 4 and 1.
        let links = vec![
            link(1, 10, "3B"),
            link(2, 10, "3B"),
            link(3, 11, "3B"),
            link(4, 12, "5A"),
            link(1, 12, "5A"),
        ];
        let r = Report::build(carers.clone(), links.clone(), 2, CoverRule::OneCarer);
        let s = Summary::of(&r);
        assert_eq!(
            s.overall,
            Counts {
                signed: 2,
                must_resign: 1,
                not_signed: 1,
                paper: 1
            }
        );
        assert_eq!(
            s.by_class[0],
            (
                "3B".into(),
                Counts {
                    signed: 1,
                    must_resign: 1,
                    not_signed: 1,
                    paper: 0
                }
            )
        );
        assert_eq!(
            s.by_class[1],
            (
                "5A".into(),
                Counts {
                    signed: 2,
                    must_resign: 0,
                    not_signed: 0,
                    paper: 1
                }
            )
        );
        assert_eq!(s.pupils_covered, 2);
        assert_eq!(s.overall.pct_signed(), 50);
        let every = Report::build(carers, links, 2, CoverRule::EveryCarer);
        assert_eq!(
            Summary::of(&every).pupils_covered,
            1,
            "only pupil 12 has every carer signed"
        );

        let out = r.carers_where(Some("3B"), StatusFilter::Outstanding, None);
        assert_eq!(
            out.iter().map(|c| c.record.id).collect::<Vec<_>>(),
            vec![2, 3]
        );
        let found = r.carers_where(None, StatusFilter::All, Some("p12"));
        assert_eq!(
            found.iter().map(|c| c.record.id).collect::<Vec<_>>(),
            vec![1, 4]
        );
        assert_eq!(r.carers_where(None, StatusFilter::Paper, None).len(), 1);
    }
}
