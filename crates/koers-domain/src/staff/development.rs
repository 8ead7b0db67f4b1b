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
    // A date after today (a report written ahead of a conversation's planned time) does not count.
    let Some(last) = agreed_on
        .into_iter()
        .chain(last_conversation_on)
        .filter(|d| *d <= today)
        .max()
    else {
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

/// What the team report needs of one person (as employee, and as counsellor of students).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonFigures {
    pub plan_status: Option<PlanStatus>,
    pub plan_agreed_on: Option<Date>,
    /// The last held career conversation about this person.
    pub last_career_conversation_on: Option<Date>,
    /// Mean score of each career-competency self-assessment, oldest first.
    pub self_assessment_means: Vec<f64>,
    /// Students whose counsellor this person is, and of them those with a phase overdue.
    pub caseload: i64,
    pub caseload_overdue: i64,
    /// Student guidance conversations this person held in the last year.
    pub student_conversations: i64,
}

/// One team's row of the "practice what you preach" report: aggregates only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamFigures {
    pub members: usize,
    /// Own development: plans up to date, a career conversation in the last year, and of those
    /// who did the self-assessment at least twice, how many grew.
    pub plans_up_to_date: usize,
    pub career_conversations: usize,
    pub assessed_twice: usize,
    pub grew: usize,
    /// Guidance given to students: members with a caseload, its size, students without an
    /// overdue phase, and student conversations held in the last year.
    pub counsellors: usize,
    pub caseload: i64,
    pub caseload_on_time: i64,
    pub student_conversations: i64,
}

impl TeamFigures {
    pub fn plans_percent(&self) -> Option<u32> {
        percent(self.plans_up_to_date, self.members)
    }
    pub fn conversations_percent(&self) -> Option<u32> {
        percent(self.career_conversations, self.members)
    }
    pub fn grew_percent(&self) -> Option<u32> {
        percent(self.grew, self.assessed_twice)
    }
    pub fn on_time_percent(&self) -> Option<u32> {
        percent(self.caseload_on_time as usize, self.caseload as usize)
    }
}

/// Add up a team's people.
pub fn team_figures(people: &[PersonFigures], today: Date) -> TeamFigures {
    let mut t = TeamFigures {
        members: people.len(),
        ..TeamFigures::default()
    };
    for p in people {
        if let Some(status) = p.plan_status
            && plan_up_to_date(
                status,
                p.plan_agreed_on,
                p.last_career_conversation_on,
                today,
            )
        {
            t.plans_up_to_date += 1;
        }
        if p.last_career_conversation_on.is_some_and(|d| {
            d.until((Unit::Day, today))
                .is_ok_and(|s| (0..=365).contains(&s.get_days()))
        }) {
            t.career_conversations += 1;
        }
        if let Some(g) = grew(&p.self_assessment_means) {
            t.assessed_twice += 1;
            t.grew += usize::from(g);
        }
        if p.caseload > 0 {
            t.counsellors += 1;
            t.caseload += p.caseload;
            t.caseload_on_time += p.caseload - p.caseload_overdue;
        }
        t.student_conversations += p.student_conversations;
    }
    t
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
        // A conversation dated in the future does not hide a recent agreement.
        assert!(plan_up_to_date(
            PlanStatus::Agreed,
            Some(today),
            Some(d("2027-01-14")),
            today
        ));
    }

    #[test]
    fn team_figures_by_hand() {
        let today = d("2026-11-29");
        let people = [
            // Up to date, conversation this year, grew; counsellor of 100 with 10 overdue.
            PersonFigures {
                plan_status: Some(PlanStatus::Agreed),
                plan_agreed_on: Some(d("2026-10-01")),
                last_career_conversation_on: Some(d("2026-10-01")),
                self_assessment_means: vec![3.0, 3.5],
                caseload: 100,
                caseload_overdue: 10,
                student_conversations: 120,
            },
            // Agreed two years ago, no conversation: not up to date; did not grow.
            PersonFigures {
                plan_status: Some(PlanStatus::Agreed),
                plan_agreed_on: Some(d("2024-11-01")),
                self_assessment_means: vec![4.0, 3.5],
                ..Default::default()
            },
            // A draft and one self-assessment; counsellor of 50, none overdue.
            PersonFigures {
                plan_status: Some(PlanStatus::Draft),
                self_assessment_means: vec![2.0],
                caseload: 50,
                student_conversations: 30,
                ..Default::default()
            },
            // Nothing at all.
            PersonFigures::default(),
        ];
        let t = team_figures(&people, today);
        assert_eq!(
            t,
            TeamFigures {
                members: 4,
                plans_up_to_date: 1,
                career_conversations: 1,
                assessed_twice: 2,
                grew: 1,
                counsellors: 2,
                caseload: 150,
                caseload_on_time: 140,
                student_conversations: 150,
            }
        );
        assert_eq!(t.plans_percent(), Some(25));
        assert_eq!(t.grew_percent(), Some(50));
        // 140 / 150 = 93.3 %
        assert_eq!(t.on_time_percent(), Some(93));
        assert_eq!(team_figures(&[], today).plans_percent(), None);
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
