//! The second factor: time-based one-time passwords (TOTP, RFC 6238: HMAC-SHA1, 30-second
//! steps, 6 digits — what every authenticator app speaks) and single-use recovery codes.

use hmac::{Hmac, Mac};
use sha2::Digest;

/// Seconds per step.
pub const STEP_SECS: u64 = 30;
/// Codes of one step before and after the current one are accepted (clock drift).
pub const DRIFT_STEPS: u64 = 1;
/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODES: usize = 10;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A shared secret of 160 bits (RFC 4226's recommendation).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Secret {
    pub fn generate() -> Self {
        Secret(rand::random::<[u8; 20]>().to_vec())
    }

    /// The secret as people type it into an app: base32 without padding.
    pub fn to_base32(&self) -> String {
        let mut out = String::new();
        let (mut buf, mut bits) = (0u32, 0u32);
        for &b in &self.0 {
            buf = (buf << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                out.push(BASE32[((buf >> (bits - 5)) & 31) as usize] as char);
                bits -= 5;
            }
        }
        if bits > 0 {
            out.push(BASE32[((buf << (5 - bits)) & 31) as usize] as char);
        }
        out
    }

    /// Read base32 (any case, spaces and padding ignored); `None` for anything else.
    pub fn from_base32(text: &str) -> Option<Self> {
        let mut out = Vec::new();
        let (mut buf, mut bits) = (0u32, 0u32);
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
            let v = BASE32
                .iter()
                .position(|&b| b == c.to_ascii_uppercase() as u8)?;
            buf = (buf << 5) | v as u32;
            bits += 5;
            if bits >= 8 {
                out.push((buf >> (bits - 8)) as u8);
                bits -= 8;
            }
        }
        (!out.is_empty()).then_some(Secret(out))
    }

    /// The code of one time step (HOTP, RFC 4226, with `digits` digits).
    pub fn code_at(&self, step: u64, digits: u32) -> u32 {
        let mut mac =
            Hmac::<sha1::Sha1>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(&step.to_be_bytes());
        let h = mac.finalize().into_bytes();
        let offset = (h[19] & 0x0f) as usize;
        let bin = u32::from_be_bytes([
            h[offset] & 0x7f,
            h[offset + 1],
            h[offset + 2],
            h[offset + 3],
        ]);
        bin % 10u32.pow(digits)
    }

    /// Check a 6-digit code typed at `unix_secs`. Accepts the current step and one either
    /// side, but only steps after `last_used` (a code works once). Returns the matching step,
    /// which the caller stores as the new `last_used`.
    pub fn verify(&self, code: &str, unix_secs: u64, last_used: u64) -> Option<u64> {
        let code = normalise_code(code);
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let typed: u32 = code.parse().ok()?;
        let now = unix_secs / STEP_SECS;
        (now.saturating_sub(DRIFT_STEPS)..=now + DRIFT_STEPS)
            .filter(|&s| s > last_used)
            .find(|&s| self.code_at(s, 6) == typed)
    }

    /// The `otpauth://` address an authenticator app reads from the QR code.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let enc = |s: &str| -> String {
            s.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        };
        format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period={STEP_SECS}",
            enc(issuer),
            enc(account),
            self.to_base32(),
            enc(issuer)
        )
    }
}

/// Spaces and dashes people type between digit groups do not count.
fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// New recovery codes, `xxxxx-xxxxx` in lower-case base32 (50 bits each).
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let s = Secret(rand::random::<[u8; 7]>().to_vec())
                .to_base32()
                .to_ascii_lowercase();
            format!("{}-{}", &s[..5], &s[5..10])
        })
        .collect()
}

/// How a recovery code is stored (they are random enough for a plain SHA-256). Spaces, dashes
/// and case do not matter.
pub fn recovery_code_hash(code: &str) -> String {
    sha2::Sha256::digest(normalise_code(code).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether what someone typed looks like a recovery code rather than a 6-digit code.
pub fn is_recovery_code(code: &str) -> bool {
    let c = normalise_code(code);
    c.len() == 10 && c.bytes().all(|b| BASE32.contains(&b.to_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B (SHA-1, the 20-byte ASCII secret "12345678901234567890").
    #[test]
    fn rfc_6238_test_vectors() {
        let s = Secret(b"12345678901234567890".to_vec());
        for (t, code) in [
            (59u64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(s.code_at(t / STEP_SECS, 8), code, "T={t}");
        }
        assert_eq!(s.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(
            Secret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"),
            Some(s)
        );
    }

    #[test]
    fn verify_accepts_drift_once_and_nothing_else() {
        let s = Secret::generate();
        assert_eq!(Secret::from_base32(&s.to_base32()), Some(s.clone()));
        let now = 1_800_000_000u64;
        let step = now / STEP_SECS;
        let code = format!("{:06}", s.code_at(step, 6));
        assert_eq!(s.verify(&code, now, 0), Some(step));
        // Used once: the same step does not work again.
        assert_eq!(s.verify(&code, now, step), None);
        // One step of drift either way, with spaces typed.
        let prev = format!("{:06}", s.code_at(step - 1, 6));
        assert_eq!(
            s.verify(&format!("{} {}", &prev[..3], &prev[3..]), now, 0),
            Some(step - 1)
        );
        let far = format!("{:06}", s.code_at(step + 3, 6));
        assert_ne!(s.verify(&far, now, 0), Some(step + 3));
        assert_eq!(s.verify("12345", now, 0), None);
        assert_eq!(s.verify("abcdef", now, 0), None);
        assert_eq!(Secret::from_base32("not base32!"), None);
    }

    #[test]
    fn recovery_codes() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(codes.iter().all(|c| is_recovery_code(c)));
        assert_eq!(
            recovery_code_hash(&codes[0]),
            recovery_code_hash(&codes[0].to_uppercase().replace('-', " "))
        );
        assert!(!is_recovery_code("123456"));
        let uri = Secret(b"12345678901234567890".to_vec()).otpauth_uri("Koers Demo", "a@b.nl");
        assert!(uri.starts_with("otpauth://totp/Koers%20Demo:a@b.nl?secret=GEZDGNBV"));
    }
}
