//! The four phases of career guidance and the status of each for one student.
//!
//! A programme configures the expected guidance moments per phase ([`MomentRule`]); the status
//! of a phase follows from those rules, the student's dates and the conversations held.

use jiff::ToSpan;
use jiff::civil::Date;

/// A phase of the student's route through the programme.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Intake,
    Progress,
    Specialisation,
    Outflow,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Phase::Intake,
        Phase::Progress,
        Phase::Specialisation,
        Phase::Outflow,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            Phase::Intake => "intake",
            Phase::Progress => "progress",
            Phase::Specialisation => "specialisation",
            Phase::Outflow => "outflow",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.key() == s.trim())
    }

    pub const fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Where a student stands in one phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseStatus {
    /// The expected conversations were held.
    Done,
    /// Expected now, and still in time.
    Due,
    /// Expected, and the moment has passed.
    Overdue,
    /// Not expected yet.
    NotYetDue,
}

impl PhaseStatus {
    pub const ALL: [PhaseStatus; 4] = [
        PhaseStatus::Done,
        PhaseStatus::Due,
        PhaseStatus::Overdue,
        PhaseStatus::NotYetDue,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            PhaseStatus::Done => "done",
            PhaseStatus::Due => "due",
            PhaseStatus::Overdue => "overdue",
            PhaseStatus::NotYetDue => "not_yet_due",
        }
    }
}

/// The expected guidance moments of one phase in a programme.
///
/// - intake: `required` conversations within `days` of the start date;
/// - progress: `required` conversations per academic year, spread evenly over the year, from
///   the end of the intake window;
/// - specialisation: `required` conversations before the choice deadline, `days` after the
///   start date (due from 120 days before it, or once the student is in the phase);
/// - outflow: `required` conversations within `days` of leaving (or of entering the phase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct MomentRule {
    pub phase: Phase,
    pub required: u32,
    pub days: u32,
    /// Whether attending a group session of this phase counts as a conversation.
    pub group_counts: bool,
}

/// How long before the specialisation deadline that phase is due.
pub const SPECIALISATION_LEAD_DAYS: i64 = 120;

impl MomentRule {
    /// The defaults that ship: intake within 6 weeks, two progress conversations a year, one
    /// conversation before the specialisation deadline (1.5 years in), one at outflow.
    pub const fn default_for(phase: Phase) -> MomentRule {
        match phase {
            Phase::Intake => MomentRule {
                phase,
                required: 1,
                days: 42,
                group_counts: false,
            },
            Phase::Progress => MomentRule {
                phase,
                required: 2,
                days: 365,
                group_counts: true,
            },
            Phase::Specialisation => MomentRule {
                phase,
                required: 1,
                days: 540,
                group_counts: false,
            },
            Phase::Outflow => MomentRule {
                phase,
                required: 1,
                days: 42,
                group_counts: false,
            },
        }
    }

    pub fn defaults() -> [MomentRule; 4] {
        Phase::ALL.map(MomentRule::default_for)
    }

    /// Validate a configured rule (from a form or an import).
    pub fn new(
        phase: Phase,
        required: u32,
        days: u32,
        group_counts: bool,
    ) -> Result<MomentRule, crate::FieldError> {
        if !(1..=12).contains(&required) {
            return Err(crate::FieldError::new("required", "required-count-invalid"));
        }
        let max_days = if phase == Phase::Specialisation {
            2000
        } else {
            365
        };
        if phase != Phase::Progress && !(1..=max_days).contains(&days) {
            return Err(crate::FieldError::new("days", "days-invalid"));
        }
        Ok(MomentRule {
            phase,
            required,
            days: if phase == Phase::Progress { 365 } else { days },
            group_counts,
        })
    }
}

/// The first day of the academic year (1 September) that contains `d`.
pub fn academic_year_start(d: Date) -> Date {
    let y = if d.month() >= 9 {
        d.year()
    } else {
        d.year() - 1
    };
    Date::new(y, 9, 1).expect("1 September exists")
}

/// The academic year that contains `d`, named by its first calendar year (2026 for 2026–27).
pub fn academic_year(d: Date) -> i16 {
    academic_year_start(d).year()
}

/// What the status computation needs to know of one student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidanceFacts {
    pub start_date: Date,
    pub current_phase: Phase,
    /// Since when the student is in the current phase.
    pub phase_since: Date,
    /// The day the student left the programme, once outflow is recorded.
    pub left_on: Option<Date>,
    /// Conversations held (and counting group sessions attended) per phase; for progress only
    /// those in the academic year `progress_year`.
    pub held: [u32; 4],
    pub progress_year: i16,
}

/// The status of every phase, in the order of [`Phase::ALL`], on `today`.
pub fn phase_statuses(rules: &[MomentRule; 4], f: &GuidanceFacts, today: Date) -> [PhaseStatus; 4] {
    Phase::ALL.map(|p| phase_status(&rules[p.index()], f, today))
}

fn plus_days(d: Date, days: i64) -> Date {
    d.checked_add(days.days()).unwrap_or(d)
}

/// The status of one phase on `today`.
pub fn phase_status(rule: &MomentRule, f: &GuidanceFacts, today: Date) -> PhaseStatus {
    use PhaseStatus::*;
    // After leaving, the student's route is judged as it stood on the day they left.
    let asof = f.left_on.map_or(today, |l| l.min(today));
    let held = f.held[rule.phase.index()];
    let required = rule.required.max(1);
    match rule.phase {
        Phase::Intake => {
            if held >= required {
                Done
            } else if asof > plus_days(f.start_date, rule.days.into()) {
                Overdue
            } else if asof >= f.start_date {
                Due
            } else {
                NotYetDue
            }
        }
        Phase::Progress => {
            let from = plus_days(
                f.start_date,
                MomentRule::default_for(Phase::Intake).days.into(),
            );
            if asof < from {
                return NotYetDue;
            }
            let year_start = academic_year_start(asof);
            let held = if f.progress_year == year_start.year() {
                held
            } else {
                0
            };
            if held >= required {
                return Done;
            }
            // The k-th moment of the year falls at k/required of the year; moments that
            // fell before the student's progress phase began are not expected.
            let passed = (1..=required)
                .map(|k| plus_days(year_start, i64::from(k) * 365 / i64::from(required) - 1))
                .filter(|point| *point >= from && *point < asof)
                .count() as u32;
            if held < passed { Overdue } else { Due }
        }
        Phase::Specialisation => {
            let deadline = plus_days(f.start_date, rule.days.into());
            if held >= required {
                Done
            } else if asof > deadline {
                Overdue
            } else if asof >= plus_days(deadline, -SPECIALISATION_LEAD_DAYS)
                || f.current_phase == Phase::Specialisation
            {
                Due
            } else {
                NotYetDue
            }
        }
        Phase::Outflow => {
            let since = match (f.left_on, f.current_phase) {
                (Some(l), _) => Some(l),
                (None, Phase::Outflow) => Some(f.phase_since),
                _ => None,
            };
            if held >= required {
                Done
            } else {
                match since {
                    None => NotYetDue,
                    Some(s) if today > plus_days(s, rule.days.into()) => Overdue,
                    Some(_) => Due,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn facts(start: Date, held: [u32; 4]) -> GuidanceFacts {
        GuidanceFacts {
            start_date: start,
            current_phase: Phase::Intake,
            phase_since: start,
            left_on: None,
            held,
            progress_year: 2026,
        }
    }

    #[test]
    fn keys_round_trip() {
        for p in Phase::ALL {
            assert_eq!(Phase::parse(p.key()), Some(p));
        }
        assert_eq!(Phase::parse("zorg"), None);
    }

    #[test]
    fn intake_within_six_weeks() {
        let rules = MomentRule::defaults();
        let f = facts(date(2026, 9, 1), [0; 4]);
        let s = |today| phase_status(&rules[0], &f, today);
        assert_eq!(s(date(2026, 8, 20)), PhaseStatus::NotYetDue);
        assert_eq!(s(date(2026, 9, 1)), PhaseStatus::Due);
        assert_eq!(s(date(2026, 10, 13)), PhaseStatus::Due);
        assert_eq!(s(date(2026, 10, 14)), PhaseStatus::Overdue);
        let done = facts(date(2026, 9, 1), [1, 0, 0, 0]);
        assert_eq!(
            phase_status(&rules[0], &done, date(2027, 1, 1)),
            PhaseStatus::Done
        );
    }

    #[test]
    fn progress_twice_a_year() {
        let rules = MomentRule::defaults();
        let r = &rules[1];
        let mut f = facts(date(2025, 9, 1), [1, 0, 0, 0]);
        // Autumn of the second year: nothing held this year yet, first moment not passed.
        assert_eq!(phase_status(r, &f, date(2026, 11, 29)), PhaseStatus::Due);
        // After the first moment (end of February) with nothing held: overdue.
        assert_eq!(phase_status(r, &f, date(2027, 3, 10)), PhaseStatus::Overdue);
        f.held[1] = 1;
        assert_eq!(phase_status(r, &f, date(2027, 3, 10)), PhaseStatus::Due);
        f.held[1] = 2;
        assert_eq!(phase_status(r, &f, date(2027, 3, 10)), PhaseStatus::Done);
        // Counts of an earlier academic year do not count for this one.
        assert_eq!(phase_status(r, &f, date(2027, 9, 10)), PhaseStatus::Due);
        // A student who only just started is not expected yet.
        let new = facts(date(2026, 9, 1), [0; 4]);
        assert_eq!(
            phase_status(r, &new, date(2026, 9, 20)),
            PhaseStatus::NotYetDue
        );
    }

    #[test]
    fn progress_moments_before_a_late_start_are_not_expected() {
        let rules = MomentRule::defaults();
        let f = facts(date(2027, 2, 1), [1, 0, 0, 0]);
        // Started in February: the end-of-February moment fell in the intake window.
        assert_eq!(
            phase_status(&rules[1], &f, date(2027, 4, 1)),
            PhaseStatus::Due
        );
    }

    #[test]
    fn specialisation_before_the_deadline() {
        let rules = MomentRule::defaults();
        let r = &rules[2];
        let f = facts(date(2025, 9, 1), [1, 2, 0, 0]);
        // Deadline 540 days after 2025-09-01 = 2027-02-23; due from 120 days before.
        assert_eq!(
            phase_status(r, &f, date(2026, 9, 1)),
            PhaseStatus::NotYetDue
        );
        assert_eq!(phase_status(r, &f, date(2026, 11, 1)), PhaseStatus::Due);
        assert_eq!(phase_status(r, &f, date(2027, 3, 1)), PhaseStatus::Overdue);
        let mut g = f.clone();
        g.current_phase = Phase::Specialisation;
        assert_eq!(phase_status(r, &g, date(2026, 9, 1)), PhaseStatus::Due);
        g.held[2] = 1;
        assert_eq!(phase_status(r, &g, date(2027, 3, 1)), PhaseStatus::Done);
    }

    #[test]
    fn outflow_after_leaving() {
        let rules = MomentRule::defaults();
        let r = &rules[3];
        let mut f = facts(date(2023, 9, 1), [1, 2, 1, 0]);
        assert_eq!(
            phase_status(r, &f, date(2026, 1, 1)),
            PhaseStatus::NotYetDue
        );
        f.current_phase = Phase::Outflow;
        f.phase_since = date(2026, 6, 1);
        assert_eq!(phase_status(r, &f, date(2026, 6, 20)), PhaseStatus::Due);
        assert_eq!(phase_status(r, &f, date(2026, 8, 1)), PhaseStatus::Overdue);
        f.left_on = Some(date(2026, 7, 1));
        assert_eq!(phase_status(r, &f, date(2026, 7, 20)), PhaseStatus::Due);
        f.held[3] = 1;
        assert_eq!(phase_status(r, &f, date(2026, 8, 20)), PhaseStatus::Done);
    }

    #[test]
    fn a_student_who_left_is_judged_as_of_leaving() {
        let rules = MomentRule::defaults();
        let mut f = facts(date(2026, 9, 1), [0; 4]);
        f.left_on = Some(date(2026, 9, 20));
        // Left within the intake window: intake stays "due", not "overdue", forever after.
        assert_eq!(
            phase_status(&rules[0], &f, date(2027, 9, 1)),
            PhaseStatus::Due
        );
    }

    #[test]
    fn rules_are_validated() {
        assert!(MomentRule::new(Phase::Intake, 0, 42, false).is_err());
        assert!(MomentRule::new(Phase::Intake, 1, 0, false).is_err());
        assert!(MomentRule::new(Phase::Specialisation, 1, 900, false).is_ok());
        assert_eq!(
            MomentRule::new(Phase::Progress, 3, 0, true).unwrap().days,
            365
        );
    }

    #[test]
    fn academic_years() {
        assert_eq!(academic_year(date(2026, 11, 29)), 2026);
        assert_eq!(academic_year(date(2027, 8, 31)), 2026);
        assert_eq!(academic_year(date(2027, 9, 1)), 2027);
    }
}
