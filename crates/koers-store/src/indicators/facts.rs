//! The facts behind the indicators of one year, each read in one streamed query.

use super::*;

/// Per student, streamed: intake in time (cohort of the year), specialisation guided
/// (deadline in the year), outflow guided (left in the year), and progression outcomes by
/// whether the intake was in time (all cohorts).
pub(super) async fn students(
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
pub(super) async fn conversations(
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
pub(super) async fn self_assessments(
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
pub(super) async fn placement_tasks(
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
pub(super) async fn field_needs(
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
pub(super) async fn staff_plans(
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
pub(super) async fn hrm(
    t: Tenant<'_>,
    as_of: Date,
    fine: &mut Vec<(Period, Grain, Fraction)>,
) -> Result<()> {
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
pub(super) async fn learning_line(
    t: Tenant<'_>,
    fine: &mut Vec<(Period, Grain, Fraction)>,
) -> Result<()> {
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
