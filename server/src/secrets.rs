//! Secrets at rest (template passwords, client secrets, private keys, tokens): AES-256-GCM with the key
//! from `HOOKLINE_SECRET_KEY`, or a key generated into the data folder on first run.
//! A sealed value is `version byte ‖ 12-byte nonce ‖ ciphertext+tag`.

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, OsRng};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 12;
pub const KEY_FILE: &str = "secret.key";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "HOOKLINE_SECRET_KEY must be 32 bytes written as base64 (44 characters) or hex (64 characters)"
    )]
    BadKey,
    #[error("could not read or write the key file {path}: {source}")]
    KeyFile {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "a stored secret could not be decrypted: wrong HOOKLINE_SECRET_KEY, or the data is damaged"
    )]
    Undecryptable,
}

#[derive(Clone)]
pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

impl SecretBox {
    pub fn new(key: [u8; 32]) -> Self {
        Self {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key)),
        }
    }

    /// The configured key, else the one in `data_dir/secret.key`, else a new one written there (mode 0600).
    pub fn load_or_create(configured: Option<&str>, data_dir: &Path) -> Result<Self, SecretError> {
        if let Some(text) = configured {
            return parse_key(text).map(Self::new);
        }
        let path = data_dir.join(KEY_FILE);
        let io_err = |source| SecretError::KeyFile {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => parse_key(&text).map(Self::new),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key: [u8; 32] = Aes256Gcm::generate_key(&mut OsRng).into();
                write_private(&path, &B64.encode(key)).map_err(io_err)?;
                tracing::info!(path = %path.display(), "generated a new secret key");
                Ok(Self::new(key))
            }
            Err(e) => Err(io_err(e)),
        }
    }

    pub fn seal(&self, plaintext: &[u8]) -> Vec<u8> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ciphertext = self
            .cipher
            .encrypt(&nonce, plaintext)
            .expect("AES-GCM encryption of a bounded buffer cannot fail");
        let mut out = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        out.push(FORMAT_V1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ciphertext);
        out
    }

    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, SecretError> {
        match sealed {
            [FORMAT_V1, rest @ ..] if rest.len() > NONCE_LEN => {
                let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
                self.cipher
                    .decrypt(Nonce::from_slice(nonce), ciphertext)
                    .map_err(|_| SecretError::Undecryptable)
            }
            _ => Err(SecretError::Undecryptable),
        }
    }
}

fn parse_key(text: &str) -> Result<[u8; 32], SecretError> {
    let text = text.trim();
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap_or(0))
            .collect()
    } else {
        B64.decode(text).map_err(|_| SecretError::BadKey)?
    };
    bytes.try_into().map_err(|_| SecretError::BadKey)
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_detects_tampering() {
        let sb = SecretBox::new([7; 32]);
        let sealed = sb.seal(b"hunter2");
        assert_ne!(&sealed[13..], b"hunter2");
        assert_eq!(sb.open(&sealed).unwrap(), b"hunter2");
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(sb.open(&tampered).is_err());
        assert!(SecretBox::new([8; 32]).open(&sealed).is_err());
        assert!(sb.open(&[]).is_err());
    }

    #[test]
    fn nonces_differ() {
        let sb = SecretBox::new([7; 32]);
        assert_ne!(sb.seal(b"x"), sb.seal(b"x"));
    }

    #[test]
    fn key_formats() {
        assert!(parse_key(&"ab".repeat(32)).is_ok());
        assert!(parse_key(&B64.encode([1u8; 32])).is_ok());
        assert!(parse_key("short").is_err());
        assert!(parse_key(&B64.encode([1u8; 16])).is_err());
    }

    #[test]
    fn generates_once_then_reuses() {
        let dir = tempfile::tempdir().unwrap();
        let a = SecretBox::load_or_create(None, dir.path()).unwrap();
        let sealed = a.seal(b"kept");
        let b = SecretBox::load_or_create(None, dir.path()).unwrap();
        assert_eq!(b.open(&sealed).unwrap(), b"kept");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
