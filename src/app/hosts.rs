//! A school's own host name (`sign.hillside.sch.uk`), given or taken away from the server's
//! shell: checked, never another school's, and noted in the school's audit log.

use crate::clock::Clock;
use crate::domain::school::check_host;
use crate::store::{self, Db, audit, schools};

pub use crate::store::schools::School;

/// What `signoff school set-host` changed: the school as it is now, and its host name before.
pub struct HostChange {
    pub school: School,
    pub before: Option<String>,
}

/// The host name as typed, checked and made the way it is kept, once no school but `except` (the
/// school being changed) has it. The errors say what to change.
pub(crate) async fn free_host(
    tx: &mut store::WriteTx,
    typed: &str,
    except: Option<i64>,
) -> anyhow::Result<String> {
    let host = check_host(typed).map_err(|m| anyhow::anyhow!(m))?;
    if let Some(other) = schools::by_host(&mut **tx, &host).await?
        && Some(other.id) != except
    {
        anyhow::bail!(
            "The host name \"{host}\" is already {}'s: choose another, or first take it from {} \
             with `signoff school set-host {} --clear`.",
            other.name,
            other.name,
            other.slug
        );
    }
    Ok(host)
}

/// Gives a school its host name (`Some`) or takes it away (`None`), in the transaction `tx`, with
/// its audit event; nothing when it is unchanged.
pub(crate) async fn record_host(
    tx: &mut store::WriteTx,
    school: &School,
    host: Option<&str>,
    now: time::OffsetDateTime,
) -> Result<(), sqlx::Error> {
    if school.host.as_deref() == host {
        return Ok(());
    }
    schools::set_host(&mut **tx, school.scope, host).await?;
    let was = school.host.as_deref().unwrap_or("none");
    let (action, detail) = match host {
        Some(h) => (
            "school.host_set",
            format!("{h} (was {was}), from the server's command line"),
        ),
        None => (
            "school.host_cleared",
            format!("was {was}, from the server's command line"),
        ),
    };
    audit::record(
        &mut **tx,
        audit::Event {
            scope: school.scope,
            at: now,
            actor: "system",
            action,
            subject: &format!("school:{}", school.id),
            detail: &detail,
        },
    )
    .await
}

/// `signoff school set-host SLUG HOST` (or `--clear`, `typed: None`): the school at `slug` gets
/// the host name, unless it is not a host name or another school has it; then nothing is stored.
pub async fn set_host(
    db: &Db,
    clock: &dyn Clock,
    slug: &str,
    typed: Option<&str>,
) -> anyhow::Result<HostChange> {
    let school = crate::app::school::for_command(db, Some(slug)).await?;
    let mut tx = db.begin().await?;
    let host = match typed {
        Some(typed) => Some(free_host(&mut tx, typed, Some(school.id)).await?),
        None => None,
    };
    record_host(&mut tx, &school, host.as_deref(), clock.now()).await?;
    tx.commit().await?;
    let before = school.host.clone();
    Ok(HostChange {
        school: School { host, ..school },
        before,
    })
}
