use super::FieldError;

/// An email address, trimmed and lower-cased: one address identifies one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim().to_lowercase();
        let err = FieldError::new("email", "email-invalid");
        if s.is_empty() {
            return Err(FieldError::new("email", "required"));
        }
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(err);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(err)?;
        if local.is_empty() || local.contains('@') || domain.len() < 3 {
            return Err(err);
        }
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(err);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_space() {
        assert_eq!(
            Email::parse("  An.de.Vries@Demo.Koers.TEST ")
                .unwrap()
                .as_str(),
            "an.de.vries@demo.koers.test"
        );
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["", "no-at", "@x.nl", "a@b", "a b@c.nl", "a@.nl", "a@nl."] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
