-- Retention: when a delivery's body and attempts were deleted (it can no longer be replayed).
ALTER TABLE deliveries ADD COLUMN pruned_at INTEGER;
