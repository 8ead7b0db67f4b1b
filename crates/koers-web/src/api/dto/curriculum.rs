//! The API's shapes of frameworks, practice conversations, activities and the learning line.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
