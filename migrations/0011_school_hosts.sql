-- A school's own host name (sign.hillside.sch.uk), pointing at this same server: the bare public
-- pages on it are that school's, and links for its parents use it. NULL for none. Kept lower
-- case by the portal; the index compares without case too, so no two schools share one, while
-- any number of schools have none.
ALTER TABLE schools ADD COLUMN host TEXT;
CREATE UNIQUE INDEX schools_by_host ON schools (host COLLATE NOCASE) WHERE host IS NOT NULL;
