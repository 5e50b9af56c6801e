-- Custom bodies (Liquid) and linked content.
--
-- A delivery may carry its own query string, rendered for its user (NULL: the campaign's query
-- parameters as written, for deliveries written before this migration). A user whose request could
-- not be rendered (invalid JSON, a failed linked content fetch) is written as a failed delivery with
-- its reason and never sent.
ALTER TABLE deliveries ADD COLUMN query TEXT;

-- Linked content: named external sources fetched per user at send time. `definition` is the JSON of
-- the submitted form (URL, method, headers, body, cache time, timeout).
CREATE TABLE linked_content (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,
    definition TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
