-- Runs: each time a campaign sends to its segment (once for now/later, once per date of a recurring
-- schedule) is a run, with its own recipients and statistics. The campaign's counters stay the totals
-- over its runs; a run's counters are kept by the same transactions (preparation and dispatch).
CREATE TABLE campaign_runs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    -- 1, 2, … within the campaign.
    number           INTEGER NOT NULL,
    -- When it was due (its schedule's time) and when it started.
    scheduled_at     INTEGER NOT NULL,
    started_at       INTEGER NOT NULL,
    targeted_users   INTEGER NOT NULL DEFAULT 0,
    control_users    INTEGER NOT NULL DEFAULT 0,
    sent_users       INTEGER NOT NULL DEFAULT 0,
    delivered_users  INTEGER NOT NULL DEFAULT 0,
    failed_users     INTEGER NOT NULL DEFAULT 0,
    requests         INTEGER NOT NULL DEFAULT 0,
    pending_requests INTEGER NOT NULL DEFAULT 0,
    UNIQUE (campaign_id, number)
);

-- The run being prepared or sent last. A recurring campaign keeps `ongoing` set and its next run's time
-- in `scheduled_at` until its schedule ends.
ALTER TABLE campaigns ADD COLUMN current_run INTEGER;
-- The run a delivery belongs to (none for live campaigns, whose requests follow events).
ALTER TABLE deliveries ADD COLUMN run_id INTEGER;

-- Existing campaigns that have started (not live ones) become one run each.
INSERT INTO campaign_runs (campaign_id, number, scheduled_at, started_at, targeted_users,
    control_users, sent_users, delivered_users, failed_users, requests, pending_requests)
SELECT id, 1, coalesce(scheduled_at, started_at), started_at, targeted_users, control_users,
    sent_users, delivered_users, failed_users, requests, pending_requests
FROM campaigns
WHERE started_at IS NOT NULL AND json_extract(definition, '$.delivery') IS NOT 'specific_event';

UPDATE campaigns SET current_run = (SELECT r.id FROM campaign_runs r WHERE r.campaign_id = campaigns.id)
WHERE id IN (SELECT campaign_id FROM campaign_runs);
UPDATE deliveries SET run_id = (SELECT c.current_run FROM campaigns c WHERE c.id = deliveries.campaign_id);

-- Recipients are kept per run (a user targeted by several runs of a recurring campaign has a row in
-- each); rebuilt because a primary key cannot change in place.
CREATE TABLE run_recipients_new (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    run_id      INTEGER NOT NULL,
    profile_id  INTEGER NOT NULL,
    control     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, run_id, profile_id)
) WITHOUT ROWID;

INSERT INTO run_recipients_new (campaign_id, run_id, profile_id, control)
SELECT r.campaign_id, c.current_run, r.profile_id, r.control
FROM run_recipients r JOIN campaigns c ON c.id = r.campaign_id
WHERE c.current_run IS NOT NULL;

DROP TABLE run_recipients;
ALTER TABLE run_recipients_new RENAME TO run_recipients;

