-- The LOB vision: versions per institution (programme_id NULL) or refined per programme, with
-- the workflow draft → proposed → adopted; adopting a version archives the one adopted before.
-- document: JSON {"mission", "principles", "ambitions": {"THEME": "text"}} in Markdown.

CREATE TABLE vision_versions (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    programme_id TEXT REFERENCES programmes (id) ON DELETE CASCADE,
    -- '' for the institution, else the programme id (for the unique version number)
    scope TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- draft | proposed | adopted | archived
    status TEXT NOT NULL,
    document TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    proposed_at BIGINT,
    adopted_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    adopted_at BIGINT,
    UNIQUE (institution_id, scope, version)
);
CREATE INDEX vision_versions_by_status ON vision_versions (institution_id, scope, status);
