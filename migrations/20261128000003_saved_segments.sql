-- Saved segments: named segment definitions ({"match", "rules"} JSON) that campaigns target by id
-- (`who.segment_id` in a campaign's definition; the campaign keeps a copy from when it was published).
CREATE TABLE segments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    definition TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
