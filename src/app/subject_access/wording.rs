//! A message's wording as the carer got it, rebuilt: the portal keeps no copy of each message,
//! so the subject access export fills in the school's wording by the sender's own steps, with
//! the carer's personal code withheld.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::app::outreach::{setup, write};
use crate::app::{AppError, AppState};
use crate::domain::code::SigningCode;
use crate::domain::i18n::Lang;
use crate::domain::outreach::Channel;
use crate::domain::school::Scope;
use crate::store::about_carer::{CarerRow, MessageRow};
use crate::store::carers;

/// What stands in a rebuilt message for the carer's personal code (a secret, never exported).
pub const WITHHELD: &str = "[personal code withheld]";

const REBUILT: &str = "The portal keeps no copy of each message as sent. This is the school's \
wording filled in for this carer by the same steps the sender takes, as the wording and their \
details read now, with their personal code withheld; if the school has changed its wording since, \
the message they got differed in those words.";

const NEVER_SENT: &str = "Never sent, so no text was written.";

const ERASED: &str = "The carer's details were erased, so the text cannot be rebuilt.";

/// Each message's (subject, text, note), rebuilt as the sender writes it, with the carer's
/// personal code withheld; empty for a message never handed to a server.
pub async fn wordings(
    state: &AppState,
    scope: Scope,
    carer: &CarerRow,
    rows: &[MessageRow],
) -> Result<Vec<(String, String, String)>, AppError> {
    if carer.erased_at.is_some() || rows.iter().all(|m| m.attempts == 0) {
        let note = if carer.erased_at.is_some() {
            ERASED
        } else {
            NEVER_SENT
        };
        return Ok(rows
            .iter()
            .map(|_| (String::new(), String::new(), note.to_string()))
            .collect());
    }
    let su = setup::setup(state, scope).await?;
    let children: Vec<String> = carers::children(&state.db.read, scope, carer.id)
        .await?
        .into_iter()
        .map(|c| c.first_name)
        .collect();
    let name = format!("{} {}", carer.first_name, carer.last_name)
        .trim()
        .to_string();
    let lang = Lang::of_tag(carer.language.as_deref());
    let mut heads = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let channel = Channel::parse(&m.channel);
        let Some(channel) = channel.filter(|_| m.attempts > 0) else {
            out.push((String::new(), String::new(), NEVER_SENT.to_string()));
            continue;
        };
        let head = match heads.entry(m.document_id) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                e.insert(write::letterhead(state, &su, scope, m.document_id).await?)
            }
        };
        // A throwaway code, never stored, so every place the real one stood can be found.
        let code = SigningCode::generate();
        let written = write::write(
            state,
            &su,
            head,
            channel,
            &m.recipient,
            &name,
            &children,
            &code,
            m.id,
            lang,
        );
        let hide = |s: &str| {
            s.replace(code.as_str(), WITHHELD)
                .replace(&code.display(), WITHHELD)
        };
        out.push((
            hide(&written.subject),
            hide(&written.text),
            REBUILT.to_string(),
        ));
    }
    Ok(out)
}
