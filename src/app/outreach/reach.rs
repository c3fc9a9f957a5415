//! Who a campaign can reach and by which channel: the office's choice for carers with both, and
//! what the school knows already (opt-outs, channels whose last message failed).

use std::collections::{HashMap, HashSet};

use crate::app::{AppError, AppState};
use crate::domain::outreach::{Channel, MessageStatus};
use crate::domain::school::Scope;
use crate::store::{delivery, messaging};

/// Which channels a campaign uses for a carer who has both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Email where the carer has a working address, else a text.
    EmailFirst,
    /// Both, where the carer has both.
    Both,
    EmailOnly,
    TextOnly,
}

impl Reach {
    pub fn parse(s: &str) -> Reach {
        match s {
            "both" => Reach::Both,
            "email" => Reach::EmailOnly,
            "sms" => Reach::TextOnly,
            _ => Reach::EmailFirst,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Reach::EmailFirst => "email-first",
            Reach::Both => "both",
            Reach::EmailOnly => "email",
            Reach::TextOnly => "sms",
        }
    }
}

/// What the school knows about reaching each carer: opt-outs and channels that have failed.
#[derive(Default)]
pub struct Reachability {
    pub(super) opted_out: HashSet<(i64, Channel)>,
    tried: HashSet<(i64, Channel)>,
    /// Where the last message failed: the address or number it went to.
    failing: HashMap<(i64, Channel), String>,
}

impl Reachability {
    pub async fn load(state: &AppState, scope: Scope) -> Result<Reachability, AppError> {
        let db = &state.db.read;
        let mut r = Reachability::default();
        for (carer, ch) in messaging::opt_outs_in(db, scope).await? {
            if let Some(ch) = Channel::parse(&ch) {
                r.opted_out.insert((carer, ch));
            }
        }
        for (carer, ch, status, recipient) in delivery::latest_per_channel(db, scope).await? {
            if let Some(ch) = Channel::parse(&ch) {
                r.tried.insert((carer, ch));
                if MessageStatus::parse(&status).is_failure() {
                    r.failing.insert((carer, ch), recipient);
                }
            }
        }
        Ok(r)
    }

    /// Carers who have been messaged and whose every channel tried has failed.
    pub fn no_working_contact(&self) -> HashSet<i64> {
        let mut all_failed: HashMap<i64, bool> = HashMap::new();
        for key in &self.tried {
            let failed = self.failing.contains_key(key);
            *all_failed.entry(key.0).or_insert(true) &= failed;
        }
        all_failed
            .into_iter()
            .filter_map(|(carer, failed)| failed.then_some(carer))
            .collect()
    }

    /// Whether the last message to this very address or number failed (a corrected address in
    /// the roster is tried again).
    pub fn failing(&self, carer: i64, ch: Channel, to: &str) -> bool {
        self.failing.get(&(carer, ch)).is_some_and(|r| r == to)
    }
}
