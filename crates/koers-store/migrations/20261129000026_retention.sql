-- Retention: when an account was switched off (the clock for removing accounts of people who
-- left), and when a person was erased (so retention does not erase twice).
ALTER TABLE users ADD COLUMN deactivated_at BIGINT;
ALTER TABLE users ADD COLUMN erased_at BIGINT;
-- Existing inactive accounts count from their last change.
UPDATE users SET deactivated_at = updated_at WHERE active = 0;
