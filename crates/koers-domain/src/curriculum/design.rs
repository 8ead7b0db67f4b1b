//! Students design an LOB activity for mbo students in a career-oriented learning
//! environment. A design is checked against the environment's three characteristics
//! (practice-based, dialogical, driven by the students' own questions): each is met when the
//! student explains it in at least a few sentences' worth of words and names what makes it so.

use crate::FieldError;
use crate::guidance::CareerCompetency;
use serde::Serialize;

/// Words an explanation needs before it counts.
pub const MIN_WORDS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Setting {
    School,
    Placement,
}

impl Setting {
    pub const ALL: [Setting; 2] = [Setting::School, Setting::Placement];

    pub fn key(self) -> &'static str {
        match self {
            Setting::School => "school",
            Setting::Placement => "placement",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.key() == s)
    }
}

/// The three characteristics of a career-oriented learning environment.
pub const CRITERIA: [&str; 3] = ["practice-based", "dialogical", "demand-driven"];

fn markers(criterion: &str) -> &'static [&'static str] {
    match criterion {
        "practice-based" => &[
            "praktijk",
            "stage",
            "bpv",
            "bedrijf",
            "werkplek",
            "leerbedrijf",
            "beroep",
            "echte",
            "opdrachtgever",
            "werkveld",
        ],
        "dialogical" => &[
            "gesprek", "dialoog", "bespre", "vragen", "reflect", "feedback", "samen", "luister",
            "vertel",
        ],
        _ => &[
            "eigen vraag",
            "eigen vragen",
            "zelf",
            "kiezen",
            "keuze",
            "kiest",
            "wensen",
            "interesse",
            "eigen doel",
        ],
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesignInput {
    pub title: String,
    pub mbo_level: Option<u8>,
    pub mbo_programme: String,
    pub setting: Setting,
    pub goal: String,
    pub steps: String,
    pub competencies: Vec<CareerCompetency>,
    pub practice_based: String,
    pub dialogical: String,
    pub demand_driven: String,
}

#[derive(Debug, Clone, Default)]
pub struct RawDesign<'a> {
    pub title: &'a str,
    pub mbo_level: &'a str,
    pub mbo_programme: &'a str,
    pub setting: &'a str,
    pub goal: &'a str,
    pub steps: &'a str,
    pub competencies: Vec<&'a str>,
    pub practice_based: &'a str,
    pub dialogical: &'a str,
    pub demand_driven: &'a str,
}

impl DesignInput {
    pub fn parse(r: &RawDesign<'_>) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = r.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            errors.push(FieldError::new("title", "required"));
        } else if title.chars().count() > 200 {
            errors.push(FieldError::new("title", "name-too-long"));
        }
        let mbo_level = match r.mbo_level.trim() {
            "" => None,
            l => match l.parse::<u8>() {
                Ok(n) if (1..=4).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new("mbo_level", "mbo-level-invalid"));
                    None
                }
            },
        };
        if r.mbo_programme.chars().count() > 200 {
            errors.push(FieldError::new("mbo_programme", "name-too-long"));
        }
        let setting = Setting::parse(r.setting.trim());
        if setting.is_none() {
            errors.push(FieldError::new("setting", "setting-invalid"));
        }
        for (field, v) in [("goal", r.goal), ("steps", r.steps)] {
            if v.trim().is_empty() {
                errors.push(FieldError::new(field, "required"));
            }
        }
        for (field, v) in [
            ("goal", r.goal),
            ("steps", r.steps),
            ("practice_based", r.practice_based),
            ("dialogical", r.dialogical),
            ("demand_driven", r.demand_driven),
        ] {
            if v.chars().count() > 4000 {
                errors.push(FieldError::new(field, "text-too-long"));
            }
        }
        let mut competencies = Vec::new();
        for c in &r.competencies {
            match CareerCompetency::ALL.into_iter().find(|x| x.key() == *c) {
                Some(x) if !competencies.contains(&x) => competencies.push(x),
                Some(_) => {}
                None => errors.push(FieldError::new("competencies", "competency-invalid")),
            }
        }
        if competencies.is_empty() && !errors.iter().any(|e| e.field == "competencies") {
            errors.push(FieldError::new("competencies", "competencies-required"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(DesignInput {
            title,
            mbo_level,
            mbo_programme: r.mbo_programme.trim().to_owned(),
            setting: setting.expect("checked"),
            goal: r.goal.trim().to_owned(),
            steps: r.steps.trim().to_owned(),
            competencies,
            practice_based: r.practice_based.trim().to_owned(),
            dialogical: r.dialogical.trim().to_owned(),
            demand_driven: r.demand_driven.trim().to_owned(),
        })
    }
}

/// One line of the checklist: met, and why (the number of words and the marker found).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub criterion: &'static str,
    pub met: bool,
    pub words: usize,
    pub marker: Option<&'static str>,
}

/// The checklist of a design's three explanations (in [`CRITERIA`] order).
pub fn checklist(practice_based: &str, dialogical: &str, demand_driven: &str) -> [Check; 3] {
    let check = |criterion: &'static str, text: &str| {
        let words = text.split_whitespace().count();
        let lower = text.to_lowercase();
        let marker = markers(criterion)
            .iter()
            .copied()
            .find(|m| lower.contains(m));
        Check {
            criterion,
            met: words >= MIN_WORDS && marker.is_some(),
            words,
            marker,
        }
    };
    [
        check(CRITERIA[0], practice_based),
        check(CRITERIA[1], dialogical),
        check(CRITERIA[2], demand_driven),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_design_is_checked_and_explained() {
        let c = checklist(
            "Studenten interviewen een medewerker op hun stageplek over hoe die aan dit beroep kwam.",
            "Daarna bespreken ze in tweetallen wat hen opviel en wat dat over henzelf zegt.",
            "Kort.",
        );
        assert!(c[0].met && c[0].marker == Some("stage"));
        assert!(c[1].met && c[1].marker == Some("bespre"));
        assert!(!c[2].met);
        assert_eq!(c[2].words, 1);
        // Enough words without any marker is not enough.
        let c = checklist(
            "een twee drie vier vijf zes zeven acht negen tien elf",
            "",
            "",
        );
        assert!(!c[0].met && c[0].marker.is_none());
    }

    #[test]
    fn design_fields_are_checked() {
        let ok = DesignInput::parse(&RawDesign {
            title: "Netwerkbingo",
            mbo_level: "3",
            setting: "placement",
            goal: "Studenten leggen contact",
            steps: "1. …",
            competencies: vec!["networking", "networking", "work_exploration"],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.competencies.len(), 2);
        let errs = DesignInput::parse(&RawDesign {
            mbo_level: "5",
            setting: "online",
            competencies: vec!["dancing"],
            ..Default::default()
        })
        .unwrap_err();
        let f: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            f,
            [
                "title",
                "mbo_level",
                "setting",
                "goal",
                "steps",
                "competencies"
            ]
        );
    }
}
