//! "Extra support": a separate signal next to the universal path, seen only by the counsellor
//! who set it and the programme manager, and counted separately in reports.

use crate::{Result, StoreError, Tenant, now_ms};
use sqlx::Row;

#[derive(Debug, Clone, serde::Serialize)]
pub struct SupportFlag {
    pub id: String,
    pub counsellor_id: String,
    pub counsellor_name: String,
    pub category: String,
    pub note: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

pub async fn add(
    t: Tenant<'_>,
    student_id: &str,
    counsellor_id: &str,
    category: &str,
    note: &str,
) -> Result<String> {
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO support_flags (id, institution_id, student_id, counsellor_id, category, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(student_id)
    .bind(counsellor_id)
    .bind(category)
    .bind(note)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(id)
}

/// Close a flag; only the counsellor who set it (`counsellor_id: Some`) or a manager (`None`).
pub async fn close(
    t: Tenant<'_>,
    id: &str,
    student_id: &str,
    counsellor_id: Option<&str>,
) -> Result<()> {
    let n = sqlx::query(
        "UPDATE support_flags SET closed_at = $4 WHERE institution_id = $1 AND id = $2 AND student_id = $3 \
         AND closed_at IS NULL AND ($5 IS NULL OR counsellor_id = $5)",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(student_id)
    .bind(now_ms())
    .bind(counsellor_id)
    .execute(t.pool())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// A student's flags; with `only_by` just those one counsellor set.
pub async fn of_student(
    t: Tenant<'_>,
    student_id: &str,
    only_by: Option<&str>,
) -> Result<Vec<SupportFlag>> {
    let rows = sqlx::query(
        "SELECT f.id, f.counsellor_id, u.name, f.category, f.note, f.created_at, f.closed_at FROM support_flags f \
         JOIN users u ON u.id = f.counsellor_id WHERE f.institution_id = $1 AND f.student_id = $2 \
         AND ($3 IS NULL OR f.counsellor_id = $3) ORDER BY f.created_at DESC",
    )
    .bind(t.institution_id)
    .bind(student_id)
    .bind(only_by)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SupportFlag {
                id: r.try_get(0)?,
                counsellor_id: r.try_get(1)?,
                counsellor_name: r.try_get(2)?,
                category: r.try_get(3)?,
                note: r.try_get(4)?,
                created_at: r.try_get(5)?,
                closed_at: r.try_get(6)?,
            })
        })
        .collect()
}

/// Students with an open flag in a programme (optionally a cohort), per category.
pub async fn counts(
    t: Tenant<'_>,
    programme_id: &str,
    cohort_year: Option<i64>,
) -> Result<Vec<(String, i64)>> {
    // Open flags are few: start from them (CROSS JOIN keeps SQLite from starting at the
    // programme's thousands of students; PostgreSQL plans it as an ordinary join).
    let rows = sqlx::query(
        "SELECT f.category, COUNT(DISTINCT f.student_id) FROM support_flags f CROSS JOIN guidance_summary g \
         WHERE g.student_id = f.student_id AND f.institution_id = $1 AND f.closed_at IS NULL \
         AND g.programme_id = $2 AND ($3 IS NULL OR g.cohort_year = $3) GROUP BY f.category ORDER BY f.category",
    )
    .bind(t.institution_id)
    .bind(programme_id)
    .bind(cohort_year)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}
