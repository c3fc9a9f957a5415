//! A summary counted from scratch out of the bare roster: what the dashboard needs after an
//! import or a publish, with no row per carer decoded into a record.

use std::collections::{BTreeMap, HashMap};

use super::{Counts, CoverRule, Standing, Status, Summary};

/// What a count from scratch reads.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    /// Each current carer and their standing.
    pub carers: Vec<(i64, Standing)>,
    /// The current pupils, grouped by class name and year group.
    pub groups: Vec<(String, String, Vec<i64>)>,
    /// Each link from a carer to a pupil, as (carer id, pupil id). Links to carers or pupils not
    /// above (who have left) are passed over.
    pub links: Vec<(i64, i64)>,
}

/// Where a current pupil is counted: their class, their year group (none when blank), and their
/// place in the per-pupil tallies.
#[derive(Clone, Copy)]
struct Place {
    class: usize,
    year: Option<usize>,
    at: usize,
}

impl Summary {
    /// Counts a roster from scratch. Equals [`Summary::of`] over the report built from the same
    /// carers and links (the unit tests hold it to that).
    pub fn count(roster: &Roster, rule: CoverRule) -> Summary {
        let mut s = Summary::default();
        let mut standing: HashMap<i64, Standing> = HashMap::with_capacity(roster.carers.len());
        for &(id, st) in &roster.carers {
            if standing.insert(id, st).is_none() {
                s.overall.add(st.0, st.1);
            }
        }
        let classes = names(roster.groups.iter().map(|g| g.0.as_str()));
        let years = names(
            roster
                .groups
                .iter()
                .map(|g| g.1.as_str())
                .filter(|y| !y.is_empty()),
        );
        let find = |names: &[&str], key: &str| names.binary_search(&key).ok();
        let mut place: HashMap<i64, Place> = HashMap::new();
        for (class, year, pupils) in &roster.groups {
            let (class, year) = (
                find(&classes, class).unwrap_or_default(),
                find(&years, year),
            );
            for &p in pupils {
                let at = place.len();
                place.entry(p).or_insert(Place { class, year, at });
            }
        }
        // Per pupil: current carers linked, and how many of them have signed.
        let mut tally = vec![(0u32, 0u32); place.len()];
        let (mut in_class, mut in_year) = (Vec::new(), Vec::new());
        for &(carer, pupil) in &roster.links {
            let (Some(st), Some(p)) = (standing.get(&carer), place.get(&pupil)) else {
                continue;
            };
            in_class.push((p.class, carer));
            if let Some(y) = p.year {
                in_year.push((y, carer));
            }
            tally[p.at].0 += 1;
            tally[p.at].1 += u32::from(st.0 == Status::Signed);
        }
        s.by_class = per_group(in_class, &classes, &standing);
        s.by_year = per_group(in_year, &years, &standing);
        let linked = tally.iter().filter(|(n, _)| *n > 0);
        s.pupils = linked.clone().count();
        s.pupils_covered = match rule {
            CoverRule::OneCarer => linked.filter(|(_, signed)| *signed > 0).count(),
            CoverRule::EveryCarer => linked.filter(|(n, signed)| signed == n).count(),
        };
        s
    }
}

/// The distinct names, in order.
fn names<'a>(all: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut names: Vec<&str> = all.collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Each group's counts, a carer counted once in a group however many of their children are in it.
fn per_group(
    mut members: Vec<(usize, i64)>,
    names: &[&str],
    standing: &HashMap<i64, Standing>,
) -> Vec<(String, Counts)> {
    members.sort_unstable();
    members.dedup();
    let mut groups: BTreeMap<usize, Counts> = BTreeMap::new();
    for (group, carer) in members {
        if let Some(&(status, paper)) = standing.get(&carer) {
            groups.entry(group).or_default().add(status, paper);
        }
    }
    groups
        .into_iter()
        .map(|(g, c)| (names[g].to_string(), c))
        .collect()
}
