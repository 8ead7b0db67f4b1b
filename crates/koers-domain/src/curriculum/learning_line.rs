//! LOB activities and the learning line: which activities address which competences, at
//! which level (I introduced, R reinforced, M mastered), in which study year; and the gaps
//! a curriculum map reveals.

use crate::FieldError;
use crate::guidance::Phase;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// The study years of a teacher-education bachelor.
pub const YEARS: [u8; 4] = [1, 2, 3, 4];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActivityKind {
    Module,
    Project,
    Workshop,
    Training,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 4] = [
        ActivityKind::Module,
        ActivityKind::Project,
        ActivityKind::Workshop,
        ActivityKind::Training,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ActivityKind::Module => "module",
            ActivityKind::Project => "project",
            ActivityKind::Workshop => "workshop",
            ActivityKind::Training => "training",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == s)
    }
}

/// How far an activity takes a competence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Depth {
    #[serde(rename = "I")]
    Introduced,
    #[serde(rename = "R")]
    Reinforced,
    #[serde(rename = "M")]
    Mastered,
}

impl Depth {
    pub const ALL: [Depth; 3] = [Depth::Introduced, Depth::Reinforced, Depth::Mastered];

    pub fn key(self) -> &'static str {
        match self {
            Depth::Introduced => "I",
            Depth::Reinforced => "R",
            Depth::Mastered => "M",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|d| d.key().eq_ignore_ascii_case(s.trim()))
    }
}

/// Partners involved in an activity.
pub const PARTNERS: [&str; 3] = ["feeder_school", "receiving_school", "business"];

/// A checked activity (without its competences).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityInput {
    pub kind: ActivityKind,
    pub title: String,
    pub description: String,
    pub year: u8,
    /// 1–4, or 0 for the whole year.
    pub period: u8,
    pub phase: Option<Phase>,
    pub study_hours: u32,
    pub goals: String,
    pub partners: Vec<&'static str>,
}

/// The raw fields of an activity, as a form or the API sends them.
#[derive(Debug, Clone, Default)]
pub struct RawActivity<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub year: &'a str,
    pub period: &'a str,
    pub phase: &'a str,
    pub study_hours: &'a str,
    pub goals: &'a str,
    pub partners: Vec<&'a str>,
}

impl ActivityInput {
    pub fn parse(r: &RawActivity<'_>) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = ActivityKind::parse(r.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", "kind-invalid"));
        }
        let title = r.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            errors.push(FieldError::new("title", "required"));
        } else if title.chars().count() > 200 {
            errors.push(FieldError::new("title", "name-too-long"));
        }
        for (field, v) in [("description", r.description), ("goals", r.goals)] {
            if v.chars().count() > 4000 {
                errors.push(FieldError::new(field, "text-too-long"));
            }
        }
        let year = r
            .year
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|y| YEARS.contains(y));
        if year.is_none() {
            errors.push(FieldError::new("year", "study-year-invalid"));
        }
        let period = match r.period.trim() {
            "" => Some(0),
            p => p.parse::<u8>().ok().filter(|p| *p <= 4),
        };
        if period.is_none() {
            errors.push(FieldError::new("period", "period-invalid"));
        }
        let phase = match r.phase.trim() {
            "" => None,
            p => {
                let parsed = Phase::parse(p);
                if parsed.is_none() {
                    errors.push(FieldError::new("phase", "phase-invalid"));
                }
                parsed
            }
        };
        let study_hours = match r.study_hours.trim() {
            "" => Some(0),
            h => h.parse::<u32>().ok().filter(|h| *h <= 1680),
        };
        if study_hours.is_none() {
            errors.push(FieldError::new("study_hours", "study-hours-invalid"));
        }
        let mut partners = Vec::new();
        for p in &r.partners {
            match PARTNERS.iter().find(|k| **k == p.trim()) {
                Some(k) if !partners.contains(k) => partners.push(*k),
                Some(_) => {}
                None => errors.push(FieldError::new("partners", "partner-invalid")),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ActivityInput {
            kind: kind.expect("checked"),
            title,
            description: r.description.trim().to_owned(),
            year: year.expect("checked"),
            period: period.expect("checked"),
            phase,
            study_hours: study_hours.expect("checked"),
            goals: r.goals.trim().to_owned(),
            partners,
        })
    }
}

/// An activity as the learning line sees it.
#[derive(Debug, Clone)]
pub struct LineActivity {
    pub id: String,
    pub year: u8,
    pub phase: Option<Phase>,
    /// (competence id, depth)
    pub competences: Vec<(String, Depth)>,
}

/// One cell: a competence in a study year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub competence_id: String,
    pub year: u8,
    /// Depths reached in this year (sorted, each once).
    pub depths: Vec<Depth>,
    pub activities: u32,
}

impl Cell {
    pub fn deepest(&self) -> Option<Depth> {
        self.depths.iter().copied().max()
    }

    /// `I`, `I/R`, `M`… as written in a curriculum map.
    pub fn label(&self) -> String {
        self.depths
            .iter()
            .map(|d| d.key())
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Gap {
    /// No activity addresses the competence.
    NeverIntroduced { competence_id: String },
    /// Addressed, but no activity takes it to mastery.
    NeverMastered { competence_id: String },
    /// A study year without any LOB activity.
    YearWithoutActivity { year: u8 },
    /// A guidance phase that no activity serves.
    PhaseWithoutActivity { phase: Phase },
    /// An activity that addresses no competence.
    ActivityWithoutCompetence { activity_id: String },
}

/// The learning line of a programme: cells for every (competence, year) and the gaps.
pub fn compute(competence_ids: &[String], activities: &[LineActivity]) -> (Vec<Cell>, Vec<Gap>) {
    let mut cells: BTreeMap<(usize, u8), Cell> = BTreeMap::new();
    let index: std::collections::HashMap<&str, usize> = competence_ids
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    for (i, c) in competence_ids.iter().enumerate() {
        for y in YEARS {
            cells.insert(
                (i, y),
                Cell {
                    competence_id: c.clone(),
                    year: y,
                    depths: Vec::new(),
                    activities: 0,
                },
            );
        }
    }
    let mut gaps = Vec::new();
    for a in activities {
        if a.competences.is_empty() {
            gaps.push(Gap::ActivityWithoutCompetence {
                activity_id: a.id.clone(),
            });
        }
        for (c, d) in &a.competences {
            if let Some(cell) = index
                .get(c.as_str())
                .and_then(|i| cells.get_mut(&(*i, a.year)))
            {
                cell.activities += 1;
                if !cell.depths.contains(d) {
                    cell.depths.push(*d);
                    cell.depths.sort();
                }
            }
        }
    }
    for (i, c) in competence_ids.iter().enumerate() {
        let depths: HashSet<Depth> = YEARS
            .iter()
            .flat_map(|y| cells[&(i, *y)].depths.iter().copied())
            .collect();
        if depths.is_empty() {
            gaps.push(Gap::NeverIntroduced {
                competence_id: c.clone(),
            });
        } else if !depths.contains(&Depth::Mastered) {
            gaps.push(Gap::NeverMastered {
                competence_id: c.clone(),
            });
        }
    }
    for y in YEARS {
        if !activities.iter().any(|a| a.year == y) {
            gaps.push(Gap::YearWithoutActivity { year: y });
        }
    }
    for p in Phase::ALL {
        if !activities.iter().any(|a| a.phase == Some(p)) {
            gaps.push(Gap::PhaseWithoutActivity { phase: p });
        }
    }
    (cells.into_values().collect(), gaps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(id: &str, year: u8, phase: Option<Phase>, c: &[(&str, Depth)]) -> LineActivity {
        LineActivity {
            id: id.into(),
            year,
            phase,
            competences: c.iter().map(|(c, d)| ((*c).to_owned(), *d)).collect(),
        }
    }

    #[test]
    fn cells_and_every_kind_of_gap() {
        let comps: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let acts = [
            act(
                "x",
                1,
                Some(Phase::Intake),
                &[("a", Depth::Introduced), ("b", Depth::Introduced)],
            ),
            act("y", 1, None, &[("a", Depth::Reinforced)]),
            act(
                "z",
                3,
                Some(Phase::Specialisation),
                &[("a", Depth::Mastered)],
            ),
            act("w", 3, None, &[]),
        ];
        let (cells, gaps) = compute(&comps, &acts);
        assert_eq!(cells.len(), 12);
        let a1 = cells
            .iter()
            .find(|c| c.competence_id == "a" && c.year == 1)
            .unwrap();
        assert_eq!(a1.label(), "I/R");
        assert_eq!(a1.activities, 2);
        assert_eq!(a1.deepest(), Some(Depth::Reinforced));
        assert_eq!(
            gaps,
            vec![
                Gap::ActivityWithoutCompetence {
                    activity_id: "w".into()
                },
                Gap::NeverMastered {
                    competence_id: "b".into()
                },
                Gap::NeverIntroduced {
                    competence_id: "c".into()
                },
                Gap::YearWithoutActivity { year: 2 },
                Gap::YearWithoutActivity { year: 4 },
                Gap::PhaseWithoutActivity {
                    phase: Phase::Progress
                },
                Gap::PhaseWithoutActivity {
                    phase: Phase::Outflow
                },
            ]
        );
    }

    #[test]
    fn activity_fields_are_checked() {
        let ok = ActivityInput::parse(&RawActivity {
            kind: "workshop",
            title: "  Netwerken   met het werkveld ",
            year: "2",
            period: "3",
            phase: "progress",
            study_hours: "8",
            partners: vec!["business", "business", "receiving_school"],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.title, "Netwerken met het werkveld");
        assert_eq!(ok.partners, vec!["business", "receiving_school"]);
        let errs = ActivityInput::parse(&RawActivity {
            kind: "lecture",
            year: "5",
            period: "7",
            phase: "later",
            study_hours: "-1",
            partners: vec!["bakery"],
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "kind",
                "title",
                "year",
                "period",
                "phase",
                "study_hours",
                "partners"
            ]
        );
    }
}
