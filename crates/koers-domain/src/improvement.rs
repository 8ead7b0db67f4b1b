//! Improvement actions: what an institution decides to improve and follows up. An action has a
//! source — a stage of an HRM-scan round, an indicator of the LOB vision, or an aspect of a
//! programme team's self-scan — so one model serves every quality cycle.

use crate::FieldError;
use crate::staff::scan::Stage;
use jiff::civil::Date;

crate::keyed_enum! {
    /// Where an action is in its life.
    pub enum ActionStatus {
        Planned = "planned",
        Doing = "doing",
        Done = "done",
        Dropped = "dropped",
    }
}

impl ActionStatus {
    /// Still to be done (planned or under way).
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Planned | ActionStatus::Doing)
    }
}

crate::keyed_enum! {
    pub enum SourceKind {
        ScanStage = "scan_stage",
        Indicator = "indicator",
        SelfScanAspect = "self_scan_aspect",
    }
}

/// What an action improves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A stage of an HRM-scan round (the round that showed the need).
    ScanStage { round_id: String, stage: Stage },
    /// An indicator of the LOB vision, by key.
    Indicator { key: String },
    /// An aspect of a programme team's self-scan, by key.
    SelfScanAspect { key: String },
}

impl Source {
    pub fn kind(&self) -> SourceKind {
        match self {
            Source::ScanStage { .. } => SourceKind::ScanStage,
            Source::Indicator { .. } => SourceKind::Indicator,
            Source::SelfScanAspect { .. } => SourceKind::SelfScanAspect,
        }
    }

    /// The stored reference: `ROUND:STAGE` for a scan stage, the key otherwise.
    pub fn reference(&self) -> String {
        match self {
            Source::ScanStage { round_id, stage } => format!("{round_id}:{}", stage.key()),
            Source::Indicator { key } | Source::SelfScanAspect { key } => key.clone(),
        }
    }

    pub fn from_parts(kind: &str, reference: &str) -> Option<Source> {
        match SourceKind::parse(kind)? {
            SourceKind::ScanStage => {
                let (round_id, stage) = reference.rsplit_once(':')?;
                Some(Source::ScanStage {
                    round_id: round_id.to_owned(),
                    stage: Stage::parse(stage)?,
                })
            }
            SourceKind::Indicator => Some(Source::Indicator {
                key: reference.to_owned(),
            }),
            SourceKind::SelfScanAspect => Some(Source::SelfScanAspect {
                key: reference.to_owned(),
            }),
        }
    }

    /// The HRM stage, for a scan-stage source.
    pub fn stage(&self) -> Option<Stage> {
        match self {
            Source::ScanStage { stage, .. } => Some(*stage),
            _ => None,
        }
    }
}

/// An action's source as typed: its kind and the round and stage (scan stages) or the key
/// (`YEAR:SCOPE:INDICATOR` for indicators, `SCAN:ASPECT` for self-scan aspects).
#[derive(Debug, Clone, Default)]
pub struct SourceDraft {
    pub kind: String,
    pub round_id: String,
    pub stage: String,
    pub key: String,
}

impl SourceDraft {
    /// The source, as far as it can be checked without stored data (whether the round or the
    /// programme exists is the application's to check).
    pub fn parse(&self) -> Result<Source, FieldError> {
        let bad = FieldError::new("source", "source-invalid");
        let key = || {
            let k = self.key.trim();
            (!k.is_empty() && k.len() <= 100)
                .then(|| k.to_owned())
                .ok_or(bad)
        };
        match SourceKind::parse(self.kind.trim()).ok_or(bad)? {
            SourceKind::ScanStage => {
                let stage = Stage::parse(self.stage.trim())
                    .ok_or(FieldError::new("source", "stage-invalid"))?;
                let round_id = self.round_id.trim();
                if !crate::is_id(round_id) {
                    return Err(FieldError::new("source", "round-unknown"));
                }
                Ok(Source::ScanStage {
                    round_id: round_id.to_owned(),
                    stage,
                })
            }
            SourceKind::Indicator => {
                let k = key()?;
                if crate::vision::indicator::parse_action_reference(&k).is_none() {
                    return Err(FieldError::new("source", "indicator-reference-invalid"));
                }
                Ok(Source::Indicator { key: k })
            }
            SourceKind::SelfScanAspect => {
                let k = key()?;
                if crate::vision::selfscan::parse_action_reference(&k).is_none() {
                    return Err(FieldError::new("source", "self-scan-reference-invalid"));
                }
                Ok(Source::SelfScanAspect { key: k })
            }
        }
    }
}

/// An action as typed (a form or an API body).
#[derive(Debug, Clone, Default)]
pub struct ActionDraft {
    pub title: String,
    /// Keys of the items it improves (scan items, or free keys of at most 100 characters).
    pub items: Vec<String>,
    /// Empty: no owner.
    pub owner_email: String,
    /// Empty: no deadline.
    pub due_on: String,
    /// Empty: planned.
    pub status: String,
    pub notes: String,
}

/// An action whose own fields are right (the owner and the items are the application's to
/// look up).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedAction {
    pub title: String,
    pub items: Vec<String>,
    pub owner_email: Option<String>,
    pub due_on: Option<String>,
    pub status: ActionStatus,
    pub notes: String,
}

impl ActionDraft {
    /// Check the fields; the problems are added to those the caller found (`known`), so every
    /// problem is reported at once.
    pub fn parse(&self, known: Vec<FieldError>) -> Result<CheckedAction, Vec<FieldError>> {
        let mut errors = known;
        let title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() || title.chars().count() > 200 {
            errors.push(FieldError::new("title", "required"));
        }
        let mut items: Vec<String> = self
            .items
            .iter()
            .map(|i| i.trim().to_owned())
            .filter(|i| !i.is_empty())
            .collect();
        items.dedup();
        let due_on = match self.due_on.trim() {
            "" => None,
            d => match crate::time::parse_date(d) {
                Some(d) => Some(d.to_string()),
                None => {
                    errors.push(FieldError::new("due_on", "date-invalid"));
                    None
                }
            },
        };
        let status = match self.status.trim() {
            "" => ActionStatus::Planned,
            s => ActionStatus::parse(s).unwrap_or_else(|| {
                errors.push(FieldError::new("status", "status-invalid"));
                ActionStatus::Planned
            }),
        };
        if self.notes.chars().count() > 4000 {
            errors.push(FieldError::new("notes", "too-long"));
        }
        let owner = self.owner_email.trim();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CheckedAction {
            title,
            items,
            owner_email: (!owner.is_empty()).then(|| owner.to_owned()),
            due_on,
            status,
            notes: self.notes.trim().to_owned(),
        })
    }
}

/// An open action whose deadline has passed.
pub fn is_overdue(status: ActionStatus, due_on: Option<Date>, today: Date) -> bool {
    status.is_open() && due_on.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_round_trip_through_their_stored_parts() {
        let sources = [
            Source::ScanStage {
                round_id: "r1".into(),
                stage: Stage::Guidance,
            },
            Source::Indicator {
                key: "intake-in-time".into(),
            },
            Source::SelfScanAspect {
                key: "vision".into(),
            },
        ];
        for s in sources {
            assert_eq!(
                Source::from_parts(s.kind().key(), &s.reference()),
                Some(s.clone())
            );
        }
        assert_eq!(Source::from_parts("scan_stage", "r1:hiring"), None);
        assert_eq!(Source::from_parts("scan_stage", "r1"), None);
        assert_eq!(Source::from_parts("survey", "x"), None);
    }

    #[test]
    fn only_open_actions_past_their_deadline_are_overdue() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let today = d("2026-11-29");
        assert!(is_overdue(
            ActionStatus::Planned,
            Some(d("2026-11-28")),
            today
        ));
        assert!(is_overdue(
            ActionStatus::Doing,
            Some(d("2026-01-01")),
            today
        ));
        assert!(!is_overdue(ActionStatus::Doing, Some(today), today));
        assert!(!is_overdue(
            ActionStatus::Done,
            Some(d("2026-01-01")),
            today
        ));
        assert!(!is_overdue(
            ActionStatus::Dropped,
            Some(d("2026-01-01")),
            today
        ));
        assert!(!is_overdue(ActionStatus::Planned, None, today));
    }
}
