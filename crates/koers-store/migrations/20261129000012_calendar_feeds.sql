-- A personal calendar feed per user: a secret token in the feed's address that grants reading
-- that user's conversations as a calendar, nothing else. Revoking deletes it; a new token
-- replaces the old one.
CREATE TABLE calendar_feeds (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    token TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
