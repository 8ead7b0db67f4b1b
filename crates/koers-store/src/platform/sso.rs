//! Single sign-on records: login requests on their way through the provider, the link
//! between a provider account and a Koers account, and each institution's settings.

use crate::{Db, Result, Tenant, conflict_as, now_ms};
use sqlx::Row;

/// How long a login may take at the provider.
pub const REQUEST_TTL_MS: i64 = 10 * 60 * 1000;

/// A login on its way.
pub struct Request {
    pub nonce: String,
    pub pkce_verifier: String,
    pub next: String,
}

pub async fn save_request(
    db: &Db,
    state: &str,
    nonce: &str,
    pkce_verifier: &str,
    next: &str,
) -> Result<()> {
    let now = now_ms();
    // Old, abandoned requests go on the way.
    sqlx::query("DELETE FROM sso_requests WHERE created_at < $1")
        .bind(now - REQUEST_TTL_MS)
        .execute(db.pool())
        .await?;
    sqlx::query(
        "INSERT INTO sso_requests (state, nonce, pkce_verifier, next, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(state)
    .bind(nonce)
    .bind(pkce_verifier)
    .bind(next)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Take a request by its state, once: a replayed or expired state finds nothing.
pub async fn take_request(db: &Db, state: &str) -> Result<Option<Request>> {
    let row = sqlx::query(
        "DELETE FROM sso_requests WHERE state = $1 AND created_at >= $2 \
         RETURNING nonce, pkce_verifier, next",
    )
    .bind(state)
    .bind(now_ms() - REQUEST_TTL_MS)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Request {
            nonce: r.try_get(0)?,
            pkce_verifier: r.try_get(1)?,
            next: r.try_get(2)?,
        })
    })
    .transpose()
}

/// The Koers account (institution, user) linked to a provider account.
pub async fn identity(db: &Db, issuer: &str, subject: &str) -> Result<Option<(String, String)>> {
    let row = sqlx::query(
        "SELECT institution_id, user_id FROM sso_identities WHERE issuer = $1 AND subject = $2",
    )
    .bind(issuer)
    .bind(subject)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// Link a provider account to a Koers account (or note another login of a linked one).
pub async fn link(t: Tenant<'_>, issuer: &str, subject: &str, user_id: &str) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sso_identities (issuer, subject, user_id, institution_id, created_at, last_login_at) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (issuer, subject) DO UPDATE SET last_login_at = $5",
    )
    .bind(issuer)
    .bind(subject)
    .bind(user_id)
    .bind(t.institution_id)
    .bind(now)
    .execute(t.pool())
    .await?;
    Ok(())
}

/// The institution whose home organisation this is.
pub async fn institution_by_home(db: &Db, home: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM institutions WHERE sso_home_organization = $1")
            .bind(home)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// The user of a student number in the institution.
pub async fn user_by_student_number(t: Tenant<'_>, number: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM students WHERE institution_id = $1 AND student_number = $2",
    )
    .bind(t.institution_id)
    .bind(number)
    .fetch_optional(t.pool())
    .await?)
}

/// An institution's single sign-on settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub home_organization: Option<String>,
    pub password_login: bool,
}

pub async fn settings(t: Tenant<'_>) -> Result<Settings> {
    let r =
        sqlx::query("SELECT sso_home_organization, password_login FROM institutions WHERE id = $1")
            .bind(t.institution_id)
            .fetch_one(t.pool())
            .await?;
    Ok(Settings {
        home_organization: r.try_get(0)?,
        password_login: r.try_get::<i64, _>(1)? != 0,
    })
}

/// Change the settings; a home organisation belongs to one institution.
pub async fn set_settings(t: Tenant<'_>, s: &Settings) -> Result<()> {
    sqlx::query(
        "UPDATE institutions SET sso_home_organization = $2, password_login = $3 WHERE id = $1",
    )
    .bind(t.institution_id)
    .bind(s.home_organization.as_deref())
    .bind(i64::from(s.password_login))
    .execute(t.pool())
    .await
    .map_err(conflict_as("home_organization"))?;
    Ok(())
}
