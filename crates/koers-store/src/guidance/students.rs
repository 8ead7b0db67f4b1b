//! Student records as the guidance context sees them: study data, counsellor and phase, with
//! the maintained guidance summary.

use super::rules;
use crate::platform::Page;
use crate::{Result, StoreError, Tenant, like_pattern, now_ms};
use jiff::civil::Date;
use koers_domain::guidance::{GuidanceFacts, MomentRule, Phase, PhaseStatus};
use sqlx::Row;
use sqlx::any::AnyRow;

/// The maintained summary of a student's guidance (see `guidance_summary`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub held: [u32; 4],
    pub progress_year: i16,
    pub last_held_at: Option<i64>,
    pub next_planned_at: Option<i64>,
    pub open_agreements: i64,
    /// The earliest due date of an open agreement.
    pub first_due_agreement: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct StudentRecord {
    pub id: String,
    pub user_id: String,
    pub student_number: String,
    pub given_name: String,
    pub name_prefix: String,
    pub family_name: String,
    pub name: String,
    pub email: String,
    pub programme_id: String,
    pub programme_code: String,
    pub programme_name: String,
    pub cohort_year: i64,
    pub start_date: String,
    pub phase: Phase,
    pub phase_since: String,
    pub left_on: Option<String>,
    pub counsellor_id: Option<String>,
    pub counsellor_name: Option<String>,
    pub summary: Summary,
}

impl StudentRecord {
    /// The facts the phase rules need.
    pub fn facts(&self) -> GuidanceFacts {
        let start = self
            .start_date
            .parse()
            .unwrap_or(Date::constant(2000, 9, 1));
        GuidanceFacts {
            start_date: start,
            current_phase: self.phase,
            phase_since: self.phase_since.parse().unwrap_or(start),
            left_on: self.left_on.as_deref().and_then(|d| d.parse().ok()),
            held: self.summary.held,
            progress_year: self.summary.progress_year,
        }
    }

    pub fn statuses(&self, rules: &[MomentRule; 4], today: Date) -> [PhaseStatus; 4] {
        koers_domain::guidance::phase::phase_statuses(rules, &self.facts(), today)
    }

    /// Whether an open agreement is past its due date.
    pub fn has_overdue_agreement(&self, today: Date) -> bool {
        self.summary
            .first_due_agreement
            .as_deref()
            .and_then(|d| d.parse::<Date>().ok())
            .is_some_and(|d| d < today)
    }

    pub fn as_ref(&self, stand_in: bool) -> koers_domain::policy::StudentRef<'_> {
        koers_domain::policy::StudentRef {
            user_id: &self.user_id,
            programme_id: &self.programme_id,
            counsellor_id: self.counsellor_id.as_deref(),
            stand_in,
        }
    }
}

pub(crate) const SELECT: &str = "SELECT s.id, s.user_id, s.student_number, s.given_name, \
    s.name_prefix, s.family_name, u.name, u.email, s.programme_id, p.code, p.name, c.year, \
    s.start_date, s.phase, s.phase_since, s.left_on, s.counsellor_id, cu.name, \
    g.held_intake, g.held_progress, g.progress_year, g.held_specialisation, g.held_outflow, \
    g.last_held_at, g.next_planned_at, g.open_agreements, g.overdue_agreements_from \
    FROM students s JOIN users u ON u.id = s.user_id JOIN programmes p ON p.id = s.programme_id \
    JOIN cohorts c ON c.id = s.cohort_id LEFT JOIN users cu ON cu.id = s.counsellor_id \
    LEFT JOIN guidance_summary g ON g.student_id = s.id";

fn count(r: &AnyRow, i: usize) -> Result<u32> {
    Ok(r.try_get::<Option<i64>, _>(i)?.unwrap_or(0).max(0) as u32)
}

pub(crate) fn from_row(r: &AnyRow) -> Result<StudentRecord> {
    let phase: String = r.try_get(13)?;
    Ok(StudentRecord {
        id: r.try_get(0)?,
        user_id: r.try_get(1)?,
        student_number: r.try_get(2)?,
        given_name: r.try_get(3)?,
        name_prefix: r.try_get(4)?,
        family_name: r.try_get(5)?,
        name: r.try_get(6)?,
        email: r.try_get(7)?,
        programme_id: r.try_get(8)?,
        programme_code: r.try_get(9)?,
        programme_name: r.try_get(10)?,
        cohort_year: r.try_get(11)?,
        start_date: r.try_get(12)?,
        phase: Phase::parse(&phase).unwrap_or(Phase::Intake),
        phase_since: r.try_get(14)?,
        left_on: r.try_get(15)?,
        counsellor_id: r.try_get(16)?,
        counsellor_name: r.try_get(17)?,
        summary: Summary {
            held: [count(r, 18)?, count(r, 19)?, count(r, 21)?, count(r, 22)?],
            progress_year: r.try_get::<Option<i64>, _>(20)?.unwrap_or(0) as i16,
            last_held_at: r.try_get(23)?,
            next_planned_at: r.try_get(24)?,
            open_agreements: r.try_get::<Option<i64>, _>(25)?.unwrap_or(0),
            first_due_agreement: r.try_get(26)?,
        },
    })
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<StudentRecord>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE s.institution_id = $1 AND s.id = $2"
    )))
    .bind(t.institution_id)
    .bind(id)
    .fetch_optional(t.pool())
    .await?;
    r.as_ref().map(from_row).transpose()
}

pub async fn by_user(t: Tenant<'_>, user_id: &str) -> Result<Option<StudentRecord>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE s.institution_id = $1 AND s.user_id = $2"
    )))
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_optional(t.pool())
    .await?;
    r.as_ref().map(from_row).transpose()
}

/// A student by student number.
pub async fn by_number(t: Tenant<'_>, number: &str) -> Result<Option<StudentRecord>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE s.institution_id = $1 AND s.student_number = $2"
    )))
    .bind(t.institution_id)
    .bind(number)
    .fetch_optional(t.pool())
    .await?;
    r.as_ref().map(from_row).transpose()
}

/// The student id of a user, if the user is a student.
pub async fn id_of_user(t: Tenant<'_>, user_id: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM students WHERE institution_id = $1 AND user_id = $2")
            .bind(t.institution_id)
            .bind(user_id)
            .fetch_optional(t.pool())
            .await?,
    )
}

/// Which students a list shows.
#[derive(Debug, Clone)]
pub enum Reach {
    Institution,
    Programmes(Vec<String>),
    /// The students of these counsellors (one's own, and those one stands in for).
    Counsellors(Vec<String>),
}

#[derive(Debug, Clone, Default)]
pub struct StudentFilter {
    pub programme_id: Option<String>,
    pub cohort_year: Option<i64>,
    pub phase: Option<Phase>,
    pub q: Option<String>,
    /// Students with this status in any phase, by the kept statuses (bring them up to date
    /// first with `coverage::bring_up_to_date`).
    pub status: Option<PhaseStatus>,
}

/// Students within `reach` matching `filter`, by family name; the cursor is the last id.
pub async fn list(
    t: Tenant<'_>,
    reach: &Reach,
    filter: &StudentFilter,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<StudentRecord>> {
    let mut sql = format!("{SELECT} WHERE s.institution_id = $1");
    let mut args: Vec<String> = vec![t.institution_id.to_owned()];
    let list_in = |sql: &mut String, col: &str, ids: &[String], args: &mut Vec<String>| {
        if ids.is_empty() {
            sql.push_str(" AND 1 = 0");
            return;
        }
        let start = args.len() + 1;
        args.extend(ids.iter().cloned());
        sql.push_str(&format!(
            " AND {col} IN ({})",
            crate::platform::users::placeholders(start, ids.len())
        ));
    };
    match reach {
        Reach::Institution => {}
        Reach::Programmes(ids) => list_in(&mut sql, "s.programme_id", ids, &mut args),
        Reach::Counsellors(ids) => list_in(&mut sql, "s.counsellor_id", ids, &mut args),
    }
    if let Some(p) = &filter.programme_id {
        args.push(p.clone());
        sql += &format!(" AND s.programme_id = ${}", args.len());
    }
    if let Some(y) = filter.cohort_year {
        args.push(y.to_string());
        sql += &format!(" AND CAST(c.year AS TEXT) = ${}", args.len());
    }
    if let Some(p) = filter.phase {
        args.push(p.key().to_owned());
        sql += &format!(" AND s.phase = ${}", args.len());
    }
    if let Some(st) = filter.status {
        args.push(st.key().to_owned());
        let n = args.len();
        sql += &format!(
            " AND (g.status_intake = ${n} OR g.status_progress = ${n} \
             OR g.status_specialisation = ${n} OR g.status_outflow = ${n})"
        );
    }
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        args.push(like_pattern(q));
        let n = args.len();
        sql += &format!(
            " AND (LOWER(u.name) LIKE ${n} ESCAPE '\\' OR u.email LIKE ${n} ESCAPE '\\' \
             OR s.student_number LIKE ${n} ESCAPE '\\')"
        );
    }
    if let Some(c) = cursor {
        let key: Option<(String, String)> = sqlx::query(
            "SELECT family_name, given_name FROM students WHERE institution_id = $1 AND id = $2",
        )
        .bind(t.institution_id)
        .bind(c)
        .fetch_optional(t.pool())
        .await?
        .map(|r| Ok::<_, sqlx::Error>((r.try_get(0)?, r.try_get(1)?)))
        .transpose()?;
        let Some((family, given)) = key else {
            return Err(StoreError::NotFound);
        };
        args.push(family);
        args.push(given);
        args.push(c.to_owned());
        let (f, g, i) = (args.len() - 2, args.len() - 1, args.len());
        sql += &format!(
            " AND (s.family_name > ${f} OR (s.family_name = ${f} AND (s.given_name > ${g} \
             OR (s.given_name = ${g} AND s.id > ${i}))))"
        );
    }
    sql += &format!(
        " ORDER BY s.family_name, s.given_name, s.id LIMIT {}",
        limit + 1
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for a in &args {
        q = q.bind(a);
    }
    let rows = q.fetch_all(t.pool()).await?;
    let mut items = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|s| s.id.clone())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// Change of study data by an administrator or programme manager.
#[derive(Debug, Clone)]
pub struct StudyData<'a> {
    pub student_number: &'a str,
    pub given_name: &'a str,
    pub name_prefix: &'a str,
    pub family_name: &'a str,
    pub email: &'a str,
    pub cohort_id: &'a str,
    pub programme_id: &'a str,
    pub start_date: Date,
}

pub async fn update_study_data(t: Tenant<'_>, id: &str, d: &StudyData<'_>) -> Result<()> {
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    let user_id: Option<String> =
        sqlx::query_scalar("SELECT user_id FROM students WHERE institution_id = $1 AND id = $2")
            .bind(t.institution_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let user_id = user_id.ok_or(StoreError::NotFound)?;
    let name =
        koers_domain::guidance::import::display_name(d.given_name, d.name_prefix, d.family_name);
    sqlx::query(
        "UPDATE users SET name = $3, email = $4, updated_at = $5 WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(&user_id)
    .bind(&name)
    .bind(d.email)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(crate::conflict_as("email"))?;
    sqlx::query(
        "UPDATE students SET student_number = $3, given_name = $4, name_prefix = $5, \
         family_name = $6, cohort_id = $7, programme_id = $8, start_date = $9, updated_at = $10 \
         WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(d.student_number)
    .bind(d.given_name)
    .bind(d.name_prefix)
    .bind(d.family_name)
    .bind(d.cohort_id)
    .bind(d.programme_id)
    .bind(d.start_date.to_string())
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(crate::conflict_as("student number"))?;
    sqlx::query(
        "UPDATE role_assignments SET programme_id = $3 WHERE institution_id = $1 AND user_id = $2 AND role = 'student'",
    )
    .bind(t.institution_id)
    .bind(&user_id)
    .bind(d.programme_id)
    .execute(&mut *tx)
    .await?;
    super::summary::refresh(&mut tx, t.institution_id, id).await?;
    tx.commit().await?;
    Ok(())
}

/// One period with a counsellor.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CounsellorPeriod {
    pub counsellor_id: Option<String>,
    pub counsellor_name: Option<String>,
    pub from_at: i64,
    pub until_at: Option<i64>,
    pub changed_by_name: Option<String>,
    pub reason: String,
}

/// Give the student another counsellor (or none), keeping the history.
pub async fn assign_counsellor(
    t: Tenant<'_>,
    student_id: &str,
    counsellor_id: Option<&str>,
    changed_by: &str,
    reason: &str,
) -> Result<()> {
    let mut tx = t.db.begin().await?;
    assign_in(
        &mut tx,
        t.institution_id,
        student_id,
        counsellor_id,
        Some(changed_by),
        reason,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn assign_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    institution_id: &str,
    student_id: &str,
    counsellor_id: Option<&str>,
    changed_by: Option<&str>,
    reason: &str,
    now: i64,
) -> Result<()> {
    let n = sqlx::query(
        "UPDATE students SET counsellor_id = $3, updated_at = $4 WHERE institution_id = $1 AND id = $2",
    )
    .bind(institution_id)
    .bind(student_id)
    .bind(counsellor_id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "UPDATE counsellor_history SET until_at = $3 WHERE institution_id = $1 AND student_id = $2 AND until_at IS NULL",
    )
    .bind(institution_id)
    .bind(student_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO counsellor_history (id, institution_id, student_id, counsellor_id, from_at, changed_by, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(koers_domain::new_id())
    .bind(institution_id)
    .bind(student_id)
    .bind(counsellor_id)
    .bind(now)
    .bind(changed_by)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Hand a caseload to another counsellor (a counsellor leaves), with history; only the
/// students of `only_programmes` when given (a programme manager's reach).
pub async fn hand_over_caseload(
    t: Tenant<'_>,
    from_counsellor: &str,
    to_counsellor: &str,
    changed_by: &str,
    only_programmes: Option<&[String]>,
) -> Result<u64> {
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    let rows = sqlx::query(
        "SELECT id, programme_id FROM students WHERE institution_id = $1 AND counsellor_id = $2",
    )
    .bind(t.institution_id)
    .bind(from_counsellor)
    .fetch_all(&mut *tx)
    .await?;
    let mut ids = Vec::new();
    for r in rows {
        let id: String = r.try_get(0)?;
        let programme: String = r.try_get(1)?;
        if only_programmes.is_none_or(|p| p.contains(&programme)) {
            ids.push(id);
        }
    }
    for id in &ids {
        assign_in(
            &mut tx,
            t.institution_id,
            id,
            Some(to_counsellor),
            Some(changed_by),
            "handover",
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ids.len() as u64)
}

pub async fn counsellor_history(t: Tenant<'_>, student_id: &str) -> Result<Vec<CounsellorPeriod>> {
    let rows = sqlx::query(
        "SELECT h.counsellor_id, cu.name, h.from_at, h.until_at, b.name, h.reason FROM counsellor_history h \
         LEFT JOIN users cu ON cu.id = h.counsellor_id LEFT JOIN users b ON b.id = h.changed_by \
         WHERE h.institution_id = $1 AND h.student_id = $2 ORDER BY h.from_at DESC, h.id DESC",
    )
    .bind(t.institution_id)
    .bind(student_id)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CounsellorPeriod {
                counsellor_id: r.try_get(0)?,
                counsellor_name: r.try_get(1)?,
                from_at: r.try_get(2)?,
                until_at: r.try_get(3)?,
                changed_by_name: r.try_get(4)?,
                reason: r.try_get(5)?,
            })
        })
        .collect()
}

/// Record that the student moved to `phase` on `on`.
pub async fn set_phase(
    t: Tenant<'_>,
    student_id: &str,
    phase: Phase,
    on: Date,
    recorded_by: &str,
) -> Result<()> {
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    let n = sqlx::query(
        "UPDATE students SET phase = $3, phase_since = $4, updated_at = $5 WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(student_id)
    .bind(phase.key())
    .bind(on.to_string())
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "INSERT INTO phase_transitions (id, institution_id, student_id, phase, on_date, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(student_id)
    .bind(phase.key())
    .bind(on.to_string())
    .bind(recorded_by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // The phase decides statuses: the kept ones follow in the same transaction.
    super::summary::refresh(&mut tx, t.institution_id, student_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The recorded phase transitions, oldest first: (phase, date).
pub async fn transitions(t: Tenant<'_>, student_id: &str) -> Result<Vec<(Phase, String)>> {
    let rows = sqlx::query(
        "SELECT phase, on_date FROM phase_transitions WHERE institution_id = $1 AND student_id = $2 \
         ORDER BY on_date, created_at",
    )
    .bind(t.institution_id)
    .bind(student_id)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let p: String = r.try_get(0)?;
            Ok((Phase::parse(&p).unwrap_or(Phase::Intake), r.try_get(1)?))
        })
        .collect()
}

/// The students and rules needed to show phase statuses for a list of records.
pub async fn rules_for(
    t: Tenant<'_>,
    records: &[StudentRecord],
) -> Result<std::collections::HashMap<String, [MomentRule; 4]>> {
    let mut out = std::collections::HashMap::new();
    for r in records {
        if !out.contains_key(&r.programme_id) {
            out.insert(
                r.programme_id.clone(),
                rules::for_programme(t, &r.programme_id).await?,
            );
        }
    }
    Ok(out)
}
