-- Staff sessions, roster uploads awaiting confirmation, and letters printed.

-- Server-side staff sessions; the cookie holds a random token, this table only its SHA-256.
CREATE TABLE staff_sessions (
    id            INTEGER PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    staff_user_id INTEGER NOT NULL REFERENCES staff_users(id),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
CREATE INDEX staff_sessions_by_user ON staff_sessions (staff_user_id);

-- A roster file between its preview and its import (kept so the import is exactly what was shown).
CREATE TABLE roster_uploads (
    id            INTEGER PRIMARY KEY,
    school_id     INTEGER NOT NULL REFERENCES schools(id),
    staff_user_id INTEGER REFERENCES staff_users(id),
    filename      TEXT NOT NULL,
    content       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    imported_at   TEXT
);
