//! Proving a second factor: a TOTP code (once per time step, across instances) or an unused
//! recovery code.

use crate::AppResult;
use koers_domain::platform::totp::is_recovery_code;
use koers_store::Tenant;
use koers_store::platform::second_factor::{self, Factor};

/// Seconds since the epoch, the clock of TOTP codes.
pub fn unix_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Check a typed code against a confirmed factor: a TOTP code (once per time step, across
/// instances) or an unused recovery code. Returns how it was proven.
pub async fn check(
    t: Tenant<'_>,
    user_id: &str,
    factor: &Factor,
    code: &str,
) -> AppResult<Option<&'static str>> {
    if is_recovery_code(code) {
        return Ok(second_factor::use_recovery_code(t, user_id, code)
            .await?
            .then_some("recovery-code"));
    }
    match factor.secret.verify(code, unix_secs(), factor.last_step) {
        Some(step) if second_factor::use_step(t, user_id, step).await? => Ok(Some("totp")),
        _ => Ok(None),
    }
}
