//! The `signoff` command: parse arguments, start tracing, hand over to the library.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use signoff::{Config, SystemClock};
use tracing_subscriber::EnvFilter;

/// mimalloc rather than the system's allocator: the signing page's profile spent a tenth of its
/// time in glibc's malloc and free, and mimalloc (built without transparent huge pages, which
/// would add megabytes to an idle server) served it about 7% faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "signoff",
    version,
    about = "Parents read and sign the school's code of conduct."
)]
struct Cli {
    /// The SQLite database file (created on first start).
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "signoff.db"
    )]
    database: String,
    /// Which school a command is for, by its address (/SLUG/): needed when the portal serves
    /// several.
    #[arg(long, global = true, env = "SIGNOFF_SCHOOL")]
    school: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(clap::Args, Clone)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "SIGNOFF_BIND", default_value = "127.0.0.1:3000")]
    bind: SocketAddr,
    /// The address parents and staff use to reach the portal, for printed links
    /// (for example https://sign.oakfield.sch.uk). An https address turns on secure cookies.
    #[arg(long, env = "SIGNOFF_PUBLIC_URL")]
    public_url: Option<String>,
    /// Also create two classes of made-up pupils and carers, and print signing links for three.
    #[arg(long)]
    demo: bool,
    /// Never mark staff cookies Secure, even with an https public URL.
    #[arg(long, env = "SIGNOFF_INSECURE_COOKIES")]
    insecure_cookies: bool,
    /// Behind a reverse proxy: take the client's address from X-Forwarded-For.
    #[arg(long, env = "SIGNOFF_BEHIND_PROXY")]
    behind_proxy: bool,
    /// An SMTP server for every school's email, instead of the settings page's
    /// (smtp://127.0.0.1:2525, smtps://user:pass@host:465).
    #[arg(long, env = "SIGNOFF_SMTP_URL")]
    smtp_url: Option<String>,
    /// GOV.UK Notify's API address (change only to point at a stand-in for testing).
    #[arg(
        long,
        env = "SIGNOFF_NOTIFY_URL",
        default_value = "https://api.notifications.service.gov.uk"
    )]
    notify_url: String,
    /// At most this many emails a minute.
    #[arg(long, env = "SIGNOFF_EMAILS_PER_MINUTE", default_value_t = 1200)]
    emails_per_minute: u32,
    /// At most this many text messages a minute (Notify allows 3,000 for emails and texts together).
    #[arg(long, env = "SIGNOFF_TEXTS_PER_MINUTE", default_value_t = 1500)]
    texts_per_minute: u32,
    /// Let messages carry links to this machine (localhost), for trying the portal out.
    #[arg(long, env = "SIGNOFF_ALLOW_LOCAL_LINKS")]
    allow_local_links: bool,
}

#[derive(Subcommand)]
enum SchoolCommand {
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
        /// The address people use to reach the portal, for the printed links.
        #[arg(
            long,
            env = "SIGNOFF_PUBLIC_URL",
            default_value = "http://127.0.0.1:3000"
        )]
        public_url: String,
    },
}

#[derive(Subcommand)]
enum Command {
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
    /// Check every published version and declaration chain; exits non-zero if anything was altered.
    Verify,
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
fn database_path(s: &str) -> PathBuf {
    let s = s
        .strip_prefix("sqlite://")
        .or_else(|| s.strip_prefix("sqlite:"))
        .unwrap_or(s);
    PathBuf::from(s.split('?').next().unwrap_or(s))
}

fn config(database: &str, a: ServeArgs) -> Config {
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("signoff=info,tower_http=warn")),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        None => serve(config(&cli.database, cli.serve)).await,
        Some(Command::Serve(args)) => serve(config(&cli.database, args)).await,
        Some(Command::SetupLink { email, public_url }) => {
            let db = open(&cli.database).await?;
            let school = signoff::app::school::for_command(&db, cli.school.as_deref()).await?;
            let token =
                signoff::app::seed::headteacher_link(&db, &SystemClock, &school, email.as_deref())
                    .await?;
            println!(
                "Headteacher setup link (works once, for 7 days):\n  {}/setup/{token}",
                public_url.trim_end_matches('/')
            );
            db.close().await;
            Ok(())
        }
        Some(Command::ImportRoster {
            file,
            dry_run,
            skip_invalid,
            confirm_leavers,
        }) => {
            let consent = signoff::app::roster::Consent {
                digest: None,
                skip_invalid,
                confirm_leavers,
            };
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let db = open(&cli.database).await?;
            let school = signoff::app::school::for_command(&db, cli.school.as_deref()).await?;
            let name = file.display().to_string();
            let result = signoff::app::roster::cli::import_file(
                &db, &school, &name, bytes, dry_run, &consent,
            )
            .await;
            db.close().await;
            let (code, report) = result?;
            print!("{report}");
            std::process::exit(code);
        }
        Some(Command::Invite {
            class,
            status,
            document,
            reach,
            serve,
        }) => {
            let mut c = config(&cli.database, serve);
            c.sending.run_sender = false;
            let built = signoff::build(c, Arc::new(SystemClock)).await?;
            let choice = signoff::app::outreach::campaign::Choice {
                document,
                class,
                status,
                search: None,
                reach: Some(signoff::app::outreach::campaign::Reach::parse(&reach)),
            };
            let school =
                signoff::app::school::for_command(&built.state.db, cli.school.as_deref()).await?;
            let result = signoff::app::outreach::cli::invite(&built.state, &school, &choice).await;
            built.state.db.close().await;
            let (code, report) = result.map_err(|e| anyhow::anyhow!("queueing failed: {e:?}"))?;
            print!("{report}");
            std::process::exit(code);
        }
        Some(Command::School {
            command:
                SchoolCommand::Add {
                    name,
                    slug,
                    address,
                    public_url,
                },
        }) => {
            let db = open(&cli.database).await?;
            let address = address.replace("\\n", "\n").replace(", ", "\n");
            let made =
                signoff::app::seed::add_school(&db, &SystemClock, &name, &slug, &address).await;
            db.close().await;
            let made = made?;
            let url = public_url.trim_end_matches('/');
            println!(
                "Added {name}. Its pages: {url}/{slug}/\n\
                 Its first headteacher's setup link (works once, for 7 days):\n  {url}/setup/{}",
                made.setup_token,
                slug = slug.trim().to_ascii_lowercase(),
            );
            Ok(())
        }
        Some(Command::Verify) => {
            let db = open(&cli.database).await?;
            let report = signoff::app::verify::verify(&db).await?;
            db.close().await;
            println!("{}", report.summary());
            for (school, seq, hash) in &report.heads {
                println!("  {school}: {seq} declarations in the chain; head {hash}");
            }
            if report.problem.is_some() {
                std::process::exit(1);
            }
            Ok(())
        }
        Some(Command::Backup { path }) => {
            let db = open(&cli.database).await?;
            let only = match cli.school.as_deref() {
                Some(slug) => Some(signoff::app::school::for_command(&db, Some(slug)).await?),
                None => None,
            };
            let result = signoff::app::verify::backup(&db, &path, only.as_ref()).await;
            db.close().await;
            let report = result?;
            println!(
                "Backed up to {}: integrity ok; {}",
                path.display(),
                report.summary()
            );
            Ok(())
        }
    }
}

/// Opens the database for a one-off command (migrating it if needed).
async fn open(database: &str) -> anyhow::Result<signoff::store::Db> {
    let path = database_path(database);
    signoff::store::Db::open(&path)
        .await
        .with_context(|| format!("opening the database {}", path.display()))
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let base = config.base_url();
    let bind = config.bind;
    // Catch SIGTERM before anything else: the port accepts connections from the moment it is
    // bound, and a stop that comes while the portal is still starting must still be clean.
    let shutdown = shutdown_signal();
    // Bind first: a port in use should fail before the first start prints a one-time link.
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("listening on {bind}"))?;
    let built = signoff::build(config, Arc::new(SystemClock)).await?;
    if let Some(first) = &built.first_start {
        println!("\nFirst start: created the school and version 1 of the sample code of conduct.");
        println!("Headteacher, finish setting up your account (this link works once, for 7 days):");
        println!("  {base}/setup/{}\n", first.setup_token);
    }
    if !built.demo_codes.is_empty() {
        println!("Demo carers who have not signed yet (each link or code is personal):");
        for d in &built.demo_codes {
            println!(
                "  {:<18} code {}   {base}/s/{}",
                d.carer_name,
                d.code.display(),
                d.code.as_str()
            );
        }
        println!();
    }
    tracing::info!(%bind, "Signoff is ready at {base}");
    signoff::serve(listener, built, shutdown).await
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish and the database closes cleanly.
/// SIGTERM is caught from the moment this is called, not from when the future is first polled:
/// a stop that comes as the first requests are answered still finishes them.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let term = async {
            match term {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
