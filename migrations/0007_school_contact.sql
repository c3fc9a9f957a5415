-- How parents reach the school: shown on every parent page, on receipts and wherever a page
-- used to say only "contact the school office". Empty until the headteacher fills them in.
ALTER TABLE schools ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN office_hours TEXT NOT NULL DEFAULT '';
