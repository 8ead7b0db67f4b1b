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
    /// The missed students (all, or the first of them when a limit was asked).
    pub missed: Vec<Missed>,
    /// How many students missed a moment in all.
    pub missed_total: u64,
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

/// Coverage of a programme (optionally one cohort) on `today`: the statuses kept per student
/// are brought up to `today` where they are older (once a day per student, or after a change
/// that did not refresh them), then counted in one grouped read over a covering index.
/// Names (and counsellors) are looked up for at most `names_for` missed students; the others
/// carry only their id.
pub async fn of_programme(
    t: Tenant<'_>,
    programme_id: &str,
    cohort_year: Option<i64>,
    today: Date,
    names_for: usize,
    missed_limit: Option<usize>,
) -> Result<Coverage> {
    bring_up_to_date(t, programme_id, today).await?;
    let rows = sqlx::query(
        "SELECT cohort_year, status_intake, status_progress, status_specialisation, status_outflow, COUNT(*) \
         FROM guidance_summary WHERE institution_id = $1 AND programme_id = $2 AND ($3 IS NULL OR cohort_year = $3) \
         GROUP BY cohort_year, status_intake, status_progress, status_specialisation, status_outflow",
    )
    .bind(t.institution_id)
    .bind(programme_id)
    .bind(cohort_year)
    .fetch_all(t.pool())
    .await?;
    let mut total = empty();
    let mut cohorts: std::collections::BTreeMap<i64, CohortCoverage> = Default::default();
    let mut missed_total = 0;
    for r in &rows {
        let year: i64 = r.try_get::<Option<i64>, _>(0)?.unwrap_or(0);
        let st = statuses(r, 1)?;
        let n: i64 = r.try_get(5)?;
        if st.contains(&PhaseStatus::Overdue) {
            missed_total += n as u64;
        }
        let c = cohorts.entry(year).or_insert_with(|| CohortCoverage {
            cohort_year: year,
            students: 0,
            phases: empty(),
        });
        for _ in 0..n {
            count(&mut total, &st);
            count(&mut c.phases, &st);
        }
        c.students += n as u64;
    }
    let limit = missed_limit.map_or(String::new(), |n| {
        format!(" ORDER BY cohort_year DESC, student_id LIMIT {n}")
    });
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT student_id, cohort_year, status_intake, status_progress, status_specialisation, status_outflow \
         FROM guidance_summary WHERE institution_id = $1 AND programme_id = $2 AND ($3 IS NULL OR cohort_year = $3) \
         AND (status_intake = 'overdue' OR status_progress = 'overdue' OR status_specialisation = 'overdue' \
         OR status_outflow = 'overdue'){limit}"
    )))
    .bind(t.institution_id)
    .bind(programme_id)
    .bind(cohort_year)
    .fetch_all(t.pool())
    .await?;
    let mut missed = Vec::with_capacity(rows.len());
    for r in &rows {
        let st = statuses(r, 2)?;
        missed.push(Missed {
            student_id: r.try_get(0)?,
            name: String::new(),
            student_number: String::new(),
            cohort_year: r.try_get::<Option<i64>, _>(1)?.unwrap_or(0),
            counsellor_name: None,
            phases: Phase::ALL
                .into_iter()
                .filter(|p| st[p.index()] == PhaseStatus::Overdue)
                .collect(),
        });
    }
    name_missed(t, &mut missed, names_for).await?;
    Ok(Coverage {
        total,
        cohorts: cohorts.into_values().rev().collect(),
        missed,
        missed_total,
    })
}

fn status(key: Option<String>) -> PhaseStatus {
    PhaseStatus::ALL
        .into_iter()
        .find(|s| Some(s.key()) == key.as_deref())
        .unwrap_or(PhaseStatus::NotYetDue)
}

fn statuses(r: &sqlx::any::AnyRow, from: usize) -> Result<[PhaseStatus; 4]> {
    Ok([
        status(r.try_get(from)?),
        status(r.try_get(from + 1)?),
        status(r.try_get(from + 2)?),
        status(r.try_get(from + 3)?),
    ])
}

/// Bring the kept statuses of every programme of every institution up to `today`, so no
/// request pays for the first read of a day (run by the housekeeping job; idempotent, so
/// several instances doing it is harmless). Returns how many students were recomputed.
pub async fn bring_all_up_to_date(db: &crate::Db, today: Date) -> Result<usize> {
    let mut n = 0;
    for i in crate::platform::institutions::all(db).await? {
        let t = Tenant::new(db, &i.id);
        for p in crate::platform::programmes::all(t).await? {
            n += bring_up_to_date(t, &p.id, today).await?;
        }
    }
    Ok(n)
}

/// Recompute the kept statuses of the programme's students whose watermark is not `today`.
pub async fn bring_up_to_date(t: Tenant<'_>, programme_id: &str, today: Date) -> Result<usize> {
    let day = today.to_string();
    let rows = sqlx::query(
        "SELECT s.id, c.year, s.start_date, s.phase, s.phase_since, s.left_on, g.held_intake, g.held_progress, \
         g.progress_year, g.held_specialisation, g.held_outflow FROM guidance_summary g \
         JOIN students s ON s.id = g.student_id JOIN cohorts c ON c.id = s.cohort_id \
         WHERE g.institution_id = $1 AND g.programme_id = $2 AND (g.status_day IS NULL OR g.status_day <> $3)",
    )
    .bind(t.institution_id)
    .bind(programme_id)
    .bind(&day)
    .fetch_all(t.pool())
    .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let rules = rules::for_programme(t, programme_id).await?;
    let n = |r: &sqlx::any::AnyRow, i: usize| -> Result<u32> {
        Ok(r.try_get::<Option<i64>, _>(i)?.unwrap_or(0).max(0) as u32)
    };
    let mut computed = Vec::with_capacity(rows.len());
    for r in &rows {
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
        let id: String = r.try_get(0)?;
        let year: i64 = r.try_get(1)?;
        computed.push((id, year, phase_statuses(&rules, &facts, today)));
    }
    let mut tx = t.db.begin().await?;
    insert_rows!(
        &mut *tx,
        "INSERT INTO guidance_summary (student_id, institution_id, cohort_year, status_day, status_intake, \
         status_progress, status_specialisation, status_outflow)",
        "(?, ?, ?, ?, ?, ?, ?, ?)",
        "ON CONFLICT (student_id) DO UPDATE SET cohort_year = excluded.cohort_year, status_day = excluded.status_day, \
         status_intake = excluded.status_intake, status_progress = excluded.status_progress, \
         status_specialisation = excluded.status_specialisation, status_outflow = excluded.status_outflow",
        computed,
        |q, x| {
            let (id, year, st) = x;
            q.bind(id)
                .bind(t.institution_id)
                .bind(*year)
                .bind(&day)
                .bind(st[0].key())
                .bind(st[1].key())
                .bind(st[2].key())
                .bind(st[3].key())
        }
    );
    tx.commit().await?;
    Ok(computed.len())
}

/// Name the first `limit` missed students (the latest cohorts first, then by name): one
/// lookup of at most `limit` ids, whatever the number missed.
async fn name_missed(t: Tenant<'_>, missed: &mut [Missed], limit: usize) -> Result<()> {
    if limit == 0 || missed.is_empty() {
        return Ok(());
    }
    missed.sort_by(|a, b| {
        b.cohort_year
            .cmp(&a.cohort_year)
            .then_with(|| a.student_id.cmp(&b.student_id))
    });
    let limit = limit.min(missed.len());
    let mut found = std::collections::HashMap::new();
    for chunk in missed[..limit].chunks(500) {
        let sql = format!(
            "SELECT s.id, u.name, s.student_number, cu.name, s.family_name, s.given_name FROM students s \
             JOIN users u ON u.id = s.user_id LEFT JOIN users cu ON cu.id = s.counsellor_id \
             WHERE s.institution_id = $1 AND s.id IN ({})",
            crate::platform::users::placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(t.institution_id);
        for m in chunk {
            q = q.bind(&m.student_id);
        }
        for r in q.fetch_all(t.pool()).await? {
            let id: String = r.try_get(0)?;
            found.insert(
                id,
                (
                    r.try_get::<String, _>(1)?,
                    r.try_get::<String, _>(2)?,
                    r.try_get::<Option<String>, _>(3)?,
                    (r.try_get::<String, _>(4)?, r.try_get::<String, _>(5)?),
                ),
            );
        }
    }
    let mut keys = std::collections::HashMap::new();
    for m in missed[..limit].iter_mut() {
        if let Some((name, number, counsellor, key)) = found.remove(&m.student_id) {
            m.name = name;
            m.student_number = number;
            m.counsellor_name = counsellor;
            keys.insert(m.student_id.clone(), key);
        }
    }
    missed[..limit].sort_by(|a, b| {
        b.cohort_year
            .cmp(&a.cohort_year)
            .then_with(|| keys.get(&a.student_id).cmp(&keys.get(&b.student_id)))
    });
    Ok(())
}
