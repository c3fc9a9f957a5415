//! What a version of a document says, and its canonical text: the exact bytes a parent reads
//! and signs, fixed at publish.

/// The wording of a document: its text with its approval and review dates. A draft holds one
/// being written; a published version holds one fixed for good.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wording {
    pub title: String,
    pub body_md: String,
    pub approved_by: String,
    pub approved_on: String,
    pub last_reviewed: String,
    pub next_review_due: String,
    /// One per line.
    pub related_policies: String,
    pub declaration_text: String,
}

impl Wording {
    /// The exact text fixed when this wording is published as version `number`: UTF-8, `\n`
    /// line endings, one trailing newline. Anyone can recompute its SHA-256 with `sha256sum`.
    pub fn canonical(&self, number: i64) -> String {
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

/// `\r\n` and lone `\r` become `\n`.
pub fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Wording {
        Wording {
            title: "Code".into(),
            approved_by: "Governors".into(),
            approved_on: "2026-09-01".into(),
            last_reviewed: "2026-09-01".into(),
            next_review_due: "2027-09-01".into(),
            related_policies: "Complaints\r\n\r\nSocial media\n".into(),
            body_md: "## A\r\nText\r\n".into(),
            declaration_text: "I agree.".into(),
        }
    }

    #[test]
    fn canonical_text_is_stable_and_normalised() {
        let t = sample().canonical(1);
        assert!(!t.contains('\r'));
        assert!(t.contains("Related policies: Complaints; Social media\n"));
        assert!(t.ends_with("Declaration\nI agree.\n"));
        assert_eq!(t, sample().canonical(1));
        assert_eq!(
            t,
            "Code\nVersion 1\nApproved by: Governors\nApproved on: 2026-09-01\nLast reviewed: 2026-09-01\n\
             Next review due: 2027-09-01\nRelated policies: Complaints; Social media\n\n## A\nText\n\n\
             Declaration\nI agree.\n"
        );
    }
}
