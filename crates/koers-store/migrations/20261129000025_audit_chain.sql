-- The audit log becomes tamper-evident: each institution's events form a hash chain (each
-- event's hash covers the one before), and an event names the person its data is about, so
-- people can read who read their file. Personal fields (e-mail address, IP address, details)
-- are covered through a salted hash, so erasure can blank them without breaking the chain.
ALTER TABLE audit_events ADD COLUMN person_id TEXT;
ALTER TABLE audit_events ADD COLUMN seq BIGINT;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
ALTER TABLE audit_events ADD COLUMN personal_hash TEXT;
ALTER TABLE audit_events ADD COLUMN salt TEXT;
CREATE INDEX audit_events_by_person ON audit_events (institution_id, person_id, at);
CREATE UNIQUE INDEX audit_events_chain ON audit_events (institution_id, seq);

-- The head of each chain ('' for events of no institution, such as failed logins of unknown
-- addresses): its length and last hash. Writers lock this row, so the chain has no forks.
CREATE TABLE audit_chains (
    chain TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
