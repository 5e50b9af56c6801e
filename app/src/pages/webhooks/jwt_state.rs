//! What the form holds for Client Credentials with JWT: the key pair (its key set ties it to the
//! template on save) and the client assertion's header and payload as typed.

use leptos::prelude::*;

use crate::model::oauth::{
    JwtAlgorithm, JwtClaimsSettings, JwtHeaderSettings, JwtSettings, KEY_SIZES, PublicKeyOut,
};

#[derive(Debug, Clone, Copy)]
pub struct JwtState {
    /// Empty until a key pair has been generated.
    pub key_set: RwSignal<String>,
    pub public_key: RwSignal<Option<PublicKeyOut>>,
    /// The size of the next key generated.
    pub bits: RwSignal<u32>,
    pub alg: RwSignal<JwtAlgorithm>,
    pub typ: RwSignal<String>,
    pub kid: RwSignal<String>,
    pub cty: RwSignal<String>,
    /// Comma-separated, as typed.
    pub crit: RwSignal<String>,
    pub iss: RwSignal<String>,
    pub sub: RwSignal<String>,
    pub aud: RwSignal<String>,
    /// Seconds, as typed.
    pub lifetime: RwSignal<String>,
    pub jti_prefix: RwSignal<String>,
    pub use_iat: RwSignal<bool>,
}

impl JwtState {
    pub fn new(settings: &JwtSettings, public_key: Option<PublicKeyOut>) -> Self {
        let (header, claims) = (&settings.header, &settings.claims);
        let bits = public_key.as_ref().map_or(KEY_SIZES[0], |k| k.bits);
        Self {
            key_set: RwSignal::new(settings.key_set.clone()),
            public_key: RwSignal::new(public_key),
            bits: RwSignal::new(bits),
            alg: RwSignal::new(header.alg),
            typ: RwSignal::new(header.typ.clone()),
            kid: RwSignal::new(header.kid.clone()),
            cty: RwSignal::new(header.cty.clone()),
            crit: RwSignal::new(header.crit.join(", ")),
            iss: RwSignal::new(claims.iss.clone()),
            sub: RwSignal::new(claims.sub.clone()),
            aud: RwSignal::new(claims.aud.clone()),
            lifetime: RwSignal::new(claims.lifetime_secs.to_string()),
            jti_prefix: RwSignal::new(claims.jti_prefix.clone()),
            use_iat: RwSignal::new(claims.use_iat),
        }
    }

    /// A lifetime that is not a whole number becomes 0, which the rules reject with their message.
    pub fn settings(&self) -> JwtSettings {
        JwtSettings {
            key_set: self.key_set.get(),
            header: JwtHeaderSettings {
                alg: self.alg.get(),
                typ: self.typ.get(),
                kid: self.kid.get(),
                cty: self.cty.get(),
                crit: self.crit.with(|c| split_names(c)),
            },
            claims: JwtClaimsSettings {
                iss: self.iss.get(),
                sub: self.sub.get(),
                aud: self.aud.get(),
                lifetime_secs: self.lifetime.with(|l| l.trim().parse().unwrap_or(0)),
                jti_prefix: self.jti_prefix.get(),
                use_iat: self.use_iat.get(),
            },
        }
    }

    /// A key pair just generated: shown, and saved with the template.
    pub fn set_key(&self, key: PublicKeyOut) {
        self.key_set.set(key.key_set.clone());
        self.public_key.set(Some(key));
    }
}

/// `exp, aud` → `["exp", "aud"]`; empty pieces (a trailing comma) are dropped.
fn split_names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> PublicKeyOut {
        PublicKeyOut {
            key_set: "ks_1".into(),
            kid: "kid-1".into(),
            bits: 3072,
            pem: "-----BEGIN PUBLIC KEY-----".into(),
            jwks_path: "/oauth/jwks/ks_1".into(),
            created_at: 0,
        }
    }

    #[test]
    fn saved_settings_come_back_unchanged() {
        Owner::new_root(None).with(|| {
            let mut saved = JwtSettings {
                key_set: "ks_1".into(),
                ..Default::default()
            };
            saved.header.crit = vec!["exp".into(), "aud".into()];
            saved.header.alg = JwtAlgorithm::RS512;
            saved.claims.lifetime_secs = 120;
            saved.claims.use_iat = false;
            let state = JwtState::new(&saved, Some(key()));
            assert_eq!(state.crit.get(), "exp, aud");
            assert_eq!(
                state.bits.get(),
                3072,
                "the next key has the current key's size"
            );
            assert_eq!(state.settings(), saved);
        });
    }

    #[test]
    fn typed_lists_and_numbers_are_read_leniently() {
        Owner::new_root(None).with(|| {
            let state = JwtState::new(&JwtSettings::default(), None);
            assert_eq!(state.bits.get(), 2048);
            state.crit.set(" exp ,aud, ".into());
            state.lifetime.set(" 60 ".into());
            let settings = state.settings();
            assert_eq!(settings.header.crit, ["exp", "aud"]);
            assert_eq!(settings.claims.lifetime_secs, 60);
            state.lifetime.set("soon".into());
            assert_eq!(state.settings().claims.lifetime_secs, 0);
        });
    }

    #[test]
    fn a_generated_key_is_tied_to_the_form() {
        Owner::new_root(None).with(|| {
            let state = JwtState::new(&JwtSettings::default(), None);
            state.set_key(key());
            assert_eq!(state.settings().key_set, "ks_1");
            assert_eq!(state.public_key.get().map(|k| k.kid), Some("kid-1".into()));
        });
    }
}
