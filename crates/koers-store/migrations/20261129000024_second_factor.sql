-- The second factor (TOTP) of local accounts, its recovery codes, and logins waiting for it.
CREATE TABLE totp_factors (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    -- Base32; only the holder's app and Koers know it.
    secret TEXT NOT NULL,
    -- NULL while enrolling (the first code has not been typed yet).
    confirmed_at BIGINT,
    -- The last time step used: a code works once.
    last_step BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE totp_recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- A login whose password was right and that waits for the second factor (web only; only the
-- token's hash is stored).
CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    attempts INTEGER NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL
);
CREATE INDEX login_challenges_by_user ON login_challenges (user_id);
