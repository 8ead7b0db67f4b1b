//! The weekly digest of overdue agreements: for the person who made them and for the
//! counsellor of a student who did.

use crate::{Db, Result, Tenant};
use sqlx::Row;

/// People who should get a digest today: active, not opted out, not sent one in the last
/// week, with an open agreement past its date (their own, or of a student they counsel).
pub async fn due(db: &Db, today: &str, week_ago: &str) -> Result<Vec<(String, String)>> {
    sqlx::query(
        "SELECT DISTINCT r.institution_id, r.user_id FROM ( \
           SELECT a.institution_id, a.person_id AS user_id FROM agreements a \
           WHERE a.status = 'open' AND a.due_on < $1 \
           UNION SELECT a.institution_id, s.counsellor_id FROM agreements a \
           JOIN students s ON s.user_id = a.person_id AND s.institution_id = a.institution_id \
           WHERE a.status = 'open' AND a.due_on < $1 AND s.counsellor_id IS NOT NULL) r \
         JOIN users u ON u.id = r.user_id \
         WHERE u.active = 1 AND u.digest_opt_out = 0 AND (u.digest_sent_on IS NULL OR u.digest_sent_on <= $2) \
         ORDER BY r.institution_id, r.user_id",
    )
    .bind(today)
    .bind(week_ago)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .collect()
}

/// Claim today's digest for a person (false when another instance did, or it went out
/// within the week).
pub async fn claim(t: Tenant<'_>, user_id: &str, today: &str, week_ago: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET digest_sent_on = $3 WHERE institution_id = $1 AND id = $2 \
         AND (digest_sent_on IS NULL OR digest_sent_on <= $4)",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .bind(today)
    .bind(week_ago)
    .execute(t.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An overdue agreement in a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    /// Whose agreement (empty when it is the reader's own).
    pub person_name: String,
    pub description: String,
    pub due_on: String,
}

/// The reader's own overdue agreements, then those of the students they counsel.
pub async fn overdue_for(t: Tenant<'_>, user_id: &str, today: &str) -> Result<Vec<Overdue>> {
    sqlx::query(
        "SELECT '' AS who, a.description, a.due_on, 0 AS k FROM agreements a \
         WHERE a.institution_id = $1 AND a.person_id = $2 AND a.status = 'open' AND a.due_on < $3 \
         UNION ALL SELECT u.name, a.description, a.due_on, 1 FROM agreements a \
         JOIN students s ON s.user_id = a.person_id AND s.institution_id = a.institution_id \
         JOIN users u ON u.id = a.person_id \
         WHERE a.institution_id = $1 AND s.counsellor_id = $2 AND a.status = 'open' AND a.due_on < $3 \
         ORDER BY 4, 1, 3 LIMIT 200",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .bind(today)
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Overdue {
            person_name: r.try_get(0)?,
            description: r.try_get(1)?,
            due_on: r.try_get(2)?,
        })
    })
    .collect()
}

/// Whether the person gets the digest.
pub async fn wanted(t: Tenant<'_>, user_id: &str) -> Result<bool> {
    let off: i64 = sqlx::query_scalar(
        "SELECT digest_opt_out FROM users WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_one(t.pool())
    .await?;
    Ok(off == 0)
}

pub async fn set_wanted(t: Tenant<'_>, user_id: &str, wanted: bool) -> Result<()> {
    sqlx::query("UPDATE users SET digest_opt_out = $3 WHERE institution_id = $1 AND id = $2")
        .bind(t.institution_id)
        .bind(user_id)
        .bind(i64::from(!wanted))
        .execute(t.pool())
        .await?;
    Ok(())
}
