-- The HRM scan: instruments (per institution, versioned, the shipped one copied in on first
-- use), rounds with invited respondents, and anonymous responses. A response carries its
-- group but no person, no time and a random id, so it cannot be linked back to an invitation;
-- the invitation only records that its person answered.
-- Improvement actions are general: their source is a scan stage here, and an indicator or a
-- self-scan aspect later.

CREATE TABLE hrm_instruments (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    key TEXT NOT NULL,
    version TEXT NOT NULL,
    document TEXT NOT NULL,
    origin TEXT NOT NULL,
    current_version INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (institution_id, key, version)
);

CREATE TABLE scan_rounds (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    name TEXT NOT NULL,
    instrument_id TEXT NOT NULL REFERENCES hrm_instruments (id),
    -- draft | open | closed
    status TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    opened_at BIGINT,
    closed_at BIGINT,
    published_at BIGINT
);
CREATE INDEX scan_rounds_by_institution ON scan_rounds (institution_id, created_at);

CREATE TABLE scan_invitations (
    round_id TEXT NOT NULL REFERENCES scan_rounds (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    -- hr | manager | staff
    respondent_group TEXT NOT NULL,
    responded INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX scan_invitations_by_user ON scan_invitations (institution_id, user_id);

CREATE TABLE scan_responses (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES scan_rounds (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    respondent_group TEXT NOT NULL,
    -- {"ITEM_KEY": 1..5 | null}
    answers TEXT NOT NULL,
    -- {"STAGE": "text"}
    comments TEXT NOT NULL
);
CREATE INDEX scan_responses_by_round ON scan_responses (round_id);

CREATE TABLE improvement_actions (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    -- scan_stage | indicator | self_scan_aspect
    source_kind TEXT NOT NULL,
    -- e.g. the round id and stage: "ROUND:guidance"
    source_ref TEXT NOT NULL,
    item_keys TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    owner_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    due_on TEXT,
    -- planned | doing | done | dropped
    status TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX improvement_actions_open ON improvement_actions (institution_id, status, due_on);
