-- The curriculum context: competence frameworks (per institution, versioned; the shipped
-- ones are copied in on first use), LOB activities and the learning line, evidence with
-- rubric assessment and sign-off, practice conversations and activity designs, and the
-- requests that let someone else read a student's work.

CREATE TABLE frameworks (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    key TEXT NOT NULL,
    version TEXT NOT NULL,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    -- The document as Koers reads and exports it (JSON).
    document TEXT NOT NULL,
    -- shipped | imported | copy
    origin TEXT NOT NULL,
    based_on TEXT,
    -- 1 for the latest version of its key.
    current_version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (institution_id, key, version)
);
CREATE INDEX frameworks_current ON frameworks (institution_id, current_version, key);

CREATE TABLE competences (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    framework_id TEXT NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    position BIGINT NOT NULL,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    UNIQUE (framework_id, key)
);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    -- module | project | workshop | training
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- Study year 1–4, period 1–4 (0: the whole year).
    year BIGINT NOT NULL,
    period BIGINT NOT NULL DEFAULT 0,
    -- The guidance phase it serves, when it serves one.
    phase TEXT,
    study_hours BIGINT NOT NULL DEFAULT 0,
    goals TEXT NOT NULL DEFAULT '',
    -- Comma-separated: feeder_school, receiving_school, business.
    partners TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX activities_by_programme ON activities (institution_id, programme_id, year, period);

CREATE TABLE activity_competences (
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    competence_id TEXT NOT NULL REFERENCES competences (id),
    -- I (introduced), R (reinforced), M (mastered)
    level TEXT NOT NULL,
    PRIMARY KEY (activity_id, competence_id)
);
CREATE INDEX activity_competences_by_competence ON activity_competences (competence_id);

-- Uploaded files, kept in the database so every instance sees them and one backup holds all.
CREATE TABLE files (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    owner_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    data BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    person_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    competence_id TEXT NOT NULL REFERENCES competences (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    link TEXT,
    file_id TEXT REFERENCES files (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX evidence_by_person ON evidence (institution_id, person_id, competence_id);

-- Someone asked to read and judge a piece of a student's work: evidence, a practice
-- conversation or an activity design (subject_kind), until the request is closed.
CREATE TABLE review_requests (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reviewer_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message TEXT NOT NULL DEFAULT '',
    -- open | done | withdrawn
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX review_requests_by_reviewer ON review_requests (institution_id, reviewer_id, status);
CREATE INDEX review_requests_by_subject ON review_requests (subject_id, reviewer_id);

-- A judgement with feedback: a rubric level (of the competence's framework) for evidence,
-- or of the counsellor profile for a practice conversation or design.
CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    competence_id TEXT REFERENCES competences (id),
    level_key TEXT,
    text TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX feedback_by_subject ON feedback (institution_id, subject_id, created_at);

-- A lecturer's sign-off of a competence for a student, at a level.
CREATE TABLE competence_signoffs (
    person_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    competence_id TEXT NOT NULL REFERENCES competences (id),
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    level_key TEXT NOT NULL,
    signed_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    signed_at BIGINT NOT NULL,
    PRIMARY KEY (person_id, competence_id)
);

CREATE TABLE practice_conversations (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    person_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL,
    transcript TEXT NOT NULL,
    counsellor_speaker TEXT NOT NULL,
    -- The analysis as JSON (recomputable from the transcript).
    analysis TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX practice_by_person ON practice_conversations (institution_id, person_id, created_at);

CREATE TABLE activity_designs (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    person_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    mbo_level BIGINT,
    mbo_programme TEXT NOT NULL DEFAULT '',
    -- school | placement
    setting TEXT NOT NULL,
    goal TEXT NOT NULL DEFAULT '',
    steps TEXT NOT NULL DEFAULT '',
    -- Comma-separated career competency keys.
    competencies TEXT NOT NULL DEFAULT '',
    practice_based TEXT NOT NULL DEFAULT '',
    dialogical TEXT NOT NULL DEFAULT '',
    demand_driven TEXT NOT NULL DEFAULT '',
    -- draft | submitted | published
    status TEXT NOT NULL,
    published_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX activity_designs_by_person ON activity_designs (institution_id, person_id);
CREATE INDEX activity_designs_published ON activity_designs (institution_id, status, published_at);
