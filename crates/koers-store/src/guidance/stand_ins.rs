//! Stand-in counsellors: temporary access to another counsellor's caseload for a set period.

use crate::{Result, StoreError, Tenant, now_ms};
use jiff::civil::Date;
use sqlx::Row;

#[derive(Debug, Clone, serde::Serialize)]
pub struct StandIn {
    pub id: String,
    pub counsellor_id: String,
    pub counsellor_name: String,
    pub stand_in_id: String,
    pub stand_in_name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub reason: String,
    pub ended: bool,
}

pub async fn create(
    t: Tenant<'_>,
    counsellor_id: &str,
    stand_in_id: &str,
    starts_on: Date,
    ends_on: Date,
    reason: &str,
    created_by: &str,
) -> Result<String> {
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO stand_ins (id, institution_id, counsellor_id, stand_in_id, starts_on, ends_on, reason, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(counsellor_id)
    .bind(stand_in_id)
    .bind(starts_on.to_string())
    .bind(ends_on.to_string())
    .bind(reason)
    .bind(created_by)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(id)
}

/// End a stand-in early.
pub async fn end(t: Tenant<'_>, id: &str) -> Result<()> {
    let n = sqlx::query(
        "UPDATE stand_ins SET ended_at = $3 WHERE institution_id = $1 AND id = $2 AND ended_at IS NULL",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(now_ms())
    .execute(t.pool())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The counsellors whose caseload `stand_in_id` reaches on `today`.
pub async fn covering(t: Tenant<'_>, stand_in_id: &str, today: Date) -> Result<Vec<String>> {
    let d = today.to_string();
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT counsellor_id FROM stand_ins WHERE institution_id = $1 AND stand_in_id = $2 \
         AND starts_on <= $3 AND ends_on >= $3 AND ended_at IS NULL",
    )
    .bind(t.institution_id)
    .bind(stand_in_id)
    .bind(d)
    .fetch_all(t.pool())
    .await?)
}

/// Whether `stand_in_id` stands in for `counsellor_id` on `today`.
pub async fn is_standing_in(
    t: Tenant<'_>,
    stand_in_id: &str,
    counsellor_id: &str,
    today: Date,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM stand_ins WHERE institution_id = $1 AND stand_in_id = $2 AND counsellor_id = $3 \
         AND starts_on <= $4 AND ends_on >= $4 AND ended_at IS NULL",
    )
    .bind(t.institution_id)
    .bind(stand_in_id)
    .bind(counsellor_id)
    .bind(today.to_string())
    .fetch_one(t.pool())
    .await?;
    Ok(n > 0)
}

/// Current and future stand-ins of the institution, and those of the last 90 days.
pub async fn list(t: Tenant<'_>, today: Date) -> Result<Vec<StandIn>> {
    let since = today
        .checked_sub(jiff::Span::new().days(90))
        .unwrap_or(today)
        .to_string();
    let rows = sqlx::query(
        "SELECT s.id, s.counsellor_id, c.name, s.stand_in_id, i.name, s.starts_on, s.ends_on, s.reason, s.ended_at \
         FROM stand_ins s JOIN users c ON c.id = s.counsellor_id JOIN users i ON i.id = s.stand_in_id \
         WHERE s.institution_id = $1 AND s.ends_on >= $2 ORDER BY s.starts_on DESC, s.id",
    )
    .bind(t.institution_id)
    .bind(since)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StandIn {
                id: r.try_get(0)?,
                counsellor_id: r.try_get(1)?,
                counsellor_name: r.try_get(2)?,
                stand_in_id: r.try_get(3)?,
                stand_in_name: r.try_get(4)?,
                starts_on: r.try_get(5)?,
                ends_on: r.try_get(6)?,
                reason: r.try_get(7)?,
                ended: r.try_get::<Option<i64>, _>(8)?.is_some(),
            })
        })
        .collect()
}

/// A counsellor of the institution with the size of their caseload.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Counsellor {
    pub id: String,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub students: i64,
}

/// Everyone holding the counsellor role (and who still has students), by name.
pub async fn counsellors(t: Tenant<'_>) -> Result<Vec<Counsellor>> {
    let rows = sqlx::query(
        "SELECT u.id, u.name, u.email, u.active, \
         (SELECT COUNT(*) FROM students s WHERE s.institution_id = $1 AND s.counsellor_id = u.id) \
         FROM users u WHERE u.institution_id = $1 AND (EXISTS (SELECT 1 FROM role_assignments r \
         WHERE r.user_id = u.id AND r.institution_id = $1 AND r.role = 'counsellor') \
         OR EXISTS (SELECT 1 FROM students s WHERE s.institution_id = $1 AND s.counsellor_id = u.id)) \
         ORDER BY u.name, u.id",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Counsellor {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                email: r.try_get(2)?,
                active: r.try_get::<i64, _>(3)? != 0,
                students: r.try_get(4)?,
            })
        })
        .collect()
}

/// Whether `user_id` holds the counsellor role and is active.
pub async fn is_counsellor(t: Tenant<'_>, user_id: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users u JOIN role_assignments r ON r.user_id = u.id \
         WHERE u.institution_id = $1 AND u.id = $2 AND u.active = 1 AND r.role = 'counsellor'",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_one(t.pool())
    .await?;
    Ok(n > 0)
}
