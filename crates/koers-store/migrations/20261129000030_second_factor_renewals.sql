-- People whose second factor was forgotten because the secret key that sealed it was lost and
-- replaced (`koers secret-key reset`): they set up a new one at their next password login.
CREATE TABLE second_factor_renewals (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    requested_at BIGINT NOT NULL
);
