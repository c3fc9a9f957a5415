//! The school itself: its name for every page header, and the settings a headteacher keeps.

use crate::app::{AppError, AppState, FieldErrors};
use crate::domain::role::Actor;
use crate::domain::text::{is_plain, tidy_block};
use crate::store::audit;
use crate::store::schools::{self, School};

/// The one way every page finds the school's name: by id when known, else the instance's first
/// school (pages for parents and sign-in, before anyone is known). Empty when there is none.
pub async fn name(state: &AppState, school_id: Option<i64>) -> Result<String, AppError> {
    let school = match school_id {
        Some(id) => schools::get(&state.db.read, id).await?,
        None => schools::first(&state.db.read).await?,
    };
    Ok(school.map(|s| s.name).unwrap_or_default())
}

/// The signed-in person's school.
pub async fn of(state: &AppState, me: &Actor) -> Result<School, AppError> {
    schools::get(&state.db.read, me.school_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A school's settings, as typed (already trimmed, line ends made `\n`).
pub struct Settings {
    pub name: String,
    pub address: String,
    pub cover_rule: String,
    pub letter_text: String,
}

impl Settings {
    /// Reads the form's fields the one way they are kept.
    pub fn typed(name: &str, address: &str, cover_rule: &str, letter_text: &str) -> Settings {
        Settings {
            name: name.trim().to_string(),
            address: tidy_block(address),
            cover_rule: cover_rule.to_string(),
            letter_text: tidy_block(letter_text),
        }
    }

    fn problems(&self) -> FieldErrors {
        let mut errors = Vec::new();
        let name = &self.name;
        if name.is_empty() || name.chars().count() > 120 || !is_plain(name) || name.contains('\n') {
            errors.push((
                "name".to_string(),
                "Enter the school's name (up to 120 characters).".to_string(),
            ));
        }
        if self.address.chars().count() > 500 || !is_plain(&self.address) {
            errors.push((
                "address".into(),
                "Keep the address to 500 characters of plain text.".into(),
            ));
        }
        let letter = &self.letter_text;
        if letter.is_empty() || letter.chars().count() > 5000 || !is_plain(letter) {
            errors.push((
                "letter_text".into(),
                "Write the letter's text (up to 5,000 characters).".into(),
            ));
        }
        if self.cover_rule != "one" && self.cover_rule != "all" {
            errors.push((
                "cover_rule".into(),
                "Choose when a pupil counts as covered.".into(),
            ));
        }
        errors
    }
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
    schools::update_settings(
        &mut *tx,
        me.school_id,
        &s.name,
        &s.address,
        &s.cover_rule,
        &s.letter_text,
    )
    .await?;
    audit::by_staff(
        &mut *tx,
        me,
        state.clock.now(),
        "school.settings_changed",
        &format!("school:{}", me.school_id),
        &format!("cover rule {}", s.cover_rule),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
