//! Publishing: the draft becomes the next immutable version, with its canonical text and hash
//! fixed, its review recorded and the draft closed, in one transaction.

use crate::app::limit::Verdict;
use crate::app::{AppError, AppState, FieldErrors};
use crate::domain::dates::read_date;
use crate::domain::london::to_london;
use crate::domain::role::Actor;
use crate::domain::secret;
use crate::domain::text::{is_plain, tidy_block};
use crate::store::documents::{self, Document};
use crate::store::drafts::{self, Draft};
use crate::store::{audit, staff};

use crate::domain::draft::publish_errors;

/// What the headteacher chose on the publish page.
pub struct Choice<'a> {
    /// `material` or `minor` (ignored for a first version, which everyone signs).
    pub change: &'a str,
    pub summary: &'a str,
    pub password: String,
    /// The approval and review dates as typed on the publish page (`None`: keep the draft's).
    pub approved_on: Option<&'a str>,
    pub last_reviewed: Option<&'a str>,
    pub next_review_due: Option<&'a str>,
}

/// Where publishing stands for a document with an open draft.
pub struct Pending {
    pub draft: Draft,
    /// The number the draft would be published as.
    pub number: i64,
    pub first: bool,
}

/// The open draft and the number it would take, or `None` when there is no draft.
pub async fn pending(state: &AppState, doc: &Document) -> Result<Option<Pending>, AppError> {
    let Some(draft) = drafts::get(&state.db.read, doc.scope, doc.id).await? else {
        return Ok(None);
    };
    let latest = documents::latest_number(&state.db.read, doc.scope, doc.id).await?;
    Ok(Some(Pending {
        draft,
        number: latest + 1,
        first: latest == 0,
    }))
}

/// Asks for the person's own password again before a step that cannot be undone; wrong answers
/// count as wrong sign-in passwords.
pub async fn confirm_password(
    state: &AppState,
    me: &Actor,
    password: String,
) -> Result<bool, AppError> {
    let account = me.email.clone();
    match state.sign_in_accounts.reserve(&account) {
        Verdict::Refuse => Ok(false),
        verdict => {
            if let Verdict::Wait(d) = verdict {
                tokio::time::sleep(d).await;
            }
            let hash = staff::user(&state.db.read, Some(me.scope), me.id)
                .await?
                .and_then(|u| u.password_hash)
                .unwrap_or_default();
            let ok = crate::app::passwords::verify(state, password, hash).await?;
            if ok {
                state.sign_in_accounts.succeeded(&account);
            }
            Ok(ok)
        }
    }
}

/// Publishes the draft as the next version. Returns whether the change was material, or what
/// to put right (nothing is published then).
pub async fn publish(
    state: &AppState,
    me: &Actor,
    doc: &Document,
    pending: Pending,
    choice: Choice<'_>,
) -> Result<Result<bool, FieldErrors>, AppError> {
    let Pending {
        draft: mut d,
        number: next,
        first,
    } = pending;
    let summary = tidy_block(choice.summary);
    for (typed, target) in [
        (choice.approved_on, &mut d.wording.approved_on),
        (choice.last_reviewed, &mut d.wording.last_reviewed),
        (choice.next_review_due, &mut d.wording.next_review_due),
    ] {
        if let Some(typed) = typed {
            *target = read_date(typed).map_or_else(|| typed.trim().to_string(), |d| d.to_string());
        }
    }
    let today = to_london(state.clock.now()).date();
    let mut errors = publish_errors(&d, today);
    let material = match (first, choice.change) {
        (true, _) | (false, "material") => true,
        (false, "minor") => false,
        _ => {
            errors.push((
                "change".into(),
                "Say whether this is a change everyone must sign again, or a minor correction."
                    .into(),
            ));
            false
        }
    };
    if summary.is_empty() || summary.chars().count() > 2000 || !is_plain(&summary) {
        errors.push((
            "summary".into(),
            "Write a short summary of what changed, for parents (up to 2,000 characters).".into(),
        ));
    }
    let previous =
        documents::version_by_number(&state.db.read, doc.scope, doc.id, next - 1).await?;
    d.summary = summary.clone();
    if let Some(p) = &previous {
        // The exact text, as it would read under the previous number: a changed link address,
        // emphasis or list depth is a change even where the word diff shows no word changed.
        if p.canonical_text == d.wording.canonical(p.number) {
            errors.push((
                "change".into(),
                "The draft is the same as the current version. To record a review that changed nothing, use \u{201c}Record a review with no changes\u{201d} instead.".into(),
            ));
        }
    }
    if !confirm_password(state, me, choice.password).await? {
        errors.push((
            "password".into(),
            "That is not your password. Type the password you sign in with.".into(),
        ));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    // Numbered under the write lock, so two headteachers publishing at once get distinct numbers.
    let number = documents::latest_number(&mut *tx, doc.scope, doc.id).await? + 1;
    let text = d.wording.canonical(number);
    let sha = secret::sha256_hex(text.as_bytes());
    let version_id = documents::insert_version(
        &mut *tx,
        documents::NewVersion {
            scope: me.scope,
            document_id: doc.id,
            number,
            wording: &d.wording,
            summary: &summary,
            material,
            canonical_text: &text,
            sha256: &sha,
            published_at: now,
            published_by: Some(me.id),
        },
    )
    .await?;
    drafts::insert_review(
        &mut *tx,
        drafts::NewReview {
            scope: me.scope,
            document_id: doc.id,
            reviewed_on: &d.last_reviewed,
            next_review_due: &d.next_review_due,
            decision: if material { "material" } else { "minor" },
            version_id: Some(version_id),
            note: &summary,
            recorded_at: now,
            recorded_by: me.id,
        },
    )
    .await?;
    drafts::discard(&mut *tx, doc.scope, doc.id).await?;
    audit::by_staff(
        &mut *tx,
        me,
        now,
        "version.published",
        &format!("version:{version_id}"),
        &format!(
            "document:{} version {number} {} sha256 {sha}",
            doc.id,
            if material { "material" } else { "minor" }
        ),
    )
    .await?;
    tx.commit().await?;
    state.sign_in_accounts.clear(&me.email);
    Ok(Ok(material))
}
