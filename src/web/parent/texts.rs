//! What the signing page shows of a version: its texts in the parent's language (or two side by
//! side), language names for the notes about them, and what changed since the carer last signed.

use std::sync::Arc;

use crate::app::AppState;
use crate::app::signing::{self, ParentContext};
use crate::domain::i18n::Tr;
use crate::domain::markdown::SafeHtml;
use crate::domain::translation;
use crate::web::error::AppError;
use crate::web::views::{self, MetaView, Run};

/// One text of the version on the page: the original or a translation.
pub struct TextView {
    pub lang: String,
    pub dir: &'static str,
    pub title: String,
    /// Its language's own name ("Cymraeg"), shown over each text when there are two.
    pub name: String,
    pub html: Arc<SafeHtml>,
    pub meta: MetaView,
    pub declaration_text: String,
}

/// The language's own name: `English` for the original.
pub(super) fn own_name(code: &str) -> String {
    translation::language(code).map_or_else(|| "English".to_string(), |l| l.native.to_string())
}

/// A language's name in the page's language ("Welsh", or "Cymraeg" on a Welsh page).
pub(super) fn name_in(tr: &Tr, code: &str) -> String {
    match tr.t(&format!("language-{code}")) {
        name if name.is_empty() => code.to_string(),
        name => name,
    }
}

/// What changed since the version a carer signed: shown before they sign again.
pub struct Changes {
    pub signed_on: String,
    pub signed_number: i64,
    /// (version number, summary) of each version published since, newest first.
    pub summaries: Vec<(i64, String)>,
    pub diff: Vec<Run>,
    pub added: usize,
    pub removed: usize,
    /// The language and direction of the text compared.
    pub lang: String,
    pub dir: &'static str,
}

/// What changed since the carer last signed, in the language they read (`language`) where both
/// versions have a translation in it, else in the original.
pub(super) async fn changes_for(
    state: &AppState,
    ctx: &ParentContext,
    index: usize,
    tr: &Tr,
    language: &str,
) -> Result<Option<Changes>, AppError> {
    let doc = &ctx.docs[index];
    let Some(since) = signing::since_last_signed(state, doc).await? else {
        return Ok(None);
    };
    let scope = doc.current.document.scope;
    let (before, after, lang) =
        signing::texts::both_in(state, scope, &since.signed, &doc.current.version, language)
            .await?;
    let (diff, added, removed) = views::runs(&before, &after);
    let dir = if translation::is_rtl(&lang) {
        "rtl"
    } else {
        "ltr"
    };
    Ok(Some(Changes {
        signed_on: tr.stamp(&since.last.signed_at),
        signed_number: since.signed.number,
        summaries: signing::texts::summaries_in(state, scope, &since.since, language).await?,
        diff,
        added,
        removed,
        lang,
        dir,
    }))
}
