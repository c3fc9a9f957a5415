-- Translations of a published version of a document, and the language a declaration was signed
-- in. A translation is published after its version (perhaps much later) and never changes who
-- must sign again: parents sign the version, in the language they read it in.

CREATE TABLE version_translations (
    id               INTEGER PRIMARY KEY,
    school_id        INTEGER NOT NULL REFERENCES schools(id),
    version_id       INTEGER NOT NULL REFERENCES versions(id),
    -- A BCP 47 primary language tag: 'cy', 'pl', 'ar'.
    language         TEXT NOT NULL,
    title            TEXT NOT NULL,
    approved_by      TEXT NOT NULL,
    related_policies TEXT NOT NULL,
    body_md          TEXT NOT NULL,
    declaration_text TEXT NOT NULL,
    -- 1: this translation is the text that governs if it and the original differ.
    authoritative    INTEGER NOT NULL CHECK (authoritative IN (0, 1)),
    canonical_text   TEXT NOT NULL,
    sha256           TEXT NOT NULL,
    published_at     TEXT NOT NULL,
    published_by     INTEGER REFERENCES staff_users(id),
    UNIQUE (version_id, language)
);
-- At most one authoritative translation of a version (else the original governs).
CREATE UNIQUE INDEX version_translations_one_authoritative
    ON version_translations (version_id) WHERE authoritative = 1;
CREATE TRIGGER version_translations_are_immutable BEFORE UPDATE ON version_translations
BEGIN SELECT RAISE(ABORT, 'published translations cannot be changed'); END;
CREATE TRIGGER version_translations_are_kept BEFORE DELETE ON version_translations
BEGIN SELECT RAISE(ABORT, 'published translations cannot be deleted'); END;
CREATE TRIGGER version_translations_stay_in_school BEFORE INSERT ON version_translations
WHEN ((SELECT school_id FROM versions WHERE id = NEW.version_id) IS NOT NEW.school_id)
    OR (NEW.published_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.published_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

-- What a parent was shown when they signed online: the language of each text on the page, in
-- order ('en'; 'cy'; 'cy en' side by side), and each text's SHA-256 in the same order. Empty on
-- paper forms and on declarations made before this migration, whose row hashes keep their
-- original format (see `DeclarationRecord::row_hash`).
ALTER TABLE declarations ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE declarations ADD COLUMN shown_sha256 TEXT NOT NULL DEFAULT '';

-- A bilingual school shows this language's translation beside the original on the signing page
-- ('' for none; 'cy' in a Welsh dual-language school).
ALTER TABLE schools ADD COLUMN side_by_side TEXT NOT NULL DEFAULT '';
