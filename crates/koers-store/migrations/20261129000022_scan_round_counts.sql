-- The numbers invited and answered, kept on the round: counting the invitations on every
-- visit of the scan pages grew with the staff (100,000 employees at a million students).
-- Kept by the code that invites (creating a round) and records an answer, in the same
-- transaction.
ALTER TABLE scan_rounds ADD COLUMN invited BIGINT NOT NULL DEFAULT 0;
ALTER TABLE scan_rounds ADD COLUMN responded BIGINT NOT NULL DEFAULT 0;
UPDATE scan_rounds SET
    invited = (SELECT COUNT(*) FROM scan_invitations i WHERE i.round_id = scan_rounds.id),
    responded = (SELECT COUNT(*) FROM scan_invitations i WHERE i.round_id = scan_rounds.id AND i.responded = 1);
