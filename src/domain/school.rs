//! A school of the portal, its address in it (the slug in `/{slug}/…`), its own host name, and
//! the scope every store function that touches a school's data takes.

/// A school: the tenant every other row belongs to.
#[derive(Debug, Clone)]
pub struct School {
    pub id: i64,
    /// The scope of this school, made by the store that read it: what every store function
    /// reading or writing the school's data takes.
    pub scope: Scope,
    pub slug: String,
    pub name: String,
    pub address: String,
    pub cover_rule: String,
    pub letter_text: String,
    pub phone: String,
    pub email: String,
    pub office_hours: String,
    /// Its own host name (`sign.hillside.sch.uk`, perhaps with a `:port`), lower case, when it
    /// has one: see [`check_host`].
    pub host: Option<String>,
}

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

/// An example for the messages below.
const LIKE: &str = "such as \"sign.hillside.sch.uk\"";

/// A host name as typed, checked and made the one way it is kept: a lower-case DNS name of two
/// or more parts, with an optional `:port`. A pasted address (`https://sign.hillside.sch.uk/`)
/// loses its scheme and final slash; `:80` and `:443` are dropped, as browsers leave them out.
/// The error says what is wrong and what to type instead.
pub fn check_host(typed: &str) -> Result<String, String> {
    let shown = typed.trim();
    let mut host = shown.to_lowercase();
    if host.is_empty() {
        return Err(format!("Give the school's host name, {LIKE}."));
    }
    if let Some((scheme, rest)) = host.split_once("://") {
        if scheme != "http" && scheme != "https" {
            return Err(format!(
                "The host name \"{shown}\" starts with \"{scheme}://\": give the host name alone, {LIKE}."
            ));
        }
        host = rest.to_string();
    }
    let host = host.trim_end_matches('/');
    if host.contains(char::is_whitespace) {
        return Err(format!(
            "The host name \"{shown}\" has a space in it: type it without spaces, {LIKE}."
        ));
    }
    if let Some(at) = host.find(['/', '?', '#']) {
        return Err(format!(
            "The host name \"{shown}\" has \"{}\" after the name: give the host name alone, without a path, {LIKE}.",
            &host[at..]
        ));
    }
    if host.contains('@') {
        return Err(format!(
            "The host name \"{shown}\" has a user name in it (before \"@\"): give the host name alone, {LIKE}."
        ));
    }
    if host.contains('_') {
        return Err(format!(
            "The host name \"{shown}\" has an underscore, which host names cannot have: use a hyphen instead, such as \"sign-hillside.sch.uk\"."
        ));
    }
    if !host.is_ascii() {
        return Err(format!(
            "The host name \"{shown}\" has letters outside a to z: write it in its ASCII form (starting \"xn--\"), as the school's DNS provider shows it."
        ));
    }
    if let Some(c) = host
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "-.:".contains(*c)))
    {
        return Err(format!(
            "The host name \"{shown}\" has \"{c}\" in it: use only letters a to z, digits, hyphens and dots, {LIKE}."
        ));
    }
    let (name, port) = match host.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    let port = match port {
        None | Some("80") | Some("443") => None,
        Some(p) if p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()) => {
            match p.parse::<u16>() {
                Ok(n) if n > 0 => Some(n),
                _ => return Err(port_problem(shown)),
            }
        }
        Some(_) => return Err(port_problem(shown)),
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    let labels: Vec<&str> = name.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return Err(format!(
            "The host name \"{shown}\" has an empty part between dots (two dots together, or a dot at the start): write it {LIKE}."
        ));
    }
    if labels.len() < 2 {
        return Err(format!(
            "The host name \"{shown}\" is not a whole name: give it with its dots, {LIKE}."
        ));
    }
    if name.len() > 253 || labels.iter().any(|l| l.len() > 63) {
        return Err(format!(
            "The host name \"{shown}\" is too long: each part between dots may have up to 63 characters, and the whole name up to 253."
        ));
    }
    if labels
        .iter()
        .any(|l| l.starts_with('-') || l.ends_with('-'))
    {
        return Err(format!(
            "The host name \"{shown}\" has a part that starts or ends with a hyphen: each part between dots starts and ends with a letter or digit."
        ));
    }
    if labels
        .last()
        .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(format!(
            "The host name \"{shown}\" is an IP address: give the name in the DNS that points at this server, {LIKE}."
        ));
    }
    Ok(match port {
        Some(port) => format!("{name}:{port}"),
        None => name.to_string(),
    })
}

fn port_problem(shown: &str) -> String {
    format!(
        "The host name \"{shown}\" has a port after \":\" that is not a number from 1 to 65535: give the port as digits, such as \"sign.hillside.sch.uk:8443\", or leave it out."
    )
}

/// A request's `Host` as it is compared with schools' host names: lower case, without a final
/// dot and without the default ports (`:80`, `:443`). `None` when empty.
pub fn request_host(header: &str) -> Option<String> {
    let host = header.trim().to_ascii_lowercase();
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') => (name, Some(port)),
        _ => (host.as_str(), None),
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() {
        return None;
    }
    Some(match port {
        None | Some("80") | Some("443") => name.to_string(),
        Some(port) => format!("{name}:{port}"),
    })
}

#[cfg(test)]
mod tests {
    use super::{check_host, check_slug, request_host};

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

    #[test]
    fn host_names_are_kept_lower_case_without_scheme_or_slash() {
        for (typed, kept) in [
            ("sign.hillside.sch.uk", "sign.hillside.sch.uk"),
            ("  Sign.Hillside.SCH.uk ", "sign.hillside.sch.uk"),
            ("https://sign.hillside.sch.uk/", "sign.hillside.sch.uk"),
            ("HTTP://sign.hillside.sch.uk", "sign.hillside.sch.uk"),
            ("sign.hillside.sch.uk.", "sign.hillside.sch.uk"),
            ("sign.second.example:8443", "sign.second.example:8443"),
            ("https://sign.second.example:443/", "sign.second.example"),
            ("sign.second.example:80", "sign.second.example"),
            ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ] {
            assert_eq!(check_host(typed).as_deref(), Ok(kept), "{typed:?}");
        }
    }

    #[test]
    fn a_wrong_host_name_says_what_is_wrong() {
        for (typed, says) in [
            ("", "Give the school's host name"),
            ("   ", "Give the school's host name"),
            ("ftp://sign.hillside.sch.uk", "starts with \"ftp://\""),
            ("sign.hillside.sch.uk/sign", "has \"/sign\" after the name"),
            ("https://sign.hillside.sch.uk/policy?x=1", "without a path"),
            ("sign hillside.sch.uk", "has a space"),
            ("sign_hillside.sch.uk", "underscore"),
            ("head@sign.hillside.sch.uk", "user name"),
            ("sign.hillside.sch.uk:http", "not a number from 1 to 65535"),
            ("sign.hillside.sch.uk:70000", "not a number from 1 to 65535"),
            ("sign.hillside.sch.uk:0", "not a number from 1 to 65535"),
            ("sign.hillside.sch.uk:", "not a number from 1 to 65535"),
            ("bücher.example", "ASCII form"),
            ("sign!.example", "has \"!\" in it"),
            ("[::1]:3000", "has \"[\" in it"),
            ("sign..hillside.sch.uk", "two dots together"),
            (".hillside.sch.uk", "two dots together"),
            ("hillside", "is not a whole name"),
            ("-sign.hillside.sch.uk", "starts or ends with a hyphen"),
            ("sign-.hillside.sch.uk", "starts or ends with a hyphen"),
            ("10.0.0.5", "is an IP address"),
        ] {
            let err = check_host(typed).expect_err(typed);
            assert!(err.contains(says), "{typed:?}: {err}");
        }
        let long = format!("{}.example", "a".repeat(64));
        assert!(check_host(&long).unwrap_err().contains("too long"));
    }

    #[test]
    fn a_requests_host_is_compared_without_case_or_default_port() {
        assert_eq!(
            request_host("Sign.Second.Example").as_deref(),
            Some("sign.second.example")
        );
        assert_eq!(
            request_host("sign.second.example:443").as_deref(),
            Some("sign.second.example")
        );
        assert_eq!(
            request_host("sign.second.example.:8443").as_deref(),
            Some("sign.second.example:8443")
        );
        assert_eq!(request_host(""), None);
    }
}
