//! Reading an institution's Open Education API (OOAPI v5): programs become Koers programmes
//! and their courses become activities of the learning line. This module reads the JSON and
//! plans the changes (what a dry run shows and an import applies); fetching is elsewhere.

use crate::platform::{ProgrammeCode, ProgrammeName};
use serde_json::Value;

/// One page of an OOAPI list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub items: Vec<Value>,
    pub has_next: bool,
    pub total_pages: Option<u32>,
}

/// Why a response cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FormatError(pub String);

/// A list response (`Pagination` with `items`).
pub fn page(v: &Value) -> Result<Page, FormatError> {
    let items = v["items"]
        .as_array()
        .ok_or_else(|| FormatError("the response has no items list".into()))?
        .clone();
    Ok(Page {
        items,
        has_next: v["hasNextPage"].as_bool().unwrap_or(false),
        total_pages: v["totalPages"]
            .as_u64()
            .map(|n| n.min(u32::MAX as u64) as u32),
    })
}

/// The text in the best language: Dutch, then English, then any.
fn text(v: &Value) -> String {
    let list = match v {
        Value::Array(l) => l.as_slice(),
        Value::String(s) => return s.trim().to_owned(),
        _ => return String::new(),
    };
    let pick = |prefix: &str| {
        list.iter().find_map(|t| {
            t["language"]
                .as_str()
                .filter(|l| l.to_lowercase().starts_with(prefix))
                .and(t["value"].as_str())
        })
    };
    pick("nl")
        .or_else(|| pick("en"))
        .or_else(|| list.iter().find_map(|t| t["value"].as_str()))
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// A program as Koers uses it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Program {
    pub id: String,
    pub code: String,
    pub name: String,
}

/// A course as Koers uses it (an activity of a programme's learning line).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Course {
    pub id: String,
    pub title: String,
    pub description: String,
    /// From the study load: ECTS × 28 hours, or hours as given.
    pub study_hours: i64,
    /// The teaching period (1–4) of its first offering, when it has one.
    pub period: Option<i64>,
}

/// The teaching period (1–4) an offering starting on `date` (`YYYY-MM-DD`) falls in:
/// September–October 1, November–January 2, February–April 3, May–August 4.
pub fn period_of(date: &str) -> Option<i64> {
    let month: u32 = date.get(5..7)?.parse().ok()?;
    match month {
        9 | 10 => Some(1),
        11 | 12 | 1 => Some(2),
        2..=4 => Some(3),
        5..=8 => Some(4),
        _ => None,
    }
}

/// An item that cannot be used, and why (shown in the dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub id: String,
    pub reason: &'static str,
}

fn id_of(v: &Value, key: &str) -> Option<String> {
    v[key]
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.len() <= 200)
        .map(str::to_owned)
}

pub fn program(v: &Value) -> Result<Program, Skipped> {
    let id = id_of(v, "programId").ok_or(Skipped {
        id: String::new(),
        reason: "ooapi-no-id",
    })?;
    let skip = |reason| Skipped {
        id: id.clone(),
        reason,
    };
    let code = v["primaryCode"]["code"]
        .as_str()
        .or_else(|| v["abbreviation"].as_str())
        .and_then(|c| ProgrammeCode::parse(c).ok())
        .ok_or_else(|| skip("ooapi-bad-code"))?;
    let name = ProgrammeName::parse(&text(&v["name"])).map_err(|_| skip("ooapi-bad-name"))?;
    Ok(Program {
        id: id.clone(),
        code: code.as_str().to_owned(),
        name: name.as_str().to_owned(),
    })
}

/// Longest description kept.
const MAX_DESCRIPTION: usize = 4000;

pub fn course(v: &Value) -> Result<Course, Skipped> {
    let id = id_of(v, "courseId").ok_or(Skipped {
        id: String::new(),
        reason: "ooapi-no-id",
    })?;
    let title = text(&v["name"]);
    if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
        return Err(Skipped {
            id,
            reason: "ooapi-bad-name",
        });
    }
    let description: String = text(&v["description"])
        .chars()
        .take(MAX_DESCRIPTION)
        .collect();
    let load = v["studyLoad"]["value"].as_f64().unwrap_or(0.0);
    let study_hours = match v["studyLoad"]["studyLoadUnit"].as_str() {
        Some("ects") => load * 28.0,
        Some("hour") | Some("hours") => load,
        _ => 0.0,
    };
    Ok(Course {
        id,
        title,
        description,
        study_hours: study_hours.clamp(0.0, 10_000.0).round() as i64,
        period: None,
    })
}

/// What changes for one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    New,
    Updated,
    Unchanged,
}

impl Change {
    pub fn key(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Updated => "updated",
            Change::Unchanged => "unchanged",
        }
    }
}

/// What Koers has now for a program (by its OOAPI id, or else by code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingProgramme {
    pub id: String,
    pub code: String,
    pub name: String,
    pub external_id: Option<String>,
}

/// What Koers has now for a course (by its OOAPI id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingActivity {
    pub id: String,
    pub external_id: String,
    pub title: String,
    pub description: String,
    pub study_hours: i64,
    pub period: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammePlan {
    pub program: Program,
    pub change: Change,
    /// The Koers programme it updates.
    pub existing_id: Option<String>,
    pub courses: Vec<(Course, Change, Option<String>)>,
}

/// Compare what the API has with what Koers has.
pub fn plan(
    programs: &[(Program, Vec<Course>)],
    existing: &[ExistingProgramme],
    activities: &[ExistingActivity],
) -> Vec<ProgrammePlan> {
    programs
        .iter()
        .map(|(p, courses)| {
            let found = existing
                .iter()
                .find(|e| e.external_id.as_deref() == Some(p.id.as_str()))
                .or_else(|| existing.iter().find(|e| e.code == p.code));
            let change = match found {
                None => Change::New,
                Some(e) if e.name == p.name && e.external_id.as_deref() == Some(&p.id) => {
                    Change::Unchanged
                }
                Some(_) => Change::Updated,
            };
            let courses = courses
                .iter()
                .map(|c| {
                    let a = activities.iter().find(|a| a.external_id == c.id);
                    let change = match a {
                        None => Change::New,
                        Some(a)
                            if a.title == c.title
                                && a.description == c.description
                                && a.study_hours == c.study_hours
                                && c.period.is_none_or(|p| p == a.period) =>
                        {
                            Change::Unchanged
                        }
                        Some(_) => Change::Updated,
                    };
                    (c.clone(), change, a.map(|a| a.id.clone()))
                })
                .collect();
            ProgrammePlan {
                program: p.clone(),
                change,
                existing_id: found.map(|e| e.id.clone()),
                courses,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn programs_and_courses_are_read_in_dutch_first() {
        let p = program(&json!({
            "programId": "p1", "primaryCode": {"codeType": "programCode", "code": "lo-eco"},
            "name": [{"language": "en-GB", "value": "Teacher Economics"},
                     {"language": "nl-NL", "value": "Leraar Economie"}]
        }))
        .unwrap();
        assert_eq!(p.code, "LO-ECO");
        assert_eq!(p.name, "Leraar Economie");
        let c = course(&json!({
            "courseId": "c1", "name": [{"language": "en-GB", "value": "Career guidance"}],
            "description": [{"language": "en-GB", "value": "Talks"}],
            "studyLoad": {"studyLoadUnit": "ects", "value": 2.5}
        }))
        .unwrap();
        assert_eq!((c.title.as_str(), c.study_hours), ("Career guidance", 70));
        assert_eq!(
            program(
                &json!({"programId": "p2", "primaryCode": {"code": "met spatie"},
                "name": [{"language": "nl-NL", "value": "X"}]})
            ),
            Err(Skipped {
                id: "p2".into(),
                reason: "ooapi-bad-code"
            })
        );
        assert_eq!(
            course(&json!({"name": "x"})).unwrap_err().reason,
            "ooapi-no-id"
        );
    }

    #[test]
    fn an_offering_start_gives_the_period() {
        assert_eq!(period_of("2026-09-01"), Some(1));
        assert_eq!(period_of("2027-01-15"), Some(2));
        assert_eq!(period_of("2027-02-01"), Some(3));
        assert_eq!(period_of("2027-06-01"), Some(4));
        assert_eq!(period_of("geen datum"), None);
    }

    #[test]
    fn a_page_must_have_items() {
        assert!(page(&json!({"error": "x"})).is_err());
        let p = page(&json!({"items": [], "hasNextPage": true, "totalPages": 3})).unwrap();
        assert!(p.has_next);
        assert_eq!(p.total_pages, Some(3));
    }

    #[test]
    fn the_plan_finds_new_updated_and_unchanged_records() {
        let program = Program {
            id: "p1".into(),
            code: "LO-ECO".into(),
            name: "Leraar Economie".into(),
        };
        let course = Course {
            id: "c1".into(),
            title: "LOB 1".into(),
            description: String::new(),
            study_hours: 28,
            period: Some(2),
        };
        let fresh = plan(&[(program.clone(), vec![course.clone()])], &[], &[]);
        assert_eq!(fresh[0].change, Change::New);
        assert_eq!(fresh[0].courses[0].1, Change::New);
        // Found by code first, then linked by id.
        let by_code = ExistingProgramme {
            id: "k1".into(),
            code: "LO-ECO".into(),
            name: "Leraar Economie".into(),
            external_id: None,
        };
        let linked = ExistingProgramme {
            external_id: Some("p1".into()),
            ..by_code.clone()
        };
        let activity = ExistingActivity {
            id: "a1".into(),
            external_id: "c1".into(),
            title: "LOB 1".into(),
            description: String::new(),
            study_hours: 28,
            period: 2,
        };
        let again = plan(
            &[(program.clone(), vec![course.clone()])],
            &[by_code],
            std::slice::from_ref(&activity),
        );
        assert_eq!(again[0].change, Change::Updated);
        assert_eq!(again[0].existing_id.as_deref(), Some("k1"));
        assert_eq!(again[0].courses[0].1, Change::Unchanged);
        let renamed = Course {
            title: "LOB 1 (nieuw)".into(),
            ..course
        };
        let last = plan(&[(program, vec![renamed])], &[linked], &[activity]);
        assert_eq!(last[0].change, Change::Unchanged);
        assert_eq!(last[0].courses[0].1, Change::Updated);
        assert_eq!(last[0].courses[0].2.as_deref(), Some("a1"));
    }
}
