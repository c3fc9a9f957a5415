-- Retention and erasure (issue 18): a school keeps a carer's personal data only as long as its
-- rule says, and erasing it leaves the evidence chain verifiable.

-- A declaration made from now on commits to its personal fields (names, children, IP, user agent,
-- note) by a salted SHA-256 (`personal_sha256`) instead of hashing them into its row hash directly
-- (format v3, see `DeclarationRecord::row_hash`). Erasing it empties those fields and the salt and
-- names the erasure (`erasure_id`); its row hash still recomputes from what is kept. Declarations
-- made before this migration keep their format; once erased, only their links are checked.
ALTER TABLE declarations ADD COLUMN personal_salt TEXT NOT NULL DEFAULT '';
ALTER TABLE declarations ADD COLUMN personal_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE declarations ADD COLUMN erasure_id INTEGER REFERENCES erasures(id);

-- An erasure: a tombstone in its school's chain, numbered with the declarations (`seq`), saying
-- what was erased, when, under which rule or request and by whom. It never names the carer.
CREATE TABLE erasures (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    seq          INTEGER NOT NULL,
    carer_id     INTEGER NOT NULL REFERENCES carers(id),
    erased_at    TEXT NOT NULL,
    -- 'rule' (the school's retention rule) or 'request' (a carer's request).
    basis        TEXT NOT NULL CHECK (basis IN ('rule', 'request')),
    -- The rule as it stood, or the request's reason.
    reason       TEXT NOT NULL,
    -- Why a headteacher erased a carer whose child is still at the school ('' when none was).
    override     TEXT NOT NULL DEFAULT '',
    requested_by TEXT NOT NULL DEFAULT '',
    approved_by  TEXT NOT NULL,
    -- What was erased, in words ("name, contact details, …; 3 messages; 1 code").
    erased       TEXT NOT NULL,
    -- The declarations it redacted, as a JSON array of [id, row_hash].
    redacted     TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    row_hash     TEXT NOT NULL UNIQUE,
    UNIQUE (school_id, seq)
);
CREATE TRIGGER erasures_are_immutable BEFORE UPDATE ON erasures
BEGIN SELECT RAISE(ABORT, 'erasures cannot be changed'); END;
CREATE TRIGGER erasures_are_kept BEFORE DELETE ON erasures
BEGIN SELECT RAISE(ABORT, 'erasures cannot be deleted'); END;
CREATE TRIGGER erasures_stay_in_school BEFORE INSERT ON erasures
WHEN (SELECT school_id FROM carers WHERE id = NEW.carer_id) IS NOT NEW.school_id
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

-- One numbering per school across declarations and erasures.
CREATE TRIGGER erasures_take_a_free_place BEFORE INSERT ON erasures
WHEN EXISTS (SELECT 1 FROM declarations WHERE school_id = NEW.school_id AND seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'that place in the chain is taken'); END;
CREATE TRIGGER declarations_take_a_free_place BEFORE INSERT ON declarations
WHEN EXISTS (SELECT 1 FROM erasures WHERE school_id = NEW.school_id AND seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'that place in the chain is taken'); END;

-- A declaration still never changes, except to be redacted once by a recorded erasure of its
-- carer: its personal fields and salt emptied, everything else as it was.
DROP TRIGGER declarations_are_immutable;
CREATE TRIGGER declarations_are_immutable BEFORE UPDATE ON declarations
WHEN NOT (
    OLD.erasure_id IS NULL AND NEW.erasure_id IS NOT NULL
    AND NEW.id IS OLD.id AND NEW.school_id IS OLD.school_id AND NEW.seq IS OLD.seq
    AND NEW.carer_id IS OLD.carer_id AND NEW.document_id IS OLD.document_id
    AND NEW.version_id IS OLD.version_id AND NEW.declaration_text IS OLD.declaration_text
    AND NEW.text_sha256 IS OLD.text_sha256 AND NEW.signed_at IS OLD.signed_at
    AND NEW.method IS OLD.method AND NEW.recorded_by IS OLD.recorded_by
    AND NEW.received_on IS OLD.received_on AND NEW.language IS OLD.language
    AND NEW.shown_sha256 IS OLD.shown_sha256 AND NEW.personal_sha256 IS OLD.personal_sha256
    AND NEW.prev_hash IS OLD.prev_hash AND NEW.row_hash IS OLD.row_hash
    AND NEW.children = '[]' AND NEW.carer_name = '' AND NEW.typed_name = ''
    AND NEW.ip = '' AND NEW.user_agent = '' AND NEW.note = '' AND NEW.personal_salt = ''
    AND EXISTS (SELECT 1 FROM erasures e WHERE e.id = NEW.erasure_id
                AND e.school_id = NEW.school_id AND e.carer_id = NEW.carer_id))
BEGIN SELECT RAISE(ABORT, 'declarations cannot be changed, only redacted by a recorded erasure'); END;

-- An erased carer stays as an empty row (declarations and erasures point at it).
ALTER TABLE carers ADD COLUMN erased_at TEXT;

-- The school's retention rule: carers whose children have all left are erased this many years
-- after the last one left, once a headteacher has confirmed the rule (until then nothing is).
ALTER TABLE schools ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 1;
ALTER TABLE schools ADD COLUMN retention_confirmed_at TEXT;
ALTER TABLE schools ADD COLUMN retention_confirmed_by INTEGER REFERENCES staff_users(id);

-- A carer's request to be erased, asked for by the office and decided by a headteacher.
CREATE TABLE erasure_requests (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools(id),
    carer_id     INTEGER NOT NULL REFERENCES carers(id),
    reason       TEXT NOT NULL,
    requested_by INTEGER REFERENCES staff_users(id),
    requested_at TEXT NOT NULL,
    -- 'waiting', 'erased' or 'declined'.
    outcome      TEXT NOT NULL DEFAULT 'waiting' CHECK (outcome IN ('waiting', 'erased', 'declined')),
    decided_by   INTEGER REFERENCES staff_users(id),
    decided_at   TEXT,
    erasure_id   INTEGER REFERENCES erasures(id)
);
CREATE INDEX erasure_requests_by_school ON erasure_requests (school_id, outcome);
CREATE TRIGGER erasure_requests_stay_in_school BEFORE INSERT ON erasure_requests
WHEN (SELECT school_id FROM carers WHERE id = NEW.carer_id) IS NOT NEW.school_id
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;
