//! A school's address in the portal (the slug in `/{slug}/…`), and the scope every store
//! function that touches a school's data takes.

/// One school's scope: the proof, required by every store function that reads or writes a
/// school's data, that the caller found the school from a row the store read (a school by its
/// address, a staff session's membership, a signing code). Only the store makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope(i64);

impl Scope {
    /// The school's id, to bind in a query.
    pub fn id(self) -> i64 {
        self.0
    }

    /// The scope of the school whose id the store just read from a row. The store's alone:
    /// `clippy.toml` disallows it everywhere else, and only `store/` allows that lint.
    pub fn from_row(id: i64) -> Scope {
        Scope(id)
    }
}

/// The first path segments the portal's own pages use, which no school may take.
pub const RESERVED: [&str; 14] = [
    "s",
    "sign",
    "office",
    "staff",
    "head",
    "setup",
    "policy",
    "static",
    "favicon.ico",
    "notify",
    "stop",
    "schools",
    "trust",
    "api",
];

/// A slug as typed, made lower case and checked: 2 to 40 letters, digits and hyphens, starting
/// and ending with a letter or digit, and not one of the portal's own addresses. The error says
/// what to change.
pub fn check_slug(typed: &str) -> Result<String, String> {
    let slug = typed.trim().to_ascii_lowercase();
    if !(2..=40).contains(&slug.chars().count()) {
        return Err(format!(
            "The address \"{}\" must be 2 to 40 characters long, such as \"elmwood\" or \"st-marys\".",
            typed.trim()
        ));
    }
    if !slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(format!(
            "The address \"{}\" may use only letters a to z, digits and hyphens, such as \"st-marys\".",
            typed.trim()
        ));
    }
    if slug.starts_with('-') || slug.ends_with('-') {
        return Err(format!(
            "The address \"{}\" must start and end with a letter or digit.",
            typed.trim()
        ));
    }
    if RESERVED.contains(&slug.as_str()) {
        return Err(format!(
            "The address \"{slug}\" is one the portal uses for its own pages: choose another, such as the school's name."
        ));
    }
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::check_slug;

    #[test]
    fn slugs_are_lower_case_words_and_never_the_portals_own() {
        assert_eq!(check_slug(" Elmwood ").unwrap(), "elmwood");
        assert_eq!(check_slug("st-marys-2").unwrap(), "st-marys-2");
        for bad in [
            "",
            "a",
            "st marys",
            "-elm",
            "elm-",
            "office",
            "S",
            "élan",
            &"x".repeat(41),
        ] {
            assert!(check_slug(bad).is_err(), "{bad:?}");
        }
    }
}
