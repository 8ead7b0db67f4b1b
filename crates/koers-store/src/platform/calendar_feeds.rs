//! Personal calendar feeds: one secret token per user, in the feed's address.

use crate::{Db, Result, Tenant, now_ms};
use sqlx::Row;

fn new_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The user's feed token, made on first use.
pub async fn token(t: Tenant<'_>, user_id: &str) -> Result<String> {
    if let Some(tok) = sqlx::query_scalar::<_, String>(
        "SELECT token FROM calendar_feeds WHERE institution_id = $1 AND user_id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_optional(t.pool())
    .await?
    {
        return Ok(tok);
    }
    renew(t, user_id).await
}

/// A new token (the old address stops working).
pub async fn renew(t: Tenant<'_>, user_id: &str) -> Result<String> {
    let tok = new_token();
    let mut tx = t.db.begin().await?;
    sqlx::query("DELETE FROM calendar_feeds WHERE institution_id = $1 AND user_id = $2")
        .bind(t.institution_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO calendar_feeds (user_id, institution_id, token, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(t.institution_id)
    .bind(&tok)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(tok)
}

/// Stop the feed.
pub async fn revoke(t: Tenant<'_>, user_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM calendar_feeds WHERE institution_id = $1 AND user_id = $2")
        .bind(t.institution_id)
        .bind(user_id)
        .execute(t.pool())
        .await?;
    Ok(())
}

/// Whether the user has a feed.
pub async fn exists(t: Tenant<'_>, user_id: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM calendar_feeds WHERE institution_id = $1 AND user_id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_one(t.pool())
    .await?;
    Ok(n > 0)
}

/// The (institution, user) of an active account a token belongs to.
pub async fn owner(db: &Db, token: &str) -> Result<Option<(String, String)>> {
    let row = sqlx::query(
        "SELECT f.institution_id, f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id \
         WHERE f.token = $1 AND u.active = 1",
    )
    .bind(token)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}
