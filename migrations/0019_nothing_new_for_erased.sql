-- Nothing new is recorded for a carer whose details were erased: it could never be erased again.
-- The portal refuses first (a clear page); these catch a form that raced the erasure. A refused
-- declaration fails only its own commit: the committer retries the rest of its group one by one.
CREATE TRIGGER declarations_not_for_erased_carers BEFORE INSERT ON declarations
WHEN (SELECT erased_at FROM carers WHERE id = NEW.carer_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'this carer''s details were erased'); END;
CREATE TRIGGER signing_codes_not_for_erased_carers BEFORE INSERT ON signing_codes
WHEN (SELECT erased_at FROM carers WHERE id = NEW.carer_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'this carer''s details were erased'); END;
