-- OAuth 2.0 for webhook templates.

-- Key pairs for Client Credentials with JWT. A key set holds a template's current key; its id is
-- public (the JWKS is served at /oauth/jwks/<key_set>) and stays the same when the key is regenerated.
-- A template refers to its key set from auth_config ($.jwt.key_set), so a key can be generated
-- before the template is first saved.
CREATE TABLE signing_keys (
    key_set     TEXT    PRIMARY KEY,
    kid         TEXT    NOT NULL,
    bits        INTEGER NOT NULL,
    -- The public key as SubjectPublicKeyInfo PEM, and the JWK's n and e (base64url).
    public_pem  TEXT    NOT NULL,
    jwk_n       TEXT    NOT NULL,
    jwk_e       TEXT    NOT NULL,
    -- PKCS#8 DER, sealed with the server's secret key.
    private_key BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- The access token a template's deliveries share, sealed. `fingerprint` identifies the settings it
-- was obtained with: a template edited since gets a new token.
CREATE TABLE oauth_tokens (
    template_id INTEGER PRIMARY KEY REFERENCES webhook_templates (id) ON DELETE CASCADE,
    fingerprint BLOB    NOT NULL,
    sealed      BLOB    NOT NULL,
    -- Unix ms after which the token is not used (shortly before it expires); 0 = renew now.
    renew_at    INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
