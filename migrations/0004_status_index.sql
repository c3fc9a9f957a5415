-- Status views read each carer's declarations for one document.
CREATE INDEX declarations_by_document ON declarations (document_id, carer_id);
