//! The API's shapes of the vision, indicators and the annual report.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
