-- The outbox hardened: campaigns get a 'preparing' status (their deliveries are written in chunks,
-- resumably, while the first ones are already being sent), and every claim of a delivery gets a token
-- so that a result is recorded only by the claim that is still current.
--
-- Ids are AUTOINCREMENT now: a deleted campaign's or delivery's id is never given to a new one, so a
-- late result, a halt or a log line about the old one can never apply to the new one.
--
-- SQLite cannot change a CHECK constraint in place, and migrations run in a transaction with foreign
-- keys on, where dropping the old campaigns table would cascade to the deliveries. So the three outbox
-- tables are rebuilt together: new tables pointing at each other, the old ones dropped child-first (no
-- cascade reaches a new table), then the new ones renamed (SQLite rewrites the references).

CREATE TABLE campaigns_new (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'scheduled', 'preparing', 'running', 'completed', 'stopped')),
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
    updated_at       INTEGER NOT NULL,
    -- While preparing: whether the run's recipients are chosen (run_recipients), and the highest
    -- profile id whose deliveries are written, where the run resumes after a crash.
    recipients_chosen INTEGER NOT NULL DEFAULT 0,
    prepared_through  INTEGER NOT NULL DEFAULT 0
);

INSERT INTO campaigns_new (id, name, status, template_id, definition, scheduled_at, started_at,
    completed_at, targeted_users, sent_users, delivered_users, failed_users, requests, pending_requests,
    created_at, updated_at)
SELECT id, name, status, template_id, definition, scheduled_at, started_at, completed_at, targeted_users,
    sent_users, delivered_users, failed_users, requests, pending_requests, created_at, updated_at
FROM campaigns;

-- claim_token: incremented by every claim; a result carries its claim's token and is recorded only
-- while the token still matches and the delivery is still pending.
CREATE TABLE deliveries_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id     INTEGER NOT NULL REFERENCES campaigns_new (id) ON DELETE CASCADE,
    webhook_id      TEXT    NOT NULL UNIQUE,
    users           INTEGER NOT NULL,
    body            BLOB    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER,
    claim_token     INTEGER NOT NULL DEFAULT 0,
    failure_reason  TEXT,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER
);

INSERT INTO deliveries_new (id, campaign_id, webhook_id, users, body, status, attempts, next_attempt_at,
    claimed_until, failure_reason, created_at, finished_at)
SELECT id, campaign_id, webhook_id, users, body, status, attempts, next_attempt_at, claimed_until,
    failure_reason, created_at, finished_at
FROM deliveries;

CREATE TABLE delivery_attempts_new (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id      INTEGER NOT NULL REFERENCES deliveries_new (id) ON DELETE CASCADE,
    number           INTEGER NOT NULL,
    started_at       INTEGER NOT NULL,
    status           INTEGER,
    latency_ms       INTEGER,
    error            TEXT,
    response_excerpt TEXT    NOT NULL DEFAULT ''
);

INSERT INTO delivery_attempts_new SELECT * FROM delivery_attempts;

DROP TABLE delivery_attempts;
DROP TABLE deliveries;
DROP TABLE campaigns;

ALTER TABLE campaigns_new RENAME TO campaigns;
ALTER TABLE deliveries_new RENAME TO deliveries;
ALTER TABLE delivery_attempts_new RENAME TO delivery_attempts;

-- The users a run targets, chosen once when it starts preparing (the segment evaluated, the cap's
-- random sample drawn), then read in short pages while the deliveries are written: no read stays open
-- for the whole run, and a run resumed after a crash targets the same users.
CREATE TABLE run_recipients (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    profile_id  INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, profile_id)
) WITHOUT ROWID;

CREATE INDEX campaigns_template ON campaigns (template_id);
CREATE INDEX campaigns_due ON campaigns (scheduled_at) WHERE status = 'scheduled';
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_campaign ON deliveries (campaign_id, status);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id);
