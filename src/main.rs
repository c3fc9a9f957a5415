//! The `signoff` command: parse arguments, start tracing, hand over to the library.

use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use signoff::{Config, SystemClock};
use tracing_subscriber::EnvFilter;

mod cli;
use cli::{Cli, Command, SchoolCommand, TrustCommand, config, database_path};

/// mimalloc rather than the system's allocator: the signing page's profile spent a tenth of its
/// time in glibc's malloc and free, and mimalloc (built without transparent huge pages, which
/// would add megabytes to an idle server) served it about 7% faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
                signoff::app::school::link_base(&public_url, &school)
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
                    host,
                    public_url,
                },
        }) => {
            let db = open(&cli.database).await?;
            let address = address.replace("\\n", "\n").replace(", ", "\n");
            let made = signoff::app::seed::add_school(
                &db,
                &SystemClock,
                &name,
                &slug,
                &address,
                host.as_deref(),
            )
            .await;
            let school = match &made {
                Ok(m) => signoff::store::schools::get(&db.read, m.scope).await?,
                Err(_) => None,
            };
            db.close().await;
            let (made, school) = (made?, school.context("reading the school just added")?);
            let url = public_url.trim_end_matches('/');
            let links = signoff::app::school::link_base(url, &school);
            let own = match &school.host {
                Some(_) => format!("{links}/ and "),
                None => String::new(),
            };
            println!(
                "Added {}. Its pages: {own}{url}/{}/\n\
                 Its first headteacher's setup link (works once, for 7 days):\n  {links}/setup/{}",
                school.name, school.slug, made.setup_token,
            );
            Ok(())
        }
        Some(Command::School {
            command:
                SchoolCommand::SetHost {
                    slug,
                    host,
                    clear: _,
                    public_url,
                },
        }) => {
            let db = open(&cli.database).await?;
            let changed =
                signoff::app::hosts::set_host(&db, &SystemClock, &slug, host.as_deref()).await;
            db.close().await;
            let changed = changed?;
            let school = &changed.school;
            let url = public_url.trim_end_matches('/');
            match &school.host {
                Some(host) if changed.before.as_deref() == Some(host) => {
                    println!(
                        "{}'s host name was already {host}: nothing changed.",
                        school.name
                    )
                }
                Some(host) => println!(
                    "{}'s own host name is now {host}. Once its DNS (and any reverse proxy) points \
                     it at this server, its pages are at {}/, and letters, messages and setup \
                     links for it use that address. {url}/{}/ still works.",
                    school.name,
                    signoff::app::school::link_base(url, school),
                    school.slug
                ),
                None if changed.before.is_none() => {
                    println!(
                        "{} had no host name of its own: nothing changed.",
                        school.name
                    )
                }
                None => println!(
                    "{} has no host name of its own now: its pages are at {url}/{}/, and links \
                     for it use that address again.",
                    school.name, school.slug
                ),
            }
            Ok(())
        }
        Some(Command::Trust {
            command:
                TrustCommand::AddAdmin {
                    name,
                    email,
                    public_url,
                },
        }) => {
            let db = open(&cli.database).await?;
            let made =
                signoff::app::trust::appoint_from_shell(&db, &SystemClock, &name, &email).await;
            db.close().await;
            let token = made?;
            println!(
                "{} is a trust administrator. Their setup link (works once, for 7 days):\n  {}/setup/{token}\n\
                 After setting a password they sign in at {}/staff/sign-in and see every school at /trust.",
                name.trim(),
                public_url.trim_end_matches('/'),
                public_url.trim_end_matches('/'),
            );
            Ok(())
        }
        Some(Command::Verify { against }) => {
            let checkpoint = match &against {
                Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                    anyhow::anyhow!("cannot read the checkpoint {}: {e}", path.display())
                })?),
                None => None,
            };
            let db = open(&cli.database).await?;
            let report = signoff::app::verify::verify(&db).await?;
            let held = match &checkpoint {
                Some(text) => Some(signoff::app::checkpoint::against(&db, text).await?),
                None => None,
            };
            db.close().await;
            println!("{}", report.summary());
            for (school, seq, hash) in &report.heads {
                println!("  {school}: {seq} entries in the chain; head {hash}");
            }
            let mut failed = report.problem.is_some();
            if let Some(held) = held {
                match held {
                    Ok(held) => {
                        for line in held.lines() {
                            println!("{line}");
                        }
                    }
                    Err(problem) => {
                        println!("NOT AS CHECKPOINTED: {problem}");
                        failed = true;
                    }
                }
            }
            if failed {
                std::process::exit(1);
            }
            Ok(())
        }
        Some(Command::Retention { dry_run, serve }) => {
            let mut c = config(&cli.database, serve);
            c.sending.run_sender = false;
            let built = signoff::build(c, Arc::new(SystemClock)).await?;
            let result = signoff::app::retention::run_all(&built.state, dry_run).await;
            built.state.db.close().await;
            let runs = result.map_err(|e| anyhow::anyhow!("the retention run failed: {e:?}"))?;
            print!("{}", signoff::app::retention::report(&runs, dry_run));
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
