//! Staff career development: the development plan (POP) with goals linked to competences of
//! any framework, planned professional development and progress; when a plan counts as up to
//! date; and the team figures of the "practice what you preach" report.

use jiff::civil::Date;
use jiff::{ToSpan, Unit};

crate::keyed_enum! {
    /// A plan is written by the employee (draft) and agreed with the line manager.
    pub enum PlanStatus {
        Draft = "draft",
        Agreed = "agreed",
    }
}

crate::keyed_enum! {
    pub enum GoalStatus {
        Planned = "planned",
        Doing = "doing",
        Achieved = "achieved",
        Dropped = "dropped",
    }
}

crate::keyed_enum! {
    /// Planned professional development (a course, training, coaching, …).
    pub enum ActivityStatus {
        Planned = "planned",
        Done = "done",
    }
}

crate::keyed_enum! {
    pub enum ItemKind {
        Goal = "goal",
        Activity = "activity",
    }
}

crate::keyed_enum! {
    pub enum AppraisalStatus {
        Draft = "draft",
        Final = "final",
    }
}

/// A plan stays up to date for this many days after it was last agreed or discussed.
pub const PLAN_VALID_DAYS: i64 = 365;

/// A competence of a framework, written `FRAMEWORK_KEY/COMPETENCE_KEY`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CompetenceRef {
    pub framework: String,
    pub competence: String,
}

impl CompetenceRef {
    pub fn parse(s: &str) -> Option<CompetenceRef> {
        let (f, c) = s.trim().split_once('/')?;
        let ok = |x: &str| {
            !x.is_empty()
                && x.len() <= 80
                && x.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' || ch == '.')
        };
        (ok(f) && ok(c)).then(|| CompetenceRef {
            framework: f.to_owned(),
            competence: c.to_owned(),
        })
    }

    pub fn key(&self) -> String {
        format!("{}/{}", self.framework, self.competence)
    }
}

/// Whether a plan is up to date on `today`: agreed, and agreed or discussed in a held career
/// conversation within [`PLAN_VALID_DAYS`].
pub fn plan_up_to_date(
    status: PlanStatus,
    agreed_on: Option<Date>,
    last_conversation_on: Option<Date>,
    today: Date,
) -> bool {
    if status != PlanStatus::Agreed {
        return false;
    }
    let Some(last) = agreed_on.into_iter().chain(last_conversation_on).max() else {
        return false;
    };
    let days = last
        .until((Unit::Day, today))
        .map(|s| s.get_days() as i64)
        .unwrap_or(i64::MAX);
    (0..=PLAN_VALID_DAYS).contains(&days)
}

/// The date a first development plan is due for someone appointed on `starts_on`.
pub fn first_plan_due(starts_on: Date, within_days: i64) -> Date {
    starts_on
        .checked_add(within_days.days())
        .unwrap_or(starts_on)
}

/// Whether a person's self-assessments grew: the mean of the last is higher than the mean of
/// the first. `None` with fewer than two.
pub fn grew(means: &[f64]) -> Option<bool> {
    match means {
        [first, .., last] => Some(last > first),
        _ => None,
    }
}

/// The mean of a self-assessment's scores per competency.
pub fn mean(scores: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (n, sum) = scores
        .into_iter()
        .fold((0usize, 0.0), |(n, s), v| (n + 1, s + v));
    (n > 0).then(|| sum / n as f64)
}

/// A share as a whole percentage, `None` when there is nothing to count.
pub fn percent(part: usize, whole: usize) -> Option<u32> {
    (whole > 0).then(|| ((part as f64 / whole as f64) * 100.0).round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_plan_is_up_to_date_for_a_year_after_agreement_or_discussion() {
        let today = d("2026-11-29");
        assert!(plan_up_to_date(
            PlanStatus::Agreed,
            Some(d("2026-01-10")),
            None,
            today
        ));
        // 365 days back is still in time, 366 is not.
        assert!(plan_up_to_date(
            PlanStatus::Agreed,
            Some(d("2025-11-29")),
            None,
            today
        ));
        assert!(!plan_up_to_date(
            PlanStatus::Agreed,
            Some(d("2025-11-28")),
            None,
            today
        ));
        // A career conversation this year keeps an older agreed plan up to date.
        assert!(plan_up_to_date(
            PlanStatus::Agreed,
            Some(d("2024-03-01")),
            Some(d("2026-06-01")),
            today
        ));
        // A draft never counts, however recent.
        assert!(!plan_up_to_date(
            PlanStatus::Draft,
            Some(today),
            Some(today),
            today
        ));
        assert!(!plan_up_to_date(PlanStatus::Agreed, None, None, today));
    }

    #[test]
    fn competence_refs_name_a_framework_and_a_competence() {
        let c = CompetenceRef::parse("counsellor-profile/conversation").unwrap();
        assert_eq!(c.framework, "counsellor-profile");
        assert_eq!(c.key(), "counsellor-profile/conversation");
        for bad in ["", "x", "/c", "f/", "f/c d", "f/<b>"] {
            assert_eq!(CompetenceRef::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn growth_compares_the_first_and_the_last_self_assessment() {
        assert_eq!(grew(&[]), None);
        assert_eq!(grew(&[3.0]), None);
        assert_eq!(grew(&[3.0, 2.0, 3.5]), Some(true));
        assert_eq!(grew(&[3.0, 4.0, 3.0]), Some(false));
        assert_eq!(mean([2.0, 3.0, 4.0]), Some(3.0));
        assert_eq!(mean([]), None);
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(0, 0), None);
        assert_eq!(first_plan_due(d("2026-09-01"), 90), d("2026-11-30"));
    }
}
