use super::FieldError;

fn clean(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A person's display name, e.g. "Sanne van den Berg".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = clean(input);
        if s.is_empty() {
            return Err(FieldError::new("name", "required"));
        }
        if s.chars().count() > 200 || s.chars().any(char::is_control) {
            return Err(FieldError::new("name", "name-too-long"));
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A programme code such as `LO-ECO`: letters, digits and dashes, stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct ProgrammeCode(String);

impl ProgrammeCode {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim().to_uppercase();
        if s.is_empty() {
            return Err(FieldError::new("code", "required"));
        }
        let ok = s.len() <= 20
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if !ok {
            return Err(FieldError::new("code", "code-invalid"));
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A programme's name, e.g. "Leraar Economie (mbo)".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct ProgrammeName(String);

impl ProgrammeName {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = clean(input);
        if s.is_empty() {
            return Err(FieldError::new("name", "required"));
        }
        if s.chars().count() > 200 || s.chars().any(char::is_control) {
            return Err(FieldError::new("name", "name-too-long"));
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A cohort: the year students started, 1990–2100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct CohortYear(i32);

impl CohortYear {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::new("year", "required"));
        }
        match s.parse::<i32>() {
            Ok(y) if (1990..=2100).contains(&y) => Ok(Self(y)),
            _ => Err(FieldError::new("year", "year-invalid")),
        }
    }
    pub fn new(year: i32) -> Result<Self, FieldError> {
        Self::parse(&year.to_string())
    }
    pub fn get(self) -> i32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_kept_with_diacritics() {
        assert_eq!(
            DisplayName::parse("  Zoë   van  der Meer ")
                .unwrap()
                .as_str(),
            "Zoë van der Meer"
        );
        assert!(DisplayName::parse("   ").is_err());
    }

    #[test]
    fn programme_codes() {
        assert_eq!(ProgrammeCode::parse(" lo-eco ").unwrap().as_str(), "LO-ECO");
        assert!(ProgrammeCode::parse("LO ECO").is_err());
        assert!(ProgrammeCode::parse("-X").is_err());
        assert!(ProgrammeCode::parse("").is_err());
    }

    #[test]
    fn cohort_years() {
        assert_eq!(CohortYear::parse("2025").unwrap().get(), 2025);
        assert!(CohortYear::parse("25").is_err());
        assert!(CohortYear::parse("twintig").is_err());
    }
}
