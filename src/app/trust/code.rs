//! The trust's own code of conduct: the trust publishes versions of it; each school that adopts
//! it makes a draft of its own document from the trust's latest version (with the school's local
//! sections added), and publishes that through its own draft-and-publish steps, with its own
//! governors' approval and its own re-sign rule. Parents sign the school's version, never the
//! trust's.

use crate::app::publishing::a_year_after;
use crate::app::{AppError, AppState, FieldErrors};
use crate::domain::document::Document;
use crate::domain::draft::{Draft, MAX_BODY};
use crate::domain::role::{Actor, TrustAdmin};
use crate::domain::secret::sha256_hex;
use crate::domain::text::{single_spaced, tidy_block};
use crate::domain::wording::Wording;
use crate::domain::wordpaste;
use crate::store::{Touched, audit, documents, drafts, trust};

pub use crate::store::trust::{Adoption, TrustVersion};

/// The trust's versions, newest first.
pub async fn versions(state: &AppState) -> Result<Vec<TrustVersion>, AppError> {
    Ok(trust::versions(&state.db.read).await?)
}

/// A version of the trust's code as typed.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub title: String,
    pub body_md: String,
    pub summary: String,
}

/// Tidies what was typed (a Word paste cleaned when asked) and checks it against the latest
/// version; the errors say what to change.
pub fn read(
    mut typed: Typed,
    from_word: bool,
    latest: Option<&TrustVersion>,
) -> (Typed, FieldErrors) {
    let mut errors = FieldErrors::new();
    typed.title = single_spaced(&typed.title);
    if from_word {
        let cleaned = wordpaste::clean_for(&typed.body_md, &typed.title);
        if typed.title.is_empty() {
            typed.title = cleaned.title.unwrap_or_default();
        }
        typed.body_md = cleaned.body_md;
    }
    typed.body_md = typed.body_md.replace("\r\n", "\n").trim().to_string();
    typed.summary = tidy_block(&typed.summary);
    if typed.title.is_empty() || typed.title.chars().count() > 200 {
        errors.push((
            "title".into(),
            "Give the code a title, such as \u{201c}Social Media Code of Conduct for Parents\u{201d} (up to 200 characters).".into(),
        ));
    }
    let length = typed.body_md.chars().count();
    if length == 0 || length > MAX_BODY {
        errors.push((
            "body".into(),
            "Type or paste the text of the code (up to 60,000 characters).".into(),
        ));
    }
    if typed.summary.is_empty() || typed.summary.chars().count() > 2000 {
        errors.push((
            "summary".into(),
            "Write a short summary of what changed, for the schools and their parents (up to 2,000 characters).".into(),
        ));
    }
    if let Some(l) = latest
        && l.title == typed.title
        && l.body_md == typed.body_md
    {
        errors.push((
            "body".into(),
            format!(
                "This is the same as version {}. Change the text before publishing.",
                l.number
            ),
        ));
    }
    (typed, errors)
}

/// Publishes the next version of the trust's code; returns its number. Schools see it at once.
pub async fn publish(state: &AppState, me: &TrustAdmin, typed: &Typed) -> Result<i64, AppError> {
    let now = state.clock.now();
    let sha = sha256_hex(format!("{}\n\n{}", typed.title, typed.body_md).as_bytes());
    let mut tx = state.db.begin().await?.touching(Touched::Nothing);
    let (id, number) = trust::insert_version(
        &mut tx,
        trust::NewTrustVersion {
            title: &typed.title,
            body_md: &typed.body_md,
            summary: &typed.summary,
            sha256: &sha,
            published_at: now,
            published_by: me.id,
        },
    )
    .await?;
    let subject = format!("trust_version:{id}");
    let detail = format!("version {number} sha256 {sha}");
    trust::record_event(
        &mut *tx,
        now,
        &me.actor(),
        "trust.code_published",
        &subject,
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// What a school's headteacher sees of the trust's code: its latest version, and the school's
/// adoption if it has one.
pub struct Offer {
    pub latest: TrustVersion,
    pub adoption: Option<Adoption>,
    /// The trust version the school last published, for the comparison.
    pub published: Option<TrustVersion>,
}

impl Offer {
    /// The trust has a version the school (which adopted the code) has not published.
    pub fn is_new(&self) -> bool {
        self.adoption.is_some()
            && self.published.as_ref().map(|p| p.number) != Some(self.latest.number)
    }
}

/// The trust's code as offered to `me`'s school, if the trust has published one.
pub async fn offer(state: &AppState, me: &Actor) -> Result<Option<Offer>, AppError> {
    let Some(latest) = trust::latest(&state.db.read).await? else {
        return Ok(None);
    };
    let adoption = trust::adoption(&state.db.read, me.scope).await?;
    let mut published = None;
    if let Some(n) = adoption.as_ref().and_then(|a| a.published_number) {
        published = trust::versions(&state.db.read)
            .await?
            .into_iter()
            .find(|v| v.number == n);
    }
    Ok(Some(Offer {
        latest,
        adoption,
        published,
    }))
}

/// The body of a school's draft: the trust's text, then the school's local sections under a
/// heading of their own (unless they start with one).
pub fn combined(trust_body: &str, local_md: &str, school_name: &str) -> String {
    let local = local_md.trim();
    if local.is_empty() {
        return trust_body.trim().to_string();
    }
    let heading = if local.starts_with('#') {
        String::new()
    } else {
        format!("## Local to {school_name}\n\n")
    };
    format!("{}\n\n{heading}{local}", trust_body.trim())
}

/// Adopts the trust's latest version for `doc`: records the adoption and its local sections, and
/// replaces the document's draft with the trust's text, the local sections and the trust's
/// summary (other details kept from the school's current version). The headteacher then checks
/// the draft, adds the governors' approval and publishes it. Returns what is wrong with the
/// local sections, if anything, and then changes nothing.
pub async fn adopt(
    state: &AppState,
    me: &Actor,
    doc: &Document,
    local_md: &str,
) -> Result<Result<(), FieldErrors>, AppError> {
    let local = local_md.replace("\r\n", "\n").trim().to_string();
    let Some(latest) = trust::latest(&state.db.read).await? else {
        return Err(AppError::NotFound);
    };
    let school = crate::app::school::of(state, me).await?;
    let body = combined(&latest.body_md, &local, &school.name);
    if body.chars().count() > MAX_BODY {
        return Ok(Err(vec![(
            "local".into(),
            "The trust's code and the local sections together are longer than 60,000 characters: shorten the local sections.".into(),
        )]));
    }
    let current = documents::version_by_number(
        &state.db.read,
        doc.scope,
        doc.id,
        documents::latest_number(&state.db.read, doc.scope, doc.id).await?,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let today = crate::domain::london::to_london(state.clock.now()).date();
    // Where the school's declaration names its document, it names the trust's title now.
    let declaration = crate::domain::draft::declaration_for_title(
        &current.wording.declaration_text,
        &[current.wording.title.as_str()],
        &latest.title,
    );
    let draft = Draft {
        wording: Wording {
            title: latest.title.clone(),
            body_md: body,
            // The school's governors approve it: the headteacher types that date in the draft.
            approved_on: String::new(),
            declaration_text: declaration,
            last_reviewed: today.to_string(),
            next_review_due: a_year_after(today).to_string(),
            ..current.wording
        },
        summary: latest.summary.clone(),
    };
    let now = state.clock.now();
    // The adoption, the draft and its note of the trust version, together or not at all.
    let mut tx = state.db.begin().await?;
    trust::adopt(&mut *tx, me.scope, doc.id, &local, now, me.id).await?;
    drafts::save(&mut *tx, me.scope, doc.id, &draft, now, me.id).await?;
    trust::mark_draft(&mut *tx, me.scope, doc.id, latest.id).await?;
    let subject = format!("document:{}", doc.id);
    let detail = format!("trust version {}", latest.number);
    audit::by_staff(
        &mut *tx,
        me,
        now,
        "draft.from_trust_code",
        &subject,
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
