-- A trust above its schools: trust administrators (staff accounts that belong to no one school),
-- the school a trust administrator is looking at, the trust's own code of conduct and the schools
-- that adopt it, and the trust's own log.
--
-- staff_users and staff_invites are rebuilt, as SQLite cannot relax NOT NULL or a CHECK in place.
-- sqlx runs a migration inside a transaction, where `PRAGMA foreign_keys = OFF` is ignored, so the
-- foreign keys are deferred instead: dropping the old table leaves references to its rows
-- dangling for a moment, and putting the same rows (same ids) back into the new table under the
-- same name settles every one of them before the commit checks.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE staff_users_kept AS SELECT * FROM staff_users;
DROP TABLE staff_users;
CREATE TABLE staff_users (
    id            INTEGER PRIMARY KEY,
    -- NULL for a trust administrator, who belongs to no one school.
    school_id     INTEGER REFERENCES schools(id),
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    password_hash TEXT,
    role          TEXT NOT NULL CHECK (role IN ('headteacher', 'office', 'trust')),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL,
    CHECK ((role = 'trust') = (school_id IS NULL))
);
INSERT INTO staff_users (id, school_id, email, name, password_hash, role, active, created_at)
    SELECT id, school_id, email, name, password_hash, role, active, created_at FROM staff_users_kept;
DROP TABLE staff_users_kept;

CREATE TABLE staff_invites_kept AS SELECT * FROM staff_invites;
DROP TABLE staff_invites;
CREATE TABLE staff_invites (
    id            INTEGER PRIMARY KEY,
    school_id     INTEGER REFERENCES schools(id),
    staff_user_id INTEGER REFERENCES staff_users(id),
    role          TEXT NOT NULL CHECK (role IN ('headteacher', 'office', 'trust')),
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    created_by    INTEGER REFERENCES staff_users(id),
    CHECK ((role = 'trust') = (school_id IS NULL))
);
INSERT INTO staff_invites
    (id, school_id, staff_user_id, role, token_hash, created_at, expires_at, used_at, created_by)
    SELECT id, school_id, staff_user_id, role, token_hash, created_at, expires_at, used_at, created_by
    FROM staff_invites_kept;
DROP TABLE staff_invites_kept;

-- The school a trust administrator's session is looking at (read-only), if any.
ALTER TABLE staff_sessions ADD COLUMN viewing_school_id INTEGER REFERENCES schools(id);

-- The trust's own code of conduct. Parents never sign these: each school publishes its own
-- version from one, and that is what its parents sign.
CREATE TABLE trust_versions (
    id           INTEGER PRIMARY KEY,
    number       INTEGER NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    body_md      TEXT NOT NULL,
    summary      TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by INTEGER REFERENCES staff_users(id)
);
CREATE TRIGGER trust_versions_are_immutable BEFORE UPDATE ON trust_versions
BEGIN SELECT RAISE(ABORT, 'published versions cannot be changed'); END;
CREATE TRIGGER trust_versions_are_kept BEFORE DELETE ON trust_versions
BEGIN SELECT RAISE(ABORT, 'published versions cannot be deleted'); END;

-- A school that takes the trust's code as one of its documents, with its own local sections.
CREATE TABLE trust_adoptions (
    school_id   INTEGER PRIMARY KEY REFERENCES schools(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    local_md    TEXT NOT NULL DEFAULT '',
    adopted_at  TEXT NOT NULL,
    adopted_by  INTEGER REFERENCES staff_users(id)
);

-- Which trust version a school's draft, and then its published version, was made from.
ALTER TABLE drafts ADD COLUMN trust_version_id INTEGER REFERENCES trust_versions(id);
ALTER TABLE versions ADD COLUMN trust_version_id INTEGER REFERENCES trust_versions(id);

-- What trust administrators did that belongs to no one school; append-only like audit_events.
CREATE TABLE trust_events (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER trust_events_are_immutable BEFORE UPDATE ON trust_events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;
CREATE TRIGGER trust_events_are_kept BEFORE DELETE ON trust_events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END;
