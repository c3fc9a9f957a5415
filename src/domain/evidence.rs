//! Evidence hashing: the canonical text of a version and the hash chain over declarations.
//!
//! Both are plain, documented byte layouts so that anyone can recompute them with `sha256sum`.

use serde::Serialize;

use super::secret::sha256_hex;

/// The `prev_hash` of the first declaration in a school's chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a version says, as published. Its canonical text is what a parent reads and signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionText<'a> {
    pub title: &'a str,
    pub number: i64,
    pub approved_by: &'a str,
    pub approved_on: &'a str,
    pub last_reviewed: &'a str,
    pub next_review_due: &'a str,
    pub related_policies: &'a str,
    pub body_md: &'a str,
    pub declaration_text: &'a str,
}

impl VersionText<'_> {
    /// The exact text fixed at publish: UTF-8, `\n` line endings, one trailing newline.
    pub fn canonical(&self) -> String {
        let related = self
            .related_policies
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        let text = format!(
            "{title}\nVersion {number}\nApproved by: {by}\nApproved on: {on}\nLast reviewed: {reviewed}\n\
             Next review due: {due}\nRelated policies: {related}\n\n{body}\n\nDeclaration\n{decl}\n",
            title = self.title.trim(),
            number = self.number,
            by = self.approved_by.trim(),
            on = self.approved_on.trim(),
            reviewed = self.last_reviewed.trim(),
            due = self.next_review_due.trim(),
            body = self.body_md.trim(),
            decl = self.declaration_text.trim(),
        );
        normalise_newlines(&text)
    }
}

/// Converts `\r\n` and lone `\r` to `\n`.
pub fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Every evidential field of a declaration, in a fixed order. Its hash is the row's `row_hash`.
#[derive(Debug, Clone, Serialize)]
pub struct DeclarationRecord {
    pub id: i64,
    pub school_id: i64,
    pub carer_id: i64,
    pub document_id: i64,
    pub version_id: i64,
    pub children: String,
    pub carer_name: String,
    pub typed_name: String,
    pub declaration_text: String,
    pub text_sha256: String,
    pub signed_at: String,
    pub method: String,
    pub ip: String,
    pub user_agent: String,
    pub recorded_by: Option<i64>,
    pub received_on: Option<String>,
    pub note: String,
    pub prev_hash: String,
}

impl DeclarationRecord {
    /// SHA-256 over `signoff-declaration-v1\n` followed by the record as compact JSON.
    pub fn row_hash(&self) -> String {
        // Serialising a plain struct of strings and integers cannot fail.
        let json = serde_json::to_string(self).unwrap_or_default();
        sha256_hex(format!("signoff-declaration-v1\n{json}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> VersionText<'static> {
        VersionText {
            title: "Code",
            number: 1,
            approved_by: "Governors",
            approved_on: "2026-09-01",
            last_reviewed: "2026-09-01",
            next_review_due: "2027-09-01",
            related_policies: "Complaints\r\n\r\nSocial media\n",
            body_md: "## A\r\nText\r\n",
            declaration_text: "I agree.",
        }
    }

    #[test]
    fn canonical_text_is_stable_and_normalised() {
        let t = sample().canonical();
        assert!(!t.contains('\r'));
        assert!(t.contains("Related policies: Complaints; Social media\n"));
        assert!(t.ends_with("Declaration\nI agree.\n"));
        assert_eq!(t, sample().canonical());
    }

    #[test]
    fn any_change_changes_the_row_hash() {
        let rec = DeclarationRecord {
            id: 1,
            school_id: 1,
            carer_id: 2,
            document_id: 1,
            version_id: 1,
            children: "[]".into(),
            carer_name: "A B".into(),
            typed_name: "A B".into(),
            declaration_text: "I agree.".into(),
            text_sha256: "x".into(),
            signed_at: "2026-11-21T10:00:00Z".into(),
            method: "online".into(),
            ip: "127.0.0.1".into(),
            user_agent: "t".into(),
            recorded_by: None,
            received_on: None,
            note: String::new(),
            prev_hash: GENESIS.into(),
        };
        let h = rec.row_hash();
        let mut other = rec.clone();
        other.typed_name = "A C".into();
        assert_ne!(h, other.row_hash());
        let mut other = rec.clone();
        other.prev_hash = "1".repeat(64);
        assert_ne!(h, other.row_hash());
        assert_eq!(h, rec.row_hash());
    }
}
