-- Per-template delivery limits (NULL: none): requests started per second, evenly spaced, and requests
-- waiting for an answer at once, across every campaign using the template.
ALTER TABLE webhook_templates ADD COLUMN max_per_second INTEGER CHECK (max_per_second > 0);
ALTER TABLE webhook_templates ADD COLUMN max_in_flight INTEGER CHECK (max_in_flight > 0);
