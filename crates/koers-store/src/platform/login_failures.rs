//! Failed logins, counted per account *from one address* and per address, for throttling.
//! Stored in the database so several app instances throttle together.
//!
//! An account is never locked as such: someone who knows a colleague's address cannot lock them
//! out by failing on purpose, because the colleague logs in from another address (ASVS 2.2.1).
//! Guessing from many addresses is slowed per address and met by the password policy (length,
//! the breached-password blocklist) and the second factor.

use crate::{Db, Result, now_ms};

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures for one account from one address within the window.
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

/// If the account from this address, or the address, is throttled: the seconds until the
/// oldest failure in the window expires.
pub async fn retry_after(db: &Db, email: &str, ip: &str) -> Result<Option<u64>> {
    let since = now_ms() - WINDOW_MS;
    let pair: (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(at) FROM login_failures WHERE email = $1 AND ip = $2 AND at > $3",
    )
    .bind(email)
    .bind(ip)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    let address: (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM login_failures WHERE ip = $1 AND at > $2")
            .bind(ip)
            .bind(since)
            .fetch_one(db.pool())
            .await?;
    for ((n, oldest), max) in [(pair, MAX_PER_ACCOUNT), (address, MAX_PER_ADDRESS)] {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn failing_on_purpose_does_not_lock_the_account_elsewhere() {
        let dir = std::env::temp_dir().join(format!("koers-lf-{}", koers_domain::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = crate::Db::connect(&format!("sqlite://{}", dir.join("t.db").display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let victim = "collega@school.nl";
        for _ in 0..MAX_PER_ACCOUNT {
            record(&db, victim, "10.0.0.66").await.unwrap();
        }
        assert!(
            retry_after(&db, victim, "10.0.0.66")
                .await
                .unwrap()
                .is_some()
        );
        // The colleague, from their own address, is not held back.
        assert_eq!(retry_after(&db, victim, "10.0.0.7").await.unwrap(), None);
        // One address trying many accounts is.
        for i in 0..MAX_PER_ADDRESS {
            record(&db, &format!("x{i}@school.nl"), "10.0.0.99")
                .await
                .unwrap();
        }
        assert!(
            retry_after(&db, "nieuw@school.nl", "10.0.0.99")
                .await
                .unwrap()
                .is_some()
        );
        clear(&db, victim).await.unwrap();
        assert_eq!(retry_after(&db, victim, "10.0.0.66").await.unwrap(), None);
        std::fs::remove_dir_all(dir).ok();
    }
}
