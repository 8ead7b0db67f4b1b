//! Guidance conversations and what comes out of them: reports and agreements.
//!
//! Built for a *person*: the student here, an employee in the staff context. The one who
//! holds the conversation (counsellor, manager) is the guide.

use super::competency::CareerCompetency;
use super::phase::Phase;
use crate::FieldError;
use jiff::civil::Date;

/// Where a conversation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    /// Asked for by the person, not yet planned.
    Requested,
    Planned,
    Held,
    Cancelled,
}

impl ConversationStatus {
    pub const fn key(self) -> &'static str {
        match self {
            ConversationStatus::Requested => "requested",
            ConversationStatus::Planned => "planned",
            ConversationStatus::Held => "held",
            ConversationStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            ConversationStatus::Requested,
            ConversationStatus::Planned,
            ConversationStatus::Held,
            ConversationStatus::Cancelled,
        ]
        .into_iter()
        .find(|c| c.key() == s)
    }
}

crate::keyed_enum! {
    /// Whom a conversation is about: a student (guidance in a phase) or an employee (the yearly
    /// career conversation with the line manager).
    pub enum Context {
        Student = "student",
        Staff = "staff",
    }
}

/// How a conversation came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Planned by the guide.
    Scheduled,
    /// Booked by the person in a slot the guide published.
    Booked,
    /// Asked for by the person with a question.
    Requested,
    /// Recorded afterwards by the guide.
    Recorded,
}

impl Origin {
    pub const fn key(self) -> &'static str {
        match self {
            Origin::Scheduled => "scheduled",
            Origin::Booked => "booked",
            Origin::Requested => "requested",
            Origin::Recorded => "recorded",
        }
    }
}

/// Who carries out an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementOwner {
    /// The student (or employee) the conversation is about.
    Student,
    Counsellor,
}

impl AgreementOwner {
    pub const fn key(self) -> &'static str {
        match self {
            AgreementOwner::Student => "student",
            AgreementOwner::Counsellor => "counsellor",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "student" => Some(AgreementOwner::Student),
            "counsellor" => Some(AgreementOwner::Counsellor),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementStatus {
    Open,
    Done,
    Cancelled,
}

impl AgreementStatus {
    pub const fn key(self) -> &'static str {
        match self {
            AgreementStatus::Open => "open",
            AgreementStatus::Done => "done",
            AgreementStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "open" => Some(AgreementStatus::Open),
            "done" => Some(AgreementStatus::Done),
            "cancelled" => Some(AgreementStatus::Cancelled),
            _ => None,
        }
    }
}

pub const MIN_DURATION: i64 = 5;
pub const MAX_DURATION: i64 = 480;
const MAX_TEXT: usize = 20_000;

/// A conversation to plan or record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationInput {
    pub phase: Phase,
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub location: String,
}

impl ConversationInput {
    pub fn parse(
        phase: &str,
        starts_at: Option<i64>,
        duration_minutes: i64,
        location: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let phase = Phase::parse(phase);
        if phase.is_none() {
            errors.push(FieldError::new("phase", "phase-invalid"));
        }
        let location = check_when_where(starts_at, duration_minutes, location, &mut errors);
        match (phase, starts_at) {
            (Some(phase), Some(starts_at)) if errors.is_empty() => Ok(Self {
                phase,
                starts_at,
                duration_minutes,
                location: location.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// Check the time, duration and place of a conversation; returns the trimmed place.
fn check_when_where<'a>(
    starts_at: Option<i64>,
    duration_minutes: i64,
    location: &'a str,
    errors: &mut Vec<FieldError>,
) -> &'a str {
    if starts_at.is_none() {
        errors.push(FieldError::new("starts_at", "datetime-invalid"));
    }
    if !(MIN_DURATION..=MAX_DURATION).contains(&duration_minutes) {
        errors.push(FieldError::new("duration_minutes", "duration-invalid"));
    }
    let location = location.trim();
    if location.chars().count() > 300 || location.chars().any(char::is_control) {
        errors.push(FieldError::new("location", "location-invalid"));
    }
    location
}

/// A career conversation of an employee with their line manager (no phase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffConversationInput {
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub location: String,
}

impl StaffConversationInput {
    pub fn parse(
        starts_at: Option<i64>,
        duration_minutes: i64,
        location: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let location = check_when_where(starts_at, duration_minutes, location, &mut errors);
        match starts_at {
            Some(starts_at) if errors.is_empty() => Ok(Self {
                starts_at,
                duration_minutes,
                location: location.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// An agreement made in a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementInput {
    pub description: String,
    pub owner: AgreementOwner,
    pub due_on: Option<Date>,
}

/// A report belongs to a conversation that has taken place: before its planned start it is
/// refused, since saving one marks the conversation held (and its phase done). A conversation
/// without a planned time (recorded afterwards) may be reported at any time.
pub fn check_report_time(starts_at: Option<i64>, now_ms: i64) -> Result<(), Vec<FieldError>> {
    match starts_at {
        Some(start) if start > now_ms => {
            Err(vec![FieldError::new("summary", "report-before-start")])
        }
        _ => Ok(()),
    }
}

/// The report written after a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportInput {
    /// Shared with the person.
    pub summary: String,
    /// Only for the guide who wrote them.
    pub private_notes: String,
    pub competencies: Vec<CareerCompetency>,
    pub agreements: Vec<AgreementInput>,
}

/// A raw agreement from a form or JSON.
#[derive(Debug, Clone, Copy)]
pub struct RawAgreement<'a> {
    pub description: &'a str,
    pub owner: &'a str,
    pub due_on: &'a str,
}

impl ReportInput {
    pub fn parse(
        summary: &str,
        private_notes: &str,
        competencies: &[&str],
        agreements: &[RawAgreement<'_>],
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let summary = summary.trim().replace("\r\n", "\n");
        let private_notes = private_notes.trim().replace("\r\n", "\n");
        if summary.chars().count() > MAX_TEXT {
            errors.push(FieldError::new("summary", "text-too-long"));
        }
        if private_notes.chars().count() > MAX_TEXT {
            errors.push(FieldError::new("private_notes", "text-too-long"));
        }
        let mut comps = Vec::new();
        for c in competencies {
            match CareerCompetency::parse(c) {
                Some(c) if !comps.contains(&c) => comps.push(c),
                Some(_) => {}
                None => errors.push(FieldError::new("competencies", "competency-invalid")),
            }
        }
        comps.sort();
        if agreements.len() > 20 {
            errors.push(FieldError::new("agreements", "too-many-agreements"));
        }
        let mut out = Vec::new();
        for a in agreements {
            let description = a.description.trim();
            if description.is_empty() && a.due_on.trim().is_empty() {
                continue;
            }
            if description.is_empty() || description.chars().count() > 500 {
                errors.push(FieldError::new(
                    "agreements",
                    "agreement-description-invalid",
                ));
                continue;
            }
            let Some(owner) = AgreementOwner::parse(a.owner) else {
                errors.push(FieldError::new("agreements", "agreement-owner-invalid"));
                continue;
            };
            let due_on = if a.due_on.trim().is_empty() {
                None
            } else {
                match crate::time::parse_date(a.due_on) {
                    Some(d) => Some(d),
                    None => {
                        errors.push(FieldError::new("agreements", "date-invalid"));
                        continue;
                    }
                }
            };
            out.push(AgreementInput {
                description: description.to_owned(),
                owner,
                due_on,
            });
        }
        if errors.is_empty() {
            Ok(ReportInput {
                summary,
                private_notes,
                competencies: comps,
                agreements: out,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversation_input_is_checked() {
        let ok = ConversationInput::parse("intake", Some(1), 45, " B1.12 ").unwrap();
        assert_eq!(ok.location, "B1.12");
        let errs = ConversationInput::parse("zorg", None, 2, "").unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["phase", "starts_at", "duration_minutes"]);
    }

    #[test]
    fn report_input() {
        let r = ReportInput::parse(
            " Goed gesprek ",
            "",
            &["networking", "quality_reflection", "networking"],
            &[
                RawAgreement {
                    description: "Stageschool mailen",
                    owner: "student",
                    due_on: "2026-12-15",
                },
                RawAgreement {
                    description: "",
                    owner: "student",
                    due_on: "",
                },
            ],
        )
        .unwrap();
        assert_eq!(r.summary, "Goed gesprek");
        assert_eq!(
            r.competencies,
            vec![
                CareerCompetency::QualityReflection,
                CareerCompetency::Networking
            ]
        );
        assert_eq!(r.agreements.len(), 1);
        let errs = ReportInput::parse(
            "",
            "",
            &["luck"],
            &[RawAgreement {
                description: "x",
                owner: "mentor",
                due_on: "",
            }],
        )
        .unwrap_err();
        assert_eq!(errs.len(), 2);
    }
}
