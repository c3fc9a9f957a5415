//! Invitations and reminders by email and text message: the sending settings, campaigns, the
//! outbox and its background sender, the reminder schedule, delivery reports and opt-outs.

pub mod campaign;
pub mod cli;
pub mod log;
pub mod notify;
pub mod reach;
pub mod reminders;
pub mod sender;
pub mod settings;
pub mod setup;
pub mod transport;
pub mod trial;
pub mod write;

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::config::Sending;
use crate::domain::outreach::Channel;

/// What the sender shares with the pages: a bell to ring when there is something to send, one
/// HTTP client for Notify, and each channel's pace.
pub struct Outreach {
    pub wake: tokio::sync::Notify,
    pub http: reqwest::Client,
    email_gap: Duration,
    text_gap: Duration,
    next_email: Mutex<Option<Instant>>,
    next_text: Mutex<Option<Instant>>,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// Set when the portal is stopping: the sender finishes its batch and ends.
    pub stopping: std::sync::atomic::AtomicBool,
    /// Each school's sending set-up as last built (see `setup::setup_for_sending`).
    pub setups: Mutex<
        std::collections::HashMap<crate::domain::school::Scope, std::sync::Arc<setup::Setup>>,
    >,
}

impl Outreach {
    pub fn new(sending: &Sending) -> Outreach {
        // One crypto provider (ring) for every TLS connection the process makes: Notify's HTTPS
        // and SMTP's TLS. Installing it twice is harmless (the second is refused).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let per = |n: u32| Duration::from_secs(60) / n.max(1);
        Outreach {
            wake: tokio::sync::Notify::new(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap_or_default(),
            email_gap: per(sending.emails_per_minute),
            text_gap: per(sending.texts_per_minute),
            next_email: Mutex::new(None),
            next_text: Mutex::new(None),
            task: Mutex::new(None),
            stopping: std::sync::atomic::AtomicBool::new(false),
            setups: Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// Waits for this channel's next slot, so it never goes faster than its rate.
    pub async fn pace(&self, ch: Channel) {
        let (slot, gap) = match ch {
            Channel::Email => (&self.next_email, self.email_gap),
            Channel::Sms => (&self.next_text, self.text_gap),
        };
        let at = {
            let mut next = slot.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let at = next.map_or(now, |n| n.max(now));
            *next = Some(at + gap);
            at
        };
        tokio::time::sleep_until(at).await;
    }

    /// Starts the sender for this process.
    pub fn start(&self, state: crate::app::AppState) {
        let handle = tokio::spawn(sender::run(state));
        *self.task.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle);
    }

    /// Stops the sender at once (tests, whose databases go with them).
    pub fn stop(&self) {
        if let Some(h) = self.task.lock().unwrap_or_else(|e| e.into_inner()).take() {
            h.abort();
        }
    }

    /// Lets the sender finish the batch it is sending and write its results (up to 40 s: a send
    /// times out after 30), so a restart repeats nothing; then stops it. Before the database closes.
    pub async fn finish(&self) {
        self.stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_one();
        let handle = self.task.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(mut h) = handle
            && tokio::time::timeout(Duration::from_secs(40), &mut h)
                .await
                .is_err()
        {
            h.abort();
        }
    }

    pub(super) fn is_stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst)
    }
}
