-- The audit page filters by who did something (as it does by whom it was about).
CREATE INDEX audit_events_by_actor ON audit_events (institution_id, actor_id, at);
