//! Single sign-on: reading the claims an OpenID provider (SURFconext by default) sends about a
//! person into what Koers needs: who they are, their institution, their affiliations (which
//! give default roles) and their student number. The claim names are configurable, since
//! providers and older SURFconext set-ups spell them differently.

use super::{Email, Role};
use serde_json::{Map, Value};

/// Which claim holds what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimMap {
    pub subject: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub name: String,
    pub institution: String,
    pub affiliations: String,
    pub student_number: String,
}

impl Default for ClaimMap {
    /// SURFconext's claims.
    fn default() -> Self {
        Self {
            subject: "sub".into(),
            email: "email".into(),
            given_name: "given_name".into(),
            family_name: "family_name".into(),
            name: "name".into(),
            institution: "schac_home_organization".into(),
            affiliations: "edu_person_affiliations".into(),
            student_number: "schac_personal_unique_codes".into(),
        }
    }
}

/// A claim map specification that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimMapError {
    #[error(
        "unknown field {0:?} (known: subject, email, given_name, family_name, name, institution, affiliations, student_number)"
    )]
    UnknownField(String),
    #[error("{0:?} is not of the form field=claim")]
    Syntax(String),
}

impl ClaimMap {
    /// SURFconext's defaults with overrides, e.g.
    /// `institution=schacHomeOrganization,affiliations=eduPersonAffiliation`.
    pub fn parse(spec: &str) -> Result<Self, ClaimMapError> {
        let mut map = Self::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, claim) = part
                .split_once('=')
                .map(|(f, c)| (f.trim(), c.trim()))
                .filter(|(f, c)| !f.is_empty() && !c.is_empty())
                .ok_or_else(|| ClaimMapError::Syntax(part.to_owned()))?;
            let slot = match field {
                "subject" => &mut map.subject,
                "email" => &mut map.email,
                "given_name" => &mut map.given_name,
                "family_name" => &mut map.family_name,
                "name" => &mut map.name,
                "institution" => &mut map.institution,
                "affiliations" => &mut map.affiliations,
                "student_number" => &mut map.student_number,
                other => return Err(ClaimMapError::UnknownField(other.to_owned())),
            };
            *slot = claim.to_owned();
        }
        Ok(map)
    }
}

/// What Koers knows of a person after single sign-on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub subject: String,
    pub email: Option<Email>,
    /// False only when the provider says the address is not verified.
    pub email_verified: bool,
    pub name: String,
    /// The institution's home organisation (e.g. `hogeschool.nl`), lower case.
    pub institution: String,
    /// Unscoped and lower case: `student`, `employee`, `faculty`, …
    pub affiliations: Vec<String>,
    pub student_number: Option<String>,
}

/// Why the claims cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    #[error("the provider sent no subject")]
    NoSubject,
    #[error("the provider sent no institution")]
    NoInstitution,
}

/// The longest value Koers takes from a claim.
const MAX_CLAIM: usize = 320;

fn text(claims: &Map<String, Value>, key: &str) -> Option<String> {
    let v = match claims.get(key)? {
        Value::String(s) => s.trim().to_owned(),
        Value::Array(items) => items.iter().find_map(Value::as_str)?.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!v.is_empty() && v.len() <= MAX_CLAIM && !v.chars().any(char::is_control)).then_some(v)
}

fn list(claims: &Map<String, Value>, key: &str) -> Vec<String> {
    match claims.get(key) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// A student number from a `schac_personal_unique_code`
/// (`urn:schac:personalUniqueCode:nl:local:hogeschool.nl:studentid:123456`) or a plain value.
fn student_number(codes: &[String]) -> Option<String> {
    codes.iter().find_map(|code| {
        let lower = code.to_lowercase();
        let number = if lower.starts_with("urn:schac:personaluniquecode:") {
            if !lower.contains(":studentid:") {
                return None;
            }
            code.rsplit(':').next()?
        } else {
            code.as_str()
        };
        let number = number.trim();
        (!number.is_empty()
            && number.len() <= 64
            && number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .then(|| number.to_owned())
    })
}

/// Read the claims (the ID token's and userinfo's together) with the map.
pub fn read_claims(claims: &Map<String, Value>, map: &ClaimMap) -> Result<Profile, ClaimError> {
    let subject = text(claims, &map.subject).ok_or(ClaimError::NoSubject)?;
    let institution = text(claims, &map.institution)
        .map(|i| i.to_lowercase())
        .ok_or(ClaimError::NoInstitution)?;
    let email = text(claims, &map.email).and_then(|e| Email::parse(&e).ok());
    let email_verified = match claims.get("email_verified") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => true,
    };
    let name = text(claims, &map.name)
        .or_else(|| {
            let parts: Vec<String> = [&map.given_name, &map.family_name]
                .iter()
                .filter_map(|k| text(claims, k))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
        .or_else(|| email.as_ref().map(|e| e.as_str().to_owned()))
        .unwrap_or_else(|| subject.clone());
    let mut affiliations: Vec<String> = list(claims, &map.affiliations)
        .iter()
        .map(|a| {
            a.split('@')
                .next()
                .unwrap_or_default()
                .trim()
                .to_lowercase()
        })
        .filter(|a| !a.is_empty() && a.len() <= 64)
        .collect();
    affiliations.sort();
    affiliations.dedup();
    let student_number = student_number(&list(claims, &map.student_number));
    Ok(Profile {
        subject,
        email,
        email_verified,
        name,
        institution,
        affiliations,
        student_number,
    })
}

/// The roles a new account gets from its affiliations: students are students, employees
/// are staff, faculty are lecturers (and staff). Everything else waits for an
/// administrator.
pub fn default_roles(affiliations: &[String]) -> Vec<Role> {
    let mut roles = Vec::new();
    for a in affiliations {
        match a.as_str() {
            "student" => roles.push(Role::Student),
            "employee" | "staff" => roles.push(Role::Employee),
            "faculty" => {
                roles.push(Role::Lecturer);
                roles.push(Role::Employee);
            }
            _ => {}
        }
    }
    roles.sort();
    roles.dedup();
    roles
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn surfconext_claims_are_read() {
        let p = read_claims(
            &claims(json!({
                "sub": "a1b2c3",
                "given_name": "Zoë",
                "family_name": "van der Meer",
                "email": "Zoe@Hogeschool.NL",
                "schac_home_organization": "Hogeschool.nl",
                "edu_person_affiliations": ["student", "member@hogeschool.nl", "student"],
                "schac_personal_unique_codes": [
                    "urn:schac:personalUniqueCode:nl:local:hogeschool.nl:employeeid:999",
                    "urn:schac:personalUniqueCode:nl:local:hogeschool.nl:studentid:500123"
                ]
            })),
            &ClaimMap::default(),
        )
        .unwrap();
        assert_eq!(p.subject, "a1b2c3");
        assert_eq!(p.name, "Zoë van der Meer");
        assert_eq!(p.email.unwrap().as_str(), "zoe@hogeschool.nl");
        assert!(p.email_verified);
        assert_eq!(p.institution, "hogeschool.nl");
        assert_eq!(p.affiliations, ["member", "student"]);
        assert_eq!(p.student_number.as_deref(), Some("500123"));
        assert_eq!(default_roles(&p.affiliations), [Role::Student]);
    }

    #[test]
    fn missing_subject_or_institution_is_an_error_and_odd_values_are_ignored() {
        let map = ClaimMap::default();
        assert_eq!(
            read_claims(&claims(json!({"schac_home_organization": "x.nl"})), &map),
            Err(ClaimError::NoSubject)
        );
        assert_eq!(
            read_claims(&claims(json!({"sub": "s"})), &map),
            Err(ClaimError::NoInstitution)
        );
        let p = read_claims(
            &claims(json!({
                "sub": "s", "schac_home_organization": "x.nl", "email": "geen adres",
                "email_verified": false, "name": "a\u{0}b", "edu_person_affiliations": 7,
                "schac_personal_unique_codes": "12 34"
            })),
            &map,
        )
        .unwrap();
        assert_eq!(p.email, None);
        assert!(!p.email_verified);
        assert_eq!(p.name, "s", "a name with a control character is not used");
        assert!(p.affiliations.is_empty());
        assert_eq!(p.student_number, None);
    }

    #[test]
    fn the_claim_map_is_configurable() {
        let map =
            ClaimMap::parse("institution=schacHomeOrganization, affiliations=eduPersonAffiliation")
                .unwrap();
        assert_eq!(map.institution, "schacHomeOrganization");
        assert_eq!(map.subject, "sub");
        let p = read_claims(
            &claims(json!({"sub": "s", "schacHomeOrganization": "y.nl",
                "eduPersonAffiliation": "faculty", "schac_personal_unique_codes": ["S-1"]})),
            &map,
        )
        .unwrap();
        assert_eq!(p.institution, "y.nl");
        assert_eq!(
            default_roles(&p.affiliations),
            [Role::Lecturer, Role::Employee]
        );
        assert_eq!(p.student_number.as_deref(), Some("S-1"));
        assert_eq!(
            ClaimMap::parse("colour=x"),
            Err(ClaimMapError::UnknownField("colour".into()))
        );
        assert_eq!(
            ClaimMap::parse("institution"),
            Err(ClaimMapError::Syntax("institution".into()))
        );
    }
}
