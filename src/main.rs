//! The `signoff` command: parse arguments, start tracing, hand over to the library.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use signoff::{Config, SystemClock};
use tracing_subscriber::EnvFilter;

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
}

#[derive(Subcommand)]
enum Command {
    /// Start the portal (what running with no command does).
    Serve(ServeArgs),
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
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let base = config.base_url();
    let bind = config.bind;
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
    signoff::serve(listener, built, shutdown_signal()).await
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish and the database closes cleanly.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
