//! The `signoff` command's arguments: the server's flags and the commands for the shell.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use signoff::Config;

#[derive(Parser)]
#[command(
    name = "signoff",
    version,
    about = "Parents read and sign the school's code of conduct."
)]
pub struct Cli {
    /// The SQLite database file (created on first start).
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "signoff.db"
    )]
    pub database: String,
    /// Which school a command is for, by its address (/SLUG/): needed when the portal serves
    /// several.
    #[arg(long, global = true, env = "SIGNOFF_SCHOOL")]
    pub school: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(clap::Args, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "SIGNOFF_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,
    /// The address parents and staff use to reach the portal, for printed links
    /// (for example https://sign.oakfield.sch.uk). An https address turns on secure cookies.
    #[arg(long, env = "SIGNOFF_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Also create two classes of made-up pupils and carers, and print signing links for three.
    #[arg(long)]
    pub demo: bool,
    /// Never mark staff cookies Secure, even with an https public URL.
    #[arg(long, env = "SIGNOFF_INSECURE_COOKIES")]
    pub insecure_cookies: bool,
    /// Behind a reverse proxy: take the client's address from X-Forwarded-For.
    #[arg(long, env = "SIGNOFF_BEHIND_PROXY")]
    pub behind_proxy: bool,
    /// An SMTP server for every school's email, instead of the settings page's
    /// (smtp://127.0.0.1:2525, smtps://user:pass@host:465).
    #[arg(long, env = "SIGNOFF_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// GOV.UK Notify's API address (change only to point at a stand-in for testing).
    #[arg(
        long,
        env = "SIGNOFF_NOTIFY_URL",
        default_value = "https://api.notifications.service.gov.uk"
    )]
    pub notify_url: String,
    /// At most this many emails a minute.
    #[arg(long, env = "SIGNOFF_EMAILS_PER_MINUTE", default_value_t = 1200)]
    pub emails_per_minute: u32,
    /// At most this many text messages a minute (Notify allows 3,000 for emails and texts together).
    #[arg(long, env = "SIGNOFF_TEXTS_PER_MINUTE", default_value_t = 1500)]
    pub texts_per_minute: u32,
    /// Let messages carry links to this machine (localhost), for trying the portal out.
    #[arg(long, env = "SIGNOFF_ALLOW_LOCAL_LINKS")]
    pub allow_local_links: bool,
}

#[derive(Subcommand)]
pub enum SchoolCommand {
    /// Add a school: its pages at /SLUG/, its own copy of the sample code of conduct, and a
    /// one-time setup link for its first headteacher (printed).
    Add {
        /// The school's name, as parents know it.
        name: String,
        /// Its address in the portal, /SLUG/: 2 to 40 letters, digits and hyphens.
        #[arg(long)]
        slug: String,
        /// Its postal address, for letters (separate lines with \n or commas).
        #[arg(long, default_value = "")]
        address: String,
        /// Its own host name, such as sign.hillside.sch.uk (see set-host).
        #[arg(long)]
        host: Option<String>,
        /// The address people use to reach the portal, for the printed links.
        #[arg(
            long,
            env = "SIGNOFF_PUBLIC_URL",
            default_value = "http://127.0.0.1:3000"
        )]
        public_url: String,
    },
    /// Give a school its own host name (such as sign.hillside.sch.uk), pointing at this same
    /// server: its public pages answer at that name's /, and links for its parents and staff use
    /// it. --clear takes it away.
    SetHost {
        /// The school's address in the portal, /SLUG/.
        slug: String,
        /// The host name, with a :port if not the usual one.
        #[arg(required_unless_present = "clear")]
        host: Option<String>,
        /// Take the school's host name away: its pages stay at /SLUG/.
        #[arg(long, conflicts_with = "host")]
        clear: bool,
        /// The address people use to reach the portal (its scheme is the links' scheme).
        #[arg(
            long,
            env = "SIGNOFF_PUBLIC_URL",
            default_value = "http://127.0.0.1:3000"
        )]
        public_url: String,
    },
}

#[derive(Subcommand)]
pub enum TrustCommand {
    /// Appoint a trust administrator (the first one, or any): they see every school's figures,
    /// add schools and publish the trust's code. Prints their one-time setup link.
    AddAdmin {
        /// Their name.
        #[arg(long)]
        name: String,
        /// The email address they sign in with.
        #[arg(long)]
        email: String,
        /// The address people use to reach the portal, for the printed link.
        #[arg(
            long,
            env = "SIGNOFF_PUBLIC_URL",
            default_value = "http://127.0.0.1:3000"
        )]
        public_url: String,
    },
}

#[derive(Subcommand)]
pub enum Command {
    /// Start the portal (what running with no command does).
    Serve(ServeArgs),
    /// Print a fresh one-time headteacher setup link, for when nobody can sign in.
    SetupLink {
        /// Reset this existing account (it becomes an active headteacher) instead of making a new one.
        #[arg(long)]
        email: Option<String>,
        /// The address people use to reach the portal, for the printed link.
        #[arg(
            long,
            env = "SIGNOFF_PUBLIC_URL",
            default_value = "http://127.0.0.1:3000"
        )]
        public_url: String,
    },
    /// The schools this portal serves.
    School {
        #[command(subcommand)]
        command: SchoolCommand,
    },
    /// The trust above the schools.
    Trust {
        #[command(subcommand)]
        command: TrustCommand,
    },
    /// Check every published version and declaration chain; exits non-zero if anything was altered.
    Verify {
        /// A checkpoint: the signed file from the headteacher's checkpoint page, or an earlier
        /// `verify`'s output (its "N entries in the chain; head HASH" lines). Each school's chain
        /// must still hold that hash at no. N, so a rewrite of anything before it shows; a signed
        /// file must also match its signature.
        #[arg(long, value_name = "FILE")]
        against: Option<PathBuf>,
    },
    /// Apply each school's retention rule now, as the running portal does once a day: erase the
    /// carers whose children all left longer ago than the rule keeps them. Schools whose
    /// headteacher has not confirmed a rule are left alone.
    Retention {
        /// Only list who would be erased; change nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Copy the live database to a new file, safely while the portal runs, and check the copy.
    /// With --school, the copy holds that school alone.
    Backup {
        /// Where to write the copy (must not exist yet).
        path: PathBuf,
    },
    /// Queue invitations by email and text, as the office's "Email or text these carers" does
    /// (for cron). The running portal sends them.
    Invite {
        /// Only carers of pupils in this class.
        #[arg(long)]
        class: Option<String>,
        /// Which carers: outstanding (default), must-resign or not-signed.
        #[arg(long, default_value = "outstanding", value_parser = ["outstanding", "must-resign", "not-signed"])]
        status: String,
        /// The document's id (default: the school's first).
        #[arg(long)]
        document: Option<i64>,
        /// For carers with both: email-first (default) or both.
        #[arg(long, default_value = "email-first", value_parser = ["email-first", "both", "email", "sms"])]
        reach: String,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Import a roster CSV (the same checks and preview as the office page).
    ///
    /// Exit codes: 0 imported (or nothing to import, or a dry run); 1 nothing imported because of
    /// the file (unreadable, columns unknown, or rows with errors without --skip-invalid);
    /// 3 nothing imported because more than a third of pupils would be marked as left without
    /// --confirm-leavers; 2 a mistake in the command itself.
    ImportRoster {
        /// The CSV file exported from the school's MIS.
        file: PathBuf,
        /// Only show what would change.
        #[arg(long)]
        dry_run: bool,
        /// Import the good rows when some rows have errors (the others are listed, not imported).
        #[arg(long)]
        skip_invalid: bool,
        /// Needed when more than a third of current pupils would be marked as left.
        #[arg(long)]
        confirm_leavers: bool,
    },
}

/// Accepts `sqlite://file.db`, `sqlite:file.db` or a plain path.
pub fn database_path(s: &str) -> PathBuf {
    let s = s
        .strip_prefix("sqlite://")
        .or_else(|| s.strip_prefix("sqlite:"))
        .unwrap_or(s);
    PathBuf::from(s.split('?').next().unwrap_or(s))
}

pub fn config(database: &str, a: ServeArgs) -> Config {
    let mut c = Config::with_database(database_path(database));
    c.bind = a.bind;
    c.public_url = a.public_url;
    c.demo = a.demo;
    c.insecure_cookies = a.insecure_cookies;
    c.behind_proxy = a.behind_proxy;
    c.sending.smtp_url = a.smtp_url.filter(|u| !u.trim().is_empty());
    c.sending.notify_url = a.notify_url;
    c.sending.emails_per_minute = a.emails_per_minute;
    c.sending.texts_per_minute = a.texts_per_minute;
    c.sending.allow_local_links = a.allow_local_links;
    c
}
