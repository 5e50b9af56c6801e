-- What happened to a campaign's requests, per minute (unix ms / 60000): users sent (first attempts),
-- delivered and failed, counted in the transactions that change the campaign's counters. The campaign
-- page's chart and the list's trends read it instead of scanning the outbox.
CREATE TABLE campaign_activity (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    minute      INTEGER NOT NULL,
    sent        INTEGER NOT NULL DEFAULT 0,
    delivered   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, minute)
) WITHOUT ROWID;

INSERT INTO campaign_activity (campaign_id, minute, sent, delivered, failed)
SELECT campaign_id, minute, sum(sent), sum(delivered), sum(failed) FROM (
    SELECT d.campaign_id, a.started_at / 60000 AS minute, d.users AS sent, 0 AS delivered, 0 AS failed
    FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE a.number = 1
    UNION ALL
    SELECT campaign_id, finished_at / 60000, 0, users, 0 FROM deliveries
    WHERE status = 'delivered' AND finished_at IS NOT NULL
    UNION ALL
    SELECT campaign_id, finished_at / 60000, 0, 0, users FROM deliveries
    WHERE status = 'failed' AND finished_at IS NOT NULL
)
GROUP BY campaign_id, minute;
