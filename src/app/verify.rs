//! `signoff verify` and `signoff backup`: checking the evidence, and copying it safely.

use std::path::Path;

use crate::domain::chain::{Break, check_chain};
use crate::domain::erasure::{links, redaction_problem};
use crate::domain::evidence::Declaration;
use crate::domain::secret::sha256_hex;
use crate::domain::translation::{self, Translation};
use crate::store::backup::{integrity_check, keep_one_school, vacuum_into};
use crate::store::documents::Version;
use crate::store::{Db, audit, declarations, documents, erasure, schools};

/// What `verify` found.
#[derive(Debug)]
pub struct Report {
    pub declarations: usize,
    /// Erasures in the chains, and the declarations they emptied.
    pub erasures: usize,
    pub redacted: usize,
    pub versions: usize,
    pub translations: usize,
    /// The first problem found, if any.
    pub problem: Option<String>,
    /// Each school's latest chain hash (write it down to notice a rewritten chain later).
    pub heads: Vec<(String, i64, String)>,
}

impl Report {
    pub fn summary(&self) -> String {
        match &self.problem {
            None => format!(
                "{} declarations, {} versions{}: intact; every signing in the audit log has its declaration{}",
                self.declarations,
                self.versions,
                match self.translations {
                    0 => String::new(),
                    n => format!(", {n} translations"),
                },
                match (self.redacted, self.erasures) {
                    (_, 0) => String::new(),
                    (r, e) => format!(
                        "; {r} entries redacted by {e} erasure{}, each recorded in its chain",
                        if e == 1 { "" } else { "s" }
                    ),
                }
            ),
            Some(p) => format!("NOT INTACT: {p}"),
        }
    }
}

fn version_problem(v: &Version) -> Option<String> {
    let text = v.wording.canonical(v.number);
    if sha256_hex(v.canonical_text.as_bytes()) != v.sha256 {
        Some(format!(
            "version {} (document {}, version {}) was altered: its text does not match its fingerprint",
            v.id, v.document_id, v.number
        ))
    } else if text != v.canonical_text {
        Some(format!(
            "version {} (document {}, version {}) was altered: its fields no longer match its published text",
            v.id, v.document_id, v.number
        ))
    } else {
        None
    }
}

fn translation_problem(t: &Translation, number: i64) -> Option<String> {
    let text = translation::canonical(&t.wording, number, &t.language, t.authoritative);
    let what = format!(
        "translation {} ({} of version {}, version id {})",
        t.id, t.language, number, t.version_id
    );
    if sha256_hex(t.canonical_text.as_bytes()) != t.sha256 {
        Some(format!(
            "{what} was altered: its text does not match its fingerprint"
        ))
    } else if text != t.canonical_text {
        Some(format!(
            "{what} was altered: its fields no longer match its published text"
        ))
    } else {
        None
    }
}

/// Whether each text a declaration says its signer was shown is a text of its version: the
/// original (`en`) or a published translation, with the fingerprint recorded.
fn shown_problem(
    d: &Declaration,
    version: &Version,
    translations: &[(Translation, i64)],
) -> Option<String> {
    let recorded = translation::recorded(&d.language, &d.shown_sha256);
    let count = |s: &str| s.split_whitespace().count();
    if count(&d.language) != count(&d.shown_sha256) {
        return Some(format!(
            "declaration {} records {} languages but {} fingerprints of the texts shown",
            d.id,
            count(&d.language),
            count(&d.shown_sha256)
        ));
    }
    for (language, sha) in recorded {
        // A translation must also have been published before the signature that read it.
        let known = if language == translation::ORIGINAL {
            version.sha256 == sha
        } else {
            translations.iter().any(|(t, _)| {
                t.version_id == d.version_id
                    && t.language == language
                    && t.sha256 == sha
                    && crate::clock::stamp(t.published_at) <= d.signed_at
            })
        };
        if !known {
            return Some(format!(
                "declaration {} says its signer was shown the {language} text with fingerprint {sha}, which \
                 was not a published text of version {} when it was signed",
                d.id, version.number
            ));
        }
    }
    None
}

/// Walks every published version and translation and every school's declaration chain.
pub async fn verify(db: &Db) -> Result<Report, sqlx::Error> {
    let versions = documents::all_versions(&db.read).await?;
    let translations = documents::all_translations(&db.read).await?;
    let mut report = Report {
        declarations: 0,
        erasures: 0,
        redacted: 0,
        translations: translations.len(),
        versions: versions.len(),
        problem: None,
        heads: Vec::new(),
    };
    let mut expected_number = (0, 0);
    for v in &versions {
        if expected_number.0 != v.document_id {
            expected_number = (v.document_id, 1);
        }
        if v.number != expected_number.1 {
            report.problem = Some(format!(
                "document {} is missing version {} (removed); the next one found is version {} (id {})",
                v.document_id, expected_number.1, v.number, v.id
            ));
            return Ok(report);
        }
        expected_number.1 += 1;
        if let Some(p) = version_problem(v) {
            report.problem = Some(p);
            return Ok(report);
        }
    }
    for (t, number) in &translations {
        if let Some(p) = translation_problem(t, *number) {
            report.problem = Some(p);
            return Ok(report);
        }
    }
    if let Some(id) = audit::first_translation_without_event(&db.read).await? {
        report.problem = Some(format!(
            "translation {id} has no audit event recording it published with its fingerprint: \
             it was written outside the portal"
        ));
        return Ok(report);
    }
    for (scope, name) in schools::names(&db.read).await? {
        let rows = declarations::chain(&db.read, scope).await?;
        for d in &rows {
            match versions.iter().find(|v| v.id == d.version_id) {
                Some(v) if v.sha256 == d.text_sha256 => {}
                _ => {
                    report.problem = Some(format!(
                        "declaration {} is not bound to the text of its version {}",
                        d.id, d.version_id
                    ));
                    return Ok(report);
                }
            }
        }
        let erasures = erasure::chain(&db.read, scope).await?;
        if let Some(p) = redaction_problem(&rows, &erasures) {
            report.problem = Some(format!("{p} ({name})"));
            return Ok(report);
        }
        let chain = links(&rows, &erasures);
        if let Err(b) = check_chain(&chain) {
            report.problem = Some(format!("{} ({name})", describe(&b)));
            return Ok(report);
        }
        report.declarations += rows.len();
        report.erasures += erasures.len();
        report.redacted += rows.iter().filter(|d| d.erasure_id.is_some()).count();
        // The chain holds, so what each declaration says was shown is what was written: check
        // it names texts that were published.
        for d in &rows {
            let version = versions.iter().find(|v| v.id == d.version_id);
            if let Some(p) = version.and_then(|v| shown_problem(d, v, &translations)) {
                report.problem = Some(p);
                return Ok(report);
            }
        }
        if let Some(last) = chain.last() {
            report.heads.push((name, last.seq, last.row_hash.clone()));
        }
    }
    if let Some(id) = declarations::first_unaudited(&db.read).await? {
        report.problem = Some(format!(
            "declaration {id} has no audit event: it was written outside the portal"
        ));
        return Ok(report);
    }
    if let Some(id) = erasure::first_unaudited(&db.read).await? {
        report.problem = Some(format!(
            "erasure {id} has no audit event: it was written outside the portal"
        ));
        return Ok(report);
    }
    if let Some(subject) = erasure::first_event_without_erasure(&db.read).await? {
        report.problem = Some(format!(
            "{subject}, recorded in the audit log, is missing from its school's chain: it was deleted"
        ));
        return Ok(report);
    }
    // The other way round: a declaration whose audit event remains but which is gone was deleted,
    // even the newest ones (which no later row's chain link would miss).
    if let Some((_, subject, at)) = audit::first_signing_without_declaration(&db.read).await? {
        report.problem = Some(format!(
            "{subject}, recorded in the audit log at {at}, is missing: it was deleted"
        ));
    }
    Ok(report)
}

fn describe(b: &Break) -> String {
    b.to_string()
}

/// Copies the live database to `target` (SQLite's `VACUUM INTO`, safe while the portal serves),
/// keeps only the school `only` in it when given, then checks the copy with `PRAGMA
/// integrity_check` and `verify`. A copy that fails is removed.
pub async fn backup(
    db: &Db,
    target: &Path,
    only: Option<&schools::School>,
) -> anyhow::Result<Report> {
    if target.exists() {
        anyhow::bail!(
            "{} already exists: choose a new file name (backups are never overwritten)",
            target.display()
        );
    }
    let path = target
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("the backup path must be valid UTF-8"))?;
    vacuum_into(&db.read, path).await?;
    let check = async {
        if let Some(school) = only {
            keep_one_school(path, school.id).await?;
        }
        let result = integrity_check(path).await?;
        if result != "ok" {
            anyhow::bail!("the copy failed SQLite's integrity check: {result}");
        }
        let copy = Db::open(target).await?;
        let report = verify(&copy).await?;
        copy.close().await;
        if let Some(p) = &report.problem {
            anyhow::bail!("the copy's evidence does not verify: {p}");
        }
        Ok(report)
    };
    match check.await {
        Ok(r) => Ok(r),
        Err(e) => {
            let _ = std::fs::remove_file(target);
            Err(e)
        }
    }
}
