-- Imports run in the background after the preview is confirmed: one row per run, so the
-- page that follows it (on any instance) and the list of earlier imports can show status
-- and result. Progress while running lives in the memory of the instance that runs it.
CREATE TABLE import_runs (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    total BIGINT NOT NULL DEFAULT 0,
    created BIGINT NOT NULL DEFAULT 0,
    updated BIGINT NOT NULL DEFAULT 0,
    error TEXT,
    started_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX import_runs_recent ON import_runs (institution_id, kind, started_at);
