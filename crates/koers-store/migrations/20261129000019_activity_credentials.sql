-- A learning-line activity can be designated to award an Open Badge; lecturers record which
-- students completed it.
ALTER TABLE activities ADD COLUMN awards_credential BIGINT NOT NULL DEFAULT 0;
CREATE TABLE activity_completions (
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    completed_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    completed_at BIGINT NOT NULL,
    PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX activity_completions_by_person ON activity_completions (institution_id, person_id);
