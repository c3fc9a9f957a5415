//! The school itself: its name for every page header, and the settings a headteacher keeps.

use crate::app::{AppError, AppState};
use crate::domain::role::Actor;
use crate::domain::school::Scope;
use crate::store::schools;
pub use crate::store::schools::School;
pub use settings::{Settings, save_settings};

mod settings;

/// The one way every page finds the school's name: by id when known, else the instance's only
/// school (pages for parents and sign-in, before anyone is known). Empty when there is none, or
/// several (the page is the portal's, not one school's).
pub async fn name(state: &AppState, school: Option<Scope>) -> Result<String, AppError> {
    Ok(find(state, school)
        .await?
        .map(|s| s.name)
        .unwrap_or_default())
}

/// The school of a scope, or the instance's only school for `None`.
async fn find(state: &AppState, school: Option<Scope>) -> Result<Option<School>, AppError> {
    Ok(match school {
        Some(scope) => schools::get(&state.db.read, scope).await?,
        None => schools::only(&state.db.read).await?,
    })
}

/// The school an address without a school in it is for: the one whose own host name the request
/// came to (`host`, as [`crate::domain::school::request_host`] makes it), else the instance's
/// only school. `None` with several schools and none of them at this host.
pub async fn at_host(state: &AppState, host: Option<&str>) -> Result<Option<School>, AppError> {
    Ok(match host {
        Some(host) => schools::by_host_or_only(&state.db.read, host).await?,
        None => schools::only(&state.db.read).await?,
    })
}

/// Where links for a school's parents and staff start (letters, messages, setup links), without
/// a final slash: its own host name when it has one, with the scheme of the portal's address
/// `portal` (`http` unless that is https); else `portal` itself.
pub fn link_base(portal: &str, school: &School) -> String {
    match &school.host {
        Some(host) => {
            let https = portal.trim().to_ascii_lowercase().starts_with("https://");
            format!("{}://{host}", if https { "https" } else { "http" })
        }
        None => portal.trim().trim_end_matches('/').to_string(),
    }
}

/// [`link_base`] from the portal's configured address (`--public-url`).
pub fn links(state: &AppState, school: &School) -> String {
    link_base(&state.config.base_url(), school)
}

/// The school a command from the server's shell is for: the one at `--school SLUG`, or the
/// instance's only school. The error says what to give.
pub async fn for_command(db: &crate::store::Db, slug: Option<&str>) -> anyhow::Result<School> {
    let all = schools::directory(&db.read).await?;
    let listed = || {
        all.iter()
            .map(|(slug, name)| format!("{slug} ({name})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let slug = match slug {
        Some(typed) => typed.trim().to_ascii_lowercase(),
        None if all.len() > 1 => anyhow::bail!(
            "This portal serves several schools: say which with --school, one of: {}.",
            listed()
        ),
        None => match all.first() {
            Some((slug, _)) => slug.clone(),
            None => anyhow::bail!("The database has no school yet: start the portal once first."),
        },
    };
    match schools::by_slug(&db.read, &slug).await? {
        Some(school) => Ok(school),
        None => anyhow::bail!(
            "No school has the address \"{slug}\". The schools: {}.",
            listed()
        ),
    }
}

/// The signed-in person's school.
/// The language whose translation the school shows beside the original ('' for none).
pub async fn side_by_side(state: &AppState, scope: Scope) -> Result<String, AppError> {
    Ok(schools::side_by_side(&state.db.read, scope).await?)
}

pub async fn of(state: &AppState, me: &Actor) -> Result<School, AppError> {
    schools::get(&state.db.read, me.scope)
        .await?
        .ok_or(AppError::NotFound)
}

/// How parents reach the school, as every parent page, receipt and letter shows it. Any part
/// may be empty: a page shows the parts the headteacher has filled in.
#[derive(Clone, Debug, Default)]
pub struct Contact {
    pub school: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub hours: String,
}

impl Contact {
    pub fn of(s: &School) -> Contact {
        Contact {
            school: s.name.clone(),
            address: address_below_name(&s.name, &s.address),
            phone: s.phone.clone(),
            email: s.email.clone(),
            hours: s.office_hours.clone(),
        }
    }

    /// True when there is no way to reach the school but its name.
    pub fn is_empty(&self) -> bool {
        self.phone.is_empty() && self.email.is_empty() && self.address.is_empty()
    }

    /// The phone number for a `tel:` link: digits and a leading `+` only.
    pub fn tel(&self) -> String {
        let mut lower = self.phone.to_ascii_lowercase();
        if lower.trim_start().starts_with('+') {
            // "+44 (0)1632 …": the bracketed 0 is dialled only from inside the country.
            lower = lower.replace("(0)", "");
        }
        let digits = lower.split("ext").next().unwrap_or("");
        digits
            .chars()
            .enumerate()
            .filter(|&(i, c)| c.is_ascii_digit() || (i == 0 && c == '+'))
            .map(|(_, c)| c)
            .collect()
    }
}

/// The address as printed under the school's name: without a first line that repeats the name
/// (schools often type the name as the address's first line, as on an envelope).
pub fn address_below_name(name: &str, address: &str) -> String {
    match address.split_once('\n') {
        Some((first, rest)) if first.trim().eq_ignore_ascii_case(name.trim()) => {
            rest.trim_start().to_string()
        }
        None if address.trim().eq_ignore_ascii_case(name.trim()) => String::new(),
        _ => address.to_string(),
    }
}

/// The contact details of the school a parent page belongs to (see [`name`] for `None`).
pub async fn contact(state: &AppState, school: Option<Scope>) -> Result<Contact, AppError> {
    Ok(find(state, school)
        .await?
        .as_ref()
        .map(Contact::of)
        .unwrap_or_default())
}

/// The contact details of the school an address without a school is for (see [`at_host`]):
/// what the code box and error pages show.
pub async fn contact_at_host(state: &AppState, host: Option<&str>) -> Result<Contact, AppError> {
    Ok(at_host(state, host)
        .await?
        .as_ref()
        .map(Contact::of)
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::{Contact, School, link_base};

    #[test]
    // A made-up school the store never read: only a test may make its scope by hand.
    #[allow(clippy::disallowed_methods)]
    fn links_use_the_schools_own_host_with_the_portals_scheme() {
        let mut school = School {
            id: 2,
            scope: crate::domain::school::Scope::from_row(2),
            slug: "hillside".into(),
            name: "Hillside School".into(),
            address: String::new(),
            cover_rule: "one".into(),
            letter_text: String::new(),
            phone: String::new(),
            email: String::new(),
            office_hours: String::new(),
            host: None,
        };
        assert_eq!(
            link_base("https://portal.trust.example/", &school),
            "https://portal.trust.example"
        );
        school.host = Some("sign.hillside.sch.uk".into());
        assert_eq!(
            link_base("https://portal.trust.example", &school),
            "https://sign.hillside.sch.uk"
        );
        assert_eq!(
            link_base("http://127.0.0.1:3000", &school),
            "http://sign.hillside.sch.uk"
        );
        school.host = Some("sign.hillside.sch.uk:8443".into());
        assert_eq!(
            link_base("HTTPS://portal.trust.example", &school),
            "https://sign.hillside.sch.uk:8443"
        );
    }

    #[test]
    fn the_address_under_the_name_does_not_repeat_it() {
        use super::address_below_name;
        let name = "Oakfield Primary School";
        assert_eq!(
            address_below_name(name, "Oakfield Primary School\nMeadow Lane\nOK1 2AB"),
            "Meadow Lane\nOK1 2AB"
        );
        assert_eq!(
            address_below_name(name, "Meadow Lane\nOK1 2AB"),
            "Meadow Lane\nOK1 2AB"
        );
        assert_eq!(address_below_name(name, "oakfield primary school"), "");
    }

    #[test]
    fn a_tel_link_dials_the_number_not_the_extension() {
        for (phone, tel) in [
            ("01632 960123 Ext. 12", "01632960123"),
            ("01632 960123 ext 4", "01632960123"),
            ("+44 (0)1632 960123", "+441632960123"),
        ] {
            let c = Contact {
                phone: phone.into(),
                ..Contact::default()
            };
            assert_eq!(c.tel(), tel, "{phone}");
        }
    }
}
