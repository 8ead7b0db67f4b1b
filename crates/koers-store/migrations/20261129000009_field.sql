-- The receiving field: partner organisations with contacts and partnership agreements,
-- partner people's accounts by invitation, Opleiden-in-de-School placements with LOB tasks,
-- field needs, the professional-development offer, and the alignment of needs with the
-- curriculum and the offer.

CREATE TABLE partners (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    name TEXT NOT NULL,
    -- mbo_school | feeder_school | business
    kind TEXT NOT NULL,
    city TEXT NOT NULL DEFAULT '',
    brin TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (institution_id, name)
);

CREATE TABLE partner_contacts (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT ''
);
CREATE INDEX partner_contacts_by_partner ON partner_contacts (partner_id);

-- An Opleiden-in-de-School partnership (or another agreement) for a period, with the school
-- coordinator (a partner user) and the institute coordinator (a staff member).
CREATE TABLE partnerships (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    school_coordinator_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    institute_coordinator_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX partnerships_by_partner ON partnerships (partner_id);

-- Which organisation a partner user (mentor, school coordinator) belongs to.
CREATE TABLE partner_members (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id)
);
CREATE INDEX partner_members_by_partner ON partner_members (partner_id);

-- An invitation to a partner organisation; only the hash of its token is kept.
CREATE TABLE partner_invitations (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    -- placement_mentor | partner_coordinator
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL,
    invited_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    accepted_at BIGINT,
    user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX partner_invitations_by_partner ON partner_invitations (partner_id, created_at);

CREATE TABLE placements (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    mentor_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX placements_by_student ON placements (institution_id, student_id);
CREATE INDEX placements_by_mentor ON placements (institution_id, mentor_id);
CREATE INDEX placements_by_partner ON placements (institution_id, partner_id);

-- An LOB task of a placement. kind: conversations | activity | bpv | other;
-- status: open | submitted | assessed. The mentor assesses with a rubric level.
CREATE TABLE placement_tasks (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    placement_id TEXT NOT NULL REFERENCES placements (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    student_note TEXT NOT NULL DEFAULT '',
    feedback TEXT NOT NULL DEFAULT '',
    level BIGINT,
    assessed_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    assessed_at BIGINT,
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX placement_tasks_by_placement ON placement_tasks (placement_id, position);

-- A need of a partner: what their teachers need to learn. competences: JSON list of
-- "FRAMEWORK/COMPETENCE"; urgency low | medium | high; status submitted | accepted |
-- planned | declined | done, with the institute's rationale the partner reads.
CREATE TABLE field_needs (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    competences TEXT NOT NULL DEFAULT '[]',
    urgency TEXT NOT NULL,
    teachers BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'submitted',
    rationale TEXT NOT NULL DEFAULT '',
    -- A manual alignment status (covered | partial | gap) with its reason, over the derived one.
    alignment_override TEXT,
    alignment_reason TEXT NOT NULL DEFAULT '',
    submitted_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX field_needs_by_partner ON field_needs (institution_id, partner_id);

-- The professional-development offer: courses, modules and joint training events.
CREATE TABLE offer_items (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    -- course | module | training_event
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    competences TEXT NOT NULL DEFAULT '[]',
    capacity BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE offer_sessions (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    item_id TEXT NOT NULL REFERENCES offer_items (id) ON DELETE CASCADE,
    starts_at BIGINT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    location TEXT NOT NULL DEFAULT ''
);
CREATE INDEX offer_sessions_by_item ON offer_sessions (item_id, starts_at);

-- Co-designers from partner schools (recorded by name and organisation), and, for training
-- events, participants from other organisations.
CREATE TABLE offer_people (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    item_id TEXT NOT NULL REFERENCES offer_items (id) ON DELETE CASCADE,
    -- codesigner | participant
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT NOT NULL
);
CREATE INDEX offer_people_by_item ON offer_people (item_id);

CREATE TABLE offer_enrolments (
    item_id TEXT NOT NULL REFERENCES offer_items (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    created_at BIGINT NOT NULL,
    -- The evaluation after the course: a rating 1..5 and a comment.
    rating BIGINT,
    comment TEXT NOT NULL DEFAULT '',
    evaluated_at BIGINT,
    PRIMARY KEY (item_id, user_id)
);
CREATE INDEX offer_enrolments_by_user ON offer_enrolments (institution_id, user_id);

-- The yearly field survey: a partner rates graduates' LOB competence per competence (1..5).
CREATE TABLE field_survey_ratings (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    competence TEXT NOT NULL,
    rating BIGINT NOT NULL,
    UNIQUE (partner_id, year, competence)
);
