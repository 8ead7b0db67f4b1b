-- Reminders a day before a planned conversation: when the reminder went out (once, also with
-- several instances: the job claims a conversation by setting this).
ALTER TABLE conversations ADD COLUMN reminded_at BIGINT;
CREATE INDEX conversations_planned ON conversations (status, starts_at);
