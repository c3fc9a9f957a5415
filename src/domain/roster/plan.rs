//! What importing a read file would change, compared with a snapshot of the database.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use super::{CarerIn, Parsed, PupilIn, carer_key, pupil_key};

/// A pupil as the database has them.
#[derive(Debug, Clone)]
pub struct ExistingPupil {
    pub id: i64,
    pub mis_id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub class_name: String,
    pub year_group: String,
    pub left_on: Option<String>,
}

/// A carer as the database has them.
#[derive(Debug, Clone)]
pub struct ExistingCarer {
    pub id: i64,
    pub mis_id: Option<String>,
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    pub left_on: Option<String>,
    pub language: Option<String>,
    /// The carer chose their language on their own pages: an import never changes it.
    pub language_chosen: bool,
}

/// What the database has for a school.
#[derive(Debug, Clone, Default)]
pub struct Existing {
    pub pupils: Vec<ExistingPupil>,
    pub carers: Vec<ExistingCarer>,
    /// (carer id, pupil id)
    pub links: Vec<(i64, i64)>,
}

/// A pupil or carer in a plan: one the roster has, or the n-th of those the plan adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Existing(i64),
    New(usize),
}

/// A link the import makes between a carer and a pupil.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLink {
    pub carer: Slot,
    pub pupil: Slot,
    pub relationship: String,
}

/// What importing a parsed file would do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub add_pupils: Vec<PupilIn>,
    /// The pupil as it is, and as it will be (a missing class keeps the current one).
    pub update_pupils: Vec<(ExistingPupil, PupilIn)>,
    pub leave_pupils: Vec<ExistingPupil>,
    pub add_carers: Vec<CarerIn>,
    pub update_carers: Vec<(i64, CarerIn)>,
    pub leave_carers: Vec<ExistingCarer>,
    /// Links to add (new rows get their ids during the import).
    pub add_links: Vec<NewLink>,
    /// (carer id, pupil id) links the file no longer has.
    pub remove_links: Vec<(i64, i64)>,
    pub unchanged_pupils: usize,
    pub unchanged_carers: usize,
    /// Pupils on the roster (not left) before the import.
    pub current_pupils: usize,
}

impl Plan {
    pub fn changes(&self) -> usize {
        self.add_pupils.len()
            + self.update_pupils.len()
            + self.leave_pupils.len()
            + self.add_carers.len()
            + self.update_carers.len()
            + self.leave_carers.len()
            + self.add_links.len()
            + self.remove_links.len()
    }

    /// Pupils whose class changes: (as they are, as they will be).
    pub fn moves(&self) -> impl Iterator<Item = &(ExistingPupil, PupilIn)> {
        self.update_pupils
            .iter()
            .filter(|(e, p)| e.left_on.is_none() && e.class_name != p.class_name)
    }

    /// Pupils who had left and are back in the file.
    pub fn returners(&self) -> impl Iterator<Item = &(ExistingPupil, PupilIn)> {
        self.update_pupils
            .iter()
            .filter(|(e, _)| e.left_on.is_some())
    }

    /// More than a third of the current pupils would be marked as left: likely the wrong file,
    /// so the office must confirm it.
    pub fn needs_leaver_confirmation(&self) -> bool {
        self.current_pupils > 0 && self.leave_pupils.len() * 3 > self.current_pupils
    }

    /// A fingerprint of exactly what would be written, to tell whether the database changed
    /// between a preview and its import.
    pub fn digest(&self) -> String {
        /// Feeds formatted text straight into the hash, so a large plan is never one big string.
        struct Hashing(Sha256);
        impl std::fmt::Write for Hashing {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.0.update(s.as_bytes());
                Ok(())
            }
        }
        let mut h = Hashing(Sha256::new());
        let _ = std::fmt::Write::write_fmt(&mut h, format_args!("{self:?}"));
        hex::encode(h.0.finalize())
    }
}

/// What an import did, in numbers: kept with the upload and shown to the office afterwards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub pupils_added: usize,
    pub pupils_updated: usize,
    pub pupils_left: usize,
    pub carers_added: usize,
    pub carers_updated: usize,
    pub carers_left: usize,
    pub skipped: usize,
}

impl Summary {
    pub fn of(plan: &Plan, skipped: usize) -> Summary {
        Summary {
            pupils_added: plan.add_pupils.len(),
            pupils_updated: plan.update_pupils.len(),
            pupils_left: plan.leave_pupils.len(),
            carers_added: plan.add_carers.len(),
            carers_updated: plan.update_carers.len(),
            carers_left: plan.leave_carers.len(),
            skipped,
        }
    }

    fn numbers(&self) -> [usize; 7] {
        [
            self.pupils_added,
            self.pupils_updated,
            self.pupils_left,
            self.carers_added,
            self.carers_updated,
            self.carers_left,
            self.skipped,
        ]
    }

    /// Seven numbers separated by spaces, as stored.
    pub fn to_text(&self) -> String {
        self.numbers().map(|n| n.to_string()).join(" ")
    }

    pub fn from_text(s: &str) -> Option<Summary> {
        let n: Vec<usize> = s
            .split(' ')
            .map(|x| x.parse().ok())
            .collect::<Option<Vec<_>>>()?;
        let [a, b, c, d, e, f, g] = n[..] else {
            return None;
        };
        Some(Summary {
            pupils_added: a,
            pupils_updated: b,
            pupils_left: c,
            carers_added: d,
            carers_updated: e,
            carers_left: f,
            skipped: g,
        })
    }
}

impl std::fmt::Display for Summary {
    /// "1 pupil added, 2 updated, 0 marked as left; 3 carers added, 0 updated, 0 marked as left"
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let noun =
            |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        write!(
            f,
            "{} {} added, {} updated, {} marked as left; {} {} added, {} updated, {} marked as left",
            self.pupils_added,
            noun(self.pupils_added, "pupil", "pupils"),
            self.pupils_updated,
            self.pupils_left,
            self.carers_added,
            noun(self.carers_added, "carer", "carers"),
            self.carers_updated,
            self.carers_left
        )
    }
}

/// Compares a parsed file with what the database has.
///
/// The file's pupils, carers and links move into the plan (a large file is never held twice):
/// `parsed` keeps its row count, problems and skipped rows.
pub fn plan(parsed: &mut Parsed, existing: &Existing) -> Plan {
    let mut p = Plan {
        current_pupils: existing
            .pupils
            .iter()
            .filter(|e| e.left_on.is_none())
            .count(),
        ..Plan::default()
    };
    let pupil_ids: HashMap<String, &ExistingPupil> = existing
        .pupils
        .iter()
        .flat_map(|e| {
            let mut keys = vec![(pupil_key(None, &e.first_name, &e.last_name), e)];
            if let Some(m) = &e.mis_id {
                keys.insert(0, (pupil_key(Some(m), "", ""), e));
            }
            keys
        })
        .rev()
        .collect();
    let carer_ids: HashMap<String, &ExistingCarer> = existing
        .carers
        .iter()
        .flat_map(|e| {
            let mut keys = vec![(carer_key(None, &e.first_name, &e.last_name, &e.email), e)];
            if let Some(m) = &e.mis_id {
                keys.insert(0, (carer_key(Some(m), "", "", ""), e));
            }
            keys
        })
        .rev()
        .collect();
    let held_pupils: HashSet<i64> = parsed
        .held_pupils
        .iter()
        .filter_map(|k| pupil_ids.get(k).map(|e| e.id))
        .collect();
    let held_carers: HashSet<i64> = parsed
        .held_carers
        .iter()
        .filter_map(|k| carer_ids.get(k).map(|e| e.id))
        .collect();
    let mut seen_pupils = HashSet::new();
    let mut pupil_slots = Vec::with_capacity(parsed.pupils.len());
    for mut pupil in std::mem::take(&mut parsed.pupils) {
        match pupil_ids
            .get(&pupil.key)
            .filter(|e| seen_pupils.insert(e.id))
        {
            Some(e) => {
                pupil_slots.push(Slot::Existing(e.id));
                if pupil.class_name.is_empty() {
                    pupil.class_name = e.class_name.clone();
                }
                let same = e.first_name == pupil.first_name
                    && e.last_name == pupil.last_name
                    && e.class_name == pupil.class_name
                    && e.year_group == pupil.year_group
                    && e.mis_id == pupil.mis_id
                    && e.left_on.is_none();
                if same {
                    p.unchanged_pupils += 1;
                } else {
                    p.update_pupils.push(((*e).clone(), pupil));
                }
            }
            None => {
                pupil_slots.push(Slot::New(p.add_pupils.len()));
                p.add_pupils.push(pupil);
            }
        }
    }
    p.leave_pupils = existing
        .pupils
        .iter()
        .filter(|e| {
            e.left_on.is_none() && !seen_pupils.contains(&e.id) && !held_pupils.contains(&e.id)
        })
        .cloned()
        .collect();
    let mut seen_carers = HashSet::new();
    let mut carer_slots = Vec::with_capacity(parsed.carers.len());
    for carer in std::mem::take(&mut parsed.carers) {
        match carer_ids
            .get(&carer.key)
            .filter(|e| seen_carers.insert(e.id))
        {
            Some(e) => {
                carer_slots.push(Slot::Existing(e.id));
                let same = e.title == carer.title
                    && e.first_name == carer.first_name
                    && e.last_name == carer.last_name
                    && e.email == carer.email
                    && e.phone == carer.phone
                    && e.address == carer.address
                    && e.postcode == carer.postcode
                    && e.mis_id == carer.mis_id
                    && (e.language_chosen
                        || carer.language.is_none()
                        || e.language == carer.language)
                    && e.left_on.is_none();
                if same {
                    p.unchanged_carers += 1;
                } else {
                    p.update_carers.push((e.id, carer));
                }
            }
            None => {
                carer_slots.push(Slot::New(p.add_carers.len()));
                p.add_carers.push(carer);
            }
        }
    }
    p.leave_carers = existing
        .carers
        .iter()
        .filter(|e| {
            e.left_on.is_none() && !seen_carers.contains(&e.id) && !held_carers.contains(&e.id)
        })
        .cloned()
        .collect();
    let existing_links: HashSet<(i64, i64)> = existing.links.iter().copied().collect();
    let mut wanted = HashSet::new();
    for link in std::mem::take(&mut parsed.links) {
        let (carer, pupil) = (carer_slots[link.carer], pupil_slots[link.pupil]);
        if let (Slot::Existing(c), Slot::Existing(pu)) = (carer, pupil) {
            wanted.insert((c, pu));
            if existing_links.contains(&(c, pu)) {
                continue;
            }
        }
        p.add_links.push(NewLink {
            carer,
            pupil,
            relationship: link.relationship,
        });
    }
    let file_pupils: HashSet<i64> = pupil_slots
        .iter()
        .filter_map(|s| match s {
            Slot::Existing(id) => Some(*id),
            Slot::New(_) => None,
        })
        .collect();
    p.remove_links = existing
        .links
        .iter()
        .filter(|l| {
            file_pupils.contains(&l.1) && !held_pupils.contains(&l.1) && !wanted.contains(l)
        })
        .copied()
        .collect();
    p
}
