//! The account id and passcode ingestion clients must send: from the configuration, or generated once
//! on first run and kept in the settings table.

use app::model::settings::CredentialSource;
use rand::Rng;
use rand::distributions::Alphanumeric;

use crate::config::Config;
use crate::store::{Db, settings};

#[derive(Debug, Clone)]
pub struct IngestCredentials {
    pub account_id: String,
    pub passcode: String,
    pub source: CredentialSource,
}

impl IngestCredentials {
    pub async fn resolve(config: &Config, db: &Db) -> sqlx::Result<Self> {
        if let (Some(account_id), Some(passcode)) = (&config.account_id, &config.account_passcode) {
            return Ok(Self {
                account_id: account_id.clone(),
                passcode: passcode.clone(),
                source: CredentialSource::Config,
            });
        }
        let account_id =
            settings::get_or_insert(db, "ingest.account_id", &random_token("HL-", 10)).await?;
        let passcode =
            settings::get_or_insert(db, "ingest.passcode", &random_token("", 24)).await?;
        Ok(Self {
            account_id,
            passcode,
            source: CredentialSource::Generated,
        })
    }

    /// Both values must match; compared in constant time so timing reveals nothing of the passcode.
    pub fn matches(&self, account_id: &str, passcode: &str) -> bool {
        constant_time_eq(account_id.as_bytes(), self.account_id.as_bytes())
            & constant_time_eq(passcode.as_bytes(), self.passcode.as_bytes())
    }
}

fn random_token(prefix: &str, len: usize) -> String {
    let body: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect();
    format!("{prefix}{body}")
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_both_values() {
        let c = IngestCredentials {
            account_id: "A".into(),
            passcode: "secret".into(),
            source: CredentialSource::Config,
        };
        assert!(c.matches("A", "secret"));
        assert!(!c.matches("A", "secreT"));
        assert!(!c.matches("B", "secret"));
        assert!(!c.matches("A", ""));
    }
}
