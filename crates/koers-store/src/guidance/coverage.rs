//! Coverage of guidance in a programme: per cohort and phase, how many students are expected
//! to have had their conversations, how many did, and who is missed. Reads one maintained
//! summary row per student.

use super::rules;
use super::students::{Reach, StudentFilter, StudentRecord};
use crate::{Result, Tenant};
use jiff::civil::Date;
use koers_domain::guidance::{Phase, PhaseStatus};

#[derive(Debug, Clone, serde::Serialize)]
pub struct PhaseCoverage {
    pub phase: Phase,
    /// Students for whom the phase is due, overdue or done.
    pub expected: u64,
    pub done: u64,
    pub due: u64,
    pub overdue: u64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CohortCoverage {
    pub cohort_year: i64,
    pub students: u64,
    pub phases: [PhaseCoverage; 4],
}

/// A student who missed a moment (overdue in at least one phase).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Missed {
    pub student_id: String,
    pub name: String,
    pub student_number: String,
    pub cohort_year: i64,
    pub counsellor_name: Option<String>,
    pub phases: Vec<Phase>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Coverage {
    pub total: [PhaseCoverage; 4],
    pub cohorts: Vec<CohortCoverage>,
    pub missed: Vec<Missed>,
}

fn empty() -> [PhaseCoverage; 4] {
    Phase::ALL.map(|phase| PhaseCoverage {
        phase,
        expected: 0,
        done: 0,
        due: 0,
        overdue: 0,
    })
}

fn count(c: &mut [PhaseCoverage; 4], statuses: &[PhaseStatus; 4]) {
    for (pc, s) in c.iter_mut().zip(statuses) {
        match s {
            PhaseStatus::Done => pc.done += 1,
            PhaseStatus::Due => pc.due += 1,
            PhaseStatus::Overdue => pc.overdue += 1,
            PhaseStatus::NotYetDue => continue,
        }
        pc.expected += 1;
    }
}

/// Coverage of a programme (optionally one cohort) on `today`.
pub async fn of_programme(
    t: Tenant<'_>,
    programme_id: &str,
    cohort_year: Option<i64>,
    today: Date,
) -> Result<Coverage> {
    let rules = rules::for_programme(t, programme_id).await?;
    let filter = StudentFilter {
        programme_id: Some(programme_id.to_owned()),
        cohort_year,
        ..Default::default()
    };
    let records: Vec<StudentRecord> =
        super::students::list(t, &Reach::Institution, &filter, 5_000_000, None)
            .await?
            .items;
    let mut total = empty();
    let mut cohorts: std::collections::BTreeMap<i64, CohortCoverage> = Default::default();
    let mut missed = Vec::new();
    for r in &records {
        let st = r.statuses(&rules, today);
        count(&mut total, &st);
        let c = cohorts
            .entry(r.cohort_year)
            .or_insert_with(|| CohortCoverage {
                cohort_year: r.cohort_year,
                students: 0,
                phases: empty(),
            });
        c.students += 1;
        count(&mut c.phases, &st);
        let overdue: Vec<Phase> = Phase::ALL
            .into_iter()
            .filter(|p| st[p.index()] == PhaseStatus::Overdue)
            .collect();
        if !overdue.is_empty() {
            missed.push(Missed {
                student_id: r.id.clone(),
                name: r.name.clone(),
                student_number: r.student_number.clone(),
                cohort_year: r.cohort_year,
                counsellor_name: r.counsellor_name.clone(),
                phases: overdue,
            });
        }
    }
    Ok(Coverage {
        total,
        cohorts: cohorts.into_values().rev().collect(),
        missed,
    })
}
