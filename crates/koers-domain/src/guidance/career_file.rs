//! What a person writes in their career file: reflections on experiences, goals, the
//! specialisation choice. Validated here; stored by the store.

use crate::FieldError;
use jiff::civil::Date;

/// The kinds of experience a reflection can be about.
pub const EXPERIENCES: [&str; 6] = [
    "placement",
    "workshop",
    "conversation",
    "course",
    "project",
    "other",
];

fn text(s: &str, field: &'static str, min: usize, max: usize) -> Result<String, FieldError> {
    let t = s.trim().replace("\r\n", "\n");
    let n = t.chars().count();
    if n < min {
        return Err(FieldError::new(field, "required"));
    }
    if n > max || t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FieldError::new(field, "text-too-long"));
    }
    Ok(t)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReflectionInput {
    pub experience: &'static str,
    pub title: String,
    pub body: String,
}

impl ReflectionInput {
    pub fn parse(experience: &str, title: &str, body: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let exp = EXPERIENCES
            .iter()
            .find(|e| **e == experience.trim())
            .copied();
        if exp.is_none() {
            errors.push(FieldError::new("experience", "experience-invalid"));
        }
        let title = text(title, "title", 1, 200)
            .map_err(|e| errors.push(e))
            .ok();
        let body = text(body, "body", 1, 20_000)
            .map_err(|e| errors.push(e))
            .ok();
        match (exp, title, body) {
            (Some(experience), Some(title), Some(body)) if errors.is_empty() => Ok(Self {
                experience,
                title,
                body,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalInput {
    pub title: String,
    pub description: String,
    pub target_on: Option<Date>,
}

impl GoalInput {
    pub fn parse(title: &str, description: &str, target_on: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = text(title, "title", 1, 200)
            .map_err(|e| errors.push(e))
            .ok();
        let description = text(description, "description", 0, 5_000)
            .map_err(|e| errors.push(e))
            .ok();
        let target_on = match target_on.trim() {
            "" => None,
            d => match crate::time::parse_date(d) {
                Some(d) => Some(d),
                None => {
                    errors.push(FieldError::new("target_on", "date-invalid"));
                    None
                }
            },
        };
        match (title, description) {
            (Some(title), Some(description)) if errors.is_empty() => Ok(Self {
                title,
                description,
                target_on,
            }),
            _ => Err(errors),
        }
    }
}

/// The specialisation choice: options considered, the choice and the motivation.
pub fn parse_choice(
    options: &str,
    choice: &str,
    motivation: &str,
) -> Result<(String, String, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let o = text(options, "options", 0, 2_000)
        .map_err(|e| errors.push(e))
        .ok();
    let c = text(choice, "choice", 0, 200)
        .map_err(|e| errors.push(e))
        .ok();
    let m = text(motivation, "motivation", 0, 10_000)
        .map_err(|e| errors.push(e))
        .ok();
    match (o, c, m) {
        (Some(o), Some(c), Some(m)) if errors.is_empty() => Ok((o, c, m)),
        _ => Err(errors),
    }
}

/// The outcomes of the study-choice check (studiekeuzecheck).
pub const STUDY_CHOICE_OUTCOMES: [&str; 4] = ["positive", "doubtful", "negative", "not_taken"];

/// Why a student left.
pub const OUTFLOW_REASONS: [&str; 4] = ["graduated", "switched", "stopped", "other"];
/// Where a student went.
pub const DESTINATIONS: [&str; 4] = ["work", "further_study", "other", "unknown"];

/// Categories of extra support (zorg), kept apart from the universal path.
pub const SUPPORT_CATEGORIES: [&str; 5] = ["study", "wellbeing", "personal", "disability", "other"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflections_need_an_experience_a_title_and_text() {
        let r = ReflectionInput::parse("placement", " Eerste week ", "Het ging goed.\r\nMaar…")
            .unwrap();
        assert_eq!(r.title, "Eerste week");
        assert_eq!(r.body, "Het ging goed.\nMaar…");
        let e = ReflectionInput::parse("vakantie", "", "").unwrap_err();
        assert_eq!(e.len(), 3);
    }

    #[test]
    fn goals_with_an_optional_target_date() {
        let g = GoalInput::parse("Stage bij een ROC", "", "2027-02-01").unwrap();
        assert_eq!(g.target_on, Some(jiff::civil::date(2027, 2, 1)));
        assert!(GoalInput::parse("x", "", "morgen").is_err());
        assert!(GoalInput::parse(" ", "", "").is_err());
    }

    #[test]
    fn choice_texts_have_limits() {
        assert!(parse_choice("a, b", "b", "omdat").is_ok());
        assert!(parse_choice("", &"x".repeat(201), "").is_err());
    }
}
