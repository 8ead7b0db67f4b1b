//! The API's shapes of the HRM scan, improvement actions and development plans.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
