//! Phase records: the first-year study-advice (BSA) signal and the outflow record.

use crate::{Result, Tenant, now_ms};
use jiff::civil::Date;
use koers_domain::guidance::Phase;
use sqlx::Row;

/// Credits so far against the norm, on a date.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StudyProgress {
    pub on_date: String,
    pub credits: i64,
    pub norm: i64,
    pub source: String,
}

impl StudyProgress {
    /// Below the norm: a signal for the counsellor.
    pub fn behind(&self) -> bool {
        self.credits < self.norm
    }
}

pub async fn add_progress(
    t: Tenant<'_>,
    student_id: &str,
    on: Date,
    credits: i64,
    norm: i64,
    source: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO study_progress (id, institution_id, student_id, on_date, credits, norm, source, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(student_id)
    .bind(on.to_string())
    .bind(credits)
    .bind(norm)
    .bind(source)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(())
}

pub async fn progress(t: Tenant<'_>, student_id: &str) -> Result<Vec<StudyProgress>> {
    let rows = sqlx::query(
        "SELECT on_date, credits, norm, source FROM study_progress WHERE institution_id = $1 AND student_id = $2 \
         ORDER BY on_date DESC, created_at DESC LIMIT 20",
    )
    .bind(t.institution_id)
    .bind(student_id)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StudyProgress {
                on_date: r.try_get(0)?,
                credits: r.try_get(1)?,
                norm: r.try_get(2)?,
                source: r.try_get(3)?,
            })
        })
        .collect()
}

/// How and when a student left, and where to.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Outflow {
    /// graduated, switched, stopped, other
    pub reason: String,
    pub left_on: String,
    /// work, further_study, other, unknown
    pub destination: String,
    pub destination_detail: String,
    pub exit_reflection: String,
}

pub async fn outflow(t: Tenant<'_>, student_id: &str) -> Result<Option<Outflow>> {
    let r = sqlx::query(
        "SELECT reason, left_on, destination, destination_detail, exit_reflection FROM outflow_records \
         WHERE institution_id = $1 AND student_id = $2",
    )
    .bind(t.institution_id)
    .bind(student_id)
    .fetch_optional(t.pool())
    .await?;
    r.map(|r| {
        Ok(Outflow {
            reason: r.try_get(0)?,
            left_on: r.try_get(1)?,
            destination: r.try_get(2)?,
            destination_detail: r.try_get(3)?,
            exit_reflection: r.try_get(4)?,
        })
    })
    .transpose()
}

/// Record the outflow: the student is in the outflow phase from the day they leave.
pub async fn save_outflow(
    t: Tenant<'_>,
    student_id: &str,
    o: &Outflow,
    recorded_by: &str,
) -> Result<()> {
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    sqlx::query(
        "INSERT INTO outflow_records (student_id, institution_id, reason, left_on, destination, destination_detail, exit_reflection, recorded_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (student_id) DO UPDATE SET reason = $3, left_on = $4, \
         destination = $5, destination_detail = $6, exit_reflection = $7, recorded_by = $8, updated_at = $9",
    )
    .bind(student_id)
    .bind(t.institution_id)
    .bind(&o.reason)
    .bind(&o.left_on)
    .bind(&o.destination)
    .bind(&o.destination_detail)
    .bind(&o.exit_reflection)
    .bind(recorded_by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let changed = sqlx::query(
        "UPDATE students SET left_on = $3, phase = $4, phase_since = $3, updated_at = $5 \
         WHERE institution_id = $1 AND id = $2 AND (left_on IS NULL OR left_on <> $3 OR phase <> $4)",
    )
    .bind(t.institution_id)
    .bind(student_id)
    .bind(&o.left_on)
    .bind(Phase::Outflow.key())
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed > 0 {
        sqlx::query(
            "INSERT INTO phase_transitions (id, institution_id, student_id, phase, on_date, recorded_by, created_at) \
             VALUES ($1, $2, $3, 'outflow', $4, $5, $6)",
        )
        .bind(koers_domain::new_id())
        .bind(t.institution_id)
        .bind(student_id)
        .bind(&o.left_on)
        .bind(recorded_by)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    super::summary::refresh(&mut tx, t.institution_id, student_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The student writes (or rewrites) their exit reflection.
pub async fn save_exit_reflection(t: Tenant<'_>, student_id: &str, text: &str) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE outflow_records SET exit_reflection = $3, updated_at = $4 WHERE institution_id = $1 AND student_id = $2",
    )
    .bind(t.institution_id)
    .bind(student_id)
    .bind(text)
    .bind(now_ms())
    .execute(t.pool())
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Write imported BSA signals, all or nothing: every student number must be a student of the
/// institution (and of `allowed_programmes`, when given). Returns how many were written, or
/// every problem with its line.
pub async fn import_progress(
    t: Tenant<'_>,
    rows: &[koers_domain::guidance::progress_import::ProgressRow],
    allowed_programmes: Option<&[String]>,
    today: Date,
) -> Result<std::result::Result<usize, Vec<koers_domain::guidance::import::ImportError>>> {
    use koers_domain::guidance::import::ImportError;
    let sqlite = t.db.backend() == crate::Backend::Sqlite;
    let mut students: std::collections::HashMap<String, (String, String)> = Default::default();
    for chunk in rows.chunks(if sqlite { 2000 } else { 500 }) {
        let sql = format!(
            "SELECT student_number, id, programme_id FROM students WHERE student_number IN ({}) \
             AND institution_id = {}",
            crate::params(sqlite, 1, chunk.len()),
            crate::params(sqlite, chunk.len() + 1, 1)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = q.bind(&r.student_number);
        }
        for r in q.bind(t.institution_id).fetch_all(t.pool()).await? {
            students.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
        }
    }
    let mut errors = Vec::new();
    let mut found = Vec::with_capacity(rows.len());
    for r in rows {
        let error = |code| ImportError {
            line: r.line,
            column: Some("studentnummer".to_owned()),
            code,
            value: Some(r.student_number.clone()),
        };
        match students.get(&r.student_number) {
            None => errors.push(error("student-unknown")),
            Some((_, p)) if allowed_programmes.is_some_and(|a| !a.contains(p)) => {
                errors.push(error("student-not-allowed"))
            }
            Some((id, _)) => found.push((r, id)),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    insert_rows!(
        &mut *tx,
        "INSERT INTO study_progress (id, institution_id, student_id, on_date, credits, norm, source, created_at)",
        "(?, ?, ?, ?, ?, ?, 'import', ?)",
        found,
        |q, x| {
            let (r, id) = x;
            q.bind(koers_domain::new_id())
                .bind(t.institution_id)
                .bind(*id)
                .bind(r.on_date.unwrap_or(today).to_string())
                .bind(r.credits)
                .bind(r.norm)
                .bind(now)
        }
    );
    tx.commit().await?;
    Ok(Ok(found.len()))
}
