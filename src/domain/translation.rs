//! Translations of a published version, the languages a school can translate into, and what a
//! parent was shown when they signed (the language and fingerprint of each text on the page).

use crate::domain::wording::Wording;

/// A language a version can be translated into: its BCP 47 primary tag, its name in English
/// (for staff) and in itself (for parents), and whether it is written right to left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    pub code: &'static str,
    pub english: &'static str,
    pub native: &'static str,
    pub rtl: bool,
}

const fn lang(code: &'static str, english: &'static str, native: &'static str) -> Language {
    Language {
        code,
        english,
        native,
        rtl: false,
    }
}

const fn rtl(code: &'static str, english: &'static str, native: &'static str) -> Language {
    Language {
        code,
        english,
        native,
        rtl: true,
    }
}

/// The language every original is written in.
pub const ORIGINAL: &str = "en";

/// Welsh, then the languages most spoken at home by pupils in England with English as an
/// additional language, by name.
pub const LANGUAGES: [Language; 24] = [
    lang("cy", "Welsh", "Cymraeg"),
    rtl("ar", "Arabic", "العربية"),
    lang("bn", "Bengali", "বাংলা"),
    lang("zh", "Chinese", "中文"),
    rtl("fa", "Persian (Farsi)", "فارسی"),
    lang("fr", "French", "Français"),
    lang("gu", "Gujarati", "ગુજરાતી"),
    lang("it", "Italian", "Italiano"),
    lang("ku", "Kurdish", "Kurdî"),
    lang("lt", "Lithuanian", "Lietuvių"),
    lang("ne", "Nepali", "नेपाली"),
    rtl("ps", "Pashto", "پښتو"),
    lang("pl", "Polish", "Polski"),
    lang("pt", "Portuguese", "Português"),
    lang("pa", "Punjabi", "ਪੰਜਾਬੀ"),
    lang("ro", "Romanian", "Română"),
    lang("ru", "Russian", "Русский"),
    lang("so", "Somali", "Soomaali"),
    lang("es", "Spanish", "Español"),
    lang("ta", "Tamil", "தமிழ்"),
    lang("ti", "Tigrinya", "ትግርኛ"),
    lang("tr", "Turkish", "Türkçe"),
    lang("uk", "Ukrainian", "Українська"),
    rtl("ur", "Urdu", "اردو"),
];

/// The language with this tag (`cy`, `cy-GB` and `CY` alike), if a version can be translated
/// into it.
pub fn language(tag: &str) -> Option<Language> {
    let primary = primary(tag);
    LANGUAGES.iter().copied().find(|l| l.code == primary)
}

/// The primary subtag of a language tag, in lower case: `cy-GB` → `cy`.
pub fn primary(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Whether text in this language runs right to left.
pub fn is_rtl(tag: &str) -> bool {
    language(tag).is_some_and(|l| l.rtl)
}

/// A published translation of a version: its own wording (the version's dates, the translated
/// title, approval line, related policies, text and declaration), fixed like the original.
#[derive(Debug, Clone)]
pub struct Translation {
    pub id: i64,
    pub version_id: i64,
    pub language: String,
    pub wording: Wording,
    /// This translation, not the original, is the text that governs where the two differ.
    pub authoritative: bool,
    /// What changed since the version before, in this language ('' for none).
    pub summary: String,
    pub canonical_text: String,
    pub sha256: String,
    pub published_at: time::OffsetDateTime,
    pub published_by: Option<i64>,
}

impl std::ops::Deref for Translation {
    type Target = Wording;
    fn deref(&self) -> &Wording {
        &self.wording
    }
}

/// The exact text of a translation of version `number`, as fixed and hashed: a line naming its
/// language, a line saying whether it is the text that governs (so that cannot change unseen),
/// then the translated wording laid out exactly as an original's.
pub fn canonical(wording: &Wording, number: i64, language: &str, governs: bool) -> String {
    let governs = if governs { "yes" } else { "no" };
    format!(
        "Language: {language}\nGoverns: {governs}\n{}",
        wording.canonical(number)
    )
}

/// What a parent was shown on the signing page: each text's language and SHA-256, in the order
/// shown, and the declaration as they read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub texts: Vec<(String, String)>,
    pub declaration_text: String,
}

impl Shown {
    /// The languages as a declaration stores them: `cy en`.
    pub fn languages(&self) -> String {
        self.texts
            .iter()
            .map(|(l, _)| l.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The fingerprints as a declaration stores them, in the same order.
    pub fn hashes(&self) -> String {
        self.texts
            .iter()
            .map(|(_, h)| h.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The (language, SHA-256) pairs a declaration recorded, from its two columns.
pub fn recorded(languages: &str, hashes: &str) -> Vec<(String, String)> {
    languages
        .split_whitespace()
        .zip(hashes.split_whitespace())
        .map(|(l, h)| (l.to_string(), h.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_found_by_their_primary_subtag() {
        assert_eq!(language("cy-GB").map(|l| l.native), Some("Cymraeg"));
        assert_eq!(language("AR").map(|l| l.rtl), Some(true));
        assert!(
            language("en").is_none(),
            "English is the original, not a translation"
        );
        assert!(language("").is_none());
        assert!(is_rtl("ur") && !is_rtl("pl"));
    }

    #[test]
    fn every_language_is_listed_once() {
        let mut codes: Vec<&str> = LANGUAGES.iter().map(|l| l.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), LANGUAGES.len());
    }

    #[test]
    fn a_translations_text_names_its_language_before_the_wording() {
        let w = Wording {
            title: "Cod Ymddygiad".into(),
            body_md: "Byddwch yn garedig.".into(),
            declaration_text: "Rwy'n cytuno.".into(),
            ..Wording::default()
        };
        let text = canonical(&w, 3, "cy", false);
        assert!(
            text.starts_with("Language: cy\nGoverns: no\nCod Ymddygiad\nVersion 3\n"),
            "{text}"
        );
        assert_ne!(text, canonical(&w, 3, "cy", true));
        assert!(text.ends_with("Declaration\nRwy'n cytuno.\n"));
    }

    #[test]
    fn what_was_shown_is_stored_and_read_back_in_order() {
        let shown = Shown {
            texts: vec![("cy".into(), "aa".into()), ("en".into(), "bb".into())],
            declaration_text: String::new(),
        };
        assert_eq!(shown.languages(), "cy en");
        assert_eq!(shown.hashes(), "aa bb");
        assert_eq!(
            recorded(&shown.languages(), &shown.hashes()),
            shown.texts.clone()
        );
    }
}
