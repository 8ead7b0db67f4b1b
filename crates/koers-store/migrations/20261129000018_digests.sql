-- The weekly mail of overdue agreements: each person can turn it off; the day it was last
-- sent makes sure it goes once a week, also with several instances.
ALTER TABLE users ADD COLUMN digest_opt_out BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN digest_sent_on TEXT;
CREATE INDEX agreements_open_due ON agreements (status, due_on);
