-- A campaign's attempts by latency (whole milliseconds), counted when results are recorded: its latency
-- percentiles are read from a few thousand rows at most instead of every attempt.
CREATE TABLE campaign_latency (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    latency_ms  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, latency_ms)
) WITHOUT ROWID;

INSERT INTO campaign_latency (campaign_id, latency_ms, attempts)
SELECT d.campaign_id, a.latency_ms, count(*)
FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
WHERE a.latency_ms IS NOT NULL
GROUP BY d.campaign_id, a.latency_ms;
