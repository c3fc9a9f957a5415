-- Roster files as schools export them: a carer's title, the office's column choices for an
-- upload, and those choices remembered for the next file with the same headers.
ALTER TABLE carers ADD COLUMN title TEXT NOT NULL DEFAULT '';

-- One target key per column (see domain::roster::columns::Target::key), one per line.
ALTER TABLE roster_uploads ADD COLUMN mapping TEXT;
-- What an import did (domain::roster::plan::Summary); the file itself is emptied at import, and
-- `content` then holds only the skipped rows, for the office to download, fix and import again.
ALTER TABLE roster_uploads ADD COLUMN result TEXT;

CREATE TABLE roster_mappings (
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    signature   TEXT NOT NULL,
    mapping     TEXT NOT NULL,
    chosen_by   INTEGER REFERENCES staff_users(id),
    chosen_at   TEXT NOT NULL,
    PRIMARY KEY (school_id, signature)
);
