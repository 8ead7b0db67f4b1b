//! The maintained per-student guidance summary: recomputed for one student inside the
//! transaction that changes their conversations, attendance or agreements.

use crate::Result;
use koers_domain::guidance::Phase;
use koers_domain::guidance::phase::academic_year_start;
use sqlx::Row;

/// Recompute the summary row of one student from the facts.
pub(crate) async fn refresh(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    institution_id: &str,
    student_id: &str,
) -> Result<()> {
    let row = sqlx::query(
        "SELECT s.user_id, s.programme_id, c.year, s.start_date, s.phase, s.phase_since, s.left_on \
         FROM students s JOIN cohorts c ON c.id = s.cohort_id WHERE s.institution_id = $1 AND s.id = $2",
    )
    .bind(institution_id)
    .bind(student_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(()) };
    let person: String = row.try_get(0)?;
    let programme: String = row.try_get(1)?;
    let cohort_year: i64 = row.try_get(2)?;
    let s = compute(tx, institution_id, &person, &programme).await?;
    // The phase statuses as of today, with today as their watermark.
    let today = koers_domain::time::today();
    let rules = super::rules::for_programme_in(tx, institution_id, &programme).await?;
    let start: jiff::civil::Date = row
        .try_get::<String, _>(3)?
        .parse()
        .unwrap_or(jiff::civil::Date::constant(2000, 9, 1));
    let facts = koers_domain::guidance::GuidanceFacts {
        start_date: start,
        current_phase: Phase::parse(&row.try_get::<String, _>(4)?).unwrap_or(Phase::Intake),
        phase_since: row.try_get::<String, _>(5)?.parse().unwrap_or(start),
        left_on: row
            .try_get::<Option<String>, _>(6)?
            .and_then(|d| d.parse().ok()),
        held: s.held,
        progress_year: s.progress_year,
    };
    let st = koers_domain::guidance::phase::phase_statuses(&rules, &facts, today);
    sqlx::query(
        "INSERT INTO guidance_summary (student_id, institution_id, held_intake, held_progress, progress_year, \
         held_specialisation, held_outflow, last_held_at, next_planned_at, open_agreements, overdue_agreements_from, \
         programme_id, cohort_year, status_day, status_intake, status_progress, status_specialisation, status_outflow) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
         ON CONFLICT (student_id) DO UPDATE SET held_intake = $3, held_progress = $4, progress_year = $5, \
         held_specialisation = $6, held_outflow = $7, last_held_at = $8, next_planned_at = $9, \
         open_agreements = $10, overdue_agreements_from = $11, programme_id = $12, cohort_year = $13, \
         status_day = $14, status_intake = $15, status_progress = $16, status_specialisation = $17, status_outflow = $18",
    )
    .bind(student_id)
    .bind(institution_id)
    .bind(i64::from(s.held[0]))
    .bind(i64::from(s.held[1]))
    .bind(i64::from(s.progress_year))
    .bind(i64::from(s.held[2]))
    .bind(i64::from(s.held[3]))
    .bind(s.last_held_at)
    .bind(s.next_planned_at)
    .bind(s.open_agreements)
    .bind(s.first_due_agreement)
    .bind(&programme)
    .bind(cohort_year)
    .bind(today.to_string())
    .bind(st[0].key())
    .bind(st[1].key())
    .bind(st[2].key())
    .bind(st[3].key())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The summary of one student computed from scratch (also used to test the maintained rows).
pub(crate) async fn compute(
    tx: &mut sqlx::AnyConnection,
    institution_id: &str,
    person_id: &str,
    programme_id: &str,
) -> Result<super::students::Summary> {
    let today = koers_domain::time::today();
    let year_start = academic_year_start(today);
    let from = koers_domain::time::start_of_day(year_start);
    let until = koers_domain::time::start_of_day(
        year_start
            .checked_add(jiff::Span::new().years(1))
            .unwrap_or(year_start),
    );
    let rules = {
        let rows = sqlx::query(
            "SELECT phase, group_counts FROM moment_rules WHERE institution_id = $1 AND programme_id = $2",
        )
        .bind(institution_id)
        .bind(programme_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut g = koers_domain::guidance::MomentRule::defaults().map(|r| r.group_counts);
        for r in rows {
            let p: String = r.try_get(0)?;
            if let Some(p) = Phase::parse(&p) {
                g[p.index()] = r.try_get::<i64, _>(1)? != 0;
            }
        }
        g
    };
    let mut s = super::students::Summary {
        progress_year: year_start.year(),
        ..Default::default()
    };
    // Individual conversations held, and group sessions attended where they count.
    let rows = sqlx::query(
        "SELECT phase, starts_at, 0 FROM conversations WHERE institution_id = $1 AND person_id = $2 \
         AND context = 'student' AND status = 'held' \
         UNION ALL SELECT g.phase, g.starts_at, 1 FROM group_attendance a JOIN group_sessions g ON g.id = a.session_id \
         WHERE a.institution_id = $1 AND a.person_id = $2 AND a.attended = 1 AND g.status <> 'cancelled'",
    )
    .bind(institution_id)
    .bind(person_id)
    .fetch_all(&mut *tx)
    .await?;
    for r in rows {
        let phase: Option<String> = r.try_get(0)?;
        let at: Option<i64> = r.try_get(1)?;
        let group = r.try_get::<i64, _>(2)? != 0;
        let Some(phase) = phase.as_deref().and_then(Phase::parse) else {
            continue;
        };
        if group && !rules[phase.index()] {
            continue;
        }
        if let Some(at) = at {
            s.last_held_at = Some(s.last_held_at.map_or(at, |l: i64| l.max(at)));
        }
        if phase == Phase::Progress && !at.is_some_and(|a| a >= from && a < until) {
            continue;
        }
        s.held[phase.index()] += 1;
    }
    s.next_planned_at = sqlx::query_scalar(
        "SELECT MIN(starts_at) FROM conversations WHERE institution_id = $1 AND person_id = $2 \
         AND context = 'student' AND status = 'planned'",
    )
    .bind(institution_id)
    .bind(person_id)
    .fetch_one(&mut *tx)
    .await?;
    let r = sqlx::query(
        "SELECT COUNT(*), MIN(due_on) FROM agreements WHERE institution_id = $1 AND person_id = $2 AND status = 'open'",
    )
    .bind(institution_id)
    .bind(person_id)
    .fetch_one(&mut *tx)
    .await?;
    s.open_agreements = r.try_get(0)?;
    s.first_due_agreement = r.try_get(1)?;
    Ok(s)
}

/// Recompute every summary of the institution (after a new academic year starts, or to
/// repair); returns how many were written.
pub async fn refresh_all(t: crate::Tenant<'_>) -> Result<u64> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM students WHERE institution_id = $1")
        .bind(t.institution_id)
        .fetch_all(t.pool())
        .await?;
    let mut n = 0;
    for chunk in ids.chunks(500) {
        let mut tx = t.db.begin().await?;
        for id in chunk {
            refresh(&mut tx, t.institution_id, id).await?;
            n += 1;
        }
        tx.commit().await?;
    }
    Ok(n)
}

/// Compare the maintained summary of each student with a full recomputation; returns the ids
/// that differ (for tests and `koers check`).
pub async fn verify(t: crate::Tenant<'_>) -> Result<Vec<String>> {
    let records = super::students::list(
        t,
        &super::students::Reach::Institution,
        &Default::default(),
        1_000_000,
        None,
    )
    .await?
    .items;
    let mut conn = t.pool().acquire().await?;
    let mut wrong = Vec::new();
    for r in records {
        let fresh = compute(&mut conn, t.institution_id, &r.user_id, &r.programme_id).await?;
        let m = &r.summary;
        if (
            fresh.held,
            fresh.progress_year,
            fresh.last_held_at,
            fresh.next_planned_at,
        ) != (m.held, m.progress_year, m.last_held_at, m.next_planned_at)
            || (fresh.open_agreements, &fresh.first_due_agreement)
                != (m.open_agreements, &m.first_due_agreement)
        {
            wrong.push(r.id);
        }
    }
    Ok(wrong)
}
