-- Each carer's language, for their pages, letters and messages: a language tag such as 'cy',
-- 'en-GB' or 'pl' (NULL: not known, so English). Pages and messages fall back to English for a
-- language the portal has no catalogue for; the tag is kept so translated versions can find it.
-- language_source says who set it: 'roster' (the next import may change it) or 'carer' (chosen
-- on their own pages with the language switch; an import never overwrites it).
ALTER TABLE carers ADD COLUMN language TEXT;
ALTER TABLE carers ADD COLUMN language_source TEXT CHECK (language_source IN ('roster', 'carer'));
