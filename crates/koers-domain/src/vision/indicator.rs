//! Live indicators of the LOB vision: what Koers computes from its own data, the target an
//! institution sets, and the status that follows (on track, at risk, off track).
//!
//! Values are kept as a numerator and a denominator at the finest grain (programme and cohort),
//! so the totals per programme and for the institution are exact sums, not averages of
//! averages ([`roll_up`]).

use super::Theme;
use std::collections::BTreeMap;

crate::keyed_enum! {
    /// The indicators, by stable key (used in the API, in targets and in actions).
    pub enum Indicator {
        /// Share of a cohort with the intake conversation held within the intake window.
        IntakeInTime = "intake_in_time",
        /// Held guidance conversations per enrolled student in the year.
        ConversationsPerStudent = "conversations_per_student",
        /// Share of students whose specialisation deadline fell in the year with the
        /// specialisation conversation held before it.
        SpecialisationGuided = "specialisation_guided",
        /// Share of students who left in the year with an outflow conversation held.
        OutflowGuided = "outflow_guided",
        /// Share of students with two or more self-assessments whose last is higher than their
        /// first (assessments up to the end of the year, at least one in the year).
        SelfAssessmentGrowth = "self_assessment_growth",
        /// Gaps in a programme's learning line (competences never introduced or mastered, years
        /// and phases without an activity); for the institution, the mean per programme.
        LearningLineGaps = "learning_line_gaps",
        /// Share of placement LOB tasks due in the year that are assessed as done.
        PlacementTasksCompleted = "placement_tasks_completed",
        /// Needs of partner schools raised in the year that no offer covers.
        FieldNeedsUncovered = "field_needs_uncovered",
        /// Share of staff whose development plan is up to date at the end of the year (or today).
        StaffPlansUpToDate = "staff_plans_up_to_date",
        /// HRM-scan score per stage (0–100 points, as on the round's page), of the latest round
        /// closed by the end of the year.
        HrmRecruitment = "hrm_scan_recruitment",
        HrmAppointment = "hrm_scan_appointment",
        HrmGuidance = "hrm_scan_guidance",
        HrmAppraisal = "hrm_scan_appraisal",
    }
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Higher,
    Lower,
}

/// How a value is read and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A share (0–1), shown as a percentage.
    Share,
    /// A rate per student, with one decimal.
    PerStudent,
    /// A number of things (the denominator is not used).
    Count,
    /// A number per programme (for one programme: its number).
    PerProgramme,
    /// A score on the 0–100 point scale of the HRM scan.
    Score,
}

/// Whose data an indicator is about: HR advisers read the staff indicators only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Students,
    Staff,
    Field,
}

crate::keyed_enum! {
    pub enum Status {
        OnTrack = "on_track",
        AtRisk = "at_risk",
        OffTrack = "off_track",
    }
}

impl Indicator {
    pub fn theme(self) -> Theme {
        use Indicator::*;
        match self {
            IntakeInTime => Theme::Intake,
            ConversationsPerStudent => Theme::ForEveryone,
            SpecialisationGuided => Theme::Specialisation,
            OutflowGuided => Theme::Outflow,
            SelfAssessmentGrowth => Theme::Progress,
            LearningLineGaps => Theme::LearningLine,
            PlacementTasksCompleted => Theme::FieldAlignment,
            FieldNeedsUncovered => Theme::Professionalisation,
            StaffPlansUpToDate | HrmRecruitment | HrmAppointment | HrmGuidance | HrmAppraisal => {
                Theme::StaffDevelopment
            }
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            Indicator::LearningLineGaps | Indicator::FieldNeedsUncovered => Direction::Lower,
            _ => Direction::Higher,
        }
    }

    pub fn unit(self) -> Unit {
        use Indicator::*;
        match self {
            ConversationsPerStudent => Unit::PerStudent,
            LearningLineGaps => Unit::PerProgramme,
            FieldNeedsUncovered => Unit::Count,
            HrmRecruitment | HrmAppointment | HrmGuidance | HrmAppraisal => Unit::Score,
            _ => Unit::Share,
        }
    }

    pub fn audience(self) -> Audience {
        use Indicator::*;
        match self {
            StaffPlansUpToDate | HrmRecruitment | HrmAppointment | HrmGuidance | HrmAppraisal => {
                Audience::Staff
            }
            FieldNeedsUncovered => Audience::Field,
            _ => Audience::Students,
        }
    }

    /// Whether values exist per programme (and cohort); the others are institution-wide only.
    pub fn per_programme(self) -> bool {
        self.audience() == Audience::Students || self == Indicator::PlacementTasksCompleted
    }

    /// The indicators that show whether an ambition of a theme is carried out.
    pub fn of_theme(theme: Theme) -> impl Iterator<Item = Indicator> {
        Indicator::ALL
            .iter()
            .copied()
            .filter(move |i| i.theme() == theme)
    }

    /// Whether a target is a sensible value for this indicator.
    pub fn valid_target(self, target: f64) -> bool {
        target.is_finite()
            && match self.unit() {
                Unit::Share => (0.0..=1.0).contains(&target),
                Unit::PerStudent => (0.0..=50.0).contains(&target),
                Unit::Count => (0.0..=100_000.0).contains(&target) && target.fract() == 0.0,
                Unit::PerProgramme => (0.0..=1000.0).contains(&target),
                Unit::Score => (0.0..=100.0).contains(&target),
            }
    }

    /// How far from the target a value may be and still be "at risk" rather than "off track".
    pub fn margin(self, target: f64) -> f64 {
        match self.unit() {
            Unit::Share => 0.10,
            Unit::PerStudent => (target * 0.2).max(0.1),
            Unit::Count | Unit::PerProgramme => (target * 0.5).max(2.0),
            Unit::Score => 5.0,
        }
    }

    /// The target to hold a value against on a day of the year: rates per student build up
    /// over the year, so while it runs they are held against the part of the target due by
    /// then; every other target holds all year.
    pub fn target_by(self, target: f64, year: i16, as_of: jiff::civil::Date) -> f64 {
        let (start, end) = year_bounds(year);
        if self.unit() != Unit::PerStudent || as_of >= end {
            return target;
        }
        let days = |a: jiff::civil::Date, b: jiff::civil::Date| {
            a.until(b).map_or(0, |s| s.get_days()) as f64
        };
        let part = ((days(start, as_of) + 1.0) / (days(start, end) + 1.0)).clamp(0.0, 1.0);
        target * part
    }

    /// The status of a value against a target.
    pub fn status(self, value: f64, target: f64) -> Status {
        let shortfall = match self.direction() {
            Direction::Higher => target - value,
            Direction::Lower => value - target,
        };
        // Values are stored as floating-point quotients: compare with a small tolerance, so
        // 0.8 of 10 students against a target of 0.8 is on track.
        if shortfall <= 1e-9 {
            Status::OnTrack
        } else if shortfall <= self.margin(target) + 1e-9 {
            Status::AtRisk
        } else {
            Status::OffTrack
        }
    }

    /// A value as people read it: "80%", "2,5", "3", "3,8" (Dutch) or "2.5" (English).
    pub fn format(self, value: f64, decimal_comma: bool) -> String {
        let s = match self.unit() {
            Unit::Share => return format!("{}%", (value * 100.0).round() as i64),
            Unit::Count | Unit::Score => return format!("{}", value.round() as i64),
            Unit::PerProgramme if value.fract() == 0.0 => return format!("{}", value as i64),
            Unit::PerStudent | Unit::PerProgramme => format!("{value:.1}"),
        };
        if decimal_comma {
            s.replace('.', ",")
        } else {
            s
        }
    }
}

/// The fraction behind a value. For counts only the numerator is meaningful.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Fraction {
    pub numerator: f64,
    pub denominator: f64,
}

impl Fraction {
    pub fn new(numerator: f64, denominator: f64) -> Fraction {
        Fraction {
            numerator,
            denominator,
        }
    }

    /// The value, or `None` when nothing was counted (no students in the group).
    pub fn value(self, unit: Unit) -> Option<f64> {
        match unit {
            Unit::Count => Some(self.numerator),
            _ if self.denominator > 0.0 => Some(self.numerator / self.denominator),
            _ => None,
        }
    }

    fn add(&mut self, other: Fraction) {
        self.numerator += other.numerator;
        self.denominator += other.denominator;
    }
}

/// Where a value belongs: the institution (`programme` empty), a programme (`cohort` 0), or a
/// cohort of a programme.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grain {
    pub indicator: Indicator,
    pub programme: String,
    pub cohort: i64,
}

/// Add programme totals and the institution total to values at the finest grain. Values
/// already at a coarser grain (institution-wide indicators) are kept as they are.
pub fn roll_up(fine: impl IntoIterator<Item = (Grain, Fraction)>) -> BTreeMap<Grain, Fraction> {
    let mut out: BTreeMap<Grain, Fraction> = BTreeMap::new();
    for (g, f) in fine {
        let cohort_level = !g.programme.is_empty() && g.cohort != 0;
        let programme_level = !g.programme.is_empty();
        out.entry(g.clone()).or_default().add(f);
        if cohort_level {
            out.entry(Grain {
                cohort: 0,
                ..g.clone()
            })
            .or_default()
            .add(f);
        }
        if programme_level {
            out.entry(Grain {
                indicator: g.indicator,
                programme: String::new(),
                cohort: 0,
            })
            .or_default()
            .add(f);
        }
    }
    out
}

crate::keyed_enum! {
    /// The period a value covers: the academic year, or one of its semesters (1 September –
    /// 31 January, 1 February – 31 August).
    pub enum Period {
        Year = "year",
        Semester1 = "s1",
        Semester2 = "s2",
    }
}

/// The semester of a date within its academic year.
pub fn semester(d: jiff::civil::Date) -> Period {
    if d.month() >= 9 || d.month() == 1 {
        Period::Semester1
    } else {
        Period::Semester2
    }
}

/// The first and last day of an academic year.
pub fn year_bounds(year: i16) -> (jiff::civil::Date, jiff::civil::Date) {
    (
        jiff::civil::date(year, 9, 1),
        jiff::civil::date(year + 1, 8, 31),
    )
}

/// The day an indicator of a year is computed for: the year's last day, or today while the year
/// is running. `None` for a year that has not started.
pub fn as_of(year: i16, today: jiff::civil::Date) -> Option<jiff::civil::Date> {
    let (start, end) = year_bounds(year);
    if today < start {
        None
    } else {
        Some(end.min(today))
    }
}

/// Whether a student's intake conversation was in time: held within `days` of the start date.
pub fn in_time(start: jiff::civil::Date, first_held: Option<jiff::civil::Date>, days: u32) -> bool {
    first_held.is_some_and(|h| h <= start.saturating_add(jiff::Span::new().days(days as i64)))
}

/// The reference of an improvement action on an indicator in a year and scope (programme id,
/// or empty for the institution): `YEAR:SCOPE:INDICATOR`, so the actions of a year share the
/// prefix `YEAR:`.
pub fn action_reference(year: i16, scope: &str, i: Indicator) -> String {
    format!("{year}:{scope}:{}", i.key())
}

/// The year, scope and indicator of an action reference.
pub fn parse_action_reference(r: &str) -> Option<(i16, &str, Indicator)> {
    let mut parts = r.splitn(3, ':');
    let year = parts.next()?.parse().ok()?;
    let scope = parts.next()?;
    let indicator = Indicator::parse(parts.next()?)?;
    Some((year, scope, indicator))
}

/// The smallest group for which progression outcomes are shown.
pub const MIN_GROUP: u64 = 10;

crate::keyed_enum! {
    /// Where a student is now, from the outflow record.
    pub enum Outcome {
        Enrolled = "enrolled",
        Graduated = "graduated",
        Switched = "switched",
        DroppedOut = "dropped_out",
    }
}

impl Outcome {
    /// From an outflow reason (`graduated`, `switched`, `stopped`, `other`), or none.
    pub fn of(reason: Option<&str>) -> Outcome {
        match reason {
            None => Outcome::Enrolled,
            Some("graduated") => Outcome::Graduated,
            Some("switched") => Outcome::Switched,
            Some(_) => Outcome::DroppedOut,
        }
    }
}

/// Progression outcomes of one group (guidance in time, or late/missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcomes {
    pub enrolled: u64,
    pub graduated: u64,
    pub switched: u64,
    pub dropped_out: u64,
}

impl Outcomes {
    pub fn add(&mut self, o: Outcome, n: u64) {
        match o {
            Outcome::Enrolled => self.enrolled += n,
            Outcome::Graduated => self.graduated += n,
            Outcome::Switched => self.switched += n,
            Outcome::DroppedOut => self.dropped_out += n,
        }
    }

    pub fn total(&self) -> u64 {
        self.enrolled + self.graduated + self.switched + self.dropped_out
    }

    /// Whether the group is large enough to show.
    pub fn shown(&self) -> bool {
        self.total() >= MIN_GROUP
    }

    /// The share (0–100, rounded) of an outcome, for a group large enough to show.
    pub fn percent(&self, o: Outcome) -> Option<u32> {
        let n = match o {
            Outcome::Enrolled => self.enrolled,
            Outcome::Graduated => self.graduated,
            Outcome::Switched => self.switched,
            Outcome::DroppedOut => self.dropped_out,
        };
        self.shown()
            .then(|| ((n as f64 / self.total() as f64) * 100.0).round() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(i: Indicator, p: &str, c: i64) -> Grain {
        Grain {
            indicator: i,
            programme: p.into(),
            cohort: c,
        }
    }

    #[test]
    fn totals_are_sums_of_fractions_not_means_of_means() {
        // Programme A: cohort 2025 3 of 4 in time, cohort 2026 1 of 1; programme B: 0 of 5.
        let fine = [
            (
                g(Indicator::IntakeInTime, "A", 2025),
                Fraction::new(3.0, 4.0),
            ),
            (
                g(Indicator::IntakeInTime, "A", 2026),
                Fraction::new(1.0, 1.0),
            ),
            (
                g(Indicator::IntakeInTime, "B", 2026),
                Fraction::new(0.0, 5.0),
            ),
            (g(Indicator::HrmGuidance, "", 0), Fraction::new(62.5, 1.0)),
        ];
        let all = roll_up(fine);
        let v = |p: &str, c| all[&g(Indicator::IntakeInTime, p, c)].value(Unit::Share);
        assert_eq!(v("A", 0), Some(0.8)); // 4 of 5, not (0.75 + 1) / 2
        assert_eq!(v("B", 0), Some(0.0));
        assert_eq!(v("", 0), Some(0.4)); // 4 of 10
        assert_eq!(
            all[&g(Indicator::HrmGuidance, "", 0)].value(Unit::Score),
            Some(62.5)
        );
        assert_eq!(all.len(), 7);
        assert_eq!(Fraction::new(0.0, 0.0).value(Unit::Share), None);
        assert_eq!(Fraction::new(4.0, 0.0).value(Unit::Count), Some(4.0));
    }

    #[test]
    fn status_follows_direction_and_margin() {
        let i = Indicator::IntakeInTime;
        assert_eq!(i.status(0.8, 0.8), Status::OnTrack);
        assert_eq!(i.status(0.95, 0.8), Status::OnTrack);
        assert_eq!(i.status(0.70, 0.8), Status::AtRisk);
        assert_eq!(i.status(0.69, 0.8), Status::OffTrack);
        let gaps = Indicator::LearningLineGaps;
        assert_eq!(gaps.status(0.0, 0.0), Status::OnTrack);
        assert_eq!(gaps.status(2.0, 0.0), Status::AtRisk);
        assert_eq!(gaps.status(3.0, 0.0), Status::OffTrack);
        let rate = Indicator::ConversationsPerStudent;
        assert_eq!(rate.status(1.6, 2.0), Status::AtRisk);
        assert_eq!(rate.status(1.5, 2.0), Status::OffTrack);
        let hrm = Indicator::HrmGuidance;
        assert_eq!(hrm.status(75.0, 80.0), Status::AtRisk);
        assert_eq!(hrm.status(74.9, 80.0), Status::OffTrack);
    }

    #[test]
    fn targets_are_checked_per_unit() {
        assert!(Indicator::IntakeInTime.valid_target(0.9));
        assert!(!Indicator::IntakeInTime.valid_target(90.0));
        assert!(!Indicator::FieldNeedsUncovered.valid_target(1.5));
        assert!(Indicator::LearningLineGaps.valid_target(1.5));
        assert!(!Indicator::HrmGuidance.valid_target(101.0));
        assert!(!Indicator::ConversationsPerStudent.valid_target(f64::NAN));
    }

    #[test]
    fn values_read_as_people_expect() {
        assert_eq!(Indicator::IntakeInTime.format(0.8049, true), "80%");
        assert_eq!(Indicator::ConversationsPerStudent.format(2.25, true), "2,2");
        assert_eq!(Indicator::ConversationsPerStudent.format(2.5, false), "2.5");
        assert_eq!(Indicator::LearningLineGaps.format(3.0, true), "3");
        assert_eq!(Indicator::LearningLineGaps.format(43.0 / 3.0, true), "14,3");
    }

    #[test]
    fn every_theme_has_an_indicator() {
        for t in Theme::ALL {
            assert!(Indicator::of_theme(*t).next().is_some(), "{t:?}");
        }
    }

    #[test]
    fn years_semesters_and_the_day_computed_for() {
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        assert_eq!(semester(d("2026-09-01")), Period::Semester1);
        assert_eq!(semester(d("2027-01-31")), Period::Semester1);
        assert_eq!(semester(d("2027-02-01")), Period::Semester2);
        assert_eq!(as_of(2025, d("2026-12-04")), Some(d("2026-08-31")));
        assert_eq!(as_of(2026, d("2026-12-04")), Some(d("2026-12-04")));
        assert_eq!(as_of(2027, d("2026-12-04")), None);
        assert!(in_time(d("2026-09-01"), Some(d("2026-10-13")), 42));
        assert!(!in_time(d("2026-09-01"), Some(d("2026-10-14")), 42));
        assert!(!in_time(d("2026-09-01"), None, 42));
    }

    #[test]
    fn rates_are_held_against_the_part_of_the_target_due_so_far() {
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        let rate = Indicator::ConversationsPerStudent;
        // 1 September to 31 August is 365 days; by 1 March (day 182) about half is due.
        let half = rate.target_by(2.0, 2026, d("2027-03-01"));
        assert!((half - 2.0 * 182.0 / 365.0).abs() < 1e-9, "{half}");
        assert_eq!(rate.target_by(2.0, 2026, d("2027-08-31")), 2.0);
        assert_eq!(
            Indicator::IntakeInTime.target_by(0.9, 2026, d("2026-10-01")),
            0.9
        );
    }

    #[test]
    fn action_references_round_trip() {
        let r = action_reference(2026, "", Indicator::IntakeInTime);
        assert_eq!(r, "2026::intake_in_time");
        assert_eq!(
            parse_action_reference(&r),
            Some((2026, "", Indicator::IntakeInTime))
        );
        assert_eq!(
            parse_action_reference("2025:P1:outflow_guided"),
            Some((2025, "P1", Indicator::OutflowGuided))
        );
        assert_eq!(parse_action_reference("2025:P1:weather"), None);
        assert_eq!(parse_action_reference("x::outflow_guided"), None);
    }

    #[test]
    fn progression_groups_under_ten_are_not_shown() {
        let mut o = Outcomes::default();
        o.add(Outcome::of(None), 6);
        o.add(Outcome::of(Some("graduated")), 2);
        o.add(Outcome::of(Some("stopped")), 1);
        assert!(!o.shown());
        assert_eq!(o.percent(Outcome::Enrolled), None);
        o.add(Outcome::of(Some("switched")), 1);
        assert_eq!(o.total(), 10);
        assert_eq!(o.percent(Outcome::Enrolled), Some(60));
        assert_eq!(o.percent(Outcome::DroppedOut), Some(10));
    }
}
