-- Standard Webhooks signing: each template's secret (`whsec_…`), sealed like its other secrets, and the
-- one it replaced, honoured until previous_signing_until (unix ms) so receivers can switch without
-- downtime. Templates made before this get a secret when the server starts (it must be sealed with the
-- server's key, which SQL cannot do).
ALTER TABLE webhook_templates ADD COLUMN signing_secret BLOB;
ALTER TABLE webhook_templates ADD COLUMN previous_signing_secret BLOB;
ALTER TABLE webhook_templates ADD COLUMN previous_signing_until INTEGER;
