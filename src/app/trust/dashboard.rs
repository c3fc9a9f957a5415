//! The trust's figures: for every school, its first document's counts (from the same kept
//! reports the school's own dashboard reads), the version it is on, its review date, and where it
//! stands with the trust's code.

use std::collections::HashMap;

use crate::app::{AppError, AppState, reports};
use crate::domain::dates::{Review, review_state};
use crate::domain::london::to_london;
use crate::domain::school::Scope;
use crate::domain::status::Counts;
use crate::store::trust::{self, TrustVersion};

/// Where a school stands with the trust's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustCode {
    /// The trust has published no code yet.
    NoneYet,
    /// The school keeps a code of its own.
    NotAdopted,
    /// Adopted; the school has published the trust's latest version.
    UpToDate(i64),
    /// Adopted; the school has not yet published the trust's latest version (it has published
    /// the one given, if any).
    Behind { published: Option<i64>, latest: i64 },
}

impl TrustCode {
    /// The words for the trust's table and CSV.
    pub fn describe(&self) -> String {
        match self {
            TrustCode::NoneYet => "No trust code yet".into(),
            TrustCode::NotAdopted => "Own code".into(),
            TrustCode::UpToDate(n) => format!("Published trust version {n}"),
            TrustCode::Behind {
                published: Some(p),
                latest,
            } => format!("Not yet published trust version {latest} (on {p})"),
            TrustCode::Behind {
                published: None,
                latest,
            } => format!("Not yet published trust version {latest}"),
        }
    }

    pub fn is_behind(&self) -> bool {
        matches!(self, TrustCode::Behind { .. })
    }
}

/// One school's line.
#[derive(Debug, Clone)]
pub struct Line {
    pub slug: String,
    pub name: String,
    pub document: String,
    pub counts: Counts,
    pub version: i64,
    pub next_review_due: String,
    pub review: Option<Review>,
    pub trust: TrustCode,
}

/// Every school's line, the trust's totals, and the trust's latest code.
pub struct Overview {
    pub lines: Vec<Line>,
    pub totals: Counts,
    pub latest: Option<TrustVersion>,
}

impl Overview {
    /// Schools whose review is overdue, and due within 30 days.
    pub fn reviews(&self) -> (usize, usize) {
        let overdue = self
            .lines
            .iter()
            .filter(|l| matches!(l.review, Some(Review::Overdue(_))))
            .count();
        let due = self
            .lines
            .iter()
            .filter(|l| matches!(l.review, Some(Review::DueIn(_))))
            .count();
        (overdue, due)
    }

    /// Schools that have adopted the trust's code and not yet published its latest version.
    pub fn behind(&self) -> Vec<&Line> {
        self.lines.iter().filter(|l| l.trust.is_behind()).collect()
    }
}

/// Where a school stands with the trust's code, from its adoption (if any).
fn standing(adoption: Option<&trust::Adoption>, latest: Option<&TrustVersion>) -> TrustCode {
    match (latest, adoption) {
        (None, _) => TrustCode::NoneYet,
        (Some(_), None) => TrustCode::NotAdopted,
        (Some(l), Some(a)) if a.published_number == Some(l.number) => TrustCode::UpToDate(l.number),
        (Some(l), Some(a)) => TrustCode::Behind {
            published: a.published_number,
            latest: l.number,
        },
    }
}

/// The trust's figures, now.
pub async fn overview(state: &AppState) -> Result<Overview, AppError> {
    let today = to_london(state.clock.now()).date();
    let members = trust::schools(&state.db.read).await?;
    let adoptions: HashMap<Scope, trust::Adoption> = trust::adoptions(&state.db.read)
        .await?
        .into_iter()
        .map(|a| (a.scope, a))
        .collect();
    let latest = trust::latest(&state.db.read).await?;
    let mut lines = Vec::with_capacity(members.len());
    let mut totals = Counts::default();
    for m in members {
        let adoption = adoptions.get(&m.scope);
        // The adopted document when the school has one, else its first.
        let counted = reports::counts_for(state, m.scope, adoption.map(|a| a.document_id)).await?;
        let c = counted.summary.overall;
        totals.add_counts(&c);
        lines.push(Line {
            slug: m.slug,
            name: m.name,
            document: counted.doc.version.title.clone(),
            counts: c,
            version: counted.doc.version.number,
            next_review_due: counted.doc.next_review_due.clone(),
            review: review_state(&counted.doc.next_review_due, today),
            trust: standing(adoption, latest.as_ref()),
        });
    }
    Ok(Overview {
        lines,
        totals,
        latest,
    })
}

/// The same figures as CSV, one school a row (cells made safe for spreadsheets).
pub fn csv(o: &Overview) -> Result<String, AppError> {
    use crate::domain::csv_safe::cell;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "School",
        "Address in portal",
        "Document",
        "Version",
        "Carers",
        "Signed",
        "Signed %",
        "Outstanding",
        "Must re-sign",
        "Not signed",
        "Paper forms",
        "Next review due",
        "Review",
        "Trust code",
    ];
    let fail = |e: csv::Error| AppError::Internal(anyhow::anyhow!(e));
    w.write_record(header).map_err(fail)?;
    for l in &o.lines {
        let review = match l.review {
            Some(Review::Overdue(d)) => format!("Overdue by {d} days"),
            Some(Review::DueIn(d)) => format!("Due in {d} days"),
            None => String::new(),
        };
        let c = &l.counts;
        w.write_record([
            cell(&l.name),
            cell(&l.slug),
            cell(&l.document),
            l.version.to_string(),
            c.total().to_string(),
            c.signed.to_string(),
            c.pct_signed().to_string(),
            c.outstanding().to_string(),
            c.must_resign.to_string(),
            c.not_signed.to_string(),
            c.paper.to_string(),
            l.next_review_due.clone(),
            review,
            cell(&l.trust.describe()),
        ])
        .map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| fail(e.into_error().into()))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tv(number: i64) -> TrustVersion {
        TrustVersion {
            id: number,
            number,
            title: String::new(),
            body_md: String::new(),
            summary: String::new(),
            sha256: String::new(),
            published_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    // An adoption made by hand, as the store would read it.
    #[allow(clippy::disallowed_methods)]
    fn adopted(published: Option<i64>) -> trust::Adoption {
        trust::Adoption {
            scope: Scope::from_row(1),
            document_id: 1,
            local_md: String::new(),
            published_number: published,
        }
    }

    #[test]
    fn where_a_school_stands_with_the_trust_code() {
        assert_eq!(standing(None, None), TrustCode::NoneYet);
        assert_eq!(standing(None, Some(&tv(2))), TrustCode::NotAdopted);
        let a = adopted(Some(2));
        assert_eq!(standing(Some(&a), Some(&tv(2))), TrustCode::UpToDate(2));
        let behind = standing(Some(&a), Some(&tv(3)));
        assert_eq!(
            behind,
            TrustCode::Behind {
                published: Some(2),
                latest: 3
            }
        );
        assert_eq!(
            behind.describe(),
            "Not yet published trust version 3 (on 2)"
        );
        let never = standing(Some(&adopted(None)), Some(&tv(1)));
        assert_eq!(never.describe(), "Not yet published trust version 1");
    }
}
