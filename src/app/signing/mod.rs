//! Signing: open a code (within the limits on guessing), load what a carer's pages show, sign
//! online, record a paper form. Every declaration, online or paper, is built by
//! [`evidence::declaration`] and appended by the one writer, [`crate::app::committer`].

mod cache;
mod context;
pub mod evidence;
mod pages;
pub mod paper;
pub mod texts;

pub use cache::ParentCache;
use cache::ReadAt;
pub use context::{DocState, ParentContext, load_context};
pub use pages::{Page, PageCache};

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::app::limit::CodePass;
use crate::app::{AppError, AppState, ParentProblem};
use crate::domain::code::{CodeError, SigningCode};
use crate::domain::markdown::{self, SafeHtml};
use crate::domain::name::{NameError, PersonName, signature_matches};
use crate::domain::status::Status;
use crate::store::codes::CodeOwner;
use crate::store::declarations::{Appended, Declaration};
use crate::store::documents::Version;
use crate::store::{Touched, codes, documents};

/// Why a code did not open a signing page; the page tells the parent in their language (an
/// unknown code says nothing about whether some other code exists).
pub enum CodeProblem {
    Malformed(CodeError),
    Unknown,
    TooMany,
}

/// A code that opened, or why it did not; the outer error is the portal's own.
pub type Opening<T> = Result<Result<T, CodeProblem>, AppError>;

/// Reads a typed code and waits for this network's turn (see [`crate::app::limit::CodeGuard`]).
async fn guarded_parse(
    state: &AppState,
    ip: IpAddr,
    typed: &str,
) -> Result<(SigningCode, CodePass), CodeProblem> {
    let code = SigningCode::parse(typed).map_err(CodeProblem::Malformed)?;
    let pass = state
        .guesses
        .admit(ip)
        .await
        .map_err(|_| CodeProblem::TooMany)?;
    Ok((code, pass))
}

/// Finds a live code's owner; only an unknown code counts against the network.
async fn lookup(state: &AppState, pass: CodePass, code: &SigningCode) -> Opening<CodeOwner> {
    let found = codes::find_live(&state.db.read, &code.hash()).await;
    state
        .guesses
        .settle(pass, matches!(found, Ok(Some(_))) || found.is_err());
    match found? {
        Some(owner) => Ok(Ok(owner)),
        None => Ok(Err(CodeProblem::Unknown)),
    }
}

/// Checks a typed code against the limits on guessing and the database.
pub async fn open_code(
    state: &AppState,
    ip: IpAddr,
    typed: &str,
) -> Opening<(SigningCode, CodeOwner)> {
    let (code, pass) = match guarded_parse(state, ip, typed).await {
        Ok(c) => c,
        Err(problem) => return Ok(Err(problem)),
    };
    Ok(lookup(state, pass, &code).await?.map(|owner| (code, owner)))
}

/// What a code opened, as last read from the database.
pub struct Opened {
    pub owner: CodeOwner,
    pub ctx: ParentContext,
    /// The code's hash, which keys what is kept for it.
    pub code_hash: String,
    /// When this server last noted the code's use, in Unix seconds (0 for not since it was read).
    /// Noting a use changes nothing a kept page or report shows, so it keeps them; this keeps it
    /// from being noted again on every view.
    noted: AtomicI64,
}

impl Opened {
    /// Whether the code's use is due to be noted (it is, at most every ten minutes).
    fn use_due(&self, now: time::OffsetDateTime) -> bool {
        let noted = self.noted.load(Ordering::Relaxed);
        let last = match self.owner.last_used_at {
            Some(t) => t.unix_timestamp().max(noted),
            None if noted > 0 => noted,
            None => return true,
        };
        now.unix_timestamp() - last > 600
    }
}

/// The kept signing page for a typed code, when all it was made from is current and nothing is
/// due (the code's use was noted lately): found without waiting on anything. A right code, so no
/// guess: it takes no turn. Anything else goes the whole way, through [`open_page`].
pub fn kept_page(state: &AppState, typed: &str) -> Option<Arc<Page>> {
    let code = SigningCode::parse(typed).ok()?;
    let hash = code.hash();
    let anything = state.db.generation_now()?;
    let opened = state.parents.get(&state.db, &hash, anything)?;
    if opened.use_due(state.clock.now()) {
        return None;
    }
    opened.ctx.next_to_sign()?;
    state.pages.get(&hash, &opened)
}

/// Like [`open_code`], then loads the carer's page data, from the cache when it is current, and
/// notes that the code was used (at most every ten minutes).
pub async fn open_page(
    state: &AppState,
    ip: IpAddr,
    typed: &str,
) -> Opening<(SigningCode, Arc<Opened>)> {
    let code = match SigningCode::parse(typed) {
        Ok(code) => code,
        Err(e) => return Ok(Err(CodeProblem::Malformed(e))),
    };
    let hash = code.hash();
    let at = ReadAt {
        anything: state.db.generation().await?,
        carers: state.db.carers_generation(),
    };
    let opened = match state.parents.get(&state.db, &hash, at.anything) {
        // A kept page is a right code, so it is no guess: it waits for no turn.
        Some(opened) => opened,
        None => {
            let pass = match state.guesses.admit(ip).await {
                Ok(pass) => pass,
                Err(_) => return Ok(Err(CodeProblem::TooMany)),
            };
            let owner = match lookup(state, pass, &code).await? {
                Ok(owner) => owner,
                Err(problem) => return Ok(Err(problem)),
            };
            let ctx = load_context(state, &owner).await?;
            let opened = Arc::new(Opened {
                owner,
                ctx,
                code_hash: hash.clone(),
                noted: AtomicI64::new(0),
            });
            state.parents.put(hash, at, opened.clone());
            opened
        }
    };
    let now = state.clock.now();
    if opened.use_due(now) {
        // Only the office's carer page and delivery log show a code's use, and they read it
        // afresh: what is kept stays current.
        let mut tx = state.db.begin().await?.touching(Touched::Nothing);
        codes::touch(&mut *tx, opened.owner.scope, opened.owner.code_id, now).await?;
        tx.commit().await?;
        opened.noted.store(now.unix_timestamp(), Ordering::Relaxed);
    }
    Ok(Ok((code, opened)))
}

/// Rendered, sanitised policy HTML, kept per version (published versions never change).
pub fn policy_html(state: &AppState, version: &Version) -> Arc<SafeHtml> {
    let mut cache = state.rendered.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(version.id)
        .or_insert_with(|| Arc::new(markdown::render(&version.body_md)))
        .clone()
}

/// For a carer who must sign again: their last declaration, the version it signed (not merely
/// the previous one), and every version published since, newest first.
pub struct SinceSigned {
    pub last: Declaration,
    pub signed: Version,
    pub since: Vec<Version>,
}

/// What changed for a carer who must sign again; `None` for anyone else.
pub async fn since_last_signed(
    state: &AppState,
    doc: &DocState,
) -> Result<Option<SinceSigned>, AppError> {
    if doc.status != Status::MustResign {
        return Ok(None);
    }
    let Some(last) = doc.signed.iter().max_by_key(|d| d.version_number) else {
        return Ok(None);
    };
    let document = &doc.current.document;
    let mut versions = documents::versions_of(&state.db.read, document.scope, document.id).await?;
    let Some(at) = versions.iter().position(|v| v.id == last.version_id) else {
        return Ok(None);
    };
    let signed = versions.remove(at);
    versions.retain(|v| v.number > signed.number);
    Ok(Some(SinceSigned {
        last: last.clone(),
        signed,
        since: versions,
    }))
}

/// What a carer sent from the signing page.
pub struct Signing<'a> {
    pub version_id: Option<i64>,
    pub agree: bool,
    pub typed_name: &'a str,
    pub ip: IpAddr,
    pub user_agent: &'a str,
    /// The languages of the texts the page showed (`cy en`), as the form sent them back and the
    /// page's own signature over them vouched for; `None` when it did not.
    pub shown: Option<&'a str>,
}

/// Why a signature was not taken; the page is shown again with these.
pub enum NotSigned {
    /// The school published a newer version while the carer read: this document's index.
    Superseded(usize),
    /// The form does not vouch for the texts its page showed (a page from before a translation
    /// was published, or an altered form): the page is shown again, as it is now.
    Reread(usize),
    /// What the carer must put right, on the document at this index.
    Invalid {
        index: usize,
        /// The box "I have read and agree" was not ticked.
        not_agreed: bool,
        name: Option<NameProblem>,
    },
}

/// What is wrong with the name a carer typed to sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// Not a usable name at all.
    Invalid(NameError),
    /// A name, but not the one the school has for them.
    Mismatch,
}

/// Signs the declaration for one version: checks the tick and the typed name, then appends the
/// declaration through the one writer. Returns the declaration's id once it is durable.
pub async fn sign(
    state: &AppState,
    owner: &CodeOwner,
    ctx: &ParentContext,
    input: Signing<'_>,
) -> Result<Result<i64, NotSigned>, AppError> {
    let version_id = input
        .version_id
        .ok_or(AppError::Parent(ParentProblem::NoVersion))?;
    let Some(index) = ctx
        .docs
        .iter()
        .position(|d| d.current.version.id == version_id)
    else {
        let Some(version) = documents::version(&state.db.read, owner.scope, version_id).await?
        else {
            return Err(AppError::Parent(ParentProblem::UnknownVersion));
        };
        return match ctx
            .docs
            .iter()
            .position(|d| d.current.document.id == version.document_id)
        {
            Some(i) => Ok(Err(NotSigned::Superseded(i))),
            None => Err(AppError::NotFound),
        };
    };

    let not_agreed = !input.agree;
    let carer_name = ctx.carer.full_name();
    let name = PersonName::parse(input.typed_name);
    let problem = match &name {
        Err(e) => Some(NameProblem::Invalid(*e)),
        Ok(name) if !signature_matches(name.as_str(), &carer_name) => Some(NameProblem::Mismatch),
        Ok(_) => None,
    };
    let name = match name {
        Ok(name) if !not_agreed && problem.is_none() => name,
        _ => {
            return Ok(Err(NotSigned::Invalid {
                index,
                not_agreed,
                name: problem,
            }));
        }
    };

    let version = &ctx.docs[index].current.version;
    let Some(languages) = input.shown else {
        return Ok(Err(NotSigned::Reread(index)));
    };
    let Some(shown) = texts::shown(state, owner.scope, version, languages).await? else {
        return Err(AppError::BadRequest(
            "The page you signed showed a translation this version does not have. Reload the page and sign again."
                .into(),
        ));
    };
    let new = evidence::declaration(
        owner.scope,
        &ctx.carer,
        &ctx.children,
        version,
        state.clock.now(),
        evidence::Method::Online {
            typed_name: name,
            ip: input.ip,
            user_agent: input.user_agent,
            shown,
        },
    );
    let appended = state
        .committer
        .append(new, format!("carer:{}", ctx.carer.id))
        .await?;
    let (Appended::New(d) | Appended::Existing(d)) = appended;
    Ok(Ok(d.id))
}

/// The title a version of the code's school was published with (a receipt names what was
/// signed, not what is current).
pub async fn version_title(
    state: &AppState,
    owner: &CodeOwner,
    version_id: i64,
) -> Result<Option<String>, AppError> {
    Ok(documents::version(&state.db.read, owner.scope, version_id)
        .await?
        .map(|v| v.wording.title))
}

/// The language tag of a code's carer, if known (for pages that load nothing else of theirs).
pub async fn carer_language(
    state: &AppState,
    owner: &CodeOwner,
) -> Result<Option<String>, AppError> {
    Ok(
        crate::store::carers::carer(&state.db.read, owner.scope, owner.carer_id)
            .await?
            .and_then(|c| c.language),
    )
}
