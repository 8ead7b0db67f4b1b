//! The HR adviser's recruitment and appointment records: was career development part of the
//! vacancy text and the interview; did a new appointment get an onboarding plan and a first
//! development plan in time. They feed the "practice" view of the HRM scan.

use crate::{Result, Tenant, now_ms};

#[derive(Debug, Clone)]
pub struct HrRecord {
    pub id: String,
    /// `vacancy` or `appointment`.
    pub kind: String,
    pub title: String,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub on_date: String,
    pub in_text: bool,
    pub in_interview: bool,
    pub in_onboarding: bool,
    pub plan_due_on: Option<String>,
    /// For an appointment: when the person's development plan was first saved (ms).
    pub plan_started_at: Option<i64>,
    pub notes: String,
}

pub struct NewHrRecord<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub user_id: Option<&'a str>,
    pub on_date: &'a str,
    pub in_text: bool,
    pub in_interview: bool,
    pub in_onboarding: bool,
    pub plan_due_on: Option<&'a str>,
    pub notes: &'a str,
    pub created_by: &'a str,
}

pub async fn create(t: Tenant<'_>, n: &NewHrRecord<'_>) -> Result<String> {
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO hr_records (id, institution_id, kind, title, user_id, on_date, in_text, in_interview, \
         in_onboarding, plan_due_on, notes, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(n.kind)
    .bind(n.title)
    .bind(n.user_id)
    .bind(n.on_date)
    .bind(i64::from(n.in_text))
    .bind(i64::from(n.in_interview))
    .bind(i64::from(n.in_onboarding))
    .bind(n.plan_due_on)
    .bind(n.notes)
    .bind(n.created_by)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(id)
}

/// A stored record as read: id, kind, title, user id and name, date, the three checks, the
/// plan's due date, when the person's plan began, notes.
type Row = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    i64,
    i64,
    i64,
    Option<String>,
    Option<i64>,
    String,
);

/// Records from `from` (a date, inclusive) on, the latest first.
pub async fn list(t: Tenant<'_>, from: &str) -> Result<Vec<HrRecord>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.kind, r.title, r.user_id, u.name, r.on_date, r.in_text, r.in_interview, r.in_onboarding, \
         r.plan_due_on, p.created_at, r.notes FROM hr_records r LEFT JOIN users u ON u.id = r.user_id \
         LEFT JOIN development_plans p ON p.user_id = r.user_id \
         WHERE r.institution_id = $1 AND r.on_date >= $2 ORDER BY r.on_date DESC, r.id DESC LIMIT 1000",
    )
    .bind(t.institution_id)
    .bind(from)
    .fetch_all(t.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, kind, title, user_id, user_name, on_date, tx, iv, ob, due, started, notes)| {
                HrRecord {
                    id,
                    kind,
                    title,
                    user_id,
                    user_name,
                    on_date,
                    in_text: tx != 0,
                    in_interview: iv != 0,
                    in_onboarding: ob != 0,
                    plan_due_on: due,
                    plan_started_at: started,
                    notes,
                }
            },
        )
        .collect())
}
