-- Replay: a failed delivery put back in the outbox keeps its webhook-id and its attempts (numbered on),
-- with a fresh retry budget: budget_from is the number of attempts made before the current budget.
ALTER TABLE deliveries ADD COLUMN budget_from INTEGER NOT NULL DEFAULT 0;
