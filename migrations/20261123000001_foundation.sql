-- Hookline foundation: dashboard users and sessions, settings, profiles and events, webhook templates.
-- Times are unix milliseconds (UTC) throughout. Free-form properties are JSON text.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

-- The cookie holds a random token; only its SHA-256 is stored, so a leaked database cannot log anyone in.
CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX sessions_user ON sessions (user_id);

-- Values the product generates on first run (ingestion credentials) and project-wide preferences.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- A user of the customer's product, as CleverTap models one.
CREATE TABLE profiles (
    id           INTEGER PRIMARY KEY,
    identity     TEXT UNIQUE,
    object_id    TEXT    NOT NULL UNIQUE,
    fbid         TEXT UNIQUE,
    gpid         TEXT UNIQUE,
    email        TEXT COLLATE NOCASE,
    push_token   TEXT,
    profile_data TEXT    NOT NULL DEFAULT '{}',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE INDEX profiles_email ON profiles (email);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    ts          INTEGER NOT NULL,
    data        TEXT    NOT NULL DEFAULT '{}',
    received_at INTEGER NOT NULL
);

-- Segment queries: "who did E in a window" and "what did this profile do".
CREATE INDEX events_name_ts ON events (name, ts);
CREATE INDEX events_profile_name_ts ON events (profile_id, name, ts);

-- Settings > Webhooks. auth_config holds the non-secret part of the authentication (JSON); auth_secrets
-- the secret part (passwords, client secrets, keys), encrypted with the server's secret key.
CREATE TABLE webhook_templates (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    url          TEXT    NOT NULL,
    method       TEXT    NOT NULL CHECK (method IN ('POST', 'GET', 'PUT', 'DELETE')),
    headers      TEXT    NOT NULL DEFAULT '[]',
    auth_kind    TEXT    NOT NULL CHECK (auth_kind IN ('none', 'basic', 'oauth2')),
    auth_config  TEXT    NOT NULL DEFAULT '{}',
    auth_secrets BLOB,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
