-- In-app notifications (the bell) and the mail outbox. Every notification that is also mailed
-- has its message in the outbox: sent by SMTP when a mail server is configured, otherwise kept
-- for an administrator to read. Texts are rendered in the recipient's language when made.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_by_user ON notifications (institution_id, user_id, read_at, created_at);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    kind TEXT NOT NULL,
    to_email TEXT NOT NULL,
    to_name TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- An attached calendar file (text/calendar), if any.
    ics TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_by_institution ON outbox (institution_id, created_at);
CREATE INDEX outbox_unsent ON outbox (sent_at, created_at);
