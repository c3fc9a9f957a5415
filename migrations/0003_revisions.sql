-- Revisions: one working draft per document, and the log of every review and what it decided.

CREATE TABLE drafts (
    id               INTEGER PRIMARY KEY,
    school_id        INTEGER NOT NULL REFERENCES schools(id),
    document_id      INTEGER NOT NULL UNIQUE REFERENCES documents(id),
    title            TEXT NOT NULL,
    body_md          TEXT NOT NULL,
    approved_by      TEXT NOT NULL,
    approved_on      TEXT NOT NULL,
    last_reviewed    TEXT NOT NULL,
    next_review_due  TEXT NOT NULL,
    related_policies TEXT NOT NULL,
    declaration_text TEXT NOT NULL,
    summary          TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    updated_by       INTEGER REFERENCES staff_users(id)
);

-- Every review: a publish (material or minor) or a review that changed nothing.
CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY,
    school_id       INTEGER NOT NULL REFERENCES schools(id),
    document_id     INTEGER NOT NULL REFERENCES documents(id),
    reviewed_on     TEXT NOT NULL,
    next_review_due TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('no_change', 'material', 'minor')),
    version_id      INTEGER REFERENCES versions(id),
    note            TEXT NOT NULL DEFAULT '',
    recorded_at     TEXT NOT NULL,
    recorded_by     INTEGER REFERENCES staff_users(id)
);
CREATE INDEX reviews_by_document ON reviews (document_id, id);
CREATE TRIGGER reviews_are_immutable BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews cannot be changed'); END;
CREATE TRIGGER reviews_are_kept BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews cannot be deleted'); END;
