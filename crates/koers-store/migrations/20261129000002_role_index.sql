-- Looking up one user's roles filters on (institution_id, user_id): an index on both, so the
-- planner never prefers the (institution_id, role) index and scans a whole institution.
DROP INDEX role_assignments_by_user;
CREATE INDEX role_assignments_by_user ON role_assignments (user_id, institution_id);
