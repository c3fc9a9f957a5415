//! The `signoff import-roster` command: the same reading, preview and import as the office page,
//! for files too large for it.

use std::fmt::Write;

use super::{Consent, Outcome, Reading, Request, Unknown, import, read, text};
use crate::store::{Db, schools};

/// `signoff import-roster`: reads a file as the office page would, prints its preview, and
/// imports it unless told not to. Returns the exit code and what to print.
pub async fn import_file(
    db: &Db,
    name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
    consent: &Consent,
) -> anyhow::Result<(i32, String)> {
    let mut out = String::new();
    let content = crate::domain::roster::decode(bytes);
    let school = schools::first(&db.read).await?.ok_or_else(|| {
        anyhow::anyhow!("the database has no school yet: start the portal once first")
    })?;
    let reading = read(db, school.id, content.clone(), None, Unknown::Ignore).await?;
    let preview = match reading {
        Reading::Ready(p) => p,
        other => {
            out.push_str(&text::not_ready(&other));
            out.push_str("Nothing was imported.\n");
            return Ok((1, out));
        }
    };
    let _ = writeln!(out, "{name}: {} rows", preview.parsed.rows);
    out.push_str(&text::preview(&preview));
    let code = if dry_run {
        let _ = writeln!(out, "Dry run: nothing was imported.");
        0
    } else if preview.plan.changes() == 0 {
        let _ = writeln!(out, "Nothing to import.");
        0
    } else {
        let now = time::OffsetDateTime::now_utc();
        let outcome = import(
            db,
            Request {
                school_id: school.id,
                upload_id: None,
                text: content,
                chosen: None,
                unknown_columns: Unknown::Ignore,
                consent: consent.clone(),
                actor: "system",
                now,
            },
        )
        .await?;
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
    };
    Ok((code, out))
}
