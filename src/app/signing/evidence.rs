//! The one place a declaration's evidence is put together, for online and paper signatures alike.

use std::net::IpAddr;

use crate::clock::stamp;
use crate::domain::evidence::{CoveredChild, Signed};
use crate::domain::name::PersonName;
use crate::domain::school::Scope;
use crate::domain::translation::Shown;
use crate::store::carers::{Carer, Child};
use crate::store::declarations::NewDeclaration;
use crate::store::documents::Version;

/// Longest user agent kept with an online signature.
const USER_AGENT_LIMIT: usize = 400;

/// How the carer signed, and what that way of signing records.
pub enum Method<'a> {
    /// In the browser: the name they typed, where from, with what, and the texts they were shown.
    Online {
        typed_name: PersonName,
        ip: IpAddr,
        user_agent: &'a str,
        shown: Shown,
    },
    /// A paper form that came back: who recorded it, the day it came back, their note.
    Paper {
        recorded_by: i64,
        received_on: time::Date,
        note: &'a str,
    },
}

/// The children a declaration covers, as stored with it.
pub fn covered(children: &[Child]) -> Vec<CoveredChild> {
    children
        .iter()
        .map(|c| CoveredChild {
            class: c.class_name.clone(),
            id: c.id,
            name: c.full_name(),
        })
        .collect()
}

/// A declaration by `carer` for `children`, binding the exact text of `version`.
pub fn declaration(
    scope: Scope,
    carer: &Carer,
    children: &[Child],
    version: &Version,
    signed_at: time::OffsetDateTime,
    method: Method<'_>,
) -> NewDeclaration {
    let mut signed = Signed {
        carer_id: carer.id,
        document_id: version.document_id,
        version_id: version.id,
        children: CoveredChild::to_json(&covered(children)),
        carer_name: carer.full_name(),
        typed_name: String::new(),
        declaration_text: version.declaration_text.clone(),
        text_sha256: version.sha256.clone(),
        signed_at: stamp(signed_at),
        method: "online".into(),
        ip: String::new(),
        user_agent: String::new(),
        recorded_by: None,
        received_on: None,
        note: String::new(),
        language: String::new(),
        shown_sha256: String::new(),
    };
    match method {
        Method::Online {
            typed_name,
            ip,
            user_agent,
            shown,
        } => {
            signed.language = shown.languages();
            signed.shown_sha256 = shown.hashes();
            signed.declaration_text = shown.declaration_text;
            signed.typed_name = typed_name.to_string();
            signed.ip = ip.to_string();
            signed.user_agent = user_agent.chars().take(USER_AGENT_LIMIT).collect();
        }
        Method::Paper {
            recorded_by,
            received_on,
            note,
        } => {
            signed.method = "paper".into();
            signed.recorded_by = Some(recorded_by);
            signed.received_on = Some(received_on.to_string());
            signed.note = note.trim().to_string();
        }
    }
    NewDeclaration { scope, signed }
}
