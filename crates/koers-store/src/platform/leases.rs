//! Leases for background jobs: with several instances on one database, the one that holds a
//! job's lease runs it; the lease expires on its own if that instance stops.

use crate::{Db, Result, now_ms};

/// Take (or renew) the lease of `job` for `holder` for `ttl_ms`. False when another holder's
/// lease has not expired.
pub async fn acquire(db: &Db, job: &str, holder: &str, ttl_ms: i64) -> Result<bool> {
    acquire_at(db, job, holder, ttl_ms, now_ms()).await
}

/// [`acquire`] at a given time (tests move the clock).
pub async fn acquire_at(db: &Db, job: &str, holder: &str, ttl_ms: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO job_leases (name, holder, until_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET holder = $2, until_ms = $3 \
         WHERE job_leases.until_ms < $4 OR job_leases.holder = $2",
    )
    .bind(job)
    .bind(holder)
    .bind(now + ttl_ms)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Give the lease back (at a graceful stop), so another instance takes over at once.
pub async fn release(db: &Db, job: &str, holder: &str) -> Result<()> {
    sqlx::query("DELETE FROM job_leases WHERE name = $1 AND holder = $2")
        .bind(job)
        .bind(holder)
        .execute(db.pool())
        .await?;
    Ok(())
}
