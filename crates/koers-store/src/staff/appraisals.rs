//! Appraisal records: one per employee and year, written by the line manager, with an explicit
//! career-development section and the employee's own comment.

use crate::{Result, Tenant, now_ms};
use koers_domain::staff::development::AppraisalStatus;

#[derive(Debug, Clone)]
pub struct Appraisal {
    pub id: String,
    pub year: i64,
    pub manager_name: Option<String>,
    pub conversation_id: Option<String>,
    pub performance: String,
    pub career_development: String,
    pub employee_comment: String,
    pub status: AppraisalStatus,
    pub updated_at: i64,
}

type Row = (
    String,
    i64,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    String,
    i64,
);

/// An employee's appraisal records, the latest year first.
pub async fn of_employee(t: Tenant<'_>, user_id: &str) -> Result<Vec<Appraisal>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.year, m.name, a.conversation_id, a.performance, a.career_development, a.employee_comment, \
         a.status, a.updated_at FROM appraisals a LEFT JOIN users m ON m.id = a.manager_id \
         WHERE a.institution_id = $1 AND a.user_id = $2 ORDER BY a.year DESC",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                year,
                manager_name,
                conversation_id,
                performance,
                career,
                comment,
                status,
                upd,
            )| {
                Appraisal {
                    id,
                    year,
                    manager_name,
                    conversation_id,
                    performance,
                    career_development: career,
                    employee_comment: comment,
                    status: AppraisalStatus::parse(&status).unwrap_or(AppraisalStatus::Draft),
                    updated_at: upd,
                }
            },
        )
        .collect())
}

pub struct AppraisalInput<'a> {
    pub year: i64,
    pub manager_id: &'a str,
    pub conversation_id: Option<&'a str>,
    pub performance: &'a str,
    pub career_development: &'a str,
    pub status: AppraisalStatus,
}

/// Write the record of a year (the manager's part); a final record is not changed any more.
/// Returns false when the year's record is already final.
pub async fn save(t: Tenant<'_>, user_id: &str, a: &AppraisalInput<'_>) -> Result<bool> {
    let now = now_ms();
    let done = sqlx::query(
        "INSERT INTO appraisals (id, institution_id, user_id, year, manager_id, conversation_id, performance, \
         career_development, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
         ON CONFLICT (user_id, year) DO UPDATE SET manager_id = excluded.manager_id, \
         conversation_id = excluded.conversation_id, performance = excluded.performance, \
         career_development = excluded.career_development, status = excluded.status, updated_at = excluded.updated_at \
         WHERE appraisals.status = 'draft'",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(user_id)
    .bind(a.year)
    .bind(a.manager_id)
    .bind(a.conversation_id)
    .bind(a.performance)
    .bind(a.career_development)
    .bind(a.status.key())
    .bind(now)
    .execute(t.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The employee adds their comment to a record of theirs.
pub async fn comment(t: Tenant<'_>, user_id: &str, id: &str, text: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE appraisals SET employee_comment = $4, updated_at = $5 WHERE institution_id = $1 AND user_id = $2 AND id = $3",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .bind(id)
    .bind(text)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}
