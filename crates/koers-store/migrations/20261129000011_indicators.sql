-- Live indicators of the LOB vision, the quality cycle and the programme teams' self-scan.

-- Indicator values as maintained aggregates: per institution, academic year and period
-- (year | s1 | s2), at three grains — the institution (programme ''), a programme (cohort 0)
-- and a cohort of a programme. numerator/denominator, so totals are exact sums. Refreshed
-- per institution and year in one transaction (see koers_store::vision::indicators).
CREATE TABLE indicator_values (
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    year BIGINT NOT NULL,
    period TEXT NOT NULL,
    indicator TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    cohort_year BIGINT NOT NULL,
    numerator DOUBLE PRECISION NOT NULL,
    denominator DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (institution_id, year, period, indicator, programme_id, cohort_year)
);

-- When the values of a year were computed, and up to which day.
CREATE TABLE indicator_refreshes (
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    year BIGINT NOT NULL,
    as_of TEXT NOT NULL,
    computed_at BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (institution_id, year)
);

-- Progression outcomes per programme and cohort, for students whose intake guidance was in
-- time (in_time 1) or late or missing (0). Refreshed with the indicators.
CREATE TABLE progression_counts (
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    programme_id TEXT NOT NULL,
    cohort_year BIGINT NOT NULL,
    in_time BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    students BIGINT NOT NULL,
    PRIMARY KEY (institution_id, programme_id, cohort_year, in_time, outcome)
);

-- Targets (the "plan" of the quality cycle): per year, indicator and scope ('' for the
-- institution, else a programme id, which overrides the institution's target there).
CREATE TABLE indicator_targets (
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    year BIGINT NOT NULL,
    indicator TEXT NOT NULL,
    scope TEXT NOT NULL,
    target DOUBLE PRECISION NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    set_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    set_at BIGINT NOT NULL,
    PRIMARY KEY (institution_id, year, indicator, scope)
);

-- A programme team's LOB self-scan of a year (one per programme and year), scored together.
CREATE TABLE lob_self_scans (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    programme_id TEXT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    -- draft | final
    status TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (institution_id, programme_id, year)
);

CREATE TABLE lob_self_scan_answers (
    scan_id TEXT NOT NULL REFERENCES lob_self_scans (id) ON DELETE CASCADE,
    statement TEXT NOT NULL,
    score BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (scan_id, statement)
);
