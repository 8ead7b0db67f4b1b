-- Staff career development: teams with a line manager, development plans (POP) with goals,
-- planned professional development and progress notes, appraisal records with a
-- career-development section, and the HR adviser's recruitment and appointment records.
-- Staff career conversations are rows of `conversations` with context 'staff'.

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    name TEXT NOT NULL,
    manager_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (institution_id, name)
);
CREATE INDEX teams_by_manager ON teams (institution_id, manager_id);

-- An employee belongs to at most one team (the line-manager relation).
CREATE TABLE team_members (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    team_id TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id)
);
CREATE INDEX team_members_by_team ON team_members (team_id);

-- One plan per employee; status draft | agreed. "Up to date" = agreed and discussed within a year.
CREATE TABLE development_plans (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    ambition TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    agreed_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    agreed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX development_plans_by_institution ON development_plans (institution_id, status);

-- competences: JSON list of "FRAMEWORK_KEY/COMPETENCE_KEY".
-- kind: goal (status planned | doing | achieved | dropped) or activity (professional
-- development: status planned | done), an activity optionally serving a goal.
CREATE TABLE development_items (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    goal_id TEXT REFERENCES development_items (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    competences TEXT NOT NULL DEFAULT '[]',
    due_on TEXT,
    hours BIGINT,
    status TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX development_items_by_user ON development_items (institution_id, user_id, kind);

-- Evidence of progress on a goal: a note and an optional link, written by the employee or the manager.
CREATE TABLE development_progress (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    goal_id TEXT NOT NULL REFERENCES development_items (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    note TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX development_progress_by_user ON development_progress (institution_id, user_id, created_at);

-- The appraisal record of a year: written by the line manager (or HR), read by the employee,
-- the manager and HR. status draft | final.
CREATE TABLE appraisals (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    manager_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    conversation_id TEXT REFERENCES conversations (id) ON DELETE SET NULL,
    performance TEXT NOT NULL DEFAULT '',
    career_development TEXT NOT NULL DEFAULT '',
    employee_comment TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (user_id, year)
);

-- Recruitment and appointment records of the HR adviser: was career development part of it?
-- kind: vacancy (checks: text, interview) or appointment (checks: onboarding; a first
-- development plan is due on plan_due_on).
CREATE TABLE hr_records (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    on_date TEXT NOT NULL,
    in_text BIGINT NOT NULL DEFAULT 0,
    in_interview BIGINT NOT NULL DEFAULT 0,
    in_onboarding BIGINT NOT NULL DEFAULT 0,
    plan_due_on TEXT,
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX hr_records_by_institution ON hr_records (institution_id, kind, on_date);
CREATE INDEX conversations_staff_by_guide ON conversations (institution_id, context, guide_id);
