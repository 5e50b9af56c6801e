-- Live campaigns (delivery "specific event") and pausing.
--
-- ongoing: the campaign keeps running when it has no request pending (a live campaign waits for its
-- next trigger), so the dispatcher's "last request finished" does not complete it.
-- paused_at: set while a person has paused it; nothing of it is claimed for sending meanwhile.
ALTER TABLE campaigns ADD COLUMN ongoing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN paused_at INTEGER;

-- A trigger: an ingested event that matched a live campaign, written in the upload's own transaction
-- (durable once the upload answered 200), decided when due (received + the delay or "unless" time):
-- sent (a delivery was written), control (held out), or skipped with the reason.
CREATE TABLE live_triggers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    profile_id  INTEGER NOT NULL,
    event_name  TEXT    NOT NULL,
    event_ts    INTEGER NOT NULL,
    -- evtData, a JSON object.
    event_data  TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'waiting'
                CHECK (state IN ('waiting', 'sent', 'control', 'skipped')),
    reason      TEXT,
    decided_at  INTEGER
);

CREATE INDEX live_triggers_due ON live_triggers (due_at) WHERE state = 'waiting';
-- The frequency cap: a user's recent sends of a campaign.
CREATE INDEX live_triggers_sent ON live_triggers (campaign_id, profile_id, decided_at)
    WHERE state = 'sent';
CREATE INDEX live_triggers_campaign ON live_triggers (campaign_id, received_at);
