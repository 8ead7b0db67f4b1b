//! Failed logins, counted per account and per address for throttling. Stored in the database
//! so several app instances throttle together.

use crate::{Db, Result, now_ms};

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
pub const MAX_PER_ACCOUNT: i64 = 10;
pub const MAX_PER_ADDRESS: i64 = 50;

pub async fn record(db: &Db, email: &str, ip: &str) -> Result<()> {
    sqlx::query("INSERT INTO login_failures (id, email, ip, at) VALUES ($1, $2, $3, $4)")
        .bind(koers_domain::new_id())
        .bind(email)
        .bind(ip)
        .bind(now_ms())
        .execute(db.pool())
        .await?;
    Ok(())
}

/// If the account or the address is throttled: the seconds until the oldest failure in the
/// window expires.
pub async fn retry_after(db: &Db, email: &str, ip: &str) -> Result<Option<u64>> {
    let since = now_ms() - WINDOW_MS;
    for (col, key, max) in [
        ("email", email, MAX_PER_ACCOUNT),
        ("ip", ip, MAX_PER_ADDRESS),
    ] {
        let sql =
            format!("SELECT COUNT(*), MIN(at) FROM login_failures WHERE {col} = $1 AND at > $2");
        let (n, oldest): (i64, Option<i64>) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(key)
            .bind(since)
            .fetch_one(db.pool())
            .await?;
        if n >= max {
            let wait = oldest.map_or(WINDOW_MS, |o| o + WINDOW_MS - now_ms());
            return Ok(Some((wait.max(1000) / 1000) as u64));
        }
    }
    Ok(None)
}

/// After a successful login the account's failures no longer count.
pub async fn clear(db: &Db, email: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE email = $1")
        .bind(email)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Forget failures older than the window (housekeeping).
pub async fn prune(db: &Db) -> Result<u64> {
    let r = sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(now_ms() - WINDOW_MS)
        .execute(db.pool())
        .await?;
    Ok(r.rows_affected())
}
