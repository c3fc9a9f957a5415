-- Isolation by construction: a row of one school cannot point at another school's rows.
-- SQLite cannot add a composite foreign key (school_id, id) to a table in place, and rebuilding
-- every table (the evidence tables among them) to add one would put the chain at risk for no
-- further guarantee; these triggers refuse exactly what such keys would: an insert, or a change
-- of a reference, that names a row (carer, pupil, document, version, code, campaign, member of
-- staff) of another school. A reference that is NULL (no member of staff, say) is allowed.


CREATE TRIGGER versions_stay_in_school BEFORE INSERT ON versions
WHEN (NEW.document_id IS NOT NULL AND (SELECT school_id FROM documents WHERE id = NEW.document_id) IS NOT NEW.school_id)
    OR (NEW.published_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.published_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER signing_codes_stay_in_school BEFORE INSERT ON signing_codes
WHEN (NEW.carer_id IS NOT NULL AND (SELECT school_id FROM carers WHERE id = NEW.carer_id) IS NOT NEW.school_id)
    OR (NEW.created_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.created_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER signing_codes_stay_in_school_on_change BEFORE UPDATE OF carer_id, created_by, school_id ON signing_codes
WHEN (NEW.carer_id IS NOT NULL AND (SELECT school_id FROM carers WHERE id = NEW.carer_id) IS NOT NEW.school_id)
    OR (NEW.created_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.created_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER declarations_stay_in_school BEFORE INSERT ON declarations
WHEN (NEW.carer_id IS NOT NULL AND (SELECT school_id FROM carers WHERE id = NEW.carer_id) IS NOT NEW.school_id)
    OR (NEW.document_id IS NOT NULL AND (SELECT school_id FROM documents WHERE id = NEW.document_id) IS NOT NEW.school_id)
    OR (NEW.version_id IS NOT NULL AND (SELECT school_id FROM versions WHERE id = NEW.version_id) IS NOT NEW.school_id)
    OR (NEW.recorded_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.recorded_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER drafts_stay_in_school BEFORE INSERT ON drafts
WHEN (NEW.document_id IS NOT NULL AND (SELECT school_id FROM documents WHERE id = NEW.document_id) IS NOT NEW.school_id)
    OR (NEW.updated_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.updated_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER drafts_stay_in_school_on_change BEFORE UPDATE OF document_id, updated_by, school_id ON drafts
WHEN (NEW.document_id IS NOT NULL AND (SELECT school_id FROM documents WHERE id = NEW.document_id) IS NOT NEW.school_id)
    OR (NEW.updated_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.updated_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER reviews_stay_in_school BEFORE INSERT ON reviews
WHEN (NEW.document_id IS NOT NULL AND (SELECT school_id FROM documents WHERE id = NEW.document_id) IS NOT NEW.school_id)
    OR (NEW.version_id IS NOT NULL AND (SELECT school_id FROM versions WHERE id = NEW.version_id) IS NOT NEW.school_id)
    OR (NEW.recorded_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.recorded_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER reminder_plans_stay_in_school BEFORE INSERT ON reminder_plans
WHEN (NEW.document_id IS NOT NULL AND (SELECT school_id FROM documents WHERE id = NEW.document_id) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER reminder_plans_stay_in_school_on_change BEFORE UPDATE OF document_id, school_id ON reminder_plans
WHEN (NEW.document_id IS NOT NULL AND (SELECT school_id FROM documents WHERE id = NEW.document_id) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER campaigns_stay_in_school BEFORE INSERT ON campaigns
WHEN (NEW.document_id IS NOT NULL AND (SELECT school_id FROM documents WHERE id = NEW.document_id) IS NOT NEW.school_id)
    OR (NEW.created_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.created_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER campaigns_stay_in_school_on_change BEFORE UPDATE OF document_id, created_by, school_id ON campaigns
WHEN (NEW.document_id IS NOT NULL AND (SELECT school_id FROM documents WHERE id = NEW.document_id) IS NOT NEW.school_id)
    OR (NEW.created_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.created_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER messages_stay_in_school BEFORE INSERT ON messages
WHEN (NEW.campaign_id IS NOT NULL AND (SELECT school_id FROM campaigns WHERE id = NEW.campaign_id) IS NOT NEW.school_id)
    OR (NEW.carer_id IS NOT NULL AND (SELECT school_id FROM carers WHERE id = NEW.carer_id) IS NOT NEW.school_id)
    OR (NEW.code_id IS NOT NULL AND (SELECT school_id FROM signing_codes WHERE id = NEW.code_id) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER messages_stay_in_school_on_change BEFORE UPDATE OF campaign_id, carer_id, code_id, school_id ON messages
WHEN (NEW.campaign_id IS NOT NULL AND (SELECT school_id FROM campaigns WHERE id = NEW.campaign_id) IS NOT NEW.school_id)
    OR (NEW.carer_id IS NOT NULL AND (SELECT school_id FROM carers WHERE id = NEW.carer_id) IS NOT NEW.school_id)
    OR (NEW.code_id IS NOT NULL AND (SELECT school_id FROM signing_codes WHERE id = NEW.code_id) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER roster_uploads_stay_in_school BEFORE INSERT ON roster_uploads
WHEN (NEW.staff_user_id IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.staff_user_id) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER roster_uploads_stay_in_school_on_change BEFORE UPDATE OF staff_user_id, school_id ON roster_uploads
WHEN (NEW.staff_user_id IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.staff_user_id) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER roster_mappings_stay_in_school BEFORE INSERT ON roster_mappings
WHEN (NEW.chosen_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.chosen_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER roster_mappings_stay_in_school_on_change BEFORE UPDATE OF chosen_by, school_id ON roster_mappings
WHEN (NEW.chosen_by IS NOT NULL AND (SELECT school_id FROM staff_users WHERE id = NEW.chosen_by) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER trust_adoptions_stay_in_school BEFORE INSERT ON trust_adoptions
WHEN (NEW.document_id IS NOT NULL AND (SELECT school_id FROM documents WHERE id = NEW.document_id) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER trust_adoptions_stay_in_school_on_change BEFORE UPDATE OF document_id, school_id ON trust_adoptions
WHEN (NEW.document_id IS NOT NULL AND (SELECT school_id FROM documents WHERE id = NEW.document_id) IS NOT NEW.school_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER carer_pupils_stay_in_school BEFORE INSERT ON carer_pupils
WHEN (SELECT school_id FROM carers WHERE id = NEW.carer_id)
     IS NOT (SELECT school_id FROM pupils WHERE id = NEW.pupil_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;

CREATE TRIGGER carer_pupils_stay_in_school_on_change BEFORE UPDATE OF carer_id, pupil_id ON carer_pupils
WHEN (SELECT school_id FROM carers WHERE id = NEW.carer_id)
     IS NOT (SELECT school_id FROM pupils WHERE id = NEW.pupil_id)
BEGIN SELECT RAISE(ABORT, 'a row cannot point at another school''s rows'); END;
