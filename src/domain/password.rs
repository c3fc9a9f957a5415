//! Staff passwords: what is accepted, and argon2id hashing.
//!
//! At least 12 characters, no composition rules, paste allowed (NIST SP 800-63B's advice), and
//! judged by `zxcvbn`'s guess estimate, which knows common passwords, words, names, keyboard
//! patterns and dates, and is told the person's own email, name and school.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use zxcvbn::feedback::{Suggestion, Warning};
use zxcvbn::matching::patterns::MatchPattern;
use zxcvbn::{Score, zxcvbn};

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 256;

/// Why a chosen password is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
    /// One of the most used passwords, or close to one.
    TooCommon,
    /// Made from the person's own email address, name or school.
    OwnDetails,
    /// Easy to guess for another reason: what is wrong and what would help, in a sentence or two.
    EasyToGuess(String),
}

impl std::fmt::Display for PasswordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PasswordError::TooShort => write!(f, "Use at least {MIN_LEN} characters. A few unrelated words make a good password."),
            PasswordError::TooLong => write!(f, "Use at most {MAX_LEN} characters."),
            PasswordError::TooCommon => f.write_str("That password is one of the most commonly used, or too close to one, so it is easy to guess. Choose another. A few unrelated words make a good password."),
            PasswordError::OwnDetails => f.write_str("That password is made from your own details (your email address, name or school), which are easy to guess. Choose something unrelated to you."),
            PasswordError::EasyToGuess(why) => f.write_str(why),
        }
    }
}

/// Checks a new password: between [`MIN_LEN`] and [`MAX_LEN`] characters, and a `zxcvbn` score
/// of at least 3 out of 4 (about 10^8 guesses or more); anything below 3 is refused. `also_not`
/// holds the person's own details (email, name, school name), which count as easy to guess.
pub fn check_new(password: &str, also_not: &[&str]) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(PasswordError::TooShort);
    }
    if n > MAX_LEN {
        return Err(PasswordError::TooLong);
    }
    let inputs = user_inputs(also_not);
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let entropy = zxcvbn(password, &inputs);
    if entropy.score() >= Score::Three {
        return Ok(());
    }
    let own = entropy.sequence().iter().any(|m| match &m.pattern {
        MatchPattern::Dictionary(d) => inputs.contains(&d.matched_word.as_str()),
        _ => false,
    });
    if own {
        return Err(PasswordError::OwnDetails);
    }
    let feedback = entropy.feedback();
    let warning = feedback.and_then(|f| f.warning());
    if let Some(
        Warning::ThisIsATop10Password
        | Warning::ThisIsATop100Password
        | Warning::ThisIsACommonPassword
        | Warning::ThisIsSimilarToACommonlyUsedPassword,
    ) = warning
    {
        return Err(PasswordError::TooCommon);
    }
    let mut why = vec![warning.map_or("That password would be easy to guess.", warning_text)];
    why.extend(
        feedback
            .map(|f| f.suggestions())
            .unwrap_or_default()
            .iter()
            .map(|s| suggestion_text(*s)),
    );
    Err(PasswordError::EasyToGuess(why.join(" ")))
}

/// The person's details, whole and in pieces ("head@oakfield.sch.uk" also gives "head" and
/// "oakfield"), lower-cased as `zxcvbn` compares them.
fn user_inputs(also_not: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for detail in also_not.iter().map(|s| s.trim().to_lowercase()) {
        let pieces = detail
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| p.chars().count() >= 3)
            .map(str::to_string);
        for s in std::iter::once(detail.clone()).chain(pieces) {
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

fn warning_text(w: Warning) -> &'static str {
    match w {
        Warning::StraightRowsOfKeysAreEasyToGuess => {
            "Rows of keys next to each other, like qwerty, are easy to guess."
        }
        Warning::ShortKeyboardPatternsAreEasyToGuess => {
            "Short patterns on the keyboard are easy to guess."
        }
        Warning::RepeatsLikeAaaAreEasyToGuess => {
            "Repeated characters, like aaa, are easy to guess."
        }
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
            "Something repeated, like abcabcabc, is hardly harder to guess than abc."
        }
        Warning::ThisIsATop10Password
        | Warning::ThisIsATop100Password
        | Warning::ThisIsACommonPassword
        | Warning::ThisIsSimilarToACommonlyUsedPassword => {
            "That password is one of the most commonly used, or too close to one."
        }
        Warning::SequencesLikeAbcAreEasyToGuess => {
            "Sequences, like abc or 6543, are easy to guess."
        }
        Warning::RecentYearsAreEasyToGuess => "Recent years are easy to guess.",
        Warning::AWordByItselfIsEasyToGuess => "A single word is easy to guess, even a long one.",
        Warning::DatesAreOftenEasyToGuess => "Dates are easy to guess.",
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => {
            "Names on their own are easy to guess."
        }
        Warning::CommonNamesAndSurnamesAreEasyToGuess => "Common names are easy to guess.",
    }
}

fn suggestion_text(s: Suggestion) -> &'static str {
    match s {
        Suggestion::UseAFewWordsAvoidCommonPhrases => {
            "Use a few unrelated words rather than a common phrase."
        }
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => {
            "There is no need for symbols, digits or capital letters."
        }
        Suggestion::AddAnotherWordOrTwo => "Add another word or two: uncommon words are better.",
        Suggestion::CapitalizationDoesntHelpVeryMuch => "Capital letters do not help much.",
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => {
            "All capitals are almost as easy to guess as all lower case."
        }
        Suggestion::ReversedWordsArentMuchHarderToGuess => {
            "Words spelt backwards are not much harder to guess."
        }
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => {
            "Swapping letters for look-alikes, like @ for a, does not help much."
        }
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => {
            "A keyboard pattern needs to be longer, with more turns."
        }
        Suggestion::AvoidRepeatedWordsAndCharacters => "Avoid repeated words and characters.",
        Suggestion::AvoidSequences => "Avoid sequences.",
        Suggestion::AvoidRecentYears => "Avoid recent years.",
        Suggestion::AvoidYearsThatAreAssociatedWithYou => "Avoid years that mean something to you.",
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => {
            "Avoid dates and years that mean something to you."
        }
    }
}

/// argon2id with the crate's default cost (19 MiB, 2 passes). Slow on purpose: call it off the
/// async runtime.
pub fn hash(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches a stored hash. A malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), stored)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &[&str] = &[
        "head@oakfield.sch.uk",
        "Helen Ward",
        "Oakfield Primary School",
    ];

    #[test]
    fn length_limits() {
        assert_eq!(check_new("short", &[]), Err(PasswordError::TooShort));
        assert_eq!(
            check_new(&"x".repeat(MAX_LEN + 1), &[]),
            Err(PasswordError::TooLong)
        );
        assert!(
            check_new(&"word".repeat(3), ME).is_err(),
            "12 characters, still weak"
        );
    }

    #[test]
    fn common_passwords_and_dictionary_words_are_refused() {
        for common in [
            "password1234",
            "Password1234",
            "qwertyuiop12",
            "sunshine1234",
        ] {
            assert_eq!(
                check_new(common, ME),
                Err(PasswordError::TooCommon),
                "{common}"
            );
        }
        let word = check_new("understanding", ME).unwrap_err();
        assert!(matches!(word, PasswordError::EasyToGuess(_)), "{word:?}");
        assert!(word.to_string().contains("Add another word"), "{word}");
        let single = check_new("administrator", ME).unwrap_err().to_string();
        assert!(
            single.contains("A single word is easy to guess"),
            "{single}"
        );
        let repeat = check_new("zzzzzzzzzzzzzz", ME).unwrap_err().to_string();
        assert!(repeat.contains("Repeated characters"), "{repeat}");
        let sequence = check_new("abcdefghijkl", ME).unwrap_err().to_string();
        assert!(sequence.contains("Sequences"), "{sequence}");
    }

    #[test]
    fn the_persons_own_details_are_refused() {
        for own in [
            "head@oakfield.sch.uk",
            "HEAD@OAKFIELD.SCH.UK",
            "Oakfield Primary School",
            "oakfield2024!",
            "oakfieldschool",
        ] {
            assert_eq!(check_new(own, ME), Err(PasswordError::OwnDetails), "{own}");
        }
        // Without the details, the same password is judged on other grounds.
        assert_ne!(
            check_new("oakfield2024!", &[]),
            Err(PasswordError::OwnDetails)
        );
    }

    #[test]
    fn passphrases_are_accepted() {
        for good in [
            "correct horse battery",
            "river lantern orchard",
            "blue kettle morning",
            "purple monkey dishwasher",
        ] {
            assert_eq!(check_new(good, ME), Ok(()), "{good}");
        }
    }

    #[test]
    fn hashes_verify() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterY", &h));
        assert!(!verify("x", "not a hash"));
    }
}
