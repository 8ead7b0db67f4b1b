//! Applying a staff import: new accounts with their roles, or roles added to existing ones
//! (nothing is taken away), all in one transaction.

use crate::{Result, Tenant, now_ms};
use koers_domain::staff::import::StaffRow;
use sqlx::Row;

/// What an import would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Check {
    pub new: i64,
    pub updated: i64,
    /// Lines whose email belongs to an account of another institution.
    pub taken: Vec<(u64, String)>,
}

pub async fn check(t: Tenant<'_>, rows: &[StaffRow]) -> Result<Check> {
    let mut out = Check::default();
    for r in rows {
        let found: Option<String> =
            sqlx::query_scalar("SELECT institution_id FROM users WHERE email = $1")
                .bind(&r.email)
                .fetch_optional(t.pool())
                .await?;
        match found {
            None => out.new += 1,
            Some(i) if i == t.institution_id => out.updated += 1,
            Some(_) => out.taken.push((r.line, r.email.clone())),
        }
    }
    Ok(out)
}

/// Apply the rows: (created, updated).
pub async fn apply(t: Tenant<'_>, rows: &[StaffRow]) -> Result<(i64, i64)> {
    let now = now_ms();
    let (mut created, mut updated) = (0, 0);
    let mut tx = t.db.begin().await?;
    for r in rows {
        let existing = sqlx::query("SELECT id FROM users WHERE institution_id = $1 AND email = $2")
            .bind(t.institution_id)
            .bind(&r.email)
            .fetch_optional(&mut *tx)
            .await?;
        let user_id = match existing {
            Some(row) => {
                let id: String = row.try_get(0)?;
                sqlx::query("UPDATE users SET name = $3, updated_at = $4 WHERE institution_id = $1 AND id = $2")
                    .bind(t.institution_id)
                    .bind(&id)
                    .bind(&r.name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                updated += 1;
                id
            }
            None => {
                let id = koers_domain::new_id();
                sqlx::query(
                    "INSERT INTO users (id, institution_id, email, name, password_hash, locale, active, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, NULL, NULL, 1, $5, $5)",
                )
                .bind(&id)
                .bind(t.institution_id)
                .bind(&r.email)
                .bind(&r.name)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(crate::conflict_as("email"))?;
                created += 1;
                id
            }
        };
        let held: Vec<String> = sqlx::query_scalar(
            "SELECT role FROM role_assignments WHERE institution_id = $1 AND user_id = $2 AND programme_id IS NULL",
        )
        .bind(t.institution_id)
        .bind(&user_id)
        .fetch_all(&mut *tx)
        .await?;
        let wanted = std::iter::once("employee").chain(r.roles.iter().map(String::as_str));
        for role in wanted {
            if held.iter().any(|h| h == role) {
                continue;
            }
            sqlx::query(
                "INSERT INTO role_assignments (id, institution_id, user_id, role, programme_id, created_at) \
                 VALUES ($1, $2, $3, $4, NULL, $5)",
            )
            .bind(koers_domain::new_id())
            .bind(t.institution_id)
            .bind(&user_id)
            .bind(role)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok((created, updated))
}
