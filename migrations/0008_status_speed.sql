-- A carer's best signature of a document is read from this index alone (the version and how it
-- was signed are in it), for the office's counts and for what changed since they were counted.
CREATE INDEX declarations_best ON declarations (document_id, carer_id, version_id, method);
DROP INDEX declarations_by_document;
