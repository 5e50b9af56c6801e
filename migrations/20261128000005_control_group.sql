-- Control groups: a share of a run's targeted users, chosen at random, is held out (recorded, sent
-- nothing) so conversions can be compared. Held-out users are kept with the run's recipients, marked.
ALTER TABLE run_recipients ADD COLUMN control INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN control_users INTEGER NOT NULL DEFAULT 0;
