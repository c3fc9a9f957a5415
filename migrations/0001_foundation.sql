-- Signoff's foundation: schools and everything scoped by them.
-- Times are UTC text in RFC 3339 ("2026-11-21T10:48:29Z"); calendar dates are "YYYY-MM-DD".

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE schools (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    cover_rule  TEXT NOT NULL DEFAULT 'one' CHECK (cover_rule IN ('one', 'all')),
    letter_text TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE staff_users (
    id            INTEGER PRIMARY KEY,
    school_id     INTEGER NOT NULL REFERENCES schools(id),
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    password_hash TEXT,
    role          TEXT NOT NULL CHECK (role IN ('headteacher', 'office')),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL
);

-- One-time links that let someone choose a password: the first headteacher's setup link and
-- invitations. Only the SHA-256 of the token is kept.
CREATE TABLE staff_invites (
    id            INTEGER PRIMARY KEY,
    school_id     INTEGER NOT NULL REFERENCES schools(id),
    staff_user_id INTEGER REFERENCES staff_users(id),
    role          TEXT NOT NULL CHECK (role IN ('headteacher', 'office')),
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    created_by    INTEGER REFERENCES staff_users(id)
);

CREATE TABLE documents (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools(id),
    slug       TEXT NOT NULL,
    title      TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (school_id, slug)
);

-- A published version is immutable: its canonical text and SHA-256 are fixed at publish.
CREATE TABLE versions (
    id               INTEGER PRIMARY KEY,
    school_id        INTEGER NOT NULL REFERENCES schools(id),
    document_id      INTEGER NOT NULL REFERENCES documents(id),
    number           INTEGER NOT NULL,
    title            TEXT NOT NULL,
    body_md          TEXT NOT NULL,
    approved_by      TEXT NOT NULL,
    approved_on      TEXT NOT NULL,
    last_reviewed    TEXT NOT NULL,
    next_review_due  TEXT NOT NULL,
    related_policies TEXT NOT NULL,
    declaration_text TEXT NOT NULL,
    summary          TEXT NOT NULL,
    material         INTEGER NOT NULL CHECK (material IN (0, 1)),
    canonical_text   TEXT NOT NULL,
    sha256           TEXT NOT NULL,
    published_at     TEXT NOT NULL,
    published_by     INTEGER REFERENCES staff_users(id),
    UNIQUE (document_id, number)
);
CREATE TRIGGER versions_are_immutable BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'published versions cannot be changed'); END;
CREATE TRIGGER versions_are_kept BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'published versions cannot be deleted'); END;

CREATE TABLE pupils (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    mis_id      TEXT,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    class_name  TEXT NOT NULL,
    year_group  TEXT NOT NULL DEFAULT '',
    left_on     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX pupils_by_school_class ON pupils (school_id, class_name);
CREATE UNIQUE INDEX pupils_mis_id ON pupils (school_id, mis_id) WHERE mis_id IS NOT NULL;

CREATE TABLE carers (
    id          INTEGER PRIMARY KEY,
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    mis_id      TEXT,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    postcode    TEXT NOT NULL DEFAULT '',
    left_on     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX carers_by_school ON carers (school_id, last_name);
CREATE UNIQUE INDEX carers_mis_id ON carers (school_id, mis_id) WHERE mis_id IS NOT NULL;

CREATE TABLE carer_pupils (
    carer_id     INTEGER NOT NULL REFERENCES carers(id),
    pupil_id     INTEGER NOT NULL REFERENCES pupils(id),
    relationship TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (carer_id, pupil_id)
);
CREATE INDEX carer_pupils_by_pupil ON carer_pupils (pupil_id);

-- A personal signing code, kept only as the SHA-256 of its normalised form.
CREATE TABLE signing_codes (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    carer_id     INTEGER NOT NULL REFERENCES carers(id),
    code_hash    TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES staff_users(id),
    revoked_at   TEXT,
    last_used_at TEXT
);
CREATE INDEX signing_codes_by_carer ON signing_codes (carer_id);

-- Append-only evidence. Each row has its place in its school's chain (seq, from 1), the hash of the
-- school's previous row (prev_hash) and its own hash over every evidential field (row_hash), so an
-- edited, inserted or removed row shows.
CREATE TABLE declarations (
    id               INTEGER PRIMARY KEY,
    school_id        INTEGER NOT NULL REFERENCES schools(id),
    seq              INTEGER NOT NULL,
    carer_id         INTEGER NOT NULL REFERENCES carers(id),
    document_id      INTEGER NOT NULL REFERENCES documents(id),
    version_id       INTEGER NOT NULL REFERENCES versions(id),
    children         TEXT NOT NULL,
    carer_name       TEXT NOT NULL,
    typed_name       TEXT NOT NULL,
    declaration_text TEXT NOT NULL,
    text_sha256      TEXT NOT NULL,
    signed_at        TEXT NOT NULL,
    method           TEXT NOT NULL CHECK (method IN ('online', 'paper')),
    ip               TEXT NOT NULL DEFAULT '',
    user_agent       TEXT NOT NULL DEFAULT '',
    recorded_by      INTEGER REFERENCES staff_users(id),
    received_on      TEXT,
    note             TEXT NOT NULL DEFAULT '',
    prev_hash        TEXT NOT NULL,
    row_hash         TEXT NOT NULL UNIQUE,
    UNIQUE (carer_id, version_id),
    UNIQUE (school_id, seq)
);
CREATE TRIGGER declarations_are_immutable BEFORE UPDATE ON declarations
BEGIN SELECT RAISE(ABORT, 'declarations cannot be changed'); END;
CREATE TRIGGER declarations_are_kept BEFORE DELETE ON declarations
BEGIN SELECT RAISE(ABORT, 'declarations cannot be deleted'); END;

CREATE TABLE audit_events (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_by_school ON audit_events (school_id, id);
CREATE TRIGGER audit_events_are_immutable BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;
CREATE TRIGGER audit_events_are_kept BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END;
