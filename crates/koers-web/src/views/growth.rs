//! Helpers for the self-assessment growth chart (SVG bars per competency, with a table).

use koers_domain::guidance::CareerCompetency;
use koers_domain::guidance::competency::{ITEMS, Item};
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

/// The career competencies, in the self-assessment form's order.
pub fn competencies() -> [CareerCompetency; 5] {
    CareerCompetency::ALL
}

/// The statements of one competency.
pub fn items_of(c: &CareerCompetency) -> Vec<&'static Item> {
    ITEMS.iter().filter(|i| i.competency == *c).collect()
}

/// A statement in the page's language.
pub fn item_text(tr: &crate::i18n::Tr, i: &Item) -> &'static str {
    match tr.0 {
        crate::i18n::Locale::En => i.en,
        crate::i18n::Locale::Nl => i.nl,
    }
}
