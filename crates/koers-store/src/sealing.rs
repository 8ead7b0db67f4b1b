//! Secrets Koers must read back (the TOTP secrets of second factors) are kept in the database
//! sealed with a key kept outside it (`--secret-key-file`, by default `secret.key` in the data
//! directory). A copy of the database alone — a backup, a dump, the database server's disk —
//! then gives away nobody's second factor.
//!
//! ChaCha20-Poly1305 (from `ring`, already used by the TLS stack), a random 96-bit nonce per
//! value, and the row's owner as associated data: a sealed value copied into another person's
//! row does not open. Stored as `v1:<nonce hex>:<ciphertext and tag hex>`.

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

const PREFIX: &str = "v1:";

/// The key that seals and opens secrets.
#[derive(Clone)]
pub struct SealingKey(Arc<LessSafeKey>);

impl fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SealingKey(..)")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

impl SealingKey {
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        let key = UnboundKey::new(&CHACHA20_POLY1305, bytes).expect("32 bytes is the key length");
        Self(Arc::new(LessSafeKey::new(key)))
    }

    /// A new random key.
    pub fn generate() -> ([u8; 32], Self) {
        let bytes: [u8; 32] = rand::random();
        (bytes, Self::from_bytes(&bytes))
    }

    /// Read the key from `path` (64 hexadecimal digits); `None` when the file does not exist.
    pub fn load(path: &Path) -> std::io::Result<Option<Self>> {
        match std::fs::read_to_string(path) {
            Ok(text) => unhex(text.trim())
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .map(|bytes| Some(Self::from_bytes(&bytes)))
                .ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "{} must hold 64 hexadecimal digits (a 256-bit key)",
                            path.display()
                        ),
                    )
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Write a new key's `bytes` to `path`, readable by its owner only; never overwrites.
    pub fn write_new(path: &Path, bytes: &[u8; 32]) -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path)?;
        std::io::Write::write_all(&mut file, format!("{}\n", hex(bytes)).as_bytes())?;
        file.sync_all()
    }

    /// Seal `plain` for `owner` (the id of the row's person).
    pub fn seal(&self, plain: &str, owner: &str) -> String {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let mut data = plain.as_bytes().to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(owner.as_bytes()),
                &mut data,
            )
            .expect("sealing a short secret cannot fail");
        format!("{PREFIX}{}:{}", hex(&nonce), hex(&data))
    }

    /// Open a sealed value; `None` when it was not sealed with this key for this owner, or was
    /// changed.
    pub fn open(&self, stored: &str, owner: &str) -> Option<String> {
        let (nonce, data) = stored.strip_prefix(PREFIX)?.split_once(':')?;
        let nonce = <[u8; NONCE_LEN]>::try_from(unhex(nonce)?).ok()?;
        let mut data = unhex(data)?;
        let plain = self
            .0
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(owner.as_bytes()),
                &mut data,
            )
            .ok()?;
        String::from_utf8(plain.to_vec()).ok()
    }

    /// Whether a stored value is sealed (values written before sealing are not).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_owner() {
        let (_, key) = SealingKey::generate();
        let sealed = key.seal("JBSWY3DPEHPK3PXP", "user-1");
        assert!(SealingKey::is_sealed(&sealed));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            key.open(&sealed, "user-1").as_deref(),
            Some("JBSWY3DPEHPK3PXP")
        );
        assert_eq!(key.open(&sealed, "user-2"), None, "another person's row");
        let (_, other) = SealingKey::generate();
        assert_eq!(other.open(&sealed, "user-1"), None, "another key");
        // A random nonce each time: the same secret never looks the same twice.
        assert_ne!(sealed, key.seal("JBSWY3DPEHPK3PXP", "user-1"));
    }

    #[test]
    fn a_changed_or_malformed_value_does_not_open() {
        let (_, key) = SealingKey::generate();
        let sealed = key.seal("secret", "u");
        let last = sealed.chars().last().unwrap();
        let flipped = format!(
            "{}{}",
            &sealed[..sealed.len() - 1],
            if last == '0' { '1' } else { '0' }
        );
        assert_eq!(key.open(&flipped, "u"), None);
        for bad in ["", "v1:", "v1:zz:00", "JBSWY3DPEHPK3PXP", "v1:00:00"] {
            assert_eq!(key.open(bad, "u"), None, "{bad}");
        }
    }

    #[test]
    fn the_key_file_is_written_once_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("koers-seal-{}", koers_domain::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("secret.key");
        assert!(SealingKey::load(&path).unwrap().is_none());
        let (bytes, first) = SealingKey::generate();
        SealingKey::write_new(&path, &bytes).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(
            SealingKey::write_new(&path, &bytes).is_err(),
            "never overwritten"
        );
        let again = SealingKey::load(&path).unwrap().unwrap();
        let sealed = first.seal("x", "u");
        assert_eq!(again.open(&sealed, "u").as_deref(), Some("x"));
        std::fs::write(&path, "not a key").unwrap();
        let err = SealingKey::load(&path).unwrap_err();
        assert!(err.to_string().contains("64 hexadecimal digits"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
