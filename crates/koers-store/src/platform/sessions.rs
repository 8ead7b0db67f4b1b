//! Server-side sessions for the web (cookie) and the API (bearer token). The token itself is
//! only given to the client; the database keeps its SHA-256.

use crate::{Db, Result, Tenant, now_ms};
use base64::Engine;
use sha2::{Digest, Sha256};
use sqlx::Row;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Web,
    Api,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Web => "web",
            Kind::Api => "api",
        }
    }
}

/// Web sessions end after 2 hours without use or 12 hours after login; API tokens after 30 days.
pub const WEB_IDLE_MS: i64 = 2 * 3600 * 1000;
pub const WEB_ABSOLUTE_MS: i64 = 12 * 3600 * 1000;
pub const API_ABSOLUTE_MS: i64 = 30 * 24 * 3600 * 1000;
/// `last_seen_at` is written at most once a minute per session (reads stay cheap).
const TOUCH_EVERY_MS: i64 = 60 * 1000;

#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub user_id: String,
    pub institution_id: String,
    pub csrf_token: String,
    pub kind: Kind,
}

pub fn random_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

pub fn hash_token(token: &str) -> String {
    let d = Sha256::digest(token.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Start a session; returns the token for the client and the stored session.
pub async fn create(t: Tenant<'_>, user_id: &str, kind: Kind) -> Result<(String, Session)> {
    let token = random_token();
    let s = Session {
        token_hash: hash_token(&token),
        user_id: user_id.to_owned(),
        institution_id: t.institution_id.to_owned(),
        csrf_token: random_token(),
        kind,
    };
    let now = now_ms();
    let expires = now
        + if kind == Kind::Web {
            WEB_ABSOLUTE_MS
        } else {
            API_ABSOLUTE_MS
        };
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, institution_id, kind, csrf_token, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
    )
    .bind(&s.token_hash)
    .bind(&s.user_id)
    .bind(&s.institution_id)
    .bind(kind.key())
    .bind(&s.csrf_token)
    .bind(now)
    .bind(expires)
    .execute(t.pool())
    .await?;
    Ok((token, s))
}

/// The live session for a client token of the given kind, if any. Unscoped by nature: the
/// session is what tells the tenant. Inactive users have no live sessions.
pub async fn lookup(db: &Db, token: &str, kind: Kind) -> Result<Option<Session>> {
    let hash = hash_token(token);
    let now = now_ms();
    let r = sqlx::query(
        "SELECT s.user_id, s.institution_id, s.csrf_token, s.last_seen_at, s.expires_at FROM sessions s \
         JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.kind = $2 AND u.active = 1",
    )
    .bind(&hash)
    .bind(kind.key())
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = r else { return Ok(None) };
    let last_seen: i64 = r.try_get(3)?;
    let expires: i64 = r.try_get(4)?;
    if now >= expires || (kind == Kind::Web && now - last_seen > WEB_IDLE_MS) {
        delete(db, &hash).await?;
        return Ok(None);
    }
    if now - last_seen > TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(&hash)
            .bind(now)
            .execute(db.pool())
            .await?;
    }
    Ok(Some(Session {
        token_hash: hash,
        user_id: r.try_get(0)?,
        institution_id: r.try_get(1)?,
        csrf_token: r.try_get(2)?,
        kind,
    }))
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// End every session of a user except `keep` ("log out everywhere else").
pub async fn delete_all_for_user(t: Tenant<'_>, user_id: &str, keep: Option<&str>) -> Result<u64> {
    let r = sqlx::query(
        "DELETE FROM sessions WHERE institution_id = $1 AND user_id = $2 AND token_hash <> $3",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .bind(keep.unwrap_or(""))
    .execute(t.pool())
    .await?;
    Ok(r.rows_affected())
}

/// Count of live sessions of a user.
pub async fn count_for_user(t: Tenant<'_>, user_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM sessions WHERE institution_id = $1 AND user_id = $2 AND expires_at > $3",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .bind(now_ms())
    .fetch_one(t.pool())
    .await?)
}

/// Remove expired sessions (housekeeping).
pub async fn prune(db: &Db) -> Result<u64> {
    let now = now_ms();
    let r = sqlx::query(
        "DELETE FROM sessions WHERE expires_at < $1 OR (kind = 'web' AND last_seen_at < $2)",
    )
    .bind(now)
    .bind(now - WEB_IDLE_MS)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected())
}
