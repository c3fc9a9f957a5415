//! Languages: the ones parent pages are written in, and reading a language as a roster names it.

/// A language the parent pages, letters and messages are written in (a folder under `locales/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    English,
    Welsh,
}

impl Lang {
    /// Every language with a catalogue, English (the fallback) first.
    pub const ALL: [Lang; 2] = [Lang::English, Lang::Welsh];

    /// Its tag: the catalogue's folder, `<html lang>` and what is stored for a carer.
    pub fn code(self) -> &'static str {
        match self {
            Lang::English => "en-GB",
            Lang::Welsh => "cy",
        }
    }

    /// Its name in itself, for the language switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::English => "English",
            Lang::Welsh => "Cymraeg",
        }
    }

    /// The language a `?lang=` value, cookie or stored tag names, if it has a catalogue
    /// (`en`, `en-GB`, `cy`, `cy-GB`, any case).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::English),
            "cy" => Some(Lang::Welsh),
            _ => None,
        }
    }

    /// The pages' language for a stored tag: its catalogue, else English (a carer whose language
    /// has no catalogue yet reads English).
    pub fn of_tag(tag: Option<&str>) -> Lang {
        tag.and_then(Lang::parse).unwrap_or_default()
    }

    /// The language the switch offers from this one.
    pub fn other(self) -> Lang {
        match self {
            Lang::English => Lang::Welsh,
            Lang::Welsh => Lang::English,
        }
    }
}

/// Languages as MIS exports and spreadsheets name them, and the tag kept for each. Welsh and
/// English have catalogues; the others are kept so translated versions of the code can find them.
const NAMES: &[(&[&str], &str)] = &[
    (&["english", "saesneg", "en", "eng", "en gb"], "en-GB"),
    (&["welsh", "cymraeg", "cy", "cym", "wel", "cy gb"], "cy"),
    (&["polish", "polski", "pl", "pol"], "pl"),
    (&["urdu", "ur", "urd"], "ur"),
    (&["arabic", "ar", "ara"], "ar"),
    (&["romanian", "romana", "română", "ro", "ron", "rum"], "ro"),
    (&["punjabi", "panjabi", "pa", "pan"], "pa"),
    (&["bengali", "bangla", "bn", "ben"], "bn"),
    (&["lithuanian", "lt", "lit"], "lt"),
    (&["portuguese", "pt", "por"], "pt"),
    (&["spanish", "es", "spa"], "es"),
    (&["french", "fr", "fre", "fra"], "fr"),
    (&["somali", "so", "som"], "so"),
    (&["turkish", "tr", "tur"], "tr"),
    (&["gujarati", "gu", "guj"], "gu"),
    (&["tamil", "ta", "tam"], "ta"),
    (&["chinese", "mandarin", "zh", "chi", "zho"], "zh"),
    (&["ukrainian", "uk", "ukr"], "uk"),
    (&["russian", "ru", "rus"], "ru"),
    (&["persian", "farsi", "dari", "fa", "per", "fas"], "fa"),
    (&["pashto", "pushto", "ps", "pus"], "ps"),
    (
        &["kurdish", "kurdi", "sorani", "kurmanji", "ku", "kur"],
        "ku",
    ),
    (&["nepali", "nepalese", "ne", "nep"], "ne"),
    (&["tigrinya", "tigrigna", "ti", "tir"], "ti"),
    (&["italian", "italiano", "it", "ita"], "it"),
];

/// The tag for a language as a roster's home-language or preferred-language column writes it
/// ("Welsh", "Cymraeg", "CYM", "cy", "Polish", "Urdu (Pakistan)"); `None` for a blank or a name
/// it does not know (the carer's language is then left as it was).
pub fn from_roster(value: &str) -> Option<&'static str> {
    let lower = value.trim().to_lowercase();
    // "English (UK)", "Welsh / Cymraeg", "Urdu - Pakistani": the first recognised word wins.
    let spaced: String = lower
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let whole = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    if whole.is_empty() {
        return None;
    }
    let find = |s: &str| {
        NAMES
            .iter()
            .find(|(names, _)| names.contains(&s))
            .map(|(_, tag)| *tag)
    };
    find(&whole).or_else(|| {
        whole
            .split(' ')
            .find_map(|w| find(w).filter(|_| w.len() > 3))
    })
}

/// A carer's language as the office reads it: "Welsh (chosen by the carer)", "Polish (from the
/// roster; their pages are in English until there is a Polish catalogue)", "Not known (English)".
pub fn describe(tag: Option<&str>, source: Option<&str>) -> String {
    let Some(tag) = tag else {
        return "Not known (pages in English)".to_string();
    };
    let name = NAMES
        .iter()
        .find(|(_, t)| *t == tag)
        .and_then(|(names, _)| names.first())
        .map(|n| {
            let mut c = n.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .unwrap_or_else(|| tag.to_string());
    let how = match source {
        Some("carer") => "chosen by the carer",
        _ => "from the roster",
    };
    match Lang::parse(tag) {
        Some(_) => format!("{name} ({how})"),
        None => format!("{name} ({how}; their pages, letters and messages are in English)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_a_code_can_be_translated_into_can_come_from_a_roster() {
        for l in crate::domain::translation::LANGUAGES {
            assert_eq!(from_roster(l.english), Some(l.code), "{}", l.english);
        }
        assert_eq!(from_roster("Farsi"), Some("fa"));
        assert_eq!(from_roster("Persian (Farsi)"), Some("fa"));
    }

    #[test]
    fn reads_tags_for_the_switch() {
        assert_eq!(Lang::parse("cy"), Some(Lang::Welsh));
        assert_eq!(Lang::parse("CY-gb"), Some(Lang::Welsh));
        assert_eq!(Lang::parse("en"), Some(Lang::English));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::English));
        assert_eq!(Lang::parse("pl"), None);
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::of_tag(Some("pl")), Lang::English);
        assert_eq!(Lang::of_tag(None), Lang::English);
        assert_eq!(Lang::of_tag(Some("cy")), Lang::Welsh);
    }

    #[test]
    fn describes_a_language_for_the_office() {
        assert_eq!(
            describe(Some("cy"), Some("carer")),
            "Welsh (chosen by the carer)"
        );
        assert_eq!(
            describe(Some("en-GB"), Some("roster")),
            "English (from the roster)"
        );
        assert!(describe(Some("pl"), Some("roster")).starts_with("Polish (from the roster; "));
        assert_eq!(describe(None, None), "Not known (pages in English)");
    }

    #[test]
    fn reads_languages_as_rosters_name_them() {
        for (value, tag) in [
            ("Welsh", Some("cy")),
            ("Cymraeg", Some("cy")),
            ("CYM", Some("cy")),
            ("cy", Some("cy")),
            ("Welsh / Cymraeg", Some("cy")),
            ("English", Some("en-GB")),
            ("ENG", Some("en-GB")),
            ("English (UK)", Some("en-GB")),
            ("Polish", Some("pl")),
            ("Urdu", Some("ur")),
            ("Arabic", Some("ar")),
            ("Romanian", Some("ro")),
            ("Punjabi", Some("pa")),
            ("Bengali", Some("bn")),
            ("Bengali (Sylheti)", Some("bn")),
            ("", None),
            ("  ", None),
            ("Klingon", None),
        ] {
            assert_eq!(from_roster(value), tag, "{value}");
        }
    }
}
