-- The reminders' index becomes a partial index on planned conversations. As a plain index on
-- (status, starts_at), SQLite without statistics chose it for joins on held conversations by
-- person: the indicator computation at 20,000 demo students took minutes instead of a
-- second (measured by the bench, issue "Scale").
DROP INDEX conversations_planned;
CREATE INDEX conversations_planned_at ON conversations (starts_at) WHERE status = 'planned';
