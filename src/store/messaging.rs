//! How each school sends messages, its reminder cadences, and carers' opt-outs.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;

use crate::clock::stamp;
use crate::domain::school::Scope;

/// A school's sending settings, as saved (secrets included: the sender needs them). No `Debug`,
/// so the SMTP password and the Notify key can never reach a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Messaging {
    pub scope: Scope,
    pub public_url: String,
    pub email_via: String,
    pub sms_via: String,
    pub smtp_host: String,
    pub smtp_port: i64,
    pub smtp_security: String,
    pub smtp_user: String,
    pub smtp_password: String,
    pub from_name: String,
    pub from_address: String,
    pub reply_to: String,
    pub notify_key: String,
    pub notify_email_template: String,
    pub notify_sms_template: String,
    pub callback_token: String,
    pub email_subject: String,
    pub email_body: String,
    pub sms_body: String,
}

/// A school's saved sending settings, if it has saved them.
pub async fn get(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<Option<Messaging>, sqlx::Error> {
    let school_id = scope.id();
    let row = sqlx::query!(
        "SELECT public_url, email_via, sms_via, smtp_host, smtp_port, smtp_security,
                smtp_user, smtp_password, from_name, from_address, reply_to, notify_key,
                notify_email_template, notify_sms_template, callback_token, email_subject,
                email_body, sms_body
         FROM messaging WHERE school_id = ?",
        school_id
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| Messaging {
        scope,
        public_url: r.public_url,
        email_via: r.email_via,
        sms_via: r.sms_via,
        smtp_host: r.smtp_host,
        smtp_port: r.smtp_port,
        smtp_security: r.smtp_security,
        smtp_user: r.smtp_user,
        smtp_password: r.smtp_password,
        from_name: r.from_name,
        from_address: r.from_address,
        reply_to: r.reply_to,
        notify_key: r.notify_key,
        notify_email_template: r.notify_email_template,
        notify_sms_template: r.notify_sms_template,
        callback_token: r.callback_token,
        email_subject: r.email_subject,
        email_body: r.email_body,
        sms_body: r.sms_body,
    }))
}

/// The school whose Notify callbacks carry this token: the token makes its scope.
pub async fn school_for_callback(
    ex: impl SqliteExecutor<'_>,
    token: &str,
) -> Result<Option<Scope>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "SELECT school_id FROM messaging WHERE callback_token = ? AND callback_token <> ''",
        token
    )
    .fetch_optional(ex)
    .await?;
    Ok(id.map(Scope::from_row))
}

pub async fn save(
    ex: impl SqliteExecutor<'_>,
    m: &Messaging,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = m.scope.id();
    sqlx::query!(
        "INSERT INTO messaging (school_id, public_url, email_via, sms_via, smtp_host, smtp_port,
             smtp_security, smtp_user, smtp_password, from_name, from_address, reply_to, notify_key,
             notify_email_template, notify_sms_template, callback_token, email_subject, email_body,
             sms_body, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (school_id) DO UPDATE SET public_url = excluded.public_url,
             email_via = excluded.email_via, sms_via = excluded.sms_via,
             smtp_host = excluded.smtp_host, smtp_port = excluded.smtp_port,
             smtp_security = excluded.smtp_security, smtp_user = excluded.smtp_user,
             smtp_password = excluded.smtp_password, from_name = excluded.from_name,
             from_address = excluded.from_address, reply_to = excluded.reply_to,
             notify_key = excluded.notify_key, notify_email_template = excluded.notify_email_template,
             notify_sms_template = excluded.notify_sms_template,
             callback_token = excluded.callback_token, email_subject = excluded.email_subject,
             email_body = excluded.email_body, sms_body = excluded.sms_body,
             updated_at = excluded.updated_at",
        school_id,
        m.public_url,
        m.email_via,
        m.sms_via,
        m.smtp_host,
        m.smtp_port,
        m.smtp_security,
        m.smtp_user,
        m.smtp_password,
        m.from_name,
        m.from_address,
        m.reply_to,
        m.notify_key,
        m.notify_email_template,
        m.notify_sms_template,
        m.callback_token,
        m.email_subject,
        m.email_body,
        m.sms_body,
        now
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// A document's reminder cadence as saved.
#[derive(Debug, Clone)]
pub struct PlanRow {
    pub document_id: i64,
    pub scope: Scope,
    pub active: bool,
    pub days: String,
    pub weekly: bool,
    pub deadline: String,
}

/// A `reminder_plans` row as the queries read it.
struct Row {
    document_id: i64,
    school_id: i64,
    active: bool,
    days: String,
    weekly: bool,
    deadline: String,
}

impl From<Row> for PlanRow {
    fn from(r: Row) -> PlanRow {
        PlanRow {
            document_id: r.document_id,
            scope: Scope::from_row(r.school_id),
            active: r.active,
            days: r.days,
            weekly: r.weekly,
            deadline: r.deadline,
        }
    }
}

/// The reminder cadence of one of a school's documents, if saved.
pub async fn plan(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    document_id: i64,
) -> Result<Option<PlanRow>, sqlx::Error> {
    let school_id = scope.id();
    sqlx::query_as!(
        Row,
        r#"SELECT document_id, school_id, active AS "active: bool", days, weekly AS "weekly: bool", deadline
           FROM reminder_plans WHERE document_id = ? AND school_id = ?"#,
        document_id,
        school_id
    )
    .fetch_optional(ex)
    .await
    .map(|r| r.map(PlanRow::from))
}

/// Every plan that is switched on, in every school (for the reminder job), each with its
/// school's scope.
pub async fn active_plans(ex: impl SqliteExecutor<'_>) -> Result<Vec<PlanRow>, sqlx::Error> {
    sqlx::query_as!(
        Row,
        r#"SELECT document_id, school_id, active AS "active: bool", days, weekly AS "weekly: bool", deadline
           FROM reminder_plans WHERE active = 1 ORDER BY document_id"#
    )
    .fetch_all(ex)
    .await
    .map(|rows| rows.into_iter().map(PlanRow::from).collect())
}

pub async fn save_plan(
    ex: impl SqliteExecutor<'_>,
    p: &PlanRow,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let now = stamp(now);
    let school_id = p.scope.id();
    sqlx::query!(
        "INSERT INTO reminder_plans (document_id, school_id, active, days, weekly, deadline, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (document_id) DO UPDATE SET active = excluded.active, days = excluded.days,
             weekly = excluded.weekly, deadline = excluded.deadline, updated_at = excluded.updated_at",
        p.document_id,
        school_id,
        p.active,
        p.days,
        p.weekly,
        p.deadline,
        now
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Records that one of a school's carers wants no more messages by `channel` (again is
/// harmless). Opt-outs have no school of their own: the carer's is checked.
pub async fn opt_out(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
    channel: &str,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let now = stamp(now);
    let school_id = scope.id();
    let done = sqlx::query!(
        "INSERT INTO opt_outs (carer_id, channel, created_at)
         SELECT id, ?, ? FROM carers WHERE id = ? AND school_id = ?
         ON CONFLICT (carer_id, channel) DO NOTHING",
        channel,
        now,
        carer_id,
        school_id
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A carer's opt-outs: (channel, when).
pub async fn opt_outs_of(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
    carer_id: i64,
) -> Result<Vec<(String, OffsetDateTime)>, sqlx::Error> {
    let school_id = scope.id();
    let rows = sqlx::query!(
        r#"SELECT o.channel, o.created_at AS "created_at: OffsetDateTime"
           FROM opt_outs o JOIN carers c ON c.id = o.carer_id
           WHERE o.carer_id = ? AND c.school_id = ? ORDER BY o.channel"#,
        carer_id,
        school_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.channel, r.created_at))
        .collect())
}

/// Every opt-out in a school: (carer, channel).
pub async fn opt_outs_in(
    ex: impl SqliteExecutor<'_>,
    scope: Scope,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let school_id = scope.id();
    let rows = sqlx::query!(
        "SELECT o.carer_id, o.channel FROM opt_outs o JOIN carers c ON c.id = o.carer_id WHERE c.school_id = ?",
        school_id
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|r| (r.carer_id, r.channel)).collect())
}
