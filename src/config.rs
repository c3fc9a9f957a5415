//! Settings from flags and the environment, with defaults that work out of the box.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How the portal is run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite file (created if missing).
    pub database: PathBuf,
    /// Where to listen.
    pub bind: SocketAddr,
    /// The address people use to reach the portal, for printed links. Defaults to `http://<bind>`.
    pub public_url: Option<String>,
    /// Also create made-up pupils and carers and print signing links.
    pub demo: bool,
    /// Never mark staff cookies `Secure`/`__Host-`, even with an https public URL (for a TLS proxy
    /// that talks plain HTTP to browsers on a private network; not recommended).
    pub insecure_cookies: bool,
    /// Take the client address from the last `X-Forwarded-For` entry (behind a reverse proxy).
    pub behind_proxy: bool,
    /// Limits on guessing signing codes from one network.
    pub guessing: CodeLimits,
    /// Limits on wrong passwords for one staff account.
    pub sign_in_per_account: GuessLimits,
    /// Limits on wrong passwords from one address.
    pub sign_in_per_address: GuessLimits,
    /// Staff sessions end after this long without a request...
    pub session_idle: time::Duration,
    /// ...and after this long whatever happens.
    pub session_absolute: time::Duration,
    /// Messages by email and text (see [`Sending`]).
    pub sending: Sending,
}

/// How the portal sends invitations and reminders.
#[derive(Debug, Clone)]
pub struct Sending {
    /// `SIGNOFF_SMTP_URL`: an SMTP server for every school's email, instead of the settings page's
    /// (`smtp://127.0.0.1:2525`, `smtps://user:pass@host:465`).
    pub smtp_url: Option<String>,
    /// GOV.UK Notify's API address (another only for a stand-in in tests).
    pub notify_url: String,
    /// At most this many emails, and this many text messages, a minute. Notify allows 3,000 a
    /// minute for a service, so the defaults (1,200 + 1,500) stay under it with both by Notify.
    pub emails_per_minute: u32,
    pub texts_per_minute: u32,
    /// Let messages carry links to this machine (`localhost`, `127.0.0.1`): for trying the
    /// portal out, where no parent could open them. `--demo` allows it too.
    pub allow_local_links: bool,
    /// Run the sender and the reminder schedule in this process.
    pub run_sender: bool,
}

impl Default for Sending {
    fn default() -> Self {
        Sending {
            smtp_url: None,
            notify_url: "https://api.notifications.service.gov.uk".to_string(),
            emails_per_minute: 1200,
            texts_per_minute: 1500,
            allow_local_links: false,
            run_sender: true,
        }
    }
}

/// Signing codes: after `free` wrong codes from one network (an IPv4 address, or an IPv6 /64)
/// within `window`, its attempts pass `at_once` at a time, each after a delay that grows by `step`
/// per wrong code up to `max_delay`; one that waits longer than `queue_wait` for its turn is asked
/// to try again shortly. A right code is never counted. See the README's "Security and data".
#[derive(Debug, Clone, Copy)]
pub struct CodeLimits {
    pub free: u32,
    pub step: Duration,
    pub max_delay: Duration,
    pub at_once: usize,
    pub queue_wait: Duration,
    pub window: Duration,
}

impl Default for CodeLimits {
    fn default() -> Self {
        CodeLimits {
            free: 30,
            step: Duration::from_millis(500),
            max_delay: Duration::from_secs(5),
            at_once: 4,
            queue_wait: Duration::from_secs(20),
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// Staff passwords: after `free` failures for one key within `window`, each further attempt waits
/// `delay` longer; after `max`, the key is refused until the window ends.
#[derive(Debug, Clone, Copy)]
pub struct GuessLimits {
    pub free: u32,
    pub max: u32,
    pub delay: Duration,
    pub window: Duration,
}

impl Config {
    /// Defaults for everything but the file.
    pub fn with_database(database: PathBuf) -> Self {
        Config {
            database,
            bind: SocketAddr::from(([127, 0, 0, 1], 3000)),
            public_url: None,
            demo: false,
            insecure_cookies: false,
            behind_proxy: false,
            guessing: CodeLimits::default(),
            sign_in_per_account: GuessLimits {
                free: 3,
                max: 10,
                delay: Duration::from_secs(1),
                window: Duration::from_secs(15 * 60),
            },
            sign_in_per_address: GuessLimits {
                free: 10,
                max: 50,
                delay: Duration::from_millis(500),
                window: Duration::from_secs(15 * 60),
            },
            session_idle: time::Duration::minutes(30),
            session_absolute: time::Duration::hours(8),
            sending: Sending::default(),
        }
    }

    /// Staff cookies are `__Host-` prefixed and `Secure` whenever the portal is reached over https.
    /// Without a public URL it is being tried out over plain HTTP on this machine, where browsers
    /// would drop such cookies.
    pub fn secure_cookies(&self) -> bool {
        !self.insecure_cookies && self.base_url().starts_with("https://")
    }

    /// Whether the public URL is https (then browsers are told to keep to https: HSTS).
    pub fn is_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
    }

    /// The base of printed links, without a trailing slash.
    pub fn base_url(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.bind),
        }
    }
}
