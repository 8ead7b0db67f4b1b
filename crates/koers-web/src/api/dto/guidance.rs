//! The API's shapes of students, conversations, self-assessments, imports and coverage.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct PhaseStatusDto {
    /// `intake`, `progress`, `specialisation` or `outflow`.
    pub phase: String,
    /// `done`, `due`, `overdue` or `not_yet_due`.
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct StudentDto {
    pub id: String,
    pub user_id: String,
    pub student_number: String,
    pub given_name: String,
    pub name_prefix: String,
    pub family_name: String,
    pub name: String,
    pub email: String,
    /// The programme code, e.g. `LO-ECO`.
    pub programme: String,
    /// The cohort year.
    pub cohort: i64,
    /// `YYYY-MM-DD`.
    pub start_date: String,
    /// The current phase.
    pub phase: String,
    pub counsellor_id: Option<String>,
    /// Status per phase; present for callers who may see guidance (the student, their
    /// counsellor, the programme manager).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub phases: Option<Vec<PhaseStatusDto>>,
}

#[derive(Serialize, ToSchema)]
pub struct StudentList {
    pub items: Vec<StudentDto>,
    pub next: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub created: u64,
    pub updated: u64,
}

/// The result of a study-progress (BSA) import.
#[derive(Serialize, ToSchema)]
pub struct ProgressImportResult {
    /// Signals written (one per line).
    pub created: u64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConversationBody {
    pub student_id: String,
    /// `intake`, `progress`, `specialisation` or `outflow`.
    pub phase: String,
    /// RFC 3339; a time in the past records a conversation that was held.
    pub starts_at: String,
    pub duration_minutes: i64,
    #[serde(default)]
    pub location: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AgreementDto {
    #[serde(default, skip_deserializing)]
    #[schema(read_only)]
    pub id: Option<String>,
    pub description: String,
    /// `student` or `counsellor`.
    pub owner: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due_on: Option<String>,
    /// `open`, `done` or `cancelled`.
    #[serde(default, skip_deserializing)]
    #[schema(read_only)]
    pub status: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// Shared with the student.
    #[serde(default)]
    pub summary: String,
    /// Only for the counsellor.
    #[serde(default)]
    pub private_notes: String,
    /// Career competencies discussed: `quality_reflection`, `motive_reflection`,
    /// `work_exploration`, `career_action`, `networking`.
    #[serde(default)]
    pub competencies: Vec<String>,
    #[serde(default)]
    pub agreements: Vec<AgreementDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationDto {
    pub id: String,
    pub student_id: String,
    pub counsellor_id: Option<String>,
    pub phase: Option<String>,
    /// `requested`, `planned`, `held` or `cancelled`.
    pub status: String,
    /// `scheduled`, `booked`, `requested` or `recorded`.
    pub origin: String,
    pub starts_at: Option<String>,
    pub duration_minutes: i64,
    pub location: String,
    pub sequence: i64,
    /// The report's summary (for the student and the counsellor).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub summary: Option<String>,
    /// Only for the counsellor.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub private_notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub competencies: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub agreements: Option<Vec<AgreementDto>>,
}

#[derive(Serialize, ToSchema)]
pub struct InstrumentItemDto {
    pub id: String,
    pub competency: String,
    /// The statement in the request's language.
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct InstrumentDto {
    pub items: Vec<InstrumentItemDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfAssessmentBody {
    #[serde(default)]
    pub phase: Option<String>,
    /// Item id → answer 1..5, for every item.
    pub answers: std::collections::BTreeMap<String, i64>,
    /// Share with the counsellor (default true).
    #[serde(default)]
    pub share_with_counsellor: Option<bool>,
    /// Share with the placement mentor (default false).
    #[serde(default)]
    pub share_with_mentor: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct SelfAssessmentDto {
    pub id: String,
    pub phase: Option<String>,
    /// Mean per competency on the 1–5 scale.
    pub scores: std::collections::BTreeMap<String, f64>,
}

#[derive(Serialize, ToSchema)]
pub struct PhaseCoverageDto {
    pub phase: String,
    pub expected: u64,
    pub done: u64,
    pub due: u64,
    pub overdue: u64,
    /// Students overdue in this phase.
    pub missed_student_ids: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CoverageDto {
    pub programme: String,
    pub cohort: Option<i64>,
    pub students: u64,
    pub phases: Vec<PhaseCoverageDto>,
}
