-- A value sealed with the secret key that seals second factors: an instance started with
-- another key (a different --secret-key-file) is refused before it can fail at a login.
CREATE TABLE sealing_check (
    id TEXT PRIMARY KEY,
    sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
