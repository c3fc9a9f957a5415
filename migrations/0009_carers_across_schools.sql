-- A carer at two schools of one portal (siblings across a primary and a secondary) is two rows,
-- one per school, each with its own declarations. Their pages say they are also at the other
-- school: found by the same email address or phone number, through these indexes.
CREATE INDEX carers_by_email ON carers (email COLLATE NOCASE) WHERE email <> '';
CREATE INDEX carers_by_phone ON carers (phone) WHERE phone <> '';
