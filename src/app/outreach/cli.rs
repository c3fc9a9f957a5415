//! The `signoff invite` command: the office's "Email or text these carers" from the shell.

use std::fmt::Write;

use super::campaign::{By, Choice, prepare, queue};
use crate::app::{AppError, AppState};
use crate::store::schools::School;

/// Queues the campaign for a school; returns the exit code and what to print (0 queued or
/// nobody to message, 1 sending is not set up).
pub async fn invite(
    state: &AppState,
    school: &School,
    c: &Choice,
) -> Result<(i32, String), AppError> {
    let mut out = String::new();
    let mut p = prepare(state, school.scope, c).await?;
    if let Some(why) = p.setup.blocked() {
        let _ = writeln!(out, "Nothing was queued: {why}");
        return Ok((1, out));
    }
    let _ = writeln!(
        out,
        "{}: {} carers chosen ({}); {} already signed.",
        p.loaded.doc.version.title,
        p.chosen,
        c.describe(),
        p.plan.signed
    );
    let left = super::campaign::skip_just_invited(
        state,
        school.scope,
        p.loaded.doc.document.id,
        &mut p.plan,
    )
    .await?;
    if left == 0 {
        let _ = writeln!(
            out,
            "Nobody to message (anyone reachable was invited in the last 10 minutes)."
        );
    } else {
        let id = queue(
            state,
            By::System,
            school.scope,
            p.loaded.doc.document.id,
            "invitation",
            &c.describe(),
            &p.plan,
        )
        .await?;
        let _ = writeln!(
            out,
            "Queued campaign {id}: {} emails and {} text messages to {} carers. The running portal sends them; see Messages in the office pages.",
            p.plan.emails,
            p.plan.texts,
            p.plan.recipients.len()
        );
    }
    if !p.plan.unreachable.is_empty() {
        let _ = writeln!(
            out,
            "{} carers cannot be reached by message (print letters for them):",
            p.plan.unreachable.len()
        );
        for (_, name, why) in &p.plan.unreachable {
            let _ = writeln!(out, "  {name}: {why}");
        }
    }
    Ok((0, out))
}
