//! What the form holds for the token mapping: which response fields hold the tokens, and the expiry,
//! either from a response field or fixed. Both expiry choices keep what was typed in them.

use leptos::prelude::*;

use crate::model::oauth::{ExpiryUnit, TokenExpiry, TokenMapping};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExpiryKind {
    #[default]
    FromResponse,
    Fixed,
}

impl ExpiryKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::FromResponse => "From the response",
            Self::Fixed => "Fixed",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct MappingState {
    pub access_token: RwSignal<String>,
    pub refresh_token: RwSignal<String>,
    pub expires_in: RwSignal<String>,
    pub expiry: RwSignal<ExpiryKind>,
    /// The fixed expiry, as typed.
    pub fixed_value: RwSignal<String>,
    pub fixed_unit: RwSignal<ExpiryUnit>,
}

/// The fixed expiry offered before one is chosen: an hour.
const DEFAULT_FIXED: (u32, ExpiryUnit) = (60, ExpiryUnit::Minutes);

impl MappingState {
    pub fn new(mapping: &TokenMapping) -> Self {
        let (kind, (value, unit)) = match mapping.expiry {
            TokenExpiry::FromResponse => (ExpiryKind::FromResponse, DEFAULT_FIXED),
            TokenExpiry::Fixed { value, unit } => (ExpiryKind::Fixed, (value, unit)),
        };
        Self {
            access_token: RwSignal::new(mapping.access_token.clone()),
            refresh_token: RwSignal::new(mapping.refresh_token.clone()),
            expires_in: RwSignal::new(mapping.expires_in.clone()),
            expiry: RwSignal::new(kind),
            fixed_value: RwSignal::new(value.to_string()),
            fixed_unit: RwSignal::new(unit),
        }
    }

    /// A fixed value that is not a whole number becomes 0, which the rules reject with their message.
    pub fn mapping(&self) -> TokenMapping {
        let expiry = match self.expiry.get() {
            ExpiryKind::FromResponse => TokenExpiry::FromResponse,
            ExpiryKind::Fixed => TokenExpiry::Fixed {
                value: self.fixed_value.with(|v| v.trim().parse().unwrap_or(0)),
                unit: self.fixed_unit.get(),
            },
        };
        TokenMapping {
            access_token: self.access_token.get(),
            refresh_token: self.refresh_token.get(),
            expires_in: self.expires_in.get(),
            expiry,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_saved_mappings_come_back_unchanged() {
        Owner::new_root(None).with(|| {
            let defaults = TokenMapping::default();
            assert_eq!(MappingState::new(&defaults).mapping(), defaults);
            let fixed = TokenMapping {
                access_token: "data.token".into(),
                expiry: TokenExpiry::Fixed {
                    value: 2,
                    unit: ExpiryUnit::Hours,
                },
                ..Default::default()
            };
            assert_eq!(MappingState::new(&fixed).mapping(), fixed);
        });
    }

    #[test]
    fn switching_the_expiry_keeps_both_choices() {
        Owner::new_root(None).with(|| {
            let state = MappingState::new(&TokenMapping::default());
            state.expiry.set(ExpiryKind::Fixed);
            assert_eq!(
                state.mapping().expiry,
                TokenExpiry::Fixed {
                    value: 60,
                    unit: ExpiryUnit::Minutes
                }
            );
            state.fixed_value.set("x".into());
            assert!(matches!(
                state.mapping().expiry,
                TokenExpiry::Fixed { value: 0, .. }
            ));
            state.expiry.set(ExpiryKind::FromResponse);
            assert_eq!(state.mapping(), TokenMapping::default());
        });
    }
}
