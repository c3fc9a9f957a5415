//! A summary with moves applied must equal a summary counted again from scratch, under both
//! cover rules, with paper forms, must-re-sign carers and carers with no children.

use super::*;
use crate::domain::status::report::standing;
use crate::domain::status::{CarerRecord, PupilLink};

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn carer(id: i64, best: Option<i64>, paper: bool) -> CarerRecord {
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
        best_method: best.map(|_| if paper { "paper" } else { "online" }.to_string()),
        best_signed_at: best.map(|_| "2026-11-21T10:00:00Z".to_string()),
    }
}

/// A school: carers 1..=n, pupils with one to three carers, classes and year groups (some
/// empty), and a carer or two with no children at all.
fn school(rng: &mut Lcg, n: i64) -> (Vec<CarerRecord>, Vec<PupilLink>) {
    let carers = (1..=n)
        .map(|id| {
            let best = match rng.next(4) {
                0 => None,
                1 => Some(1),
                _ => Some(2),
            };
            carer(id, best, rng.next(3) == 0)
        })
        .collect();
    let mut links = Vec::new();
    for pupil in 100..(100 + n) {
        let class = ["3A", "3B", "", "5C"][rng.next(4) as usize];
        let year = ["Year 3", "", "Year 5"][rng.next(3) as usize];
        let mut theirs: Vec<i64> = (0..1 + rng.next(3))
            .map(|_| 1 + rng.next(n as u64 - 2) as i64)
            .collect();
        theirs.sort_unstable();
        theirs.dedup();
        for carer_id in theirs {
            links.push(PupilLink {
                carer_id,
                pupil_id: pupil,
                first_name: format!("P{pupil}"),
                last_name: "Y".into(),
                class_name: class.into(),
                year_group: year.into(),
            });
        }
    }
    (carers, links)
}

/// Some carers sign (online or on paper) a version: the latest, or an older one.
fn sign_some(rng: &mut Lcg, carers: &[CarerRecord]) -> Vec<CarerRecord> {
    let chosen: Vec<&CarerRecord> = carers.iter().filter(|_| rng.next(3) == 0).collect();
    chosen
        .into_iter()
        .map(|c| {
            let version = 1 + rng.next(2) as i64;
            let best = c.best_signed.map_or(version, |b| b.max(version));
            let paper = if Some(best) == c.best_signed {
                c.best_method.as_deref() == Some("paper")
            } else {
                rng.next(2) == 0
            };
            carer(c.id, Some(best), paper)
        })
        .collect()
}

/// The moves for `changed`, as the database gives them: each changed carer, and every link of
/// every pupil of theirs.
fn moves(
    before: &[CarerRecord],
    changed: &[CarerRecord],
    links: &[PupilLink],
    latest: i64,
) -> (Vec<CarerMove>, Vec<LinkMove>) {
    let old = |id: i64| standing(before.iter().find(|c| c.id == id).unwrap(), latest);
    let new = |id: i64| {
        changed
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| old(id), |c| standing(c, latest))
    };
    let carers = changed
        .iter()
        .map(|c| CarerMove {
            carer_id: c.id,
            before: old(c.id),
            after: new(c.id),
        })
        .collect();
    let touched: BTreeSet<i64> = links
        .iter()
        .filter(|l| changed.iter().any(|c| c.id == l.carer_id))
        .map(|l| l.pupil_id)
        .collect();
    let links = links
        .iter()
        .filter(|l| touched.contains(&l.pupil_id))
        .map(|l| LinkMove {
            pupil_id: l.pupil_id,
            carer_id: l.carer_id,
            class_name: l.class_name.clone(),
            year_group: l.year_group.clone(),
            before: old(l.carer_id),
            after: new(l.carer_id),
        })
        .collect();
    (carers, links)
}

#[test]
fn moves_applied_equal_a_rebuild_under_both_rules() {
    for seed in 0..40 {
        for rule in [CoverRule::OneCarer, CoverRule::EveryCarer] {
            let mut rng = Lcg(seed);
            let latest = 2;
            let (carers, links) = school(&mut rng, 30);
            let report = Report::build(carers.clone(), links.clone(), latest, rule);
            let mut summary = Summary::of(&report);
            let changed = sign_some(&mut rng, &carers);
            let after: Vec<CarerRecord> = carers
                .iter()
                .map(|c| changed.iter().find(|n| n.id == c.id).unwrap_or(c).clone())
                .collect();
            let rebuilt = Report::build(after, links.clone(), latest, rule);

            let (carer_moves, link_moves) = moves(&carers, &changed, &links, latest);
            summary.apply(&carer_moves, &link_moves, rule);
            assert_eq!(summary, Summary::of(&rebuilt), "seed {seed}, {rule:?}");

            let updated = report.with_records(changed.clone());
            assert_eq!(updated.covered, rebuilt.covered, "seed {seed}, {rule:?}");
            let standing = |r: &Report| {
                r.carers
                    .iter()
                    .map(|c| (c.record.id, c.status, c.paper, c.record.best_signed))
                    .collect::<Vec<_>>()
            };
            assert_eq!(standing(&updated), standing(&rebuilt), "seed {seed}");
            assert_eq!(Summary::of(&updated), Summary::of(&rebuilt), "seed {seed}");
        }
    }
}

#[test]
fn a_paper_form_moves_the_paper_count_with_its_class() {
    let carers = vec![carer(1, None, false), carer(2, Some(1), false)];
    let link = |carer_id, pupil_id, class: &str| PupilLink {
        carer_id,
        pupil_id,
        first_name: "P".into(),
        last_name: "Y".into(),
        class_name: class.into(),
        year_group: "Year 4".into(),
    };
    let links = vec![link(1, 10, "4A"), link(2, 10, "4A"), link(1, 11, "4B")];
    let rule = CoverRule::EveryCarer;
    let report = Report::build(carers.clone(), links.clone(), 2, rule);
    let mut summary = Summary::of(&report);
    assert_eq!(summary.pupils_covered, 0);
    let changed = vec![carer(1, Some(2), true)];
    let (c, l) = moves(&carers, &changed, &links, 2);
    summary.apply(&c, &l, rule);
    assert_eq!(summary.overall.paper, 1);
    assert_eq!(summary.by_class[0].1.paper, 1, "4A");
    assert_eq!(summary.by_class[1].1.paper, 1, "4B");
    assert_eq!(summary.by_year[0].1.signed, 1, "counted once in Year 4");
    // Pupil 11's only carer signed; pupil 10's other carer must still re-sign.
    assert_eq!(summary.pupils_covered, 1);
}

/// The roster a count from scratch reads for the same school: current carers with their
/// standing, pupils grouped by class and year, and the links, with a pupil no current carer is
/// linked to and a link to a carer who has left (both passed over, as the report passes them).
fn roster(carers: &[CarerRecord], links: &[PupilLink], latest: i64) -> Roster {
    let mut groups: BTreeMap<(String, String), Vec<i64>> = BTreeMap::new();
    for l in links {
        let ids = groups
            .entry((l.class_name.clone(), l.year_group.clone()))
            .or_default();
        if !ids.contains(&l.pupil_id) {
            ids.push(l.pupil_id);
        }
    }
    groups
        .entry(("9Z".into(), "Year 9".into()))
        .or_default()
        .push(9_999);
    let mut links: Vec<(i64, i64)> = links.iter().map(|l| (l.carer_id, l.pupil_id)).collect();
    links.push((8_888, 100));
    Roster {
        carers: carers.iter().map(|c| (c.id, standing(c, latest))).collect(),
        groups: groups
            .into_iter()
            .map(|((c, y), ids)| (c, y, ids))
            .collect(),
        links,
    }
}

#[test]
fn a_count_from_the_bare_roster_equals_the_report_under_both_rules() {
    for seed in 0..40 {
        for rule in [CoverRule::OneCarer, CoverRule::EveryCarer] {
            let mut rng = Lcg(seed);
            let (carers, links) = school(&mut rng, 30);
            let signed = sign_some(&mut rng, &carers);
            let carers: Vec<CarerRecord> = carers
                .iter()
                .map(|c| signed.iter().find(|n| n.id == c.id).unwrap_or(c).clone())
                .collect();
            let report = Report::build(carers.clone(), links.clone(), 2, rule);
            let counted = Summary::count(&roster(&carers, &links, 2), rule);
            assert_eq!(counted, Summary::of(&report), "seed {seed}, {rule:?}");
        }
    }
}
