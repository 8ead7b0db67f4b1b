-- Background jobs that should run on one instance at a time (with several Koers instances on
-- one database): a lease per job, held by an instance until it expires.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until_ms BIGINT NOT NULL
);
