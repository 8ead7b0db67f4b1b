//! Student enrolments (study data). The guidance context extends this with phases and files.

use crate::{Result, Tenant};
use sqlx::Row;

/// A student's enrolment as the student and their counsellor see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Enrolment {
    pub student_number: String,
    pub programme_code: String,
    pub programme_name: String,
    pub cohort_year: i64,
    pub counsellor_name: Option<String>,
    pub counsellor_email: Option<String>,
}

pub async fn enrolment_of(t: Tenant<'_>, user_id: &str) -> Result<Option<Enrolment>> {
    let r = sqlx::query(
        "SELECT s.student_number, p.code, p.name, c.year, cu.name, cu.email FROM students s \
         JOIN programmes p ON p.id = s.programme_id JOIN cohorts c ON c.id = s.cohort_id \
         LEFT JOIN users cu ON cu.id = s.counsellor_id \
         WHERE s.institution_id = $1 AND s.user_id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_optional(t.pool())
    .await?;
    r.map(|r| {
        Ok(Enrolment {
            student_number: r.try_get(0)?,
            programme_code: r.try_get(1)?,
            programme_name: r.try_get(2)?,
            cohort_year: r.try_get(3)?,
            counsellor_name: r.try_get(4)?,
            counsellor_email: r.try_get(5)?,
        })
    })
    .transpose()
}

/// One student in a counsellor's caseload.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseloadEntry {
    pub name: String,
    pub email: String,
    pub student_number: String,
    pub programme_code: String,
    pub cohort_year: i64,
}

/// The counsellor's own caseload, ordered by name, at most `limit`; and the full count.
pub async fn caseload(
    t: Tenant<'_>,
    counsellor_id: &str,
    limit: u32,
) -> Result<(Vec<CaseloadEntry>, i64)> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT u.name, u.email, s.student_number, p.code, c.year FROM students s \
         JOIN users u ON u.id = s.user_id JOIN programmes p ON p.id = s.programme_id \
         JOIN cohorts c ON c.id = s.cohort_id \
         WHERE s.institution_id = $1 AND s.counsellor_id = $2 ORDER BY u.name, u.id LIMIT {limit}"
    )))
    .bind(t.institution_id)
    .bind(counsellor_id)
    .fetch_all(t.pool())
    .await?;
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM students WHERE institution_id = $1 AND counsellor_id = $2",
    )
    .bind(t.institution_id)
    .bind(counsellor_id)
    .fetch_one(t.pool())
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(CaseloadEntry {
                name: r.try_get(0)?,
                email: r.try_get(1)?,
                student_number: r.try_get(2)?,
                programme_code: r.try_get(3)?,
                cohort_year: r.try_get(4)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((items, total))
}

pub async fn count(t: Tenant<'_>) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM students WHERE institution_id = $1")
            .bind(t.institution_id)
            .fetch_one(t.pool())
            .await?,
    )
}
