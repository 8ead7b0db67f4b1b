-- Programmes and learning-line activities imported from an institution's Open Education API
-- (OOAPI v5) keep the API's id, so a re-import updates them instead of adding copies.
ALTER TABLE programmes ADD COLUMN external_id TEXT;
ALTER TABLE activities ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX programmes_by_external_id ON programmes (institution_id, external_id);
CREATE UNIQUE INDEX activities_by_external_id ON activities (institution_id, external_id);

-- What a dry run fetched, kept until it is applied (by any instance) or replaced.
CREATE TABLE pending_imports (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX pending_imports_by_institution ON pending_imports (institution_id, kind, created_at);
