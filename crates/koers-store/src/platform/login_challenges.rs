//! Logins whose password was right and that wait for the second factor. The browser holds a
//! random token in a short-lived cookie; the database keeps its hash, the person and the
//! number of codes tried.

use super::sessions::{hash_token, random_token};
use crate::{Db, Result, Tenant, now_ms};
use sqlx::Row;

/// A challenge lasts five minutes, for at most five codes.
pub const TTL_MS: i64 = 5 * 60 * 1000;
pub const MAX_ATTEMPTS: i64 = 5;

#[derive(Debug, Clone)]
pub struct Challenge {
    pub token_hash: String,
    pub user_id: String,
    pub institution_id: String,
    pub attempts: i64,
}

/// Start a challenge; returns the token for the cookie.
pub async fn create(t: Tenant<'_>, user_id: &str) -> Result<String> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO login_challenges (token_hash, user_id, institution_id, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(t.institution_id)
    .bind(now_ms() + TTL_MS)
    .execute(t.pool())
    .await?;
    Ok(token)
}

/// The live challenge of a cookie token. Unscoped by nature, like a session.
pub async fn lookup(db: &Db, token: &str) -> Result<Option<Challenge>> {
    let r = sqlx::query(
        "SELECT c.token_hash, c.user_id, c.institution_id, c.attempts FROM login_challenges c \
         JOIN users u ON u.id = c.user_id WHERE c.token_hash = $1 AND c.expires_at > $2 AND u.active = 1",
    )
    .bind(hash_token(token))
    .bind(now_ms())
    .fetch_optional(db.pool())
    .await?;
    r.map(|r| {
        Ok(Challenge {
            token_hash: r.try_get(0)?,
            user_id: r.try_get(1)?,
            institution_id: r.try_get(2)?,
            attempts: r.try_get::<i64, _>(3)?,
        })
    })
    .transpose()
}

/// Count a wrong code; the challenge ends after [`MAX_ATTEMPTS`]. Returns whether it lives on.
pub async fn fail(db: &Db, token_hash: &str) -> Result<bool> {
    sqlx::query("UPDATE login_challenges SET attempts = attempts + 1 WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    let r = sqlx::query("DELETE FROM login_challenges WHERE token_hash = $1 AND attempts >= $2")
        .bind(token_hash)
        .bind(MAX_ATTEMPTS)
        .execute(db.pool())
        .await?;
    Ok(r.rows_affected() == 0)
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_challenges WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Forget expired challenges (housekeeping).
pub async fn prune(db: &Db) -> Result<u64> {
    let r = sqlx::query("DELETE FROM login_challenges WHERE expires_at < $1")
        .bind(now_ms())
        .execute(db.pool())
        .await?;
    Ok(r.rows_affected())
}
