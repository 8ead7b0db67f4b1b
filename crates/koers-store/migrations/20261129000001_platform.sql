-- Platform: institutions, users, roles, programmes, cohorts, students, sessions, audit.
-- Portable schema for SQLite and PostgreSQL through sqlx Any: ids are UUIDv7 TEXT, instants
-- BIGINT epoch milliseconds (UTC), flags BIGINT 0/1, JSON as TEXT. Integers are BIGINT so
-- both databases decode them as i64.

CREATE TABLE institutions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    locale TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX users_by_institution_name ON users (institution_id, name, id);

CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (institution_id, code)
);

CREATE TABLE cohorts (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    year BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (programme_id, year)
);

CREATE TABLE role_assignments (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    programme_id TEXT REFERENCES programmes (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX role_assignments_by_user ON role_assignments (user_id);
CREATE INDEX role_assignments_by_role ON role_assignments (institution_id, role);

-- A student's enrolment: study data only (guidance content lives in the guidance context).
CREATE TABLE students (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    user_id TEXT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    student_number TEXT NOT NULL,
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    cohort_id TEXT NOT NULL REFERENCES cohorts (id),
    counsellor_id TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    UNIQUE (institution_id, student_number)
);
CREATE INDEX students_by_counsellor ON students (counsellor_id);
CREATE INDEX students_by_programme ON students (programme_id, cohort_id);

-- Server-side sessions for the web (cookie) and the API (bearer token); only hashes are stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    kind TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_failures (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_email ON login_failures (email, at);
CREATE INDEX login_failures_by_ip ON login_failures (ip, at);

-- Append-only: the store offers no update or delete of audit events.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    institution_id TEXT REFERENCES institutions (id),
    at BIGINT NOT NULL,
    actor_id TEXT,
    actor_email TEXT,
    action TEXT NOT NULL,
    subject_type TEXT,
    subject_id TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    ip TEXT
);
CREATE INDEX audit_events_by_institution ON audit_events (institution_id, at);

CREATE TABLE app_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
