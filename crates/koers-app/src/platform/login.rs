//! Logging in with a password (pages and API alike): throttling, the account check that
//! does not tell whether an address exists, single-sign-on-only institutions, the second
//! factor, the session, and the audit line of each outcome.

use crate::{AppError, AppResult};
use koers_domain::Email;
use koers_store::platform::audit::{self, NewEvent};
use koers_store::platform::sessions::{self, Kind};
use koers_store::platform::users::{self, HeldRole, User};
use koers_store::platform::{login_failures, passwords};
use koers_store::{Db, Tenant};

/// The deployment's rules for logging in.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Roles whose holders must prove a second factor.
    pub second_factor_roles: Vec<koers_domain::Role>,
}

impl Rules {
    /// Whether one of these roles requires a second factor.
    pub fn second_factor_required(&self, roles: &[HeldRole]) -> bool {
        roles
            .iter()
            .any(|r| self.second_factor_roles.contains(&r.role))
    }
}

/// Why a login failed.
pub enum LoginFailure {
    Wrong,
    Throttled(u64),
    /// The password was right, but the institution has turned passwords off (single sign-on
    /// only); its administrators keep theirs.
    SsoOnly,
    /// The password was right; the second factor is still needed (`enrolled`), or must first
    /// be set up (not `enrolled`, the role requires it).
    SecondFactor {
        user_id: String,
        institution_id: String,
        enrolled: bool,
    },
}

/// Check credentials and start a session of `kind`. Failures are counted and audited; the
/// answer does not tell whether the account exists. With a second factor set up (or required
/// by a role), `code` must prove it (the API sends it along; the web asks for it next).
pub async fn attempt(
    db: &Db,
    rules: &Rules,
    email: &str,
    password: &str,
    ip: &str,
    kind: Kind,
    code: Option<&str>,
) -> AppResult<Result<(String, User), LoginFailure>> {
    let via = if kind == Kind::Web { "web" } else { "api" };
    let email = Email::parse(email)
        .map(|e| e.as_str().to_owned())
        .unwrap_or_else(|_| email.trim().to_lowercase());
    if let Some(wait) = login_failures::retry_after(db, &email, ip).await? {
        return Ok(Err(LoginFailure::Throttled(wait)));
    }
    let account = users::find_for_login(db, &email).await?;
    let hash = account
        .as_ref()
        .and_then(|a| a.password_hash.clone())
        .unwrap_or_else(|| passwords::dummy_hash().to_owned());
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || passwords::verify(&pw, &hash))
        .await
        .unwrap_or(false);
    let account = match account {
        Some(a) if ok && a.active && a.password_hash.is_some() => a,
        known => {
            login_failures::record(db, &email, ip).await?;
            audit::record(
                db,
                NewEvent {
                    institution_id: known.as_ref().map(|a| a.institution_id.as_str()),
                    actor_id: known.as_ref().map(|a| a.id.as_str()),
                    actor_email: Some(&email),
                    action: "login.failure",
                    ip: Some(ip),
                    details: serde_json::json!({ "via": via }),
                    ..Default::default()
                },
            )
            .await?;
            return Ok(Err(LoginFailure::Wrong));
        }
    };
    login_failures::clear(db, &email).await?;
    let t = Tenant::new(db, &account.institution_id);
    let user = users::get(t, &account.id)
        .await?
        .ok_or(AppError::NotFound)?;
    // A login event of this account (its address, from where, through which door).
    let event = |action: &'static str, details: serde_json::Value| {
        audit::record(
            db,
            NewEvent {
                institution_id: Some(&account.institution_id),
                actor_id: Some(&account.id),
                actor_email: Some(&account.email),
                action,
                ip: Some(ip),
                details,
                ..Default::default()
            },
        )
    };
    if !koers_store::platform::sso::settings(t)
        .await?
        .password_login
        && !user
            .roles
            .iter()
            .any(|r| r.role == koers_domain::Role::Administrator)
    {
        event(
            "login.failure",
            serde_json::json!({ "via": via, "reason": "sso-only" }),
        )
        .await?;
        return Ok(Err(LoginFailure::SsoOnly));
    }
    let factor = koers_store::platform::second_factor::get(t, &account.id)
        .await?
        .filter(|f| f.confirmed);
    let mut proof = None;
    if factor.is_some()
        || rules.second_factor_required(&user.roles)
        || koers_store::platform::second_factor::renewal_due(t, &account.id).await?
    {
        let (Some(f), Some(code)) = (&factor, code.filter(|c| !c.trim().is_empty())) else {
            return Ok(Err(LoginFailure::SecondFactor {
                user_id: account.id.clone(),
                institution_id: account.institution_id.clone(),
                enrolled: factor.is_some(),
            }));
        };
        proof = super::second_factor::check(t, &account.id, f, code).await?;
        if proof.is_none() {
            login_failures::record(db, &email, ip).await?;
            event(
                "login.failure",
                serde_json::json!({ "via": via, "reason": "second-factor" }),
            )
            .await?;
            return Ok(Err(LoginFailure::Wrong));
        }
    }
    let (token, _) = sessions::create(t, &account.id, kind).await?;
    event(
        "login.success",
        match proof {
            Some(p) => serde_json::json!({ "via": via, "second_factor": p }),
            None => serde_json::json!({ "via": via }),
        },
    )
    .await?;
    Ok(Ok((token, user)))
}
