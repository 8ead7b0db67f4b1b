//! Live indicators of the LOB vision as maintained aggregates (see
//! `koers_domain::vision::indicator`).
//!
//! [`compute`] derives the values of one academic year from the facts (streamed, so memory
//! stays flat however large the institution). [`refresh`] stores them in `indicator_values`
//! in one transaction; the dashboard, the API and the report read only that table, so their
//! cost does not grow with the number of students or conversations. [`refresh_due`] is the
//! incremental step the housekeeping job runs: it recomputes the running year when its values
//! are older than the allowed age, and a closed year only until it has been computed as of its
//! last day — from then on a closed year is final, as reported.

use crate::{Result, StoreError, Tenant, now_ms};
use futures::TryStreamExt;
use jiff::civil::Date;
use koers_domain::guidance::{MomentRule, Phase};
use koers_domain::vision::indicator::{
    Fraction, Grain, Indicator, Outcome, Period, Unit, as_of, in_time, roll_up, semester,
    year_bounds,
};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// Values of one year, at every grain, per period.
pub type Values = BTreeMap<(Period, Grain), Fraction>;

/// Progression counts: (programme, cohort, intake in time, outcome) → students.
pub type Progression = BTreeMap<(String, i64, bool, Outcome), i64>;

/// What [`compute`] found for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub year: i16,
    pub as_of: Date,
    pub values: Values,
    pub progression: Progression,
}

fn ms(d: Date) -> i64 {
    koers_domain::time::start_of_day(d)
}

fn day_after(d: Date) -> Date {
    d.tomorrow().unwrap_or(d)
}

/// Indicators are computed from the first cohort's year, five years back at most.
pub const YEARS_BACK: i16 = 5;

/// Compute every indicator of an academic year as of its last day (or today, while it runs).
/// `None` for a year that has not started.
pub async fn compute(t: Tenant<'_>, year: i16, today: Date) -> Result<Option<Computed>> {
    let Some(as_of) = as_of(year, today) else {
        return Ok(None);
    };
    let mut fine: Vec<(Period, Grain, Fraction)> = Vec::new();
    let rules = rules_by_programme(t).await?;
    let progression = students(t, year, as_of, &rules, &mut fine).await?;
    conversations(t, year, as_of, &mut fine).await?;
    self_assessments(t, year, as_of, &mut fine).await?;
    placement_tasks(t, year, as_of, &mut fine).await?;
    field_needs(t, year, as_of, &mut fine).await?;
    staff_plans(t, as_of, &mut fine).await?;
    hrm(t, as_of, &mut fine).await?;
    if as_of == today {
        // The learning line has no history: only the running year has a value.
        learning_line(t, &mut fine).await?;
    }
    let mut values = Values::new();
    for period in Period::ALL {
        let of_period = fine
            .iter()
            .filter(|(p, _, _)| p == period)
            .map(|(_, g, f)| (g.clone(), *f));
        for (g, f) in roll_up(of_period) {
            values.insert((*period, g), f);
        }
    }
    Ok(Some(Computed {
        year,
        as_of,
        values,
        progression,
    }))
}

fn grain(i: Indicator, programme: &str, cohort: i64) -> Grain {
    Grain {
        indicator: i,
        programme: programme.to_owned(),
        cohort,
    }
}

async fn rules_by_programme(t: Tenant<'_>) -> Result<HashMap<String, [MomentRule; 4]>> {
    let mut out = HashMap::new();
    for p in crate::platform::programmes::all(t).await? {
        out.insert(p.id.clone(), MomentRule::defaults());
    }
    let rows = sqlx::query(
        "SELECT programme_id, phase, required, days FROM moment_rules WHERE institution_id = $1",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    for r in rows {
        let programme: String = r.try_get(0)?;
        let phase: String = r.try_get(1)?;
        if let (Some(rules), Some(phase)) = (out.get_mut(&programme), Phase::parse(&phase)) {
            rules[phase.index()].required = r.try_get::<i64, _>(2)?.clamp(1, 12) as u32;
            rules[phase.index()].days = r.try_get::<i64, _>(3)?.clamp(1, 2000) as u32;
        }
    }
    Ok(out)
}

/// Per student, streamed: intake in time (cohort of the year), specialisation guided
/// (deadline in the year), outflow guided (left in the year), and progression outcomes by
/// whether the intake was in time (all cohorts).
async fn students(
    t: Tenant<'_>,
    year: i16,
    as_of: Date,
    rules: &HashMap<String, [MomentRule; 4]>,
    fine: &mut Vec<(Period, Grain, Fraction)>,
) -> Result<Progression> {
    let (start, _) = year_bounds(year);
    let mut rows = sqlx::query(
        "SELECT s.programme_id, c.year, s.start_date, o.reason, o.left_on, \
         MIN(CASE WHEN v.phase = 'intake' THEN v.starts_at END), \
         MIN(CASE WHEN v.phase = 'specialisation' THEN v.starts_at END), \
         MAX(CASE WHEN v.phase = 'outflow' THEN v.starts_at END) \
         FROM students s JOIN cohorts c ON c.id = s.cohort_id \
         LEFT JOIN outflow_records o ON o.student_id = s.id \
         LEFT JOIN conversations v ON v.institution_id = s.institution_id AND v.person_id = s.user_id \
         AND v.context = 'student' AND v.status = 'held' AND v.starts_at < $2 \
         WHERE s.institution_id = $1 \
         GROUP BY s.id, s.programme_id, c.year, s.start_date, o.reason, o.left_on",
    )
    .bind(t.institution_id)
    .bind(ms(day_after(as_of)))
    .fetch(t.pool());
    let mut acc: BTreeMap<(Indicator, String, i64), Fraction> = BTreeMap::new();
    let mut progression = Progression::new();
    let day = |ms: Option<i64>| ms.map(koers_domain::time::local_date);
    while let Some(r) = rows.try_next().await? {
        let programme: String = r.try_get(0)?;
        let cohort: i64 = r.try_get(1)?;
        let start_date: String = r.try_get(2)?;
        let reason: Option<String> = r.try_get(3)?;
        let left_on: Option<String> = r.try_get(4)?;
        let intake = day(r.try_get(5)?);
        let specialisation = day(r.try_get(6)?);
        let outflow = day(r.try_get(7)?);
        let Some(started) = koers_domain::time::parse_date(&start_date) else {
            continue;
        };
        let rule = rules
            .get(&programme)
            .copied()
            .unwrap_or_else(MomentRule::defaults);
        let intake_days = rule[Phase::Intake.index()].days;
        let intake_ok = in_time(started, intake, intake_days);
        let mut count = |i: Indicator, hit: bool| {
            let f = acc.entry((i, programme.clone(), cohort)).or_default();
            f.denominator += 1.0;
            if hit {
                f.numerator += 1.0;
            }
        };
        // Intake: the cohort of the year, once its window has closed (or it was held in time).
        let window_end = started.saturating_add(jiff::Span::new().days(intake_days as i64));
        if cohort == i64::from(year) && (window_end <= as_of || intake_ok) {
            count(Indicator::IntakeInTime, intake_ok);
        }
        // Specialisation: the deadline falls in the year, up to the day computed for.
        let deadline = started.saturating_add(
            jiff::Span::new().days(rule[Phase::Specialisation.index()].days as i64),
        );
        if deadline >= start && deadline <= as_of {
            count(
                Indicator::SpecialisationGuided,
                specialisation.is_some_and(|d| d <= deadline),
            );
        }
        // Outflow: left in the year.
        if let Some(left) = left_on.as_deref().and_then(koers_domain::time::parse_date)
            && left >= start
            && left <= as_of
        {
            count(Indicator::OutflowGuided, outflow.is_some());
        }
        *progression
            .entry((
                programme.clone(),
                cohort,
                intake_ok,
                Outcome::of(reason.as_deref()),
            ))
            .or_default() += 1;
    }
    for ((i, p, c), f) in acc {
        fine.push((Period::Year, grain(i, &p, c), f));
    }
    Ok(progression)
}

/// Held conversations per enrolled student, for the year and each semester.
async fn conversations(
    t: Tenant<'_>,
    year: i16,
    as_of: Date,
    fine: &mut Vec<(Period, Grain, Fraction)>,
) -> Result<()> {
    let (start, end) = year_bounds(year);
    let s2 = jiff::civil::date(year + 1, 2, 1);
    let enrolled = sqlx::query(
        "SELECT s.programme_id, c.year, COUNT(*) FROM students s JOIN cohorts c ON c.id = s.cohort_id \
         WHERE s.institution_id = $1 AND s.start_date <= $2 AND (s.left_on IS NULL OR s.left_on >= $3) \
         GROUP BY s.programme_id, c.year",
    )
    .bind(t.institution_id)
    .bind(as_of.to_string())
    .bind(start.to_string())
    .fetch_all(t.pool())
    .await?;
    let held = sqlx::query(
        "SELECT s.programme_id, c.year, \
         SUM(CASE WHEN v.starts_at < $4 THEN 1 ELSE 0 END), SUM(CASE WHEN v.starts_at >= $4 THEN 1 ELSE 0 END) \
         FROM conversations v JOIN students s ON s.user_id = v.person_id AND s.institution_id = v.institution_id \
         JOIN cohorts c ON c.id = s.cohort_id \
         WHERE v.institution_id = $1 AND v.context = 'student' AND v.status = 'held' \
         AND v.starts_at >= $2 AND v.starts_at < $3 GROUP BY s.programme_id, c.year",
    )
    .bind(t.institution_id)
    .bind(ms(start))
    .bind(ms(day_after(as_of.min(end))))
    .bind(ms(s2))
    .fetch_all(t.pool())
    .await?;
    let mut counts: BTreeMap<(String, i64), (f64, f64, f64)> = BTreeMap::new();
    for r in enrolled {
        let n: i64 = r.try_get(2)?;
        counts.entry((r.try_get(0)?, r.try_get(1)?)).or_default().0 = n as f64;
    }
    for r in held {
        let first: Option<i64> = r.try_get(2)?;
        let second: Option<i64> = r.try_get(3)?;
        let e = counts.entry((r.try_get(0)?, r.try_get(1)?)).or_default();
        e.1 = first.unwrap_or(0) as f64;
        e.2 = second.unwrap_or(0) as f64;
    }
    let running = semester(as_of);
    for ((p, c), (students, first, second)) in counts {
        let g = grain(Indicator::ConversationsPerStudent, &p, c);
        fine.push((
            Period::Year,
            g.clone(),
            Fraction::new(first + second, students),
        ));
        fine.push((Period::Semester1, g.clone(), Fraction::new(first, students)));
        if as_of >= s2 || running == Period::Semester2 {
            fine.push((Period::Semester2, g, Fraction::new(second, students)));
        }
    }
    Ok(())
}

/// Students with at least two career-competency self-assessments up to the day computed for,
/// one of them in the year: how many of them grew from the first to the last.
async fn self_assessments(
    t: Tenant<'_>,
    year: i16,
    as_of: Date,
    fine: &mut Vec<(Period, Grain, Fraction)>,
) -> Result<()> {
    let (start, _) = year_bounds(year);
    let start_ms = ms(start);
    let mut rows = sqlx::query(
        "SELECT a.person_id, s.programme_id, c.year, a.scores, a.created_at FROM self_assessments a \
         JOIN students s ON s.user_id = a.person_id AND s.institution_id = a.institution_id \
         JOIN cohorts c ON c.id = s.cohort_id \
         WHERE a.institution_id = $1 AND a.instrument = $2 AND a.created_at < $3 \
         ORDER BY a.person_id, a.created_at, a.id",
    )
    .bind(t.institution_id)
    .bind(koers_domain::guidance::competency::INSTRUMENT_KEY)
    .bind(ms(day_after(as_of)))
    .fetch(t.pool());
    let mut acc: BTreeMap<(String, i64), Fraction> = BTreeMap::new();
    // The person being read: (id, programme, cohort, means, any in the year).
    let mut current: Option<(String, String, i64, Vec<f64>, bool)> = None;
    let mut finish = |p: Option<(String, String, i64, Vec<f64>, bool)>| {
        if let Some((_, programme, cohort, means, in_year)) = p
            && in_year
            && let Some(grew) = koers_domain::staff::development::grew(&means)
        {
            let f = acc.entry((programme, cohort)).or_default();
            f.denominator += 1.0;
            if grew {
                f.numerator += 1.0;
            }
        }
    };
    while let Some(r) = rows.try_next().await? {
        let person: String = r.try_get(0)?;
        let scores: String = r.try_get(3)?;
        let at: i64 = r.try_get(4)?;
        let scores: BTreeMap<String, f64> = serde_json::from_str(&scores).unwrap_or_default();
        let Some(mean) = koers_domain::staff::development::mean(scores.into_values()) else {
            continue;
        };
        if current.as_ref().is_none_or(|c| c.0 != person) {
            finish(current.take());
            current = Some((person, r.try_get(1)?, r.try_get(2)?, Vec::new(), false));
        }
        if let Some(c) = current.as_mut() {
            c.3.push(mean);
            c.4 |= at >= start_ms;
        }
    }
    finish(current.take());
    for ((p, c), f) in acc {
        fine.push((
            Period::Year,
            grain(Indicator::SelfAssessmentGrowth, &p, c),
            f,
        ));
    }
    Ok(())
}

/// Placement LOB tasks due in the year (up to the day computed for): how many were assessed.
async fn placement_tasks(
    t: Tenant<'_>,
    year: i16,
    as_of: Date,
    fine: &mut Vec<(Period, Grain, Fraction)>,
) -> Result<()> {
    let (start, _) = year_bounds(year);
    let rows = sqlx::query(
        "SELECT s.programme_id, c.year, COUNT(*), SUM(CASE WHEN k.status = 'assessed' THEN 1 ELSE 0 END) \
         FROM placement_tasks k JOIN placements p ON p.id = k.placement_id \
         JOIN students s ON s.id = p.student_id JOIN cohorts c ON c.id = s.cohort_id \
         WHERE k.institution_id = $1 AND COALESCE(k.due_on, p.ends_on) >= $2 \
         AND COALESCE(k.due_on, p.ends_on) <= $3 GROUP BY s.programme_id, c.year",
    )
    .bind(t.institution_id)
    .bind(start.to_string())
    .bind(as_of.to_string())
    .fetch_all(t.pool())
    .await?;
    for r in rows {
        let programme: String = r.try_get(0)?;
        let all: i64 = r.try_get(2)?;
        let done: Option<i64> = r.try_get(3)?;
        fine.push((
            Period::Year,
            grain(
                Indicator::PlacementTasksCompleted,
                &programme,
                r.try_get(1)?,
            ),
            Fraction::new(done.unwrap_or(0) as f64, all as f64),
        ));
    }
    Ok(())
}

/// Needs raised in the year (not declined) that nothing in the learning line or the offer
/// covers (with the manual alignment where one was set).
async fn field_needs(
    t: Tenant<'_>,
    year: i16,
    as_of: Date,
    fine: &mut Vec<(Period, Grain, Fraction)>,
) -> Result<()> {
    use koers_domain::field::alignment::{self, Alignment};
    let (start, _) = year_bounds(year);
    let (from, to) = (ms(start), ms(day_after(as_of)));
    let needs: Vec<_> = crate::field::needs::list(t, None)
        .await?
        .into_iter()
        .filter(|n| {
            n.status != koers_domain::field::NeedStatus::Declined
                && n.created_at >= from
                && n.created_at < to
        })
        .collect();
    let sources = if needs.is_empty() {
        Vec::new()
    } else {
        crate::field::alignment_sources(t).await?
    };
    let gaps = needs
        .iter()
        .filter(|n| alignment::derive(&n.for_alignment(), &sources).status == Alignment::Gap)
        .count();
    fine.push((
        Period::Year,
        grain(Indicator::FieldNeedsUncovered, "", 0),
        Fraction::new(gaps as f64, needs.len() as f64),
    ));
    Ok(())
}

/// Staff (active people with a staff role) whose development plan is up to date on the day:
/// one streamed query with the plan and the last held career conversation per person.
async fn staff_plans(
    t: Tenant<'_>,
    as_of: Date,
    fine: &mut Vec<(Period, Grain, Fraction)>,
) -> Result<()> {
    use koers_domain::staff::development::{PlanStatus, plan_up_to_date};
    let day_ms = |ms: Option<i64>| ms.map(koers_domain::time::local_date);
    let mut rows = sqlx::query(
        "SELECT p.status, p.agreed_at, (SELECT MAX(c.starts_at) FROM conversations c \
         WHERE c.institution_id = u.institution_id AND c.person_id = u.id AND c.context = 'staff' \
         AND c.status = 'held' AND c.starts_at < $2) \
         FROM users u LEFT JOIN development_plans p ON p.user_id = u.id \
         WHERE u.institution_id = $1 AND u.active = 1 AND EXISTS (SELECT 1 FROM role_assignments r \
         WHERE r.user_id = u.id AND r.role NOT IN ('student', 'placement_mentor', 'partner_coordinator'))",
    )
    .bind(t.institution_id)
    .bind(ms(day_after(as_of)))
    .fetch(t.pool());
    let (mut staff, mut up) = (0u64, 0u64);
    while let Some(r) = rows.try_next().await? {
        staff += 1;
        let status: Option<String> = r.try_get(0)?;
        let status = status
            .as_deref()
            .and_then(PlanStatus::parse)
            .unwrap_or(PlanStatus::Draft);
        if plan_up_to_date(
            status,
            day_ms(r.try_get(1)?).filter(|d| *d <= as_of),
            day_ms(r.try_get(2)?),
            as_of,
        ) {
            up += 1;
        }
    }
    if staff > 0 {
        fine.push((
            Period::Year,
            grain(Indicator::StaffPlansUpToDate, "", 0),
            Fraction::new(up as f64, staff as f64),
        ));
    }
    Ok(())
}

/// The score per stage of the latest HRM-scan round closed by the end of the year (or the day
/// computed for): a scan runs every year or two, and each year reports the latest measurement.
async fn hrm(t: Tenant<'_>, as_of: Date, fine: &mut Vec<(Period, Grain, Fraction)>) -> Result<()> {
    use koers_domain::staff::scan::{Stage, results};
    let to = ms(day_after(as_of));
    let round = crate::staff::scans::rounds(t)
        .await?
        .into_iter()
        .filter(|r| r.closed_at.is_some_and(|c| c < to))
        .max_by_key(|r| r.closed_at);
    let Some(round) = round else {
        return Ok(());
    };
    let instrument = crate::staff::scans::instrument(t, &round.instrument_id).await?;
    let responses = crate::staff::scans::responses(t, &round.id).await?;
    for r in results(&instrument, &responses) {
        let Some(score) = r.all.score else { continue };
        let i = match r.stage {
            Stage::Recruitment => Indicator::HrmRecruitment,
            Stage::Appointment => Indicator::HrmAppointment,
            Stage::Guidance => Indicator::HrmGuidance,
            Stage::Appraisal => Indicator::HrmAppraisal,
        };
        fine.push((Period::Year, grain(i, "", 0), Fraction::new(score, 1.0)));
    }
    Ok(())
}

/// Gaps in each programme's learning line, now.
async fn learning_line(t: Tenant<'_>, fine: &mut Vec<(Period, Grain, Fraction)>) -> Result<()> {
    for p in crate::platform::programmes::all(t).await? {
        let line = crate::curriculum::line(t, &p.id).await?;
        fine.push((
            Period::Year,
            grain(Indicator::LearningLineGaps, &p.id, 0),
            Fraction::new(line.gaps.len() as f64, 1.0),
        ));
    }
    Ok(())
}

/// Store a year's values (replacing what was kept for it; the learning line of a closed year
/// is kept as it was) and the progression counts, in one transaction.
pub async fn store(t: Tenant<'_>, c: &Computed, duration_ms: i64) -> Result<()> {
    let mut tx = t.db.begin().await?;
    let keep_line = !c
        .values
        .keys()
        .any(|(_, g)| g.indicator == Indicator::LearningLineGaps);
    let sql = if keep_line {
        "DELETE FROM indicator_values WHERE institution_id = $1 AND year = $2 AND indicator <> 'learning_line_gaps'"
    } else {
        "DELETE FROM indicator_values WHERE institution_id = $1 AND year = $2"
    };
    sqlx::query(sql)
        .bind(t.institution_id)
        .bind(i64::from(c.year))
        .execute(&mut *tx)
        .await?;
    for ((period, g), f) in &c.values {
        sqlx::query(
            "INSERT INTO indicator_values (institution_id, year, period, indicator, programme_id, cohort_year, \
             numerator, denominator) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(t.institution_id)
        .bind(i64::from(c.year))
        .bind(period.key())
        .bind(g.indicator.key())
        .bind(&g.programme)
        .bind(g.cohort)
        .bind(f.numerator)
        .bind(f.denominator)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM progression_counts WHERE institution_id = $1")
        .bind(t.institution_id)
        .execute(&mut *tx)
        .await?;
    for ((p, cohort, on_time, outcome), n) in &c.progression {
        sqlx::query(
            "INSERT INTO progression_counts (institution_id, programme_id, cohort_year, in_time, outcome, students) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(t.institution_id)
        .bind(p)
        .bind(*cohort)
        .bind(i64::from(*on_time))
        .bind(outcome.key())
        .bind(*n)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM indicator_refreshes WHERE institution_id = $1 AND year = $2")
        .bind(t.institution_id)
        .bind(i64::from(c.year))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO indicator_refreshes (institution_id, year, as_of, computed_at, duration_ms) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(t.institution_id)
    .bind(i64::from(c.year))
    .bind(c.as_of.to_string())
    .bind(now_ms())
    .bind(duration_ms)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Compute and store one year; returns whether the year has started.
pub async fn refresh(t: Tenant<'_>, year: i16, today: Date) -> Result<bool> {
    let started = std::time::Instant::now();
    let Some(c) = compute(t, year, today).await? else {
        return Ok(false);
    };
    store(t, &c, started.elapsed().as_millis() as i64).await?;
    Ok(true)
}

/// When a year's values were computed: (the day they are as of, when, in how many ms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refreshed {
    pub as_of: Date,
    pub computed_at: i64,
    pub duration_ms: i64,
}

pub async fn refreshed(t: Tenant<'_>, year: i16) -> Result<Option<Refreshed>> {
    let row = sqlx::query(
        "SELECT as_of, computed_at, duration_ms FROM indicator_refreshes WHERE institution_id = $1 AND year = $2",
    )
    .bind(t.institution_id)
    .bind(i64::from(year))
    .fetch_optional(t.pool())
    .await?;
    row.map(|r| {
        let as_of: String = r.try_get(0)?;
        Ok(Refreshed {
            as_of: koers_domain::time::parse_date(&as_of)
                .ok_or_else(|| StoreError::Corrupt(format!("indicator as_of {as_of}")))?,
            computed_at: r.try_get(1)?,
            duration_ms: r.try_get(2)?,
        })
    })
    .transpose()
}

/// The incremental step: refresh the running year when its values are older than `max_age_ms`
/// (or were computed on an earlier day), and each of the last [`YEARS_BACK`] closed years until
/// it has been computed as of its last day. Returns the years refreshed.
pub async fn refresh_due(t: Tenant<'_>, today: Date, max_age_ms: i64) -> Result<Vec<i16>> {
    let current = koers_domain::vision::academic_year(today);
    let first: Option<i64> =
        sqlx::query_scalar("SELECT MIN(year) FROM cohorts WHERE institution_id = $1")
            .bind(t.institution_id)
            .fetch_one(t.pool())
            .await?;
    let first = first.map_or(current, |y| (y as i16).clamp(current - YEARS_BACK, current));
    let mut done = Vec::new();
    for year in first..=current {
        let Some(wanted) = as_of(year, today) else {
            continue;
        };
        let due = match refreshed(t, year).await? {
            None => true,
            Some(r) => {
                r.as_of < wanted || (year == current && now_ms() - r.computed_at > max_age_ms)
            }
        };
        if due && refresh(t, year, today).await? {
            done.push(year);
        }
    }
    Ok(done)
}

/// Refresh due years in every institution (the housekeeping job).
pub async fn refresh_all_due(db: &crate::Db, today: Date, max_age_ms: i64) -> Result<usize> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM institutions ORDER BY id")
        .fetch_all(db.pool())
        .await?;
    let mut n = 0;
    for id in &ids {
        n += refresh_due(Tenant::new(db, id), today, max_age_ms)
            .await?
            .len();
    }
    Ok(n)
}

/// One stored value.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub period: Period,
    pub grain: Grain,
    pub fraction: Fraction,
}

/// The stored values of a year (every period and grain), in key order.
pub async fn values(t: Tenant<'_>, year: i16) -> Result<Vec<Stored>> {
    Ok(years_values(t, &[year])
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect())
}

/// The stored values of several years, each with its year.
pub async fn years_values(t: Tenant<'_>, years: &[i16]) -> Result<Vec<(i16, Stored)>> {
    if years.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::params(false, 2, years.len());
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT year, period, indicator, programme_id, cohort_year, numerator, denominator FROM indicator_values \
         WHERE institution_id = $1 AND year IN ({list}) \
         ORDER BY year, indicator, period, programme_id, cohort_year"
    )))
    .bind(t.institution_id.to_owned());
    for y in years {
        q = q.bind(i64::from(*y));
    }
    let mut out = Vec::new();
    for r in q.fetch_all(t.pool()).await? {
        let period: String = r.try_get(1)?;
        let indicator: String = r.try_get(2)?;
        let (Some(period), Some(indicator)) =
            (Period::parse(&period), Indicator::parse(&indicator))
        else {
            continue;
        };
        let year: i64 = r.try_get(0)?;
        out.push((
            year as i16,
            Stored {
                period,
                grain: Grain {
                    indicator,
                    programme: r.try_get(3)?,
                    cohort: r.try_get(4)?,
                },
                fraction: Fraction::new(r.try_get(5)?, r.try_get(6)?),
            },
        ));
    }
    Ok(out)
}

/// The years that have stored values, newest first.
pub async fn years(t: Tenant<'_>) -> Result<Vec<i16>> {
    let ys: Vec<i64> = sqlx::query_scalar(
        "SELECT year FROM indicator_refreshes WHERE institution_id = $1 ORDER BY year DESC",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    Ok(ys.into_iter().map(|y| y as i16).collect())
}

/// The kept progression counts of the institution.
pub async fn progression(t: Tenant<'_>) -> Result<Progression> {
    let rows = sqlx::query(
        "SELECT programme_id, cohort_year, in_time, outcome, students FROM progression_counts \
         WHERE institution_id = $1",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    let mut out = Progression::new();
    for r in rows {
        let outcome: String = r.try_get(3)?;
        let Some(outcome) = Outcome::parse(&outcome) else {
            continue;
        };
        out.insert(
            (
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get::<i64, _>(2)? != 0,
                outcome,
            ),
            r.try_get(4)?,
        );
    }
    Ok(out)
}

/// A target of the quality cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub indicator: Indicator,
    /// Empty for the institution, else a programme id.
    pub scope: String,
    pub target: f64,
    pub note: String,
    pub set_by: Option<String>,
    pub set_at: i64,
}

pub async fn targets(t: Tenant<'_>, year: i16) -> Result<Vec<Target>> {
    Ok(targets_of(t, &[year])
        .await?
        .into_iter()
        .map(|(_, x)| x)
        .collect())
}

/// The targets of several years, each with its year, in one query.
pub async fn targets_of(t: Tenant<'_>, years: &[i16]) -> Result<Vec<(i16, Target)>> {
    if years.is_empty() {
        return Ok(Vec::new());
    }
    let list = crate::params(false, 2, years.len());
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT x.indicator, x.scope, x.target, x.note, u.name, x.set_at, x.year FROM indicator_targets x \
         LEFT JOIN users u ON u.id = x.set_by WHERE x.institution_id = $1 AND x.year IN ({list}) \
         ORDER BY x.year, x.indicator, x.scope"
    )))
    .bind(t.institution_id.to_owned());
    for y in years {
        q = q.bind(i64::from(*y));
    }
    let mut out = Vec::new();
    for r in q.fetch_all(t.pool()).await? {
        let key: String = r.try_get(0)?;
        let Some(indicator) = Indicator::parse(&key) else {
            continue;
        };
        let year: i64 = r.try_get(6)?;
        out.push((
            year as i16,
            Target {
                indicator,
                scope: r.try_get(1)?,
                target: r.try_get(2)?,
                note: r.try_get(3)?,
                set_by: r.try_get(4)?,
                set_at: r.try_get(5)?,
            },
        ));
    }
    Ok(out)
}

/// Set (or with `None` remove) the target of an indicator in a year and scope.
pub async fn set_target(
    t: Tenant<'_>,
    year: i16,
    indicator: Indicator,
    scope: &str,
    target: Option<(f64, &str)>,
    by: &str,
) -> Result<()> {
    let mut tx = t.db.begin().await?;
    sqlx::query(
        "DELETE FROM indicator_targets WHERE institution_id = $1 AND year = $2 AND indicator = $3 AND scope = $4",
    )
    .bind(t.institution_id)
    .bind(i64::from(year))
    .bind(indicator.key())
    .bind(scope)
    .execute(&mut *tx)
    .await?;
    if let Some((value, note)) = target {
        sqlx::query(
            "INSERT INTO indicator_targets (institution_id, year, indicator, scope, target, note, set_by, set_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(t.institution_id)
        .bind(i64::from(year))
        .bind(indicator.key())
        .bind(scope)
        .bind(value)
        .bind(note)
        .bind(by)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The target that applies to a value: the programme's own, else the institution's.
pub fn target_for<'a>(targets: &'a [Target], i: Indicator, programme: &str) -> Option<&'a Target> {
    targets
        .iter()
        .find(|x| x.indicator == i && x.scope == programme && !programme.is_empty())
        .or_else(|| {
            targets
                .iter()
                .find(|x| x.indicator == i && x.scope.is_empty())
        })
}

/// A value's number, for the unit of its indicator.
pub fn value_of(s: &Stored) -> Option<f64> {
    s.fraction.value(s.grain.indicator.unit())
}

/// Whether a unit counts things (no denominator).
pub fn is_count(i: Indicator) -> bool {
    i.unit() == Unit::Count
}
