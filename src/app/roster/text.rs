//! The roster preview as plain text, for `signoff import-roster`: the same columns, problems and
//! names the office page shows.

use std::fmt::Write;

use super::{Preview, Reading};
use crate::domain::roster::{Problem, Target};

fn class_label(c: &str) -> &str {
    if c.is_empty() { "no class" } else { c }
}

fn problem_line(out: &mut String, p: &Problem) {
    let who = match (p.pupil.is_empty(), p.carer.is_empty()) {
        (false, false) => format!("{} / {}", p.pupil, p.carer),
        (false, true) => p.pupil.clone(),
        (true, false) => p.carer.clone(),
        (true, true) => String::new(),
    };
    let value = if p.value.is_empty() {
        String::new()
    } else {
        format!(" \u{201c}{}\u{201d}", p.value)
    };
    let _ = writeln!(
        out,
        "  row {:>6}  {:<24} {:<28}{value}: {}",
        p.row, p.column, who, p.message
    );
}

/// Why a file cannot be read as it is, and what to do.
pub fn not_ready(reading: &Reading) -> String {
    let mut out = String::new();
    match reading {
        Reading::Unreadable(e) => out.push_str(e),
        Reading::Busy => out.push_str(
            "Another roster file is being imported; run the command again in a minute.\n",
        ),
        Reading::NeedsMapping {
            mapping,
            unknown,
            gaps,
            ..
        } => {
            out.push_str("Signoff cannot tell what some columns hold:\n");
            for g in gaps {
                let _ = writeln!(out, "  - {g}");
            }
            for &i in unknown {
                let _ = writeln!(
                    out,
                    "  - not recognised: \u{201c}{}\u{201d}",
                    mapping.columns[i].header
                );
            }
            out.push_str("Upload the file once on the office's Roster page and choose the columns there; the choice is remembered and used here too.\n");
        }
        Reading::Ready(_) => {}
    }
    out
}

/// Every column, problem and change, by row number and name.
pub fn preview(p: &Preview) -> String {
    let mut out = String::new();
    let plan = &p.plan;
    let _ = writeln!(out, "Columns:");
    for c in &p.mapping.columns {
        let taken = if c.target == Target::Ignore {
            format!(
                "ignored{}",
                c.note
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            )
        } else {
            c.target.label()
        };
        let _ = writeln!(out, "  {:<28} {taken}", c.header);
    }
    let errors: Vec<&Problem> = p.parsed.problems.iter().filter(|x| x.is_error()).collect();
    let warnings: Vec<&Problem> = p.parsed.problems.iter().filter(|x| !x.is_error()).collect();
    if !errors.is_empty() {
        let _ = writeln!(
            out,
            "Errors ({}): {} rows cannot be imported",
            errors.len(),
            p.parsed.skipped.len()
        );
        errors.iter().for_each(|e| problem_line(&mut out, e));
    }
    if !warnings.is_empty() {
        let _ = writeln!(out, "Warnings ({}): imported as described", warnings.len());
        warnings.iter().for_each(|w| problem_line(&mut out, w));
    }
    let _ = writeln!(
        out,
        "pupils: {} added, {} updated, {} marked as left, {} unchanged",
        plan.add_pupils.len(),
        plan.update_pupils.len(),
        plan.leave_pupils.len(),
        plan.unchanged_pupils
    );
    let _ = writeln!(
        out,
        "carers: {} added, {} updated, {} marked as left, {} unchanged",
        plan.add_carers.len(),
        plan.update_carers.len(),
        plan.leave_carers.len(),
        plan.unchanged_carers
    );
    let mut names = |title: &str, list: Vec<String>| {
        if !list.is_empty() {
            let _ = writeln!(out, "{title} ({}):", list.len());
            for n in list {
                let _ = writeln!(out, "  {n}");
            }
        }
    };
    names(
        "Marked as left",
        plan.leave_pupils
            .iter()
            .map(|e| {
                format!(
                    "{} {} ({})",
                    e.first_name,
                    e.last_name,
                    class_label(&e.class_name)
                )
            })
            .collect(),
    );
    names(
        "Moving class",
        plan.moves()
            .map(|(e, n)| {
                format!(
                    "{} {}: {} to {}",
                    n.first_name,
                    n.last_name,
                    class_label(&e.class_name),
                    class_label(&n.class_name)
                )
            })
            .collect(),
    );
    names(
        "New pupils",
        plan.add_pupils
            .iter()
            .map(|n| {
                format!(
                    "{} {} ({})",
                    n.first_name,
                    n.last_name,
                    class_label(&n.class_name)
                )
            })
            .collect(),
    );
    out
}
