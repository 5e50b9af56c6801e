-- Campaigns, their deliveries (the outbox the dispatcher works from) and every attempt of each delivery,
-- plus the names of ingested events for the segment builder. Times are unix milliseconds (UTC).

-- Event names seen so far, kept by ingestion, so the wizard can list them without scanning all events.
CREATE TABLE event_names (
    name      TEXT PRIMARY KEY,
    last_seen INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO event_names (name, last_seen) SELECT name, max(ts) FROM events GROUP BY name;

-- definition: the wizard's draft as JSON (setup, who, what, when). The counters are kept by the publish
-- and dispatch transactions, so lists read them without scanning deliveries.
CREATE TABLE campaigns (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'scheduled', 'running', 'completed', 'stopped')),
    template_id      INTEGER REFERENCES webhook_templates (id) ON DELETE RESTRICT,
    definition       TEXT    NOT NULL,
    scheduled_at     INTEGER,
    started_at       INTEGER,
    completed_at     INTEGER,
    targeted_users   INTEGER NOT NULL DEFAULT 0,
    sent_users       INTEGER NOT NULL DEFAULT 0,
    delivered_users  INTEGER NOT NULL DEFAULT 0,
    failed_users     INTEGER NOT NULL DEFAULT 0,
    requests         INTEGER NOT NULL DEFAULT 0,
    pending_requests INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE INDEX campaigns_template ON campaigns (template_id);
CREATE INDEX campaigns_due ON campaigns (scheduled_at) WHERE status = 'scheduled';

-- One request to make: the body is rendered when the campaign runs; the template's URL, headers and
-- credentials are read when it is sent. webhook_id is the stable idempotency id sent on every attempt.
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    webhook_id      TEXT    NOT NULL UNIQUE,
    users           INTEGER NOT NULL,
    body            BLOB    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER,
    failure_reason  TEXT,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER
);

CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_campaign ON deliveries (campaign_id, status);

CREATE TABLE delivery_attempts (
    id               INTEGER PRIMARY KEY,
    delivery_id      INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    number           INTEGER NOT NULL,
    started_at       INTEGER NOT NULL,
    status           INTEGER,
    latency_ms       INTEGER,
    error            TEXT,
    response_excerpt TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id);
