-- A translation's own summary of what changed, so a parent who must sign again reads it in their
-- language ('' for none: the version's summary, in the original's language, is shown instead).
-- It is not part of the translation's fixed text, as a version's summary is not part of its own.
ALTER TABLE version_translations ADD COLUMN summary TEXT NOT NULL DEFAULT '';
