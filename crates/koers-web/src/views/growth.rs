//! Helpers for the self-assessment growth chart (SVG bars per competency, with a table).

use koers_store::guidance::self_assessments::SelfAssessment;

/// The competency keys in chart order.
pub const COMPETENCIES: [&str; 5] = [
    "quality_reflection",
    "motive_reflection",
    "work_exploration",
    "career_action",
    "networking",
];

pub fn score(a: &SelfAssessment, competency: &str) -> f64 {
    a.scores
        .get(competency)
        .copied()
        .unwrap_or(0.0)
        .clamp(0.0, 5.0)
}

pub fn score_text(a: &SelfAssessment, competency: &str) -> String {
    format!("{:.1}", score(a, competency))
}
