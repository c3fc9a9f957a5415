-- Where each school's declarations start committing to their personal fields (format v3, from
-- migration 0017): every declaration from this place in the chain on must carry a commitment,
-- so one cannot be passed off as an older format (whose erased rows are checked differently).
-- A school with no row (one added later) has committed from its first declaration.
CREATE TABLE chain_formats (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id),
    v3_from   INTEGER NOT NULL
);
INSERT INTO chain_formats (school_id, v3_from)
SELECT s.id, COALESCE((SELECT MIN(d.seq) FROM declarations d
                       WHERE d.school_id = s.id AND d.personal_sha256 <> ''),
                      (SELECT MAX(d.seq) FROM declarations d WHERE d.school_id = s.id) + 1, 1)
FROM schools s;
CREATE TRIGGER chain_formats_are_immutable BEFORE UPDATE ON chain_formats
BEGIN SELECT RAISE(ABORT, 'a chain''s formats cannot be changed'); END;
CREATE TRIGGER chain_formats_are_kept BEFORE DELETE ON chain_formats
BEGIN SELECT RAISE(ABORT, 'a chain''s formats cannot be deleted'); END;
CREATE TRIGGER chain_formats_only_at_migration BEFORE INSERT ON chain_formats
BEGIN SELECT RAISE(ABORT, 'a chain''s formats are set by the migration alone'); END;
