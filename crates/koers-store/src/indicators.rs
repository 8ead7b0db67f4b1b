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

mod facts;
use facts::{
    conversations, field_needs, hrm, learning_line, placement_tasks, self_assessments, staff_plans,
    students,
};

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
