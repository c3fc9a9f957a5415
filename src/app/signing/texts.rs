//! Which texts of a version a parent is shown, in which language, and what a declaration records
//! of them: the original, a translation in the parent's language, or both side by side in a
//! bilingual school.

use std::sync::Arc;

use crate::app::{AppError, AppState};
use crate::domain::document::Version;
use crate::domain::markdown::{self, SafeHtml};
use crate::domain::school::Scope;
use crate::domain::translation::{self, ORIGINAL, Shown, Translation};
use crate::domain::wording::Wording;
use crate::store::{documents, schools};

/// One text on the signing page.
#[derive(Debug, Clone)]
pub struct Text {
    /// Its language tag (`en` for the original).
    pub language: String,
    pub rtl: bool,
    pub wording: Wording,
    pub html: Arc<SafeHtml>,
    pub sha256: String,
    /// This text governs where the texts differ.
    pub governs: bool,
}

/// What the signing page shows of a version for a parent reading in `language`.
#[derive(Debug, Clone)]
pub struct Texts {
    /// In the order shown: the parent's language first.
    pub texts: Vec<Text>,
    /// The parent reads a language this version has no translation in: they see the original.
    pub untranslated: bool,
    /// The language of the version's text that governs (`en` unless a translation is marked so),
    /// shown or not.
    pub governing: String,
    /// Every language the version can be read in: `en`, then its translations.
    pub available: Vec<String>,
}

impl Texts {
    /// The languages shown, as the signing form sends them back: `cy en`.
    pub fn languages(&self) -> String {
        self.texts
            .iter()
            .map(|t| t.language.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn original(state: &AppState, version: &Version, governs: bool) -> Text {
    Text {
        language: ORIGINAL.into(),
        rtl: false,
        wording: version.wording.clone(),
        html: super::policy_html(state, version),
        sha256: version.sha256.clone(),
        governs,
    }
}

fn translated(mut t: Translation, version: &Version) -> Text {
    // Published with these left empty, they are the original's (see `translate::wording`).
    if t.wording.approved_by.is_empty() {
        t.wording.approved_by = version.approved_by.clone();
    }
    if t.wording.related_policies.is_empty() {
        t.wording.related_policies = version.related_policies.clone();
    }
    Text {
        rtl: translation::is_rtl(&t.language),
        html: Arc::new(markdown::render(&t.body_md)),
        sha256: t.sha256,
        governs: t.authoritative,
        language: t.language,
        wording: t.wording,
    }
}

/// The texts of `version` for a parent reading in `language` (any tag; `''` is English).
pub async fn for_reader(
    state: &AppState,
    scope: Scope,
    version: &Version,
    language: &str,
) -> Result<Texts, AppError> {
    let wanted = translation::primary(language);
    let db = &state.db.read;
    let beside = schools::side_by_side(db, scope).await?;
    let all = documents::translations_of(db, scope, version.id).await?;
    let original_governs = !all.iter().any(|t| t.authoritative);
    let find = |code: &str| all.iter().find(|t| t.language == code).cloned();
    let mut texts = Vec::new();
    let mut untranslated = false;
    if wanted.is_empty() || wanted == ORIGINAL {
        texts.push(original(state, version, original_governs));
        if let Some(t) = find(&beside) {
            texts.push(translated(t, version));
        }
    } else if let Some(t) = find(&wanted) {
        texts.push(translated(t, version));
        if wanted == beside {
            texts.push(original(state, version, original_governs));
        }
    } else {
        untranslated = translation::language(&wanted).is_some();
        texts.push(original(state, version, original_governs));
        if let Some(t) = find(&beside) {
            texts.push(translated(t, version));
        }
    }
    let governing = all
        .iter()
        .find(|t| t.authoritative)
        .map_or_else(|| ORIGINAL.to_string(), |t| t.language.clone());
    let available = std::iter::once(ORIGINAL.to_string())
        .chain(all.iter().map(|t| t.language.clone()))
        .collect();
    Ok(Texts {
        texts,
        untranslated,
        governing,
        available,
    })
}

/// What a parent who signed a page showing `languages` (as the form sent them back) was shown:
/// each text's language and fingerprint, and the declaration as they read it (each text's,
/// one after another, when side by side). `None` if the version has no text in one of them.
pub async fn shown(
    state: &AppState,
    scope: Scope,
    version: &Version,
    languages: &str,
) -> Result<Option<Shown>, AppError> {
    let all = documents::translations_of(&state.db.read, scope, version.id).await?;
    let mut texts = Vec::new();
    let mut declarations = Vec::new();
    let wanted: Vec<&str> = languages.split_whitespace().collect();
    // One text, or two side by side, each once.
    if wanted.is_empty() || wanted.len() > 2 || wanted.first() == wanted.get(1) {
        return Ok(None);
    }
    for code in wanted {
        if code == ORIGINAL {
            texts.push((ORIGINAL.to_string(), version.sha256.clone()));
            declarations.push(version.declaration_text.clone());
        } else if let Some(t) = all.iter().find(|t| t.language == code) {
            texts.push((t.language.clone(), t.sha256.clone()));
            declarations.push(t.declaration_text.clone());
        } else {
            return Ok(None);
        }
    }
    Ok(Some(Shown {
        texts,
        declaration_text: declarations.join("\n\n"),
    }))
}

/// The exact texts of `before` and `after` in `language`, where both have a translation in it;
/// else both originals: (before, after, their language). What a parent reading in that language
/// sees changed.
pub async fn both_in(
    state: &AppState,
    scope: Scope,
    before: &Version,
    after: &Version,
    language: &str,
) -> Result<(String, String, String), AppError> {
    let originals = (
        before.canonical_text.clone(),
        after.canonical_text.clone(),
        ORIGINAL.to_string(),
    );
    if language == ORIGINAL {
        return Ok(originals);
    }
    let db = &state.db.read;
    let find = |all: Vec<Translation>| {
        all.into_iter()
            .find(|t| t.language == language)
            .map(|t| t.canonical_text)
    };
    let old = find(documents::translations_of(db, scope, before.id).await?);
    let new = find(documents::translations_of(db, scope, after.id).await?);
    Ok(match (old, new) {
        (Some(old), Some(new)) => (old, new, language.to_string()),
        _ => originals,
    })
}

/// Each version's summary of what changed, in `language` where its translation has one, else the
/// version's own: (number, summary), in the order given.
pub async fn summaries_in(
    state: &AppState,
    scope: Scope,
    versions: &[Version],
    language: &str,
) -> Result<Vec<(i64, String)>, AppError> {
    let mut out = Vec::with_capacity(versions.len());
    for v in versions {
        let translated = if language == ORIGINAL {
            None
        } else {
            documents::translations_of(&state.db.read, scope, v.id)
                .await?
                .into_iter()
                .find(|t| t.language == language && !t.summary.is_empty())
                .map(|t| t.summary)
        };
        out.push((v.number, translated.unwrap_or_else(|| v.summary.clone())));
    }
    Ok(out)
}
