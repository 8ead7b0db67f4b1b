-- Single sign-on (OpenID Connect, SURFconext by default). An institution is recognised by its
-- home organisation (schac_home_organization); it can turn password login off (its
-- administrators keep theirs, so nobody is locked out when the provider is down).
ALTER TABLE institutions ADD COLUMN sso_home_organization TEXT;
ALTER TABLE institutions ADD COLUMN password_login BIGINT NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX institutions_by_sso_home ON institutions (sso_home_organization);

-- Which provider account (issuer + subject) belongs to which Koers account.
CREATE TABLE sso_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    created_at BIGINT NOT NULL,
    last_login_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX sso_identities_by_user ON sso_identities (user_id);

-- A login on its way through the provider: state, nonce and PKCE verifier, used once.
CREATE TABLE sso_requests (
    state TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
