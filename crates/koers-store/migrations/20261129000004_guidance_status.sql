-- Phase statuses kept per student with the day they were computed for (a watermark), and the
-- student's programme and cohort beside them, so programme coverage is one grouped read over
-- a covering index instead of a computation over every student.
ALTER TABLE guidance_summary ADD COLUMN programme_id TEXT;
ALTER TABLE guidance_summary ADD COLUMN cohort_year BIGINT;
ALTER TABLE guidance_summary ADD COLUMN status_day TEXT;
ALTER TABLE guidance_summary ADD COLUMN status_intake TEXT;
ALTER TABLE guidance_summary ADD COLUMN status_progress TEXT;
ALTER TABLE guidance_summary ADD COLUMN status_specialisation TEXT;
ALTER TABLE guidance_summary ADD COLUMN status_outflow TEXT;
UPDATE guidance_summary SET
    programme_id = (SELECT s.programme_id FROM students s WHERE s.id = guidance_summary.student_id),
    cohort_year = (SELECT c.year FROM students s JOIN cohorts c ON c.id = s.cohort_id WHERE s.id = guidance_summary.student_id);
-- Column order lets the GROUP BY of coverage follow the index (no sort); with the day and the
-- student id it covers the grouped count, the list of missed students and the staleness check.
CREATE INDEX guidance_summary_coverage ON guidance_summary
    (institution_id, programme_id, cohort_year, status_intake, status_progress, status_specialisation,
     status_outflow, status_day, student_id);
CREATE INDEX support_flags_open ON support_flags (institution_id, closed_at, student_id);
