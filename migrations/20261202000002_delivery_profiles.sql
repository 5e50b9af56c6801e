-- The profiles a delivery went to, as a range of profile ids: a batch covers the run's recipients from
-- first_profile to last_profile (those of the run's recipients, not in its control group, in that range),
-- a personal or live delivery one profile. The delivery log finds a user's deliveries with it. NULL
-- for deliveries written before.
ALTER TABLE deliveries ADD COLUMN first_profile INTEGER;
ALTER TABLE deliveries ADD COLUMN last_profile INTEGER;
