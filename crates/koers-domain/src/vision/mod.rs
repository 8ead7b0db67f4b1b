//! The LOB vision: a mission, principles and an ambition per theme, in versions that go from
//! draft to proposed to adopted; a readable diff between versions; and academic years.

pub mod indicator;
pub mod selfscan;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::keyed_enum! {
    /// The themes of the LOB vision.
    pub enum Theme {
        Intake = "intake",
        Progress = "progress",
        Specialisation = "specialisation",
        Outflow = "outflow",
        ForEveryone = "for_everyone",
        StaffDevelopment = "staff_development",
        FieldAlignment = "field_alignment",
        LearningLine = "learning_line",
        Professionalisation = "professionalisation",
    }
}

crate::keyed_enum! {
    pub enum Status {
        Draft = "draft",
        Proposed = "proposed",
        Adopted = "adopted",
        Archived = "archived",
    }
}

impl Status {
    /// The workflow: a draft is proposed, a proposal adopted (or sent back to draft).
    pub fn may_become(self, to: Status) -> bool {
        matches!(
            (self, to),
            (Status::Draft, Status::Proposed)
                | (Status::Proposed, Status::Adopted)
                | (Status::Proposed, Status::Draft)
        )
    }
}

/// The text of one version (Markdown in every field).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub mission: String,
    #[serde(default)]
    pub principles: String,
    /// Theme key → ambition.
    #[serde(default)]
    pub ambitions: BTreeMap<String, String>,
}

pub const MAX_TEXT: usize = 20_000;

/// Problems of a document: (field, code).
pub fn check(d: &Document) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    if d.mission.trim().is_empty() {
        out.push(("mission".into(), "required"));
    }
    for (f, v) in [("mission", &d.mission), ("principles", &d.principles)] {
        if v.chars().count() > MAX_TEXT {
            out.push((f.into(), "too-long"));
        }
    }
    for (k, v) in &d.ambitions {
        if Theme::parse(k).is_none() {
            out.push((format!("ambitions.{k}"), "theme-unknown"));
        } else if v.chars().count() > MAX_TEXT {
            out.push((format!("ambitions.{k}"), "too-long"));
        }
    }
    out
}

impl Document {
    /// The document as labelled sections, in a fixed order, for comparing versions.
    pub fn sections(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("mission".to_owned(), self.mission.clone()),
            ("principles".to_owned(), self.principles.clone()),
        ];
        for t in Theme::ALL {
            out.push((
                format!("theme-{}", t.key()),
                self.ambitions.get(t.key()).cloned().unwrap_or_default(),
            ));
        }
        out
    }
}

/// One line of a diff: `' '` kept, `'-'` removed, `'+'` added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub tag: char,
    pub text: String,
}

/// A line diff per section of two versions; sections without changes are left out.
pub fn diff(old: &Document, new: &Document) -> Vec<(String, Vec<DiffLine>)> {
    use similar::{ChangeTag, TextDiff};
    old.sections()
        .into_iter()
        .zip(new.sections())
        .filter(|((_, a), (_, b))| a != b)
        .map(|((key, a), (_, b))| {
            let lines = TextDiff::from_lines(&a, &b)
                .iter_all_changes()
                .map(|c| DiffLine {
                    tag: match c.tag() {
                        ChangeTag::Equal => ' ',
                        ChangeTag::Delete => '-',
                        ChangeTag::Insert => '+',
                    },
                    text: c.value().trim_end_matches('\n').to_owned(),
                })
                .collect();
            (key, lines)
        })
        .collect()
}

/// The academic year a date falls in: the year it started (1 September).
pub fn academic_year(d: jiff::civil::Date) -> i16 {
    if d.month() >= 9 {
        d.year()
    } else {
        d.year() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workflow_goes_draft_proposed_adopted() {
        assert!(Status::Draft.may_become(Status::Proposed));
        assert!(Status::Proposed.may_become(Status::Adopted));
        assert!(Status::Proposed.may_become(Status::Draft));
        assert!(
            !Status::Draft.may_become(Status::Adopted),
            "no adoption without a proposal"
        );
        assert!(!Status::Adopted.may_become(Status::Draft));
        assert!(!Status::Archived.may_become(Status::Adopted));
    }

    #[test]
    fn academic_years_start_on_the_first_of_september() {
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        assert_eq!(academic_year(d("2026-09-01")), 2026);
        assert_eq!(academic_year(d("2026-08-31")), 2025);
        assert_eq!(academic_year(d("2027-06-30")), 2026);
    }

    #[test]
    fn diff_shows_changed_sections_line_by_line() {
        let old = Document {
            mission: "Elke student krijgt begeleiding.\nOok bij uitval.".into(),
            principles: "Samen met het werkveld.".into(),
            ambitions: [("intake".to_owned(), "Intake binnen 6 weken.".to_owned())].into(),
        };
        let mut new = old.clone();
        new.mission = "Elke student krijgt begeleiding.\nIn elke fase.".into();
        new.ambitions
            .insert("outflow".into(), "Een exitgesprek voor iedereen.".into());
        let d = diff(&old, &new);
        let keys: Vec<&str> = d.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["mission", "theme-outflow"]);
        let mission = &d[0].1;
        assert_eq!(
            mission[0],
            DiffLine {
                tag: ' ',
                text: "Elke student krijgt begeleiding.".into()
            }
        );
        assert!(mission.contains(&DiffLine {
            tag: '-',
            text: "Ook bij uitval.".into()
        }));
        assert!(mission.contains(&DiffLine {
            tag: '+',
            text: "In elke fase.".into()
        }));
        assert_eq!(
            d[1].1,
            vec![DiffLine {
                tag: '+',
                text: "Een exitgesprek voor iedereen.".into()
            }]
        );
    }

    #[test]
    fn documents_are_checked() {
        let mut d = Document::default();
        assert_eq!(check(&d), vec![("mission".to_owned(), "required")]);
        d.mission = "M".into();
        d.ambitions.insert("weather".into(), "x".into());
        assert_eq!(
            check(&d),
            vec![("ambitions.weather".to_owned(), "theme-unknown")]
        );
    }
}
