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

/// A few of the most common passwords; the full blocklist arrives with the security issue.
const COMMON: &[&str] = &[
    "wachtwoord",
    "password",
    "1234567890",
    "qwertyuiop",
    "welkom123",
    "wachtwoord1",
    "password123",
];

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
        if all_same
            || COMMON.contains(&lower.as_str())
            || email.is_some_and(|e| e.eq_ignore_ascii_case(input))
        {
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
    }
}
