//! The one error type of every use case and handler. Each variant says what kind of problem it is
//! and carries what the person must be told; `web::error` turns it into a status and a page.

/// What went wrong, in words a parent or the office can act on.
#[derive(Debug)]
pub enum AppError {
    /// Nothing at this address (or nothing this person may see, which looks the same).
    NotFound,
    /// A link or thing that existed but is used up, expired or replaced; says what to do instead.
    Gone(String),
    /// What was sent cannot be read; says how to send it again.
    BadRequest(String),
    /// Not allowed for this person.
    Forbidden(String),
    /// A form whose token is missing, stale or from elsewhere; says to reload and try again.
    FormExpired(String),
    /// Clashes with what is already saved or under way.
    Conflict(String),
    /// More than the portal takes at once.
    TooLarge(String),
    /// A form sent by GET, a page fetched by POST.
    WrongMethod(String),
    /// A parent's request that cannot be read; the page says it in the parent's language.
    Parent(ParentProblem),
    /// Anything else: logged with its context, shown calmly.
    Internal(anyhow::Error),
}

/// What was wrong with a request from a parent's page, as a message in the catalogues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentProblem {
    /// The signing form named no version.
    NoVersion,
    /// The signing form named a version that does not exist.
    UnknownVersion,
    /// The reminders form named no channel.
    NoChannel,
}

impl ParentProblem {
    /// Its message in the catalogues (`locales/*/parent.ftl`).
    pub fn key(self) -> &'static str {
        match self {
            ParentProblem::NoVersion => "problem-no-version",
            ParentProblem::UnknownVersion => "problem-unknown-version",
            ParentProblem::NoChannel => "problem-no-channel",
        }
    }
}

impl From<sqlx::Error> for AppError {
    /// A UNIQUE constraint that refuses a write is a clash a person can fix, not a crash (as
    /// realworld-axum-sqlx's `on_constraint`); anything else is internal.
    fn from(e: sqlx::Error) -> Self {
        if let Some(db) = e.as_database_error()
            && db.is_unique_violation()
        {
            return AppError::Conflict(
                "That is already saved: someone may have made the same change a moment ago. \
                 Reload the page to see what is there now."
                    .into(),
            );
        }
        AppError::Internal(e.into())
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}
