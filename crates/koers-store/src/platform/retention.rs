//! Retention: per category of personal data a period, after which a daily job removes or
//! anonymises what has expired. The clock is a parameter, so tests move it.

use crate::{Db, Result, Tenant, now_ms};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Retention periods in days, per category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Policy {
    /// Students who left: their account is switched off the day after they left, and they are
    /// erased this long after leaving.
    pub left_students: i64,
    /// Accounts switched off (staff who left, partner people): erased this long after.
    pub inactive_accounts: i64,
    /// The audit log's personal fields (e-mail and IP address, details): blanked after this.
    pub audit_personal: i64,
    /// Notifications that were read: removed after this.
    pub notifications: i64,
    /// Mail that was sent: removed from the outbox after this.
    pub outbox: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            left_students: 730,
            inactive_accounts: 365,
            audit_personal: 730,
            notifications: 365,
            outbox: 90,
        }
    }
}

/// The categories, their keys on the command line, and a policy's period for each.
pub const CATEGORIES: [&str; 5] = [
    "left-students",
    "inactive-accounts",
    "audit-personal",
    "notifications",
    "outbox",
];

impl Policy {
    pub fn days(&self, category: &str) -> Option<i64> {
        Some(match category {
            "left-students" => self.left_students,
            "inactive-accounts" => self.inactive_accounts,
            "audit-personal" => self.audit_personal,
            "notifications" => self.notifications,
            "outbox" => self.outbox,
            _ => return None,
        })
    }

    /// Read `category=days,…` over the defaults; days from 1 to 36,500.
    pub fn parse(spec: &str) -> Result<Policy, String> {
        let mut p = Policy::default();
        for part in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?}: use category=days"))?;
            let days: i64 = v
                .trim()
                .parse()
                .ok()
                .filter(|d| (1..=36_500).contains(d))
                .ok_or_else(|| format!("{part:?}: days must be a number from 1 to 36500"))?;
            match k.trim() {
                "left-students" => p.left_students = days,
                "inactive-accounts" => p.inactive_accounts = days,
                "audit-personal" => p.audit_personal = days,
                "notifications" => p.notifications = days,
                "outbox" => p.outbox = days,
                other => {
                    return Err(format!(
                        "unknown category {other:?} (known: {})",
                        CATEGORIES.join(", ")
                    ));
                }
            }
        }
        Ok(p)
    }
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub accounts_deactivated: u64,
    pub people_erased: u64,
    pub audit_events_blanked: u64,
    pub notifications_removed: u64,
    pub mails_removed: u64,
}

/// The calendar date (Dutch time) of an instant, as `YYYY-MM-DD`.
fn date_of(ms: i64) -> String {
    koers_domain::time::local(ms).date().to_string()
}

/// Apply the policy as of `now` (epoch ms) to every institution.
pub async fn run(db: &Db, policy: &Policy, now: i64) -> Result<Report> {
    let mut report = Report::default();
    let today = date_of(now);
    // Students who left: their accounts are switched off.
    let leavers: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.institution_id, u.id FROM users u JOIN students s ON s.user_id = u.id \
         WHERE u.active = 1 AND s.left_on IS NOT NULL AND s.left_on <> '' AND s.left_on < $1",
    )
    .bind(&today)
    .fetch_all(db.pool())
    .await?;
    for (inst, user) in &leavers {
        super::users::set_active(Tenant::new(db, inst), user, false).await?;
        report.accounts_deactivated += 1;
    }
    // Erasure: students some time after leaving, other accounts some time after switching off.
    let left_before = date_of(now - policy.left_students * DAY_MS);
    let off_before = now - policy.inactive_accounts * DAY_MS;
    let expired: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.institution_id, u.id FROM users u LEFT JOIN students s ON s.user_id = u.id \
         WHERE u.erased_at IS NULL AND u.active = 0 AND ( \
           (s.id IS NOT NULL AND s.left_on IS NOT NULL AND s.left_on <> '' AND s.left_on < $1) \
           OR (s.id IS NULL AND u.deactivated_at IS NOT NULL AND u.deactivated_at < $2))",
    )
    .bind(&left_before)
    .bind(off_before)
    .fetch_all(db.pool())
    .await?;
    for (inst, user) in &expired {
        let t = Tenant::new(db, inst);
        super::personal_data::erase(t, user).await?;
        super::audit::record(
            db,
            super::audit::NewEvent {
                institution_id: Some(inst),
                action: "retention.purge",
                subject_type: Some("user"),
                subject_id: Some(user),
                person_id: Some(user),
                details: serde_json::json!({ "category": "person" }),
                ..Default::default()
            },
        )
        .await?;
        report.people_erased += 1;
    }
    let r = sqlx::query(
        "UPDATE audit_events SET actor_email = NULL, ip = NULL, details = '{\"expired\":true}', salt = NULL \
         WHERE at < $1 AND salt IS NOT NULL",
    )
    .bind(now - policy.audit_personal * DAY_MS)
    .execute(db.pool())
    .await?;
    report.audit_events_blanked = r.rows_affected();
    let r = sqlx::query("DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < $1")
        .bind(now - policy.notifications * DAY_MS)
        .execute(db.pool())
        .await?;
    report.notifications_removed = r.rows_affected();
    let r = sqlx::query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
        .bind(now - policy.outbox * DAY_MS)
        .execute(db.pool())
        .await?;
    report.mails_removed = r.rows_affected();
    Ok(report)
}

/// Run once a day: true when this call should run (the day's run was not done yet). Kept in
/// the database, so one instance of several does it.
pub async fn due_today(db: &Db) -> Result<bool> {
    let today = date_of(now_ms());
    let r = sqlx::query(
        "INSERT INTO app_state (key, value) VALUES ('retention_day', $1) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE app_state.value <> excluded.value",
    )
    .bind(&today)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::Policy;

    #[test]
    fn policy_from_the_command_line() {
        assert_eq!(Policy::parse("").unwrap(), Policy::default());
        let p = Policy::parse("outbox=30, left-students=365").unwrap();
        assert_eq!((p.outbox, p.left_students, p.notifications), (30, 365, 365));
        assert!(Policy::parse("outbox=0").is_err());
        assert!(Policy::parse("dossiers=10").is_err());
        assert!(Policy::parse("outbox").is_err());
    }
}
