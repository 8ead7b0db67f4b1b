//! The append-only audit log. There is no update or delete here, on purpose.

use super::Page;
use crate::{Db, Result, Tenant, now_ms};
use sqlx::Row;

/// One event to record.
#[derive(Debug, Clone, Default)]
pub struct NewEvent<'a> {
    pub institution_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub actor_email: Option<&'a str>,
    /// A stable key such as `login.success`, `user.create`, `user.roles`.
    pub action: &'a str,
    pub subject_type: Option<&'a str>,
    pub subject_id: Option<&'a str>,
    pub details: serde_json::Value,
    pub ip: Option<&'a str>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Event {
    pub id: String,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    pub details: String,
    pub ip: Option<String>,
}

/// Record an event. Unscoped on purpose: failed logins for unknown accounts belong to no tenant.
pub async fn record(db: &Db, e: NewEvent<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_events (id, institution_id, at, actor_id, actor_email, action, subject_type, subject_id, details, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(koers_domain::new_id())
    .bind(e.institution_id)
    .bind(now_ms())
    .bind(e.actor_id)
    .bind(e.actor_email)
    .bind(e.action)
    .bind(e.subject_type)
    .bind(e.subject_id)
    .bind(e.details.to_string())
    .bind(e.ip)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The tenant's events, newest first; optional filter on the action prefix.
pub async fn list(
    t: Tenant<'_>,
    action_prefix: Option<&str>,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<Event>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, at, actor_id, actor_email, action, subject_type, subject_id, details, ip FROM audit_events \
         WHERE institution_id = $1 AND ($2 = '' OR action LIKE $3) AND ($4 = '' OR id < $4) \
         ORDER BY id DESC LIMIT {}",
        limit + 1
    )))
    .bind(t.institution_id)
    .bind(action_prefix.unwrap_or(""))
    .bind(format!("{}%", action_prefix.unwrap_or("").replace(['%', '_'], "")))
    .bind(cursor.unwrap_or(""))
    .fetch_all(t.pool())
    .await?;
    let mut items = rows
        .iter()
        .map(|r| {
            Ok(Event {
                id: r.try_get(0)?,
                at: r.try_get(1)?,
                actor_id: r.try_get(2)?,
                actor_email: r.try_get(3)?,
                action: r.try_get(4)?,
                subject_type: r.try_get(5)?,
                subject_id: r.try_get(6)?,
                details: r.try_get(7)?,
                ip: r.try_get(8)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|e| e.id.clone())
    } else {
        None
    };
    Ok(Page { items, next })
}
