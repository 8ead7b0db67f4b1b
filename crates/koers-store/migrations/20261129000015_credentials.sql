-- Open Badges 3.0 credentials. An institution signs with its newest key that is not retired
-- (a did:key; the private key is kept here as a JWK). Rotating retires the old key: it stays
-- listed, and credentials it signed stay valid, since a did:key carries its public key.
CREATE TABLE issuer_keys (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    did TEXT NOT NULL,
    secret_jwk TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
CREATE INDEX issuer_keys_by_institution ON issuer_keys (institution_id, created_at);

-- An issued credential: the full signed document, once per person and source (a competence
-- framework whose competences were all signed off).
CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    person_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source_kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    name TEXT NOT NULL,
    document TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    UNIQUE (institution_id, person_id, source_kind, source_id)
);
CREATE INDEX credentials_by_person ON credentials (institution_id, person_id, issued_at);
