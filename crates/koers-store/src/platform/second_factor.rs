//! The second factor of local accounts: the TOTP secret, the last step used, recovery codes.

use crate::sealing::SealingKey;
use crate::{Db, Result, StoreError, Tenant, now_ms};
use koers_domain::platform::totp::{Secret, recovery_code_hash};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Factor {
    pub secret: Secret,
    /// False while enrolling.
    pub confirmed: bool,
    pub last_step: u64,
}

pub async fn get(t: Tenant<'_>, user_id: &str) -> Result<Option<Factor>> {
    let r = sqlx::query(
        "SELECT secret, confirmed_at, last_step FROM totp_factors WHERE user_id = $1 AND institution_id = $2",
    )
    .bind(user_id)
    .bind(t.institution_id)
    .fetch_optional(t.pool())
    .await?;
    let Some(r) = r else { return Ok(None) };
    let stored: String = r.try_get(0)?;
    let unreadable = || crate::StoreError::Corrupt("TOTP secret".into());
    let secret = if SealingKey::is_sealed(&stored) {
        t.db.sealing()?
            .open(&stored, user_id)
            .ok_or_else(unreadable)?
    } else {
        // Written before secrets were sealed; `seal_stored_secrets` seals it at the next start.
        stored
    };
    Ok(Some(Factor {
        secret: Secret::from_base32(&secret).ok_or_else(unreadable)?,
        confirmed: r.try_get::<Option<i64>, _>(1)?.is_some(),
        last_step: r.try_get::<i64, _>(2)?.max(0) as u64,
    }))
}

/// Start (or restart) an enrolment with a new secret; a confirmed factor is left alone.
/// Returns the secret to show, which is the one already pending if there is one.
pub async fn begin(t: Tenant<'_>, user_id: &str) -> Result<Secret> {
    if let Some(f) = get(t, user_id).await?
        && !f.confirmed
    {
        return Ok(f.secret);
    }
    let secret = Secret::generate();
    let sealed = t.db.sealing()?.seal(&secret.to_base32(), user_id);
    let r = sqlx::query(
        "INSERT INTO totp_factors (user_id, institution_id, secret, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(t.institution_id)
    .bind(&sealed)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    if r.rows_affected() == 0 {
        return Err(crate::StoreError::Conflict("second factor"));
    }
    Ok(secret)
}

/// Confirm a pending enrolment with the step of the first code typed, and store the hashes
/// of new recovery codes (replacing any earlier ones).
pub async fn confirm(t: Tenant<'_>, user_id: &str, step: u64, recovery: &[String]) -> Result<()> {
    let mut tx = t.db.begin().await?;
    let r = sqlx::query(
        "UPDATE totp_factors SET confirmed_at = $3, last_step = $4 \
         WHERE user_id = $1 AND institution_id = $2 AND confirmed_at IS NULL",
    )
    .bind(user_id)
    .bind(t.institution_id)
    .bind(now_ms())
    .bind(step as i64)
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() != 1 {
        return Err(crate::StoreError::NotFound);
    }
    sqlx::query("DELETE FROM totp_recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    for code in recovery {
        sqlx::query("INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(recovery_code_hash(code))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM second_factor_renewals WHERE user_id = $1 AND institution_id = $2")
        .bind(user_id)
        .bind(t.institution_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Record that the code of `step` was used. False when that step (or a later one) was
/// already used — by another request or another instance — so the code does not count.
pub async fn use_step(t: Tenant<'_>, user_id: &str, step: u64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE totp_factors SET last_step = $3 WHERE user_id = $1 AND institution_id = $2 AND last_step < $3",
    )
    .bind(user_id)
    .bind(t.institution_id)
    .bind(step as i64)
    .execute(t.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Use a recovery code: true once per code.
pub async fn use_recovery_code(t: Tenant<'_>, user_id: &str, code: &str) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE totp_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL \
         AND EXISTS (SELECT 1 FROM totp_factors f WHERE f.user_id = $1 AND f.institution_id = $4)",
    )
    .bind(user_id)
    .bind(recovery_code_hash(code))
    .bind(now_ms())
    .bind(t.institution_id)
    .execute(t.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Recovery codes not used yet.
pub async fn recovery_codes_left(t: Tenant<'_>, user_id: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM totp_recovery_codes c JOIN totp_factors f ON f.user_id = c.user_id \
         WHERE c.user_id = $1 AND f.institution_id = $2 AND c.used_at IS NULL",
    )
    .bind(user_id)
    .bind(t.institution_id)
    .fetch_one(t.pool())
    .await?;
    Ok(n)
}

/// Remove the second factor and its recovery codes (the holder turned it off, or an
/// administrator reset it for someone who lost their phone).
pub async fn remove(t: Tenant<'_>, user_id: &str) -> Result<bool> {
    let mut tx = t.db.begin().await?;
    let r = sqlx::query("DELETE FROM totp_factors WHERE user_id = $1 AND institution_id = $2")
        .bind(user_id)
        .bind(t.institution_id)
        .execute(&mut *tx)
        .await?;
    if r.rows_affected() > 0 {
        sqlx::query("DELETE FROM totp_recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(r.rows_affected() > 0)
}

/// Whether the person must set up a new second factor: theirs was forgotten when the secret
/// key was replaced (`koers secret-key reset`).
pub async fn renewal_due(t: Tenant<'_>, user_id: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM second_factor_renewals WHERE user_id = $1 AND institution_id = $2",
    )
    .bind(user_id)
    .bind(t.institution_id)
    .fetch_one(t.pool())
    .await?;
    Ok(n > 0)
}

/// What replacing a lost secret key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyReset {
    /// People whose second factor was forgotten; they set up a new one at their next login.
    pub forgotten: usize,
    /// Sessions and API tokens ended.
    pub sessions_ended: u64,
}

/// The secret key is lost (or the backup was restored without it): the sealed second-factor
/// secrets can never be opened again. Forget them and their recovery codes, store the check
/// value of `new_key`, end every session and waiting login, and ask everyone who had a second
/// factor to set up a new one at their next password login. One transaction, with an audit
/// event per person (on their "who read or changed my data") and per institution. Writing the
/// new key file is the caller's, after this has committed.
pub async fn forget_all(db: &Db, new_key: &SealingKey, by: &str) -> Result<KeyReset> {
    use super::audit::{NewEvent, record_in};
    let mut tx = db.begin().await?;
    let had: Vec<(String, String)> = sqlx::query_as(
        "SELECT user_id, institution_id FROM totp_factors WHERE confirmed_at IS NOT NULL \
         ORDER BY institution_id, user_id",
    )
    .fetch_all(&mut *tx)
    .await?;
    let now = now_ms();
    for (user, institution) in &had {
        sqlx::query(
            "INSERT INTO second_factor_renewals (user_id, institution_id, requested_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user)
        .bind(institution)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    for table in ["totp_recovery_codes", "totp_factors", "login_challenges"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
            .execute(&mut *tx)
            .await?;
    }
    let sessions_ended = sqlx::query("DELETE FROM sessions")
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query(
        "INSERT INTO sealing_check (id, sealed, created_at) VALUES ('second-factors', $1, $2) \
         ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed, created_at = excluded.created_at",
    )
    .bind(new_key.seal(CHECK, CHECK))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let institutions: Vec<String> = sqlx::query_scalar("SELECT id FROM institutions ORDER BY id")
        .fetch_all(&mut *tx)
        .await?;
    for institution in &institutions {
        let people = had.iter().filter(|(_, i)| i == institution).count();
        record_in(
            &mut tx,
            NewEvent {
                institution_id: Some(institution),
                action: "second-factor.key-reset",
                details: serde_json::json!({"by": by, "second_factors_forgotten": people}),
                ..Default::default()
            },
        )
        .await?;
    }
    for (user, institution) in &had {
        record_in(
            &mut tx,
            NewEvent {
                institution_id: Some(institution),
                action: "second-factor.forgotten",
                subject_type: Some("user"),
                subject_id: Some(user),
                person_id: Some(user),
                details: serde_json::json!({"by": by, "reason": "secret-key-replaced"}),
                ..Default::default()
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(KeyReset {
        forgotten: had.len(),
        sessions_ended,
    })
}

const CHECK: &str = "koers-sealing-check";

/// Whether `key` is the one this database's second factors were sealed with (true for a
/// database that has none yet). Read only: asked before a new key file is written.
pub async fn key_fits(db: &Db, key: &SealingKey) -> Result<bool> {
    let check: Option<String> =
        sqlx::query_scalar("SELECT sealed FROM sealing_check WHERE id = 'second-factors'")
            .fetch_optional(db.pool())
            .await?;
    if check.is_some_and(|c| key.open(&c, CHECK).as_deref() != Some(CHECK)) {
        return Ok(false);
    }
    let sealed: Option<(String, String)> =
        sqlx::query_as("SELECT user_id, secret FROM totp_factors WHERE secret LIKE 'v1:%' LIMIT 1")
            .fetch_optional(db.pool())
            .await?;
    Ok(sealed.is_none_or(|(user, s)| key.open(&s, &user).is_some()))
}

/// At start-up: check that the configured key is this database's (every instance must use the
/// same key), and seal the secrets written before sealing. Returns how many were sealed now.
pub async fn seal_stored_secrets(db: &Db) -> Result<usize> {
    let key = db.sealing()?;
    // The first start stores a check value; later starts (and other instances) must open it.
    sqlx::query(
        "INSERT INTO sealing_check (id, sealed, created_at) VALUES ('second-factors', $1, $2) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(key.seal(CHECK, CHECK))
    .bind(now_ms())
    .execute(db.pool())
    .await?;
    if !key_fits(db, key).await? {
        return Err(StoreError::Corrupt(
            "the secret key is not the one this database's second factors were sealed with: \
             every instance needs the same --secret-key-file"
                .into(),
        ));
    }
    let plain: Vec<(String, String)> =
        sqlx::query_as("SELECT user_id, secret FROM totp_factors WHERE secret NOT LIKE 'v1:%'")
            .fetch_all(db.pool())
            .await?;
    for (user_id, stored) in &plain {
        sqlx::query("UPDATE totp_factors SET secret = $1 WHERE user_id = $2 AND secret = $3")
            .bind(key.seal(stored, user_id))
            .bind(user_id)
            .bind(stored)
            .execute(db.pool())
            .await?;
    }
    Ok(plain.len())
}
