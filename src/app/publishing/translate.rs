//! Translations of a published version: the headteacher pastes one in (with the same Word clean-up
//! as a draft), previews it, and publishes it, perhaps long after the version itself. Publishing a
//! translation never changes who must sign: parents sign the version, in the language they read.

use crate::app::{AppError, AppState, FieldErrors};
use crate::domain::document::{Document, Version};
use crate::domain::draft::MAX_BODY;
use crate::domain::role::Actor;
use crate::domain::secret::sha256_hex;
use crate::domain::text::{single_spaced, tidy_block};
use crate::domain::translation::{self, Language, Translation};
use crate::domain::wording::Wording;
use crate::domain::wordpaste;
use crate::store::{audit, documents};

/// A translation as typed.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub language: String,
    pub title: String,
    pub approved_by: String,
    pub related_policies: String,
    pub body_md: String,
    pub declaration_text: String,
    pub authoritative: bool,
    /// What changed since the version before, in this language (optional).
    pub summary: String,
}

/// A version's translations, by language.
pub async fn of(
    state: &AppState,
    doc: &Document,
    version: &Version,
) -> Result<Vec<Translation>, AppError> {
    Ok(documents::translations_of(&state.db.read, doc.scope, version.id).await?)
}

/// Tidies what was typed (a Word paste cleaned when asked) and checks it against the version and
/// its translations so far; the errors say what to change. Returns the language too.
pub fn read(
    mut typed: Typed,
    from_word: bool,
    existing: &[Translation],
) -> (Typed, Option<Language>, FieldErrors) {
    let mut errors = FieldErrors::new();
    let language = translation::language(&typed.language);
    typed.title = single_spaced(&typed.title);
    if from_word {
        let cleaned = wordpaste::clean_for(&typed.body_md, &typed.title);
        if typed.title.is_empty() {
            typed.title = cleaned.title.unwrap_or_default();
        }
        if typed.approved_by.trim().is_empty() {
            typed.approved_by = cleaned.approved_by.unwrap_or_default();
        }
        typed.body_md = cleaned.body_md;
    }
    typed.body_md = typed.body_md.replace("\r\n", "\n").trim().to_string();
    typed.approved_by = single_spaced(&typed.approved_by);
    typed.related_policies = typed
        .related_policies
        .replace("\r\n", "\n")
        .trim()
        .to_string();
    typed.declaration_text = tidy_block(&typed.declaration_text);
    typed.summary = tidy_block(&typed.summary);
    if typed.summary.chars().count() > 2000 {
        errors.push((
            "summary".into(),
            "Keep the summary of what changed to 2,000 characters.".into(),
        ));
    }
    match language {
        None => errors.push((
            "language".into(),
            "Choose the language of this translation from the list.".into(),
        )),
        Some(l) if existing.iter().any(|t| t.language == l.code) => errors.push((
            "language".into(),
            format!(
                "This version already has a translation in {}, and a published translation cannot be changed. \
                 To correct it, publish a new version of the code with its own translation.",
                l.english
            ),
        )),
        Some(_) => {}
    }
    if typed.title.is_empty() || typed.title.chars().count() > 200 {
        errors.push((
            "title".into(),
            "Type the title in this language (up to 200 characters).".into(),
        ));
    }
    let length = typed.body_md.chars().count();
    if length == 0 || length > MAX_BODY {
        errors.push((
            "body".into(),
            "Type or paste the translated text of the code (up to 60,000 characters).".into(),
        ));
    }
    if typed.declaration_text.is_empty() || typed.declaration_text.chars().count() > 2000 {
        errors.push((
            "declaration_text".into(),
            "Type the declaration parents sign, in this language (up to 2,000 characters).".into(),
        ));
    }
    if typed.authoritative
        && let Some(other) = existing.iter().find(|t| t.authoritative)
    {
        let name =
            translation::language(&other.language).map_or(other.language.as_str(), |l| l.english);
        errors.push((
            "authoritative".into(),
            format!(
                "The {name} translation is already the text that governs for this version. Untick the box: \
                 only one text can govern."
            ),
        ));
    }
    (typed, language, errors)
}

/// The wording a translation fixes: the typed text with the version's own dates.
pub fn wording(typed: &Typed, version: &Version) -> Wording {
    Wording {
        title: typed.title.clone(),
        body_md: typed.body_md.clone(),
        // Left empty, the approving body and related policies are the original's: a name is a
        // fact, and better untranslated than missing.
        approved_by: if typed.approved_by.is_empty() {
            version.approved_by.clone()
        } else {
            typed.approved_by.clone()
        },
        approved_on: version.approved_on.clone(),
        last_reviewed: version.last_reviewed.clone(),
        next_review_due: version.next_review_due.clone(),
        related_policies: if typed.related_policies.is_empty() {
            version.related_policies.clone()
        } else {
            typed.related_policies.clone()
        },
        declaration_text: typed.declaration_text.clone(),
    }
}

/// Publishes a translation read by [`read`] with no errors, and its audit event, in one
/// transaction. Nobody's status changes.
pub async fn publish(
    state: &AppState,
    me: &Actor,
    doc: &Document,
    version: &Version,
    language: Language,
    typed: &Typed,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let wording = wording(typed, version);
    let canonical =
        translation::canonical(&wording, version.number, language.code, typed.authoritative);
    let sha = sha256_hex(canonical.as_bytes());
    // Parents' kept pages show the new translation: every one is read again.
    let mut tx = state.db.begin().await?;
    let id = documents::insert_translation(
        &mut *tx,
        documents::NewTranslation {
            scope: doc.scope,
            version_id: version.id,
            language: language.code,
            wording: &wording,
            authoritative: typed.authoritative,
            summary: &typed.summary,
            canonical_text: &canonical,
            sha256: &sha,
            published_at: now,
            published_by: me.id,
        },
    )
    .await?;
    audit::by_staff(
        &mut *tx,
        me,
        now,
        "translation.published",
        &format!("version:{}", version.id),
        &format!(
            "translation {id}: {} of version {}{}; sha256 {sha}",
            language.english,
            version.number,
            if typed.authoritative {
                ", the text that governs"
            } else {
                ""
            }
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
