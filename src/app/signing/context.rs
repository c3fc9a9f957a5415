//! What a carer's pages show, read in one go: their school, themselves, their children, and
//! each document with what they signed of it.

use crate::app::{AppError, AppState};
use crate::domain::status::Status;
use crate::store::carers::{self, Carer, Child};
use crate::store::codes::CodeOwner;
use crate::store::declarations::{self, Declaration};
use crate::store::documents::{self, Current};
use crate::store::schools;

/// Everything about one carer that their pages show.
#[derive(Clone)]
pub struct ParentContext {
    pub school_name: String,
    /// The school's address in the portal, for links to its public pages.
    pub school_slug: String,
    pub contact: crate::app::school::Contact,
    pub carer: Carer,
    pub children: Vec<Child>,
    pub docs: Vec<DocState>,
    /// Other schools in the portal where they are a carer too (by email or phone), by name.
    pub also_at: Vec<String>,
}

impl ParentContext {
    /// The first document still to sign, if any.
    pub fn next_to_sign(&self) -> Option<usize> {
        self.docs.iter().position(|d| d.status != Status::Signed)
    }
}

/// One document as it stands for one carer.
#[derive(Clone)]
pub struct DocState {
    pub current: Current,
    pub status: Status,
    /// The carer's declarations for this document, newest first.
    pub signed: Vec<Declaration>,
}

/// Reads everything a carer's pages show.
pub async fn load_context(state: &AppState, owner: &CodeOwner) -> Result<ParentContext, AppError> {
    let db = &state.db.read;
    let scope = owner.scope;
    let school = schools::get(db, scope).await?.ok_or(AppError::NotFound)?;
    let carer = carers::carer(db, scope, owner.carer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let children = carers::children(db, scope, carer.id).await?;
    let also_at = carers::also_at(db, carer.id).await?;
    let all_signed = declarations::for_carer(db, scope, carer.id).await?;
    let docs = documents::current_for_school(db, scope)
        .await?
        .into_iter()
        .map(|current| {
            let signed: Vec<Declaration> = all_signed
                .iter()
                .filter(|d| d.document_id == current.document.id)
                .cloned()
                .collect();
            let status = Status::from_signed(
                signed.iter().map(|d| d.version_number),
                current.latest_material,
            );
            DocState {
                current,
                status,
                signed,
            }
        })
        .collect();
    Ok(ParentContext {
        contact: crate::app::school::Contact::of(&school),
        school_name: school.name,
        school_slug: school.slug,
        carer,
        children,
        docs,
        also_at,
    })
}
