//! Improvement actions: what an institution decides to improve and follows up. An action has a
//! source — a stage of an HRM-scan round, an indicator of the LOB vision, or an aspect of a
//! programme team's self-scan — so one model serves every quality cycle.

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
