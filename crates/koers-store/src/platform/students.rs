//! Student enrolments seen from the platform (counts for the administrator). The student
//! record itself, with phases and guidance, lives in [`crate::guidance::students`].

use crate::{Result, Tenant};

pub async fn count(t: Tenant<'_>) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM students WHERE institution_id = $1")
            .bind(t.institution_id)
            .fetch_one(t.pool())
            .await?,
    )
}
