//! Coverage of guidance in a programme: per cohort and phase, how many students are expected
//! to have had their conversations, how many did, and who is missed. Reads one maintained
//! summary row per student.

use super::rules;
use crate::{Result, Tenant};
use jiff::civil::Date;
use koers_domain::guidance::GuidanceFacts;
use koers_domain::guidance::phase::phase_statuses;
use koers_domain::guidance::{Phase, PhaseStatus};
use sqlx::Row;

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

/// Coverage of a programme (optionally one cohort) on `today`. Reads one lean row per
/// student; names (and counsellors) are looked up for at most `names_for` missed students,
/// the others carry only their id.
pub async fn of_programme(
    t: Tenant<'_>,
    programme_id: &str,
    cohort_year: Option<i64>,
    today: Date,
    names_for: usize,
) -> Result<Coverage> {
    let rules = rules::for_programme(t, programme_id).await?;
    let rows = sqlx::query(
        "SELECT s.id, c.year, s.start_date, s.phase, s.phase_since, s.left_on, g.held_intake, g.held_progress, \
         g.progress_year, g.held_specialisation, g.held_outflow FROM students s JOIN cohorts c ON c.id = s.cohort_id \
         LEFT JOIN guidance_summary g ON g.student_id = s.id \
         WHERE s.institution_id = $1 AND s.programme_id = $2 AND ($3 IS NULL OR c.year = $3)",
    )
    .bind(t.institution_id)
    .bind(programme_id)
    .bind(cohort_year)
    .fetch_all(t.pool())
    .await?;
    let mut total = empty();
    let mut cohorts: std::collections::BTreeMap<i64, CohortCoverage> = Default::default();
    let mut missed = Vec::new();
    let n = |r: &sqlx::any::AnyRow, i: usize| -> Result<u32> {
        Ok(r.try_get::<Option<i64>, _>(i)?.unwrap_or(0).max(0) as u32)
    };
    for r in &rows {
        let year: i64 = r.try_get(1)?;
        let start_s: String = r.try_get(2)?;
        let phase_s: String = r.try_get(3)?;
        let since_s: String = r.try_get(4)?;
        let left: Option<String> = r.try_get(5)?;
        let start = start_s.parse().unwrap_or(Date::constant(2000, 9, 1));
        let facts = GuidanceFacts {
            start_date: start,
            current_phase: Phase::parse(&phase_s).unwrap_or(Phase::Intake),
            phase_since: since_s.parse().unwrap_or(start),
            left_on: left.as_deref().and_then(|d| d.parse().ok()),
            held: [n(r, 6)?, n(r, 7)?, n(r, 9)?, n(r, 10)?],
            progress_year: r.try_get::<Option<i64>, _>(8)?.unwrap_or(0) as i16,
        };
        let st = phase_statuses(&rules, &facts, today);
        count(&mut total, &st);
        let c = cohorts.entry(year).or_insert_with(|| CohortCoverage {
            cohort_year: year,
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
                student_id: r.try_get(0)?,
                name: String::new(),
                student_number: String::new(),
                cohort_year: year,
                counsellor_name: None,
                phases: overdue,
            });
        }
    }
    name_missed(t, &mut missed, names_for).await?;
    Ok(Coverage {
        total,
        cohorts: cohorts.into_values().rev().collect(),
        missed,
    })
}

/// Fill in names, numbers and counsellors of the first `limit` missed students (by name).
async fn name_missed(t: Tenant<'_>, missed: &mut [Missed], limit: usize) -> Result<()> {
    if limit == 0 {
        return Ok(());
    }
    let mut names = std::collections::HashMap::new();
    for chunk in missed.chunks(500) {
        let sql = format!(
            "SELECT s.id, u.name, s.student_number, cu.name, s.family_name, s.given_name FROM students s \
             JOIN users u ON u.id = s.user_id LEFT JOIN users cu ON cu.id = s.counsellor_id \
             WHERE s.institution_id = $1 AND s.id IN ({})",
            crate::platform::users::placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(t.institution_id);
        for m in chunk.iter() {
            q = q.bind(&m.student_id);
        }
        for r in q.fetch_all(t.pool()).await? {
            let id: String = r.try_get(0)?;
            let sort: (String, String) = (r.try_get(4)?, r.try_get(5)?);
            names.insert(
                id,
                (
                    sort,
                    r.try_get::<String, _>(1)?,
                    r.try_get::<String, _>(2)?,
                    r.try_get::<Option<String>, _>(3)?,
                ),
            );
        }
    }
    missed.sort_by(|a, b| {
        let ka = names.get(&a.student_id).map(|n| &n.0);
        let kb = names.get(&b.student_id).map(|n| &n.0);
        ka.cmp(&kb).then_with(|| a.student_id.cmp(&b.student_id))
    });
    for m in missed.iter_mut().take(limit) {
        if let Some((_, name, number, counsellor)) = names.remove(&m.student_id) {
            m.name = name;
            m.student_number = number;
            m.counsellor_name = counsellor;
        }
    }
    Ok(())
}
