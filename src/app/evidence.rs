//! Everything held about one carer (the evidence pack): every declaration, the exact text signed
//! and how to check it, and with them everything else `app::subject_access` reads, for a complaint
//! or a subject access request.

use serde::Serialize;

use crate::app::subject_access::{self, Held};
use crate::app::{AppError, AppState};
use crate::clock::stamp;
use crate::domain::evidence::CoveredChild;
use crate::domain::role::Actor;
use crate::domain::translation;
use crate::store::declarations::{self, Declaration};
use crate::store::documents::{self, Version};
use crate::store::{audit, schools, staff};

/// One declaration with the exact text of the version signed.
#[derive(Serialize)]
pub struct Item {
    pub reference: String,
    pub declaration_id: i64,
    pub chain_position: i64,
    pub document: String,
    pub version_number: i64,
    pub version_published_at: String,
    pub version_text_sha256: String,
    pub version_text: String,
    pub version_text_url: String,
    pub children: serde_json::Value,
    /// The children as a person reads them: "Mei Li (class 3B), Sam Li (class 5A)".
    #[serde(skip)]
    pub children_text: String,
    pub carer_name: String,
    pub typed_name: String,
    pub declaration_text: String,
    pub signed_at_utc: String,
    pub method: String,
    pub ip_address: String,
    pub user_agent: String,
    pub recorded_by: Option<String>,
    pub paper_received_on: Option<String>,
    pub note: String,
    /// The texts the parent was shown when signing online (a translation, the original, or
    /// both side by side), each with its fingerprint; empty on paper and before languages were
    /// recorded, when the version's text above is what was shown.
    pub shown: Vec<ShownText>,
    /// The commitment to the personal fields (format v3) and its salt; empty before v3, and the
    /// salt also once the carer's details are erased.
    pub personal_sha256: String,
    pub personal_salt: String,
    pub prev_hash: String,
    pub row_hash: String,
}

/// One text a parent was shown.
#[derive(Serialize)]
pub struct ShownText {
    /// Its language tag (`en` for the original).
    pub language: String,
    /// The language's name in English.
    #[serde(skip)]
    pub language_name: String,
    pub sha256: String,
    /// The exact text, to hash with `sha256sum`.
    pub text: String,
}

#[derive(Serialize)]
pub struct Pack {
    pub school: String,
    pub school_address: String,
    pub carer_id: i64,
    pub carer: String,
    pub generated_at_utc: String,
    pub how_to_check: String,
    pub declarations: Vec<Item>,
    /// Everything else held about the carer (fields beside the pack's own in the download).
    #[serde(flatten)]
    pub held: Held,
    /// The day it was made, in UK time (for the download's file name).
    #[serde(skip)]
    pub generated_on: String,
}

const HOW_TO_CHECK: &str = "Each version_text is exactly the text of the version signed. Save it to a \
file byte for byte (or download it from version_text_url) and run `sha256sum FILE`: the result must equal \
version_text_sha256, which is also printed on the parent's receipt. Where a declaration lists the texts shown \
(shown: a translation, the original, or both side by side), each one's text hashes the same way to its sha256. \
row_hash is SHA-256 over \"signoff-declaration-v3\\n\" and the declaration's fields as JSON with the personal ones \
(names, children, IP address, browser, note) replaced by personal_sha256, itself SHA-256 over \"signoff-personal-v1\\n\", \
personal_salt, a newline and those fields as JSON; declarations made before commitments (personal_sha256 empty) \
hash \"signoff-declaration-v1\\n\" (\"-v2\" when the texts shown are recorded) and every field as JSON. The \
README of the portal gives the exact layouts. prev_hash links each declaration to the entry before it in the school's chain. `signoff verify` on the server rechecks every hash and link.";

/// Builds everything held about a carer of `me`'s school and notes in the audit log that it was
/// exported (`carer.exported`).
pub async fn pack(state: &AppState, me: &Actor, id: &str) -> Result<Pack, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let db = &state.db.read;
    let school = schools::get(db, me.scope)
        .await?
        .ok_or(AppError::NotFound)?;
    let people = staff::users(db, school.scope).await?;
    let held = subject_access::held(state, me, id, &people).await?;
    let mut items = Vec::new();
    let mut signed: Vec<Declaration> = declarations::for_carer(db, me.scope, id).await?;
    signed.reverse();
    for d in signed {
        let reference = d.reference();
        let Declaration {
            record, row_hash, ..
        } = d;
        let d = record.signed;
        let v: Version = documents::version(db, me.scope, d.version_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let doc = documents::document(db, me.scope, v.document_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let translations = documents::translations_of(db, me.scope, v.id).await?;
        let shown = translation::recorded(&d.language, &d.shown_sha256)
            .into_iter()
            .map(|(language, sha256)| {
                let text = if language == translation::ORIGINAL {
                    v.canonical_text.clone()
                } else {
                    translations
                        .iter()
                        .find(|t| t.language == language && t.sha256 == sha256)
                        .map(|t| t.canonical_text.clone())
                        .unwrap_or_default()
                };
                ShownText {
                    language_name: if language == translation::ORIGINAL {
                        "English (the original)".to_string()
                    } else {
                        translation::language(&language)
                            .map_or_else(|| language.clone(), |l| l.english.to_string())
                    },
                    language,
                    sha256,
                    text,
                }
            })
            .collect();
        items.push(Item {
            shown,
            reference,
            declaration_id: record.id,
            chain_position: record.seq,
            document: doc.title.clone(),
            version_number: v.number,
            version_published_at: stamp(v.published_at),
            version_text_sha256: v.sha256.clone(),
            version_text_url: format!(
                "{}/policy/{}/v/{}/text",
                crate::app::school::links(state, &school),
                doc.slug,
                v.number
            ),
            version_text: v.canonical_text,
            children: serde_json::from_str(&d.children).unwrap_or(serde_json::Value::Null),
            children_text: children_text(&d.children),
            carer_name: d.carer_name,
            typed_name: d.typed_name,
            declaration_text: d.declaration_text,
            signed_at_utc: d.signed_at,
            method: d.method,
            ip_address: d.ip,
            user_agent: d.user_agent,
            recorded_by: d
                .recorded_by
                .and_then(|r| people.iter().find(|u| u.id == r))
                .map(|u| u.name.clone()),
            paper_received_on: d.received_on,
            note: d.note,
            personal_sha256: record.personal_sha256,
            personal_salt: record.personal_salt,
            prev_hash: record.prev_hash,
            row_hash,
        });
    }
    let now = state.clock.now();
    audit::by_staff(
        &state.db.write,
        me,
        now,
        "carer.exported",
        &format!("carer:{id}"),
        &format!(
            "{} declarations, {} messages, {} audit entries",
            items.len(),
            held.messages.len(),
            held.audit_events.len()
        ),
    )
    .await?;
    Ok(Pack {
        school_address: crate::app::school::address_below_name(&school.name, &school.address),
        school: school.name,
        carer_id: id,
        carer: format!("{} {}", held.contact.first_name, held.contact.last_name)
            .trim()
            .to_string(),
        generated_at_utc: stamp(now),
        generated_on: crate::domain::london::to_london(now).date().to_string(),
        how_to_check: HOW_TO_CHECK.to_string(),
        declarations: items,
        held,
    })
}

/// A declaration's children as a sentence for the printed pack; "None listed" when it has none.
fn children_text(column: &str) -> String {
    let children = CoveredChild::from_json(column);
    if children.is_empty() {
        return "None listed".to_string();
    }
    children
        .iter()
        .map(|c| format!("{} (class {})", c.name, c.class))
        .collect::<Vec<_>>()
        .join(", ")
}
