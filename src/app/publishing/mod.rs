//! The headteacher's side of a document: add one, keep a draft, paste from Word, publish the
//! next immutable version, record a review that changed nothing.

pub mod publish;
pub mod review;
pub mod translate;

use crate::app::{AppError, AppState};
use crate::domain::draft::declaration_for_title;
use crate::domain::role::Actor;
use crate::domain::text::slugify;
use crate::domain::wording::Wording;
use crate::domain::wordpaste;
use crate::store::audit;
use crate::store::documents::{self, Document};
use crate::store::drafts::{self, Draft};

/// A document of `me`'s school, by the id in the address.
pub async fn own_document(state: &AppState, me: &Actor, doc: &str) -> Result<Document, AppError> {
    let id: i64 = doc.parse().map_err(|_| AppError::NotFound)?;
    documents::document(&state.db.read, me.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The current version's wording, if the document has one.
async fn latest_wording(state: &AppState, doc: &Document) -> Result<Option<Wording>, AppError> {
    let db = &state.db.read;
    let n = documents::latest_number(db, doc.scope, doc.id).await?;
    Ok(documents::version_by_number(db, doc.scope, doc.id, n)
        .await?
        .map(|v| v.wording))
}

/// Saves the draft as the headteacher edited it: where the declaration still names the
/// document by its title before this edit (or the published title), it follows the new title.
/// Returns the draft as saved and whether its declaration was changed that way (the page
/// must say so).
pub async fn save_edited_draft(
    state: &AppState,
    me: &Actor,
    doc: &Document,
    mut d: Draft,
) -> Result<(Draft, bool), AppError> {
    let stored = drafts::get(&state.db.read, doc.scope, doc.id).await?;
    let published = latest_wording(state, doc).await?;
    let old: Vec<&str> = stored
        .iter()
        .map(|s| s.title.as_str())
        .chain(published.iter().map(|p| p.title.as_str()))
        .collect();
    let declaration = declaration_for_title(&d.declaration_text, &old, &d.title);
    let changed = declaration != d.declaration_text;
    d.wording.declaration_text = declaration;
    save_draft(state, me, doc.id, &d, "draft.saved").await?;
    Ok((d, changed))
}

/// Saves a draft and its audit event together.
pub async fn save_draft(
    state: &AppState,
    me: &Actor,
    doc_id: i64,
    d: &Draft,
    action: &str,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    drafts::save(&mut *tx, me.scope, doc_id, d, now, me.id).await?;
    audit::by_staff(&mut *tx, me, now, action, &format!("document:{doc_id}"), "").await?;
    tx.commit().await?;
    Ok(())
}

/// A title as kept: runs of spaces made one.
pub fn tidy_title(typed: &str) -> String {
    typed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Adds a document for parents to sign, starting as an empty draft; returns its id, or what is
/// wrong with the title.
pub async fn add_document(
    state: &AppState,
    me: &Actor,
    title: &str,
) -> Result<Result<i64, String>, AppError> {
    if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
        return Ok(Err(
            "Enter the document's title, for example Home–School Agreement (up to 200 characters)."
                .into(),
        ));
    }
    let now_t = state.clock.now();
    let now = now_t;
    let mut tx = state.db.begin().await?;
    let mut slug = slugify(title);
    let mut n = 2;
    while documents::document_by_slug(&mut *tx, me.scope, &slug)
        .await?
        .is_some()
    {
        slug = format!("{}-{n}", slugify(title));
        n += 1;
    }
    let position = documents::next_position(&mut *tx, me.scope).await?;
    let id = documents::insert_document(&mut *tx, me.scope, &slug, title, position, now).await?;
    let today = now_t.date();
    let draft = Draft {
        wording: Wording {
            title: title.to_string(),
            body_md: String::new(),
            approved_by: "The Governing Body".into(),
            approved_on: today.to_string(),
            last_reviewed: today.to_string(),
            next_review_due: a_year_after(today).to_string(),
            related_policies: String::new(),
            declaration_text: format!("I have read the {title} and I agree to follow it."),
        },
        summary: format!("First version of the {title}."),
    };
    drafts::save(&mut *tx, me.scope, id, &draft, now, me.id).await?;
    audit::by_staff(
        &mut *tx,
        me,
        now,
        "document.created",
        &format!("document:{id}"),
        title,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

pub fn a_year_after(day: time::Date) -> time::Date {
    day.replace_year(day.year() + 1).unwrap_or(day)
}

/// Starts a draft copied from the current version, unless one is already open.
pub async fn start_draft(state: &AppState, me: &Actor, doc: &Document) -> Result<(), AppError> {
    if drafts::get(&state.db.read, doc.scope, doc.id)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let current = documents::current_for_school(&state.db.read, me.scope)
        .await?
        .into_iter()
        .find(|c| c.document.id == doc.id);
    let Some(c) = current else {
        return Err(AppError::NotFound);
    };
    let today = state.clock.now().date();
    let draft = Draft {
        wording: Wording {
            last_reviewed: today.to_string(),
            next_review_due: a_year_after(today).to_string(),
            ..c.version.wording
        },
        summary: String::new(),
    };
    save_draft(state, me, doc.id, &draft, "draft.started").await
}

/// Replaces the draft's text with a cleaned Word paste and saves it; returns the draft and the
/// notes on what was cleaned, or what is wrong with the paste (and the draft unchanged).
pub async fn paste_from_word(
    state: &AppState,
    me: &Actor,
    doc: &Document,
    paste: &str,
) -> Result<(Draft, Result<Vec<String>, String>), AppError> {
    let mut d = drafts::get(&state.db.read, doc.scope, doc.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let most = crate::domain::draft::MAX_BODY * 2;
    let length = paste.chars().count();
    let wrong = if paste.trim().is_empty() {
        Some("Paste the text of the Word document into the box (up to 120,000 characters).".into())
    } else if length > most {
        Some(format!(
            "The pasted text is {} characters long; paste up to {} at a time. It is below: shorten it and try again.",
            thousands(length),
            thousands(most)
        ))
    } else if paste.contains('\0') {
        Some("The pasted text contains a character that cannot be used, shown below as \u{fffd}. Remove it and try again.".into())
    } else {
        None
    };
    if let Some(wrong) = wrong {
        return Ok((d, Err(wrong)));
    }
    let published = latest_wording(state, doc).await?;
    let notes = wordpaste::apply(
        wordpaste::clean_for(paste, &d.title),
        &mut d.wording,
        published.as_ref(),
    );
    save_draft(state, me, doc.id, &d, "draft.pasted_from_word").await?;
    Ok((d, Ok(notes)))
}

/// 120000 as "120,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Throws the draft away (with an audit event when there was one).
pub async fn discard_draft(state: &AppState, me: &Actor, doc: &Document) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if drafts::discard(&mut *tx, doc.scope, doc.id).await? {
        audit::by_staff(
            &mut *tx,
            me,
            now,
            "draft.discarded",
            &format!("document:{}", doc.id),
            "",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
