-- Guidance: the student record in full, counsellors and stand-ins, the four phases, guidance
-- conversations (for a person: a student here, an employee later), agreements, group sessions,
-- published slots, the career file, and a maintained per-student summary for fast pages.

-- The student record: name parts as the student information system has them, start date and
-- current phase. users.name keeps the composed display name.
ALTER TABLE students ADD COLUMN given_name TEXT NOT NULL DEFAULT '';
ALTER TABLE students ADD COLUMN name_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE students ADD COLUMN family_name TEXT NOT NULL DEFAULT '';
ALTER TABLE students ADD COLUMN start_date TEXT NOT NULL DEFAULT '2000-09-01';
ALTER TABLE students ADD COLUMN phase TEXT NOT NULL DEFAULT 'intake';
ALTER TABLE students ADD COLUMN phase_since TEXT NOT NULL DEFAULT '2000-09-01';
ALTER TABLE students ADD COLUMN left_on TEXT;
ALTER TABLE students ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX students_caseload ON students (institution_id, counsellor_id, family_name, id);

-- Who was whose counsellor, when (the current one is the row without until_at).
CREATE TABLE counsellor_history (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    counsellor_id TEXT REFERENCES users (id),
    from_at BIGINT NOT NULL,
    until_at BIGINT,
    changed_by TEXT REFERENCES users (id),
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX counsellor_history_by_student ON counsellor_history (student_id, from_at);

-- A stand-in counsellor reaches another counsellor's caseload for a set period.
CREATE TABLE stand_ins (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    counsellor_id TEXT NOT NULL REFERENCES users (id),
    stand_in_id TEXT NOT NULL REFERENCES users (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX stand_ins_by_stand_in ON stand_ins (institution_id, stand_in_id, ends_on);
CREATE INDEX stand_ins_by_counsellor ON stand_ins (institution_id, counsellor_id, ends_on);

-- The expected guidance moments per programme and phase (absent: the shipped defaults).
CREATE TABLE moment_rules (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    programme_id TEXT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    phase TEXT NOT NULL,
    required BIGINT NOT NULL,
    days BIGINT NOT NULL,
    group_counts BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    UNIQUE (programme_id, phase)
);

CREATE TABLE phase_transitions (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    phase TEXT NOT NULL,
    on_date TEXT NOT NULL,
    recorded_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX phase_transitions_by_student ON phase_transitions (student_id, on_date);

-- Group sessions: a topic and phase for a group of students, attendance per student.
CREATE TABLE group_sessions (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    guide_id TEXT NOT NULL REFERENCES users (id),
    programme_id TEXT REFERENCES programmes (id),
    topic TEXT NOT NULL,
    phase TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned',
    sequence BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX group_sessions_by_guide ON group_sessions (institution_id, guide_id, starts_at);

CREATE TABLE group_attendance (
    session_id TEXT NOT NULL REFERENCES group_sessions (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    person_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    attended BIGINT,
    PRIMARY KEY (session_id, person_id)
);
CREATE INDEX group_attendance_by_person ON group_attendance (person_id);

-- A conversation about a person (person_id: the student's or employee's user id), held by a
-- guide (counsellor or manager). context: 'student' (phase set) or 'staff'.
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    context TEXT NOT NULL DEFAULT 'student',
    person_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    guide_id TEXT REFERENCES users (id),
    phase TEXT,
    status TEXT NOT NULL,
    origin TEXT NOT NULL,
    starts_at BIGINT,
    duration_minutes BIGINT NOT NULL DEFAULT 45,
    location TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL DEFAULT '',
    sequence BIGINT NOT NULL DEFAULT 0,
    summary TEXT NOT NULL DEFAULT '',
    private_notes TEXT NOT NULL DEFAULT '',
    competencies TEXT NOT NULL DEFAULT '[]',
    reported_at BIGINT,
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX conversations_by_person ON conversations (institution_id, person_id, starts_at);
CREATE INDEX conversations_by_guide ON conversations (institution_id, guide_id, starts_at);

CREATE TABLE agreements (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    conversation_id TEXT REFERENCES conversations (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX agreements_by_person ON agreements (institution_id, person_id, status, due_on);
CREATE INDEX agreements_by_conversation ON agreements (conversation_id);

-- Times a guide publishes for booking; a booking links the conversation.
CREATE TABLE slots (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    guide_id TEXT NOT NULL REFERENCES users (id),
    starts_at BIGINT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    conversation_id TEXT REFERENCES conversations (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX slots_by_guide ON slots (institution_id, guide_id, starts_at);

-- The career file. Visibility per item: shared_counsellor / shared_mentor (0 = private).
CREATE TABLE self_assessments (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    person_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    phase TEXT,
    answers TEXT NOT NULL,
    scores TEXT NOT NULL,
    shared_counsellor BIGINT NOT NULL DEFAULT 1,
    shared_mentor BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX self_assessments_by_person ON self_assessments (institution_id, person_id, created_at);

CREATE TABLE reflections (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    person_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    experience TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    phase TEXT,
    shared_counsellor BIGINT NOT NULL DEFAULT 0,
    shared_mentor BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX reflections_by_person ON reflections (institution_id, person_id, created_at);

CREATE TABLE goals (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    person_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    target_on TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    shared_counsellor BIGINT NOT NULL DEFAULT 0,
    shared_mentor BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX goals_by_person ON goals (institution_id, person_id, created_at);

-- Phase records, one row per student each.
CREATE TABLE intake_records (
    student_id TEXT PRIMARY KEY REFERENCES students (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    study_choice_outcome TEXT,
    study_choice_notes TEXT NOT NULL DEFAULT '',
    handover_note TEXT NOT NULL DEFAULT '',
    handover_shared BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL
);

-- First-year study advice (BSA) signal: credits so far against the norm.
CREATE TABLE study_progress (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    on_date TEXT NOT NULL,
    credits BIGINT NOT NULL,
    norm BIGINT NOT NULL,
    source TEXT NOT NULL DEFAULT 'manual',
    created_at BIGINT NOT NULL
);
CREATE INDEX study_progress_by_student ON study_progress (student_id, on_date);

CREATE TABLE specialisation_choices (
    student_id TEXT PRIMARY KEY REFERENCES students (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    options TEXT NOT NULL DEFAULT '',
    choice TEXT NOT NULL DEFAULT '',
    motivation TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

CREATE TABLE outflow_records (
    student_id TEXT PRIMARY KEY REFERENCES students (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    reason TEXT NOT NULL,
    left_on TEXT NOT NULL,
    destination TEXT NOT NULL,
    destination_detail TEXT NOT NULL DEFAULT '',
    exit_reflection TEXT NOT NULL DEFAULT '',
    recorded_by TEXT REFERENCES users (id),
    updated_at BIGINT NOT NULL
);

-- "Extra support": separate from the universal path, seen by the flagging counsellor and the
-- programme manager only.
CREATE TABLE support_flags (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    counsellor_id TEXT NOT NULL REFERENCES users (id),
    category TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX support_flags_by_student ON support_flags (student_id, closed_at);

-- Maintained per student in the same transaction as the facts (conversations, attendance,
-- agreements), so caseload and coverage read one row per student. Tested against a full
-- recomputation. held_*: conversations held per phase (progress: in academic year
-- progress_year); last/next: the latest held and the next planned conversation.
CREATE TABLE guidance_summary (
    student_id TEXT PRIMARY KEY REFERENCES students (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    held_intake BIGINT NOT NULL DEFAULT 0,
    held_progress BIGINT NOT NULL DEFAULT 0,
    progress_year BIGINT NOT NULL DEFAULT 0,
    held_specialisation BIGINT NOT NULL DEFAULT 0,
    held_outflow BIGINT NOT NULL DEFAULT 0,
    last_held_at BIGINT,
    next_planned_at BIGINT,
    open_agreements BIGINT NOT NULL DEFAULT 0,
    overdue_agreements_from TEXT
);

-- Uploads waiting for confirmation (an import preview), kept in the database so every
-- instance sees them.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Records made before this migration: names, start date, history and summary rows.
UPDATE students SET family_name = (SELECT name FROM users WHERE users.id = students.user_id)
    WHERE family_name = '';
UPDATE students SET
    start_date = (SELECT CAST(year AS TEXT) FROM cohorts WHERE cohorts.id = students.cohort_id) || '-09-01',
    phase_since = (SELECT CAST(year AS TEXT) FROM cohorts WHERE cohorts.id = students.cohort_id) || '-09-01';
INSERT INTO counsellor_history (id, institution_id, student_id, counsellor_id, from_at, reason)
    SELECT id, institution_id, id, counsellor_id, created_at, 'migrated' FROM students
    WHERE counsellor_id IS NOT NULL;
INSERT INTO guidance_summary (student_id, institution_id) SELECT id, institution_id FROM students;
