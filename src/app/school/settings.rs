//! The school's settings as the headteacher edits them: its name and contact details for parents
//! and letters, the covering rule, the letter's text and the language shown beside the original.

use crate::app::{AppError, AppState, FieldErrors};
use crate::domain::email::Email;
use crate::domain::role::Actor;
use crate::domain::text::{is_plain, single_spaced, tidy_block};
use crate::store::{audit, schools};

use super::School;

/// A school's settings, as typed (already trimmed, line ends made `\n`).
pub struct Settings {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub office_hours: String,
    pub cover_rule: String,
    pub letter_text: String,
    /// The language whose translation a bilingual school shows beside the original ('' for none).
    pub side_by_side: String,
}

impl Settings {
    /// Reads the form's fields the one way they are kept.
    pub fn tidied(self) -> Settings {
        Settings {
            name: self.name.trim().to_string(),
            address: tidy_block(&self.address),
            phone: single_spaced(&self.phone),
            email: self.email.trim().to_string(),
            office_hours: tidy_block(&self.office_hours),
            cover_rule: self.cover_rule,
            letter_text: tidy_block(&self.letter_text),
            // Kept as the language's own tag (`CY`, `cy-GB` → `cy`); anything else as typed, to
            // be refused with a message.
            side_by_side: crate::domain::translation::language(&self.side_by_side).map_or_else(
                || self.side_by_side.trim().to_string(),
                |l| l.code.to_string(),
            ),
        }
    }

    fn problems(&self) -> FieldErrors {
        let mut errors = Vec::new();
        let mut problem = |field: &str, message: &str| {
            errors.push((field.to_string(), message.to_string()));
        };
        let name = &self.name;
        if name.is_empty() || name.chars().count() > 120 || !is_plain(name) || name.contains('\n') {
            problem("name", "Enter the school's name (up to 120 characters).");
        }
        if self.address.chars().count() > 500 || !is_plain(&self.address) {
            problem(
                "address",
                "Keep the address to 500 characters of plain text.",
            );
        }
        if !self.phone.is_empty() && !phone_looks_right(&self.phone) {
            problem(
                "phone",
                "Enter the office phone number with its area code, like 01632 960 123 \
                 (digits, spaces and brackets; add \"ext 2\" for an extension).",
            );
        }
        if !self.email.is_empty() && Email::parse(&self.email).is_err() {
            problem(
                "email",
                "Enter the office email address in the right form, like office@school.example.",
            );
        }
        if self.office_hours.chars().count() > 200 || !is_plain(&self.office_hours) {
            problem(
                "office_hours",
                "Keep the office hours to 200 characters, like \"Monday to Friday, 8am to 4pm\".",
            );
        }
        if self.cover_rule != "one" && self.cover_rule != "all" {
            problem("cover_rule", "Choose when a pupil counts as covered.");
        }
        if !self.side_by_side.is_empty()
            && crate::domain::translation::language(&self.side_by_side).is_none()
        {
            problem(
                "side_by_side",
                "Choose a language from the list, or \"No, one language at a time\".",
            );
        }
        let letter = &self.letter_text;
        if letter.is_empty() || letter.chars().count() > 5000 || !is_plain(letter) {
            problem(
                "letter_text",
                "Write the letter's text (up to 5,000 characters).",
            );
        }
        errors
    }
}

/// A phone number a parent can dial: 7 to 15 digits, written with digits, spaces, brackets,
/// dashes, dots, a leading `+` and an optional "ext N".
fn phone_looks_right(phone: &str) -> bool {
    let (number, ext) = match phone.to_ascii_lowercase().split_once("ext") {
        Some((n, e)) => (
            n.to_string(),
            Some(e.trim_start_matches('.').trim().to_string()),
        ),
        None => (phone.to_string(), None),
    };
    let number = number.trim();
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let shape = number
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " ()-.".contains(c) || (i == 0 && c == '+'));
    let ext_ok =
        ext.is_none_or(|e| !e.is_empty() && e.len() <= 6 && e.chars().all(|c| c.is_ascii_digit()));
    shape && (7..=15).contains(&digits) && ext_ok
}

/// Saves the settings with their audit event, or says what to put right.
pub async fn save_settings(
    state: &AppState,
    me: &Actor,
    s: &Settings,
) -> Result<Result<(), FieldErrors>, AppError> {
    let errors = s.problems();
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let mut tx = state.db.begin().await?;
    let school = School {
        id: me.scope.id(),
        scope: me.scope,
        slug: String::new(),
        name: s.name.clone(),
        address: s.address.clone(),
        cover_rule: s.cover_rule.clone(),
        letter_text: s.letter_text.clone(),
        phone: s.phone.clone(),
        email: s.email.clone(),
        office_hours: s.office_hours.clone(),
        host: None,
    };
    schools::update_settings(&mut *tx, &school).await?;
    schools::set_side_by_side(&mut *tx, me.scope, &s.side_by_side).await?;
    audit::by_staff(
        &mut *tx,
        me,
        state.clock.now(),
        "school.settings_changed",
        &format!("school:{}", me.scope.id()),
        &format!(
            "cover rule {}; beside the original: {}",
            s.cover_rule,
            if s.side_by_side.is_empty() {
                "nothing"
            } else {
                &s.side_by_side
            }
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::phone_looks_right;

    #[test]
    fn phone_numbers_a_school_office_writes() {
        for good in [
            "01632 960123",
            "(01632) 960 123",
            "+44 1632 960123",
            "0161-496-0000",
            "01632 960123 ext 4",
            "01632 960123 Ext. 12",
        ] {
            assert!(phone_looks_right(good), "{good}");
        }
        for bad in [
            "ring us",
            "123",
            "01632 960123 ext",
            "01632+960123",
            "0800 FLOWERS",
        ] {
            assert!(!phone_looks_right(bad), "{bad}");
        }
    }
}
