//! The shapes of the API (request and response bodies), with their OpenAPI schemas.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine code, e.g. `forbidden`, `invalid`.
    pub code: String,
    /// A human-readable message in the request's language.
    pub message: String,
    /// For `invalid`: the fields and their codes.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
pub struct RoleDto {
    /// `administrator`, `programme_manager`, `counsellor`, `lecturer`, `student`, `hr_adviser`,
    /// `employee`, `placement_mentor` or `partner_coordinator`.
    pub role: String,
    /// The programme code when the role is limited to one programme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub programme: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InstitutionDto {
    pub id: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserDto {
    pub id: String,
    pub email: String,
    pub name: String,
    pub active: bool,
    /// `nl`, `en`, or null for the browser's choice.
    pub locale: Option<String>,
    pub roles: Vec<RoleDto>,
}

#[derive(Serialize, ToSchema)]
pub struct MeDto {
    #[serde(flatten)]
    pub user: UserDto,
    pub institution: InstitutionDto,
    /// The student record's id when the user is a student.
    pub student_id: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
    /// The 6-digit code of the authenticator app, or an unused recovery code; needed when the
    /// account has a second factor.
    #[serde(default)]
    pub second_factor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SessionCreated {
    /// The bearer token for `Authorization: Bearer …`.
    pub token: String,
    pub user: MeDto,
}

#[derive(Serialize, ToSchema)]
pub struct UserList {
    pub items: Vec<UserDto>,
    pub next: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    pub email: String,
    pub name: String,
    pub roles: Vec<RoleDto>,
    /// An initial password; without it the account cannot log in until a reset.
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub roles: Option<Vec<RoleDto>>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeDto {
    pub id: String,
    pub code: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeList {
    pub items: Vec<ProgrammeDto>,
    pub next: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgrammeBody {
    pub code: String,
    pub name: String,
}

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

/// A text in Dutch and English.
#[derive(Serialize, ToSchema, Clone)]
pub struct TextDto {
    pub nl: String,
    pub en: String,
}

impl From<&koers_domain::curriculum::framework::Text> for TextDto {
    fn from(t: &koers_domain::curriculum::framework::Text) -> Self {
        TextDto {
            nl: t.nl.clone(),
            en: t.en.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FrameworkDto {
    pub id: String,
    /// Stable key; the shipped ones are `career-competencies`, `21st-century-skills` and
    /// `counsellor-profile`.
    pub key: String,
    pub version: String,
    pub name: TextDto,
    /// `shipped`, `imported` or `copy`.
    pub origin: String,
    pub competences: i64,
}

#[derive(Serialize, ToSchema)]
pub struct FrameworkList {
    pub items: Vec<FrameworkDto>,
    pub next: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPracticeBody {
    /// `webvtt` or `text`.
    pub format: String,
    pub transcript: String,
    /// The speaker (as named in the transcript) who held the conversation.
    pub counsellor_speaker: String,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SpeakerDto {
    pub name: String,
    /// `counsellor` or `student`.
    pub role: String,
    pub words: u64,
    /// Fraction of all words, 0–1.
    pub share: f64,
    /// Fraction of speaking time, 0–1 (only when the transcript has timestamps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_share: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionsDto {
    pub open: u64,
    pub closed: u64,
}

#[derive(Serialize, ToSchema)]
pub struct CriterionDto {
    /// `student-talks-more`, `open-questions`, `concrete-experience`, `future` or `next-step`.
    pub key: String,
    pub met: bool,
    pub explanation: String,
}

#[derive(Serialize, ToSchema)]
pub struct PracticeDto {
    pub id: String,
    /// The user id of the student who practised.
    pub owner_id: String,
    pub title: String,
    pub format: String,
    pub created_at: String,
    pub speakers: Vec<SpeakerDto>,
    pub turns: u64,
    pub questions: QuestionsDto,
    /// Summarising or reflecting responses of the counsellor.
    pub summaries: u64,
    /// Per career competency (`quality_reflection`, `motive_reflection`, `work_exploration`,
    /// `career_action`, `networking`): utterances that touched it.
    #[schema(value_type = Object)]
    pub competencies: serde_json::Map<String, serde_json::Value>,
    pub criteria: Vec<CriterionDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetenceLinkBody {
    /// Framework key, e.g. `career-competencies` (its current version).
    pub framework: String,
    /// Competence key within the framework.
    pub competence: String,
    /// `I` (introduced), `R` (reinforced) or `M` (mastered).
    pub level: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActivityBody {
    /// Programme code.
    pub programme: String,
    /// `module`, `project`, `workshop` or `training`.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Study year 1–4.
    pub year: u8,
    /// Period 1–4; 0 or absent for the whole year.
    #[serde(default)]
    pub period: u8,
    /// Guidance phase it serves: `intake`, `progress`, `specialisation` or `outflow`.
    #[serde(default)]
    pub phase: Option<String>,
    #[serde(default)]
    pub study_hours: u32,
    #[serde(default)]
    pub goals: String,
    /// `feeder_school`, `receiving_school`, `business`.
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub competences: Vec<CompetenceLinkBody>,
}

#[derive(Serialize, ToSchema)]
pub struct CompetenceLinkDto {
    pub competence_id: String,
    pub framework: String,
    pub competence: String,
    pub level: String,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityDto {
    pub id: String,
    pub programme: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub year: u8,
    pub period: u8,
    pub phase: Option<String>,
    pub study_hours: u32,
    pub goals: String,
    pub partners: Vec<String>,
    pub competences: Vec<CompetenceLinkDto>,
}

#[derive(Serialize, ToSchema)]
pub struct LineCompetenceDto {
    pub id: String,
    pub framework: String,
    pub key: String,
    pub name: TextDto,
}

#[derive(Serialize, ToSchema)]
pub struct LineCellDto {
    pub competence_id: String,
    pub year: u8,
    /// The depths reached in this year: `I`, `R`, `M`.
    pub levels: Vec<String>,
    pub activities: u32,
}

#[derive(Serialize, ToSchema)]
pub struct LearningLineDto {
    pub competences: Vec<LineCompetenceDto>,
    pub years: Vec<u8>,
    pub cells: Vec<LineCellDto>,
    /// `{"kind": "never-introduced"|"never-mastered", "competence_id"}`,
    /// `{"kind": "year-without-activity", "year"}`, `{"kind": "phase-without-activity", "phase"}`,
    /// `{"kind": "activity-without-competence", "activity_id"}`.
    #[schema(value_type = Vec<Object>)]
    pub gaps: Vec<serde_json::Value>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondentBody {
    pub email: String,
    /// `hr`, `manager` or `staff`.
    pub group: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewScanBody {
    pub name: String,
    pub respondents: Vec<RespondentBody>,
}

#[derive(Serialize, ToSchema)]
pub struct ScanRoundDto {
    pub id: String,
    pub name: String,
    /// `draft`, `open` or `closed`.
    pub status: String,
    pub invited: i64,
    pub responded: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ScanItemDto {
    pub id: String,
    pub stage: String,
    /// `policy`, `practice` or `experience`.
    pub aspect: String,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionnaireDto {
    pub id: String,
    pub name: String,
    /// The four HRM stages, in order.
    pub stages: Vec<String>,
    /// Answers are 1 (not at all) to 5 (fully), or null for "don't know".
    pub items: Vec<ScanItemDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanResponseBody {
    /// Per item id: 1–5, or null for "don't know".
    #[schema(value_type = Object)]
    pub answers: std::collections::BTreeMap<String, Option<i64>>,
    /// Open comments per stage.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub comments: std::collections::BTreeMap<String, String>,
}

#[derive(Serialize, ToSchema)]
pub struct ScanGroupDto {
    pub group: String,
    pub respondents: usize,
    /// Null where nobody answered or the score is hidden (see `hidden`).
    pub score: Option<f64>,
    /// Why the score is hidden: `too-few` (fewer than five answered) or `derivable` (it could
    /// be worked out from the overall score and the scores shown); null when shown.
    pub hidden: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ScanAspectDto {
    pub aspect: String,
    pub score: Option<f64>,
    /// As for groups: `too-few`, `derivable` or null.
    pub hidden: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ScanStageDto {
    pub stage: String,
    /// 0–100; null where nobody answered or fewer than five (see `hidden`).
    pub score: Option<f64>,
    pub respondents: usize,
    /// `too-few` or null.
    pub hidden: Option<String>,
    pub by_aspect: Vec<ScanAspectDto>,
    pub by_group: Vec<ScanGroupDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ScanDifferenceDto {
    pub stage: String,
    pub higher: String,
    pub lower: String,
    pub points: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ScanResultsDto {
    /// `draft`, `open` or `closed`: scores, differences and comments exist only once the round
    /// has closed (while it is open, only the number of responses).
    pub status: String,
    pub invited: i64,
    pub responded: i64,
    pub stages: Vec<ScanStageDto>,
    pub differences: Vec<ScanDifferenceDto>,
    /// Open comments per stage, of the groups with at least five responses.
    #[schema(value_type = Object)]
    pub comments: std::collections::BTreeMap<String, Vec<String>>,
    /// Some comments were held back: their group has fewer than five responses.
    pub comments_withheld: bool,
}

/// Where an improvement action comes from.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionSourceBody {
    /// `scan_stage`, `indicator` or `self_scan_aspect`.
    pub kind: String,
    /// For `scan_stage`: the round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_id: Option<String>,
    /// For `scan_stage`: `recruitment`, `appointment`, `guidance` or `appraisal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// For `indicator`: `YEAR:PROGRAMME_ID:INDICATOR` (empty programme for the institution, e.g.
    /// `2026::intake_in_time`); for `self_scan_aspect`: `SCAN_ID:ASPECT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActionBody {
    pub source: ActionSourceBody,
    pub title: String,
    /// Item keys of the scan instrument the action addresses.
    #[serde(default)]
    pub items: Vec<String>,
    /// The owner's email address (a staff member of the institution).
    #[serde(default)]
    pub owner_email: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due_on: Option<String>,
    /// `planned` (default), `doing`, `done` or `dropped`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionUpdateBody {
    pub title: String,
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub owner_email: Option<String>,
    #[serde(default)]
    pub due_on: Option<String>,
    pub status: String,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ActionDto {
    pub id: String,
    pub source: ActionSourceBody,
    pub title: String,
    pub items: Vec<String>,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub due_on: Option<String>,
    pub status: String,
    pub overdue: bool,
    pub notes: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalBody {
    /// An existing goal's id (keeps its progress); leave out for a new goal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    /// Competences as `FRAMEWORK_KEY/COMPETENCE_KEY`, of any current framework.
    #[serde(default)]
    pub competences: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<String>,
    /// `planned` (default), `doing`, `achieved` or `dropped`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DevelopmentActivityBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    /// The goal it serves: an index into `goals` (0 = the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_index: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<i64>,
    /// `planned` (default) or `done`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DevelopmentPlanBody {
    #[serde(default)]
    pub ambition: String,
    #[serde(default)]
    pub goals: Vec<GoalBody>,
    #[serde(default)]
    pub activities: Vec<DevelopmentActivityBody>,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressDto {
    pub goal_id: String,
    pub note: String,
    pub link: String,
    pub author: Option<String>,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct DevelopmentPlanDto {
    pub employee_id: String,
    pub ambition: String,
    /// `draft` or `agreed`.
    pub status: String,
    pub agreed_by: Option<String>,
    pub agreed_at: Option<String>,
    /// Agreed, and agreed or discussed in a career conversation within a year.
    pub up_to_date: bool,
    /// Changed after it was agreed.
    pub changed_since_agreed: bool,
    pub goals: Vec<GoalBody>,
    pub activities: Vec<DevelopmentActivityBody>,
    pub progress: Vec<ProgressDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ScanInstrumentDto {
    pub key: String,
    pub version: String,
    pub items: usize,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub email: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPartnerBody {
    pub name: String,
    /// `mbo_school`, `feeder_school` or `business`.
    pub kind: String,
    #[serde(default)]
    pub city: String,
    /// Optional BRIN code (e.g. `25LG`).
    #[serde(default)]
    pub brin: String,
    #[serde(default)]
    pub contacts: Vec<ContactBody>,
}

#[derive(Serialize, ToSchema)]
pub struct PartnerDto {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub city: String,
    pub brin: String,
    pub contacts: Vec<ContactBody>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitationBody {
    pub email: String,
    pub name: String,
    /// `placement_mentor` or `partner_coordinator`.
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationDto {
    pub id: String,
    pub email: String,
    pub role: String,
    pub expires_at: String,
    /// The activation link (shown to the inviting user while no mail server is configured).
    pub link: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskBody {
    /// `conversations`, `activity`, `bpv` or `other`.
    pub kind: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlacementBody {
    /// The student record's id.
    pub student_id: String,
    pub partner_id: String,
    /// The mentor's user id (a placement mentor of the partner).
    #[serde(default)]
    pub mentor_id: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(default)]
    pub tasks: Vec<TaskBody>,
}

#[derive(Serialize, ToSchema)]
pub struct PlacementTaskDto {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub due_on: Option<String>,
    /// `open`, `submitted` or `assessed`.
    pub status: String,
    pub level: Option<i64>,
    pub feedback: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlacementDto {
    pub id: String,
    pub student_id: String,
    pub partner_id: String,
    pub mentor_id: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub tasks: Vec<PlacementTaskDto>,
    /// Tasks assessed, of all tasks.
    pub tasks_assessed: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNeedBody {
    /// Required for the institute; a school coordinator submits for their own organisation.
    #[serde(default)]
    pub partner_id: Option<String>,
    pub topic: String,
    #[serde(default)]
    pub description: String,
    /// `FRAMEWORK/COMPETENCE` keys.
    #[serde(default)]
    pub competences: Vec<String>,
    /// `low`, `medium` or `high`.
    pub urgency: String,
    #[serde(default)]
    pub teachers: i64,
}

#[derive(Serialize, ToSchema)]
pub struct NeedDto {
    pub id: String,
    pub partner_id: String,
    pub topic: String,
    pub description: String,
    pub competences: Vec<String>,
    pub urgency: String,
    pub teachers: i64,
    pub status: String,
    pub rationale: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionBody {
    /// RFC 3339.
    pub starts_at: String,
    pub duration_minutes: i64,
    #[serde(default)]
    pub location: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    pub name: String,
    pub organisation: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOfferBody {
    /// `course`, `module` or `training_event`.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub competences: Vec<String>,
    #[serde(default)]
    pub capacity: Option<i64>,
    #[serde(default)]
    pub sessions: Vec<SessionBody>,
    /// Co-designers from partner schools.
    #[serde(default)]
    pub codesigners: Vec<PersonBody>,
}

#[derive(Serialize, ToSchema)]
pub struct OfferDto {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub competences: Vec<String>,
    pub capacity: Option<i64>,
    pub enrolled: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CoveredByDto {
    /// `activity` or `offer`.
    pub kind: String,
    pub id: String,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct AlignedNeedDto {
    pub id: String,
    /// `covered`, `partial` or `gap`.
    pub status: String,
    /// What the competences alone say (the status may be set by hand, with a reason).
    pub derived: String,
    pub covered_by: Vec<CoveredByDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AlignmentDto {
    pub needs: Vec<AlignedNeedDto>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisionBody {
    /// A programme code for a programme's refinement; leave out for the institution's vision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    /// Markdown.
    pub mission: String,
    #[serde(default)]
    pub principles: String,
    /// Theme key (`intake`, `progress`, `specialisation`, `outflow`, `for_everyone`,
    /// `staff_development`, `field_alignment`, `learning_line`, `professionalisation`) → ambition.
    #[serde(default)]
    pub ambitions: std::collections::BTreeMap<String, String>,
    /// What changed in this version.
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct VisionVersionDto {
    pub version: i64,
    /// `draft`, `proposed`, `adopted` or `archived`.
    pub status: String,
    pub note: String,
    pub created_at: String,
    pub adopted_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VisionDto {
    pub programme: Option<String>,
    /// The adopted version's text (Markdown), if any.
    pub adopted: Option<VisionBody>,
    pub adopted_version: Option<i64>,
    /// Every version (for those who manage the vision; empty for other readers).
    pub versions: Vec<VisionVersionDto>,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorDto {
    /// The indicator's key, e.g. `intake_in_time`.
    pub key: String,
    /// Shares as a fraction (0.8 = 80%), rates per student, counts, or scores 0–100.
    pub value: f64,
    pub target: Option<f64>,
    /// `on_track`, `at_risk` or `off_track` (none without a target).
    pub status: Option<String>,
    /// The programme code; absent for the institution's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorList {
    pub year: i32,
    /// The day the values are computed for (`YYYY-MM-DD`), if they were computed.
    pub as_of: Option<String>,
    pub items: Vec<IndicatorDto>,
}

#[derive(Serialize, ToSchema)]
pub struct TrendPointDto {
    pub year: i32,
    pub value: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportIndicatorDto {
    pub key: String,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub status: Option<String>,
    pub trend: Vec<TrendPointDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AnnualReportDto {
    pub year: i32,
    pub programme: Option<String>,
    pub vision_version: Option<i64>,
    pub indicators: Vec<ReportIndicatorDto>,
    pub actions: i64,
    pub self_scans: i64,
}

// The API's bodies fill the same drafts as the pages' forms (`koers_domain::field::input`).
mod field_drafts {
    use super::*;
    use koers_domain::field::input as d;

    impl From<NewPartnerBody> for d::PartnerDraft {
        fn from(b: NewPartnerBody) -> Self {
            d::PartnerDraft {
                name: b.name,
                kind: b.kind,
                city: b.city,
                brin: b.brin,
                contacts: b
                    .contacts
                    .into_iter()
                    .map(|c| d::ContactDraft {
                        name: c.name,
                        role: c.role,
                        email: c.email,
                    })
                    .collect(),
            }
        }
    }

    impl From<NewInvitationBody> for d::InvitationDraft {
        fn from(b: NewInvitationBody) -> Self {
            d::InvitationDraft {
                email: b.email,
                name: b.name,
                role: b.role,
            }
        }
    }

    impl From<NewPlacementBody> for d::PlacementDraft {
        fn from(b: NewPlacementBody) -> Self {
            d::PlacementDraft {
                student_id: b.student_id,
                partner_id: b.partner_id,
                mentor_id: b.mentor_id.unwrap_or_default(),
                starts_on: b.starts_on,
                ends_on: b.ends_on,
                tasks: b
                    .tasks
                    .into_iter()
                    .map(|t| d::TaskDraft {
                        kind: t.kind,
                        title: t.title,
                        due_on: t.due_on.unwrap_or_default(),
                    })
                    .collect(),
            }
        }
    }

    impl From<NewNeedBody> for d::NeedDraft {
        fn from(b: NewNeedBody) -> Self {
            d::NeedDraft {
                partner_id: b.partner_id.unwrap_or_default(),
                topic: b.topic,
                description: b.description,
                competences: b.competences,
                urgency: b.urgency,
                teachers: b.teachers.to_string(),
            }
        }
    }

    impl From<NewOfferBody> for d::OfferDraft {
        fn from(b: NewOfferBody) -> Self {
            d::OfferDraft {
                kind: b.kind,
                title: b.title,
                description: b.description,
                competences: b.competences,
                capacity: b.capacity.map(|c| c.to_string()).unwrap_or_default(),
                sessions: b
                    .sessions
                    .into_iter()
                    .map(|s| d::SessionDraft {
                        starts_at: s.starts_at,
                        duration_minutes: s.duration_minutes.to_string(),
                        location: s.location,
                    })
                    .collect(),
                codesigners: b
                    .codesigners
                    .into_iter()
                    .map(|p| d::CodesignerDraft {
                        name: p.name,
                        organisation: p.organisation,
                    })
                    .collect(),
            }
        }
    }
}
