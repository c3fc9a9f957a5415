//! The message catalogues (Project Fluent files under `locales/`, compiled in) and [`Tr`], the
//! translator every parent page, letter and message is written with.
//!
//! A message missing from a language falls back to English; one missing from English too (a
//! typo in a template) comes out empty, never as its key. Fluent's bidi isolation marks
//! (U+2068/U+2069 around each placeholder) are off: English and Welsh both run left to right, and
//! the same strings go into plain-text email and text messages, where the marks would show or
//! cost a text message its short alphabet.

use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, StaticLoader, langid};

pub use super::language::Lang;

fluent_templates::static_loader! {
    static CATALOGUES = {
        locales: "./locales",
        fallback_language: "en-GB",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ENGLISH: LanguageIdentifier = langid!("en-GB");
static WELSH: LanguageIdentifier = langid!("cy");

fn id(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::English => &ENGLISH,
        Lang::Welsh => &WELSH,
    }
}

/// A message in `lang`, else in English, else empty.
fn lookup(
    loader: &StaticLoader,
    lang: Lang,
    key: &str,
    args: Option<&HashMap<&str, FluentValue>>,
) -> String {
    loader
        .lookup_single_language(id(lang), key, args)
        .or_else(|_| loader.lookup_single_language(&ENGLISH, key, args))
        .unwrap_or_default()
}

/// A number for a plural selector (askama hands methods borrowed values).
pub trait Count {
    fn count(&self) -> i64;
}

impl Count for usize {
    fn count(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

impl Count for i64 {
    fn count(&self) -> i64 {
        *self
    }
}

impl<T: Count> Count for &T {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

/// Translates for one page or message: its language, and the address the language switch
/// links to (the same page in the other language).
#[derive(Debug, Clone, Default)]
pub struct Tr {
    pub lang: Lang,
    /// The page's path and query without `lang`, for the switch; empty where there is none
    /// (a letter, a message).
    pub here: String,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr {
            lang,
            here: String::new(),
        }
    }

    pub fn at(lang: Lang, here: impl Into<String>) -> Tr {
        Tr {
            lang,
            here: here.into(),
        }
    }

    fn with(&self, key: &str, args: &[(&str, FluentValue)]) -> String {
        let map: HashMap<&str, FluentValue> = args.iter().map(|(k, v)| (*k, v.clone())).collect();
        lookup(&CATALOGUES, self.lang, key, Some(&map))
    }

    /// A message with no placeholders.
    pub fn t(&self, key: &str) -> String {
        lookup(&CATALOGUES, self.lang, key, None)
    }

    /// A message with one placeholder.
    pub fn t1(&self, key: &str, name: &str, value: impl ToString) -> String {
        self.with(key, &[(name, value.to_string().into())])
    }

    /// A message with two placeholders.
    pub fn t2(&self, key: &str, a: &str, va: impl ToString, b: &str, vb: impl ToString) -> String {
        self.with(
            key,
            &[(a, va.to_string().into()), (b, vb.to_string().into())],
        )
    }

    /// A message with any placeholders, all text.
    pub fn t_args(&self, key: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<(&str, FluentValue)> = args
            .iter()
            .map(|(k, v)| (*k, FluentValue::from(*v)))
            .collect();
        self.with(key, &args)
    }

    /// A message chosen by a number (`$count`), for plurals.
    pub fn tn(&self, key: &str, count: impl Count) -> String {
        self.with(key, &[("count", FluentValue::from(count.count()))])
    }

    /// A message chosen by a number (`$count`) with one more placeholder.
    pub fn tn1(&self, key: &str, count: impl Count, name: &str, value: impl ToString) -> String {
        self.with(
            key,
            &[
                ("count", FluentValue::from(count.count())),
                (name, value.to_string().into()),
            ],
        )
    }

    /// The page's language tag, for `<html lang>`.
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// The language the switch offers.
    pub fn other(&self) -> Lang {
        self.lang.other()
    }

    /// This page in the other language.
    pub fn switch_href(&self) -> String {
        let here = if self.here.is_empty() {
            "/"
        } else {
            &self.here
        };
        let join = if here.contains('?') { '&' } else { '?' };
        format!("{here}{join}lang={}", self.other().code())
    }

    /// Names for a sentence: "A", "A and B", "A, B and C" (in this language); empty for none.
    pub fn list(&self, names: &[String]) -> String {
        match names {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} {} {last}", rest.join(", "), self.t("and")),
        }
    }

    /// A date ("2026-09-01") as this language writes it; anything else as written.
    pub fn date(&self, iso: &str) -> String {
        crate::domain::dates::format_iso_in(self.lang, iso)
    }

    /// A stored instant as this language writes it, in UK time.
    pub fn stamp(&self, stamp: &str) -> String {
        crate::domain::dates::format_stamp_in(self.lang, stamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fluent_templates::static_loader! {
        static PARTIAL = {
            locales: "./tests/fixtures/locales",
            fallback_language: "en-GB",
            customise: |bundle| bundle.set_use_isolating(false),
        };
    }

    fn welsh() -> Tr {
        Tr::new(Lang::Welsh)
    }

    #[test]
    fn welsh_plurals_follow_cldr() {
        // CLDR's Welsh rules: 0 zero, 1 one, 2 two, 3 few, 6 many, everything else other.
        let t = welsh();
        assert_eq!(t.tn("children-count", 0usize), "dim plant");
        assert_eq!(t.tn("children-count", 1usize), "1 plentyn");
        assert_eq!(t.tn("children-count", 2usize), "2 blentyn");
        assert_eq!(t.tn("children-count", 3usize), "3 phlentyn");
        assert_eq!(t.tn("children-count", 6usize), "6 phlentyn");
        assert_eq!(t.tn("children-count", 7usize), "7 o blant");
        let en = Tr::new(Lang::English);
        assert_eq!(en.tn("children-count", 1usize), "1 child");
        assert_eq!(en.tn("children-count", 7usize), "7 children");
        assert_eq!(en.tn("children-count", 0usize), "no children");
    }

    #[test]
    fn welsh_child_or_children_follows_the_count() {
        let t = welsh();
        assert_eq!(t.tn("sign-for-children", 1usize), "Ar gyfer eich plentyn:");
        assert_eq!(t.tn("sign-for-children", 2usize), "Ar gyfer eich plant:");
        assert_eq!(t.tn("sign-for-children", 3usize), "Ar gyfer eich plant:");
    }

    #[test]
    fn a_missing_message_falls_back_to_english_never_its_key() {
        // The fixture's Welsh file lacks `only-english`.
        assert_eq!(
            lookup(&PARTIAL, Lang::Welsh, "only-english", None),
            "Only in English"
        );
        assert_eq!(lookup(&PARTIAL, Lang::Welsh, "both", None), "Yn y ddwy");
        assert_eq!(lookup(&PARTIAL, Lang::Welsh, "nowhere", None), "");
        assert_eq!(welsh().t("no-such-message"), "");
    }

    #[test]
    fn placeholders_carry_no_isolation_marks() {
        let out = welsh().t1("sign-hello", "name", "Ann Smith");
        assert!(out.contains("Ann Smith"), "{out}");
        assert!(!out.contains(['\u{2068}', '\u{2069}']), "{out:?}");
    }

    #[test]
    fn the_switch_keeps_the_page() {
        let t = Tr::at(Lang::English, "/s/KDFR7QXPM3/receipt/4?signed=1");
        assert_eq!(t.switch_href(), "/s/KDFR7QXPM3/receipt/4?signed=1&lang=cy");
        let t = Tr::at(Lang::Welsh, "/policy");
        assert_eq!(t.switch_href(), "/policy?lang=en-GB");
    }

    /// Message ids defined in every `.ftl` file of one language folder.
    fn keys(lang: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut keys = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("locales folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "ftl") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read .ftl");
            // Every file parses with no errors...
            if let Err((_, errors)) =
                fluent_templates::fluent_bundle::FluentResource::try_new(text.clone())
            {
                panic!("{} does not parse: {errors:?}", path.display());
            }
            // ...and its messages are the lines that start with an id and `=`.
            for line in text.lines() {
                if let Some((id, _)) = line.split_once('=') {
                    let id = id.trim_end();
                    if !line.starts_with([' ', '#', '-', '*', '['])
                        && !id.is_empty()
                        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    {
                        keys.push(id.to_string());
                    }
                }
            }
        }
        keys
    }

    #[test]
    fn every_english_message_is_in_welsh() {
        let english = keys("en-GB");
        let welsh = keys("cy");
        assert!(english.len() > 100, "{}", english.len());
        let missing: Vec<&String> = english.iter().filter(|k| !welsh.contains(k)).collect();
        assert!(missing.is_empty(), "missing in Welsh: {missing:?}");
        let extra: Vec<&String> = welsh.iter().filter(|k| !english.contains(k)).collect();
        assert!(extra.is_empty(), "only in Welsh: {extra:?}");
    }

    #[test]
    fn every_message_formats_in_every_language() {
        // A message whose Welsh form has an error falls back to English silently; catch it here.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let mut text = String::new();
        for lang in Lang::ALL {
            for entry in std::fs::read_dir(dir.join(lang.code())).expect("locales folder") {
                text += &std::fs::read_to_string(entry.expect("entry").path()).expect("read");
            }
        }
        // Every `$variable` any message uses, given a value.
        let names: Vec<String> = text
            .split('$')
            .skip(1)
            .map(|s| {
                s.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect()
            })
            .collect();
        let args: HashMap<&str, FluentValue> = names
            .iter()
            .map(|k| {
                (
                    k.as_str(),
                    FluentValue::from(if k == "count" { "2" } else { "x" }),
                )
            })
            .collect();
        for key in keys("en-GB") {
            for lang in Lang::ALL {
                let res = CATALOGUES.lookup_single_language(id(lang), &key, Some(&args));
                assert!(res.is_ok(), "{key} in {}: {res:?}", lang.code());
            }
        }
    }
}
