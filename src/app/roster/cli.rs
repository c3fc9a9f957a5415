//! The `signoff import-roster` command: the same reading, preview and import as the office page,
//! for files too large for it.

use std::fmt::Write;

use super::{
    Consent, Outcome, Reading, Terms, Unknown, finish, plan_in, plan_now, rows_in_turn, text,
};
use crate::store::Db;
use crate::store::schools::School;

/// `signoff import-roster`: reads a file as the office page would, prints its preview, and
/// imports it unless told not to. Returns the exit code and what to print.
pub async fn import_file(
    db: &Db,
    school: &School,
    name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
    consent: &Consent,
) -> anyhow::Result<(i32, String)> {
    let mut out = String::new();
    let content = crate::domain::roster::decode(bytes);
    let Some(_turn) = db.start_job("roster", school.scope) else {
        out.push_str(&text::not_ready(&Reading::Busy));
        out.push_str("Nothing was imported.\n");
        return Ok((1, out));
    };
    let rows = match rows_in_turn(db, school.scope, content, None, Unknown::Ignore).await? {
        Ok(p) => p,
        Err(other) => {
            out.push_str(&text::not_ready(&other));
            out.push_str("Nothing was imported.\n");
            return Ok((1, out));
        }
    };
    // The file is read once; an import plans it inside its write transaction, so what is shown
    // is exactly what is imported.
    let mut tx = None;
    let preview = if dry_run {
        plan_now(db, school.scope, rows).await?
    } else {
        let mut write = db.begin().await?;
        let preview = plan_in(&mut write, school.scope, rows).await?;
        tx = Some(write);
        preview
    };
    let _ = writeln!(out, "{name}: {} rows", preview.parsed.rows);
    out.push_str(&text::preview(&preview));
    let code = if let Some(tx) = tx.filter(|_| preview.plan.changes() > 0) {
        let terms = Terms {
            scope: school.scope,
            upload_id: None,
            consent: consent.clone(),
            actor: "system",
            now: time::OffsetDateTime::now_utc(),
        };
        let outcome = finish(tx, preview, &terms).await?;
        match outcome {
            Outcome::Imported(summary) => {
                let _ = writeln!(out, "{summary}.");
                if summary.skipped > 0 {
                    let _ = writeln!(
                        out,
                        "Imported; {} rows with errors were skipped.",
                        summary.skipped
                    );
                } else {
                    let _ = writeln!(out, "Imported.");
                }
                0
            }
            Outcome::HasErrors(p) => {
                let _ = writeln!(
                    out,
                    "{} rows have errors, so nothing was imported. Fix them, or run again with --skip-invalid to import the other rows.",
                    p.parsed.skipped.len()
                );
                1
            }
            Outcome::NeedsLeaverConfirmation(p) => {
                let _ = writeln!(
                    out,
                    "{} of {} pupils would be marked as left, so nothing was imported. If that is right, run again with --confirm-leavers.",
                    p.plan.leave_pupils.len(),
                    p.plan.current_pupils
                );
                3
            }
            Outcome::NotReady(r) => {
                out.push_str(&text::not_ready(&r));
                1
            }
            Outcome::Changed(_) => {
                let _ = writeln!(
                    out,
                    "The roster changed while importing; run the command again."
                );
                1
            }
        }
    } else if dry_run {
        let _ = writeln!(out, "Dry run: nothing was imported.");
        0
    } else {
        let _ = writeln!(out, "Nothing to import.");
        0
    };
    Ok((code, out))
}
