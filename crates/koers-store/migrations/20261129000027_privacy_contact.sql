-- The institution's own part of its privacy statement: who is responsible (the controller),
-- its data-protection officer and their address, a note of its own, and when it last changed.
ALTER TABLE institutions ADD COLUMN privacy_controller TEXT;
ALTER TABLE institutions ADD COLUMN privacy_officer TEXT;
ALTER TABLE institutions ADD COLUMN privacy_email TEXT;
ALTER TABLE institutions ADD COLUMN privacy_note TEXT;
ALTER TABLE institutions ADD COLUMN privacy_updated_at BIGINT;
