-- Invitations and reminders by email and text message: how a school sends, what it sends, the
-- outbox (which is also the delivery log), carers' opt-outs and the reminder cadence.

-- One row per school once its headteacher saves the sending settings. Secrets (the SMTP password,
-- the Notify API key) are needed in the clear to send, so they are kept here and never shown again.
CREATE TABLE messaging (
    school_id        INTEGER PRIMARY KEY REFERENCES schools(id),
    public_url       TEXT NOT NULL DEFAULT '',
    email_via        TEXT NOT NULL DEFAULT 'none' CHECK (email_via IN ('none', 'smtp', 'notify')),
    sms_via          TEXT NOT NULL DEFAULT 'none' CHECK (sms_via IN ('none', 'notify')),
    smtp_host        TEXT NOT NULL DEFAULT '',
    smtp_port        INTEGER NOT NULL DEFAULT 587,
    smtp_security    TEXT NOT NULL DEFAULT 'starttls' CHECK (smtp_security IN ('starttls', 'tls', 'none')),
    smtp_user        TEXT NOT NULL DEFAULT '',
    smtp_password    TEXT NOT NULL DEFAULT '',
    from_name        TEXT NOT NULL DEFAULT '',
    from_address     TEXT NOT NULL DEFAULT '',
    reply_to         TEXT NOT NULL DEFAULT '',
    notify_key       TEXT NOT NULL DEFAULT '',
    notify_email_template TEXT NOT NULL DEFAULT '',
    notify_sms_template   TEXT NOT NULL DEFAULT '',
    -- Notify sends status callbacks with this bearer token (random, made on first save).
    callback_token   TEXT NOT NULL DEFAULT '',
    email_subject    TEXT NOT NULL,
    email_body       TEXT NOT NULL,
    sms_body         TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- When reminders go for a document: so many days after each carer's invitation, then weekly
-- (if chosen) until the deadline.
CREATE TABLE reminder_plans (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    active      INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    days        TEXT NOT NULL DEFAULT '7,14',
    weekly      INTEGER NOT NULL DEFAULT 1 CHECK (weekly IN (0, 1)),
    deadline    TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);

-- One sending: the office's "email / text these carers", a command's `signoff invite`, or one
-- day's automatic reminders for a document.
CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    kind        TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    filter      TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES staff_users(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX campaigns_by_school ON campaigns (school_id, id);

-- The outbox and the delivery log in one: a row per campaign, carer and channel (the idempotency
-- key), moved on by the sender. `provider_ref` (the Message-ID, or Notify's id) is written before
-- a message is sent, so a send interrupted by a crash is repeated under the same reference.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    school_id       INTEGER NOT NULL REFERENCES schools(id),
    campaign_id     INTEGER NOT NULL REFERENCES campaigns(id),
    carer_id        INTEGER NOT NULL REFERENCES carers(id),
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'bounced', 'failed', 'opted_out', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    provider_ref    TEXT,
    notify_id       TEXT,
    code_id         INTEGER REFERENCES signing_codes(id),
    detail          TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    updated_at      TEXT NOT NULL,
    UNIQUE (campaign_id, carer_id, channel)
);
CREATE INDEX messages_due ON messages (status, next_attempt_at);
CREATE INDEX messages_by_carer ON messages (carer_id, id);
CREATE INDEX messages_by_notify_id ON messages (notify_id) WHERE notify_id IS NOT NULL;

-- A carer who asked for no more reminders by one channel.
CREATE TABLE opt_outs (
    carer_id   INTEGER NOT NULL REFERENCES carers(id),
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (carer_id, channel)
);

-- When a code's link was first opened, for the delivery log.
ALTER TABLE signing_codes ADD COLUMN first_used_at TEXT;
