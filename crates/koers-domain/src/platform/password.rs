use super::FieldError;

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 256;

/// A password that satisfies the policy for new passwords (length; not trivially weak).
/// It is never stored; only its argon2id hash is.
#[derive(Clone)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// Passwords from breached sets (20,000, see `data/README.md`) and Dutch additions.
const COMMON: &str = include_str!("../../data/common-passwords.txt");
const COMMON_NL: &str = include_str!("../../data/common-passwords-nl.txt");

fn common() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .chain(COMMON_NL.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    })
}

/// Whether a password is on the blocklist, or is an entry with at most five digits or signs
/// added before or after it (`Wachtwoord2026!`, `!voetbal123`), in any letter case.
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    if common().contains(lower.as_str()) {
        return true;
    }
    let padding = |c: char| !c.is_alphabetic();
    let core = lower.trim_matches(padding);
    let added = lower.chars().count() - core.chars().count();
    !core.is_empty() && added <= 5 && common().contains(core)
}

impl NewPassword {
    pub fn parse(input: &str, email: Option<&str>) -> Result<Self, FieldError> {
        let n = input.chars().count();
        if n == 0 {
            return Err(FieldError::new("password", "required"));
        }
        if n < PASSWORD_MIN_CHARS {
            return Err(FieldError::new("password", "password-too-short"));
        }
        if n > PASSWORD_MAX_CHARS {
            return Err(FieldError::new("password", "password-too-long"));
        }
        let lower = input.to_lowercase();
        let all_same = input.chars().all(|c| input.starts_with(c));
        // The address, or its part before the @ when that is long enough to guess.
        let about_user = email.is_some_and(|e| {
            let e = e.to_lowercase();
            let local = e.split('@').next().unwrap_or("");
            lower == e || (local.chars().count() >= 4 && lower.contains(local))
        });
        if all_same || about_user || is_common(input) {
            return Err(FieldError::new("password", "password-too-weak"));
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(NewPassword::parse("kort", None).is_err());
        assert!(NewPassword::parse("aaaaaaaaaaaa", None).is_err());
        assert!(NewPassword::parse("Wachtwoord", None).is_err());
        assert!(NewPassword::parse("a@b.nl12345", Some("A@B.NL12345")).is_err());
        assert!(NewPassword::parse("paars-fiets-regen", None).is_ok());
        // The breached-password blocklist, with digits and signs added, in any case.
        for weak in [
            "1q2w3e4r5t",
            "Basketball",
            "Wachtwoord2026!",
            "!voetbal123",
            "Lerarenopleiding1",
            "Password12",
        ] {
            assert!(NewPassword::parse(weak, None).is_err(), "{weak}");
        }
        // More than a few characters added is a different password.
        assert!(NewPassword::parse("voetbal-in-de-regen", None).is_ok());
        // The part of the address before the @.
        assert!(
            NewPassword::parse("janssen-2026-x", Some("p.janssen@school.nl")).is_ok(),
            "local part p.janssen is not in it"
        );
        assert!(NewPassword::parse("p.janssen-2026", Some("p.janssen@school.nl")).is_err());
        assert!(is_common("qwertyuiop"));
        assert!(!is_common("paars-fiets-regen"));
    }
}
