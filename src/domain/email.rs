//! Email addresses as typed into forms: trimmed, lower-cased, plausibly deliverable.

/// A plausible email address, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, &'static str> {
        let e = input.trim().to_lowercase();
        if e.is_empty() {
            return Err("Enter an email address.");
        }
        if e.len() > 254 || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("Enter an email address without spaces, like name@school.sch.uk.");
        }
        match e.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@') =>
            {
                Ok(Email(e))
            }
            _ => Err("Enter an email address in the right form, like name@school.sch.uk."),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(
            Email::parse(" Head@Oakfield.SCH.uk ").unwrap().as_str(),
            "head@oakfield.sch.uk"
        );
        assert!(Email::parse("").is_err());
        assert!(Email::parse("nobody").is_err());
        assert!(Email::parse("a@b").is_err());
        assert!(Email::parse("a b@c.uk").is_err());
        assert!(Email::parse("a@@c.uk").is_err());
    }
}
