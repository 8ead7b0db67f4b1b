//! Field needs: what a partner's teachers need to learn, triaged by the institute.

use crate::{Result, StoreError, Tenant, TenantTx, now_ms};
use koers_domain::field::alignment::Alignment;
use koers_domain::field::{NeedStatus, Urgency};

#[derive(Debug, Clone)]
pub struct Need {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub topic: String,
    pub description: String,
    pub competences: Vec<String>,
    pub urgency: Urgency,
    pub teachers: i64,
    pub status: NeedStatus,
    pub rationale: String,
    pub alignment_override: Option<Alignment>,
    pub alignment_reason: String,
    pub created_at: i64,
}

impl Need {
    /// What the alignment needs to know of this need.
    pub fn for_alignment(&self) -> koers_domain::field::alignment::Need {
        koers_domain::field::alignment::Need {
            id: self.id.clone(),
            competences: self.competences.iter().cloned().collect(),
            urgency: self.urgency,
            override_status: self.alignment_override,
        }
    }
}

pub struct NewNeed<'a> {
    pub partner_id: &'a str,
    pub topic: &'a str,
    pub description: &'a str,
    pub competences: &'a [String],
    pub urgency: Urgency,
    pub teachers: i64,
    pub submitted_by: &'a str,
}

const SELECT: &str = "SELECT n.id, n.partner_id, p.name, n.topic, n.description, n.competences, n.urgency, \
    n.teachers, n.status, n.rationale, n.alignment_override, n.alignment_reason, n.created_at \
    FROM field_needs n JOIN partners p ON p.id = n.partner_id";

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    String,
    i64,
);

fn need(r: Row) -> Need {
    let (
        id,
        partner_id,
        partner_name,
        topic,
        description,
        comps,
        urgency,
        teachers,
        status,
        rationale,
        over,
        reason,
        at,
    ) = r;
    Need {
        id,
        partner_id,
        partner_name,
        topic,
        description,
        competences: serde_json::from_str(&comps).unwrap_or_default(),
        urgency: Urgency::parse(&urgency).unwrap_or(Urgency::Medium),
        teachers,
        status: NeedStatus::parse(&status).unwrap_or(NeedStatus::Submitted),
        rationale,
        alignment_override: over.as_deref().and_then(Alignment::parse),
        alignment_reason: reason,
        created_at: at,
    }
}

pub async fn create(t: &mut TenantTx<'_>, n: &NewNeed<'_>) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO field_needs (id, institution_id, partner_id, topic, description, competences, urgency, teachers, \
         submitted_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(n.partner_id)
    .bind(n.topic)
    .bind(n.description)
    .bind(serde_json::to_string(n.competences).unwrap_or_else(|_| "[]".into()))
    .bind(n.urgency.key())
    .bind(n.teachers)
    .bind(n.submitted_by)
    .bind(now)
    .execute(t.conn())
    .await?;
    Ok(id)
}

/// Needs of one partner, or of all, the newest first.
pub async fn list(t: Tenant<'_>, partner_id: Option<&str>) -> Result<Vec<Need>> {
    let rows: Vec<Row> = match partner_id {
        Some(p) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE n.institution_id = $1 AND n.partner_id = $2 ORDER BY n.created_at DESC, n.id"
            )))
            .bind(t.institution_id)
            .bind(p)
            .fetch_all(t.pool())
            .await?
        }
        None => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE n.institution_id = $1 ORDER BY n.created_at DESC, n.id"
            )))
            .bind(t.institution_id)
            .fetch_all(t.pool())
            .await?
        }
    };
    Ok(rows.into_iter().map(need).collect())
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Need>> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE n.institution_id = $1 AND n.id = $2"
    )))
    .bind(t.institution_id)
    .bind(id)
    .fetch_optional(t.pool())
    .await?;
    Ok(row.map(need))
}

/// The institute's triage: a status and the rationale the partner reads.
pub async fn triage(t: Tenant<'_>, id: &str, status: NeedStatus, rationale: &str) -> Result<()> {
    let done = sqlx::query(
        "UPDATE field_needs SET status = $3, rationale = $4, updated_at = $5 WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(status.key())
    .bind(rationale)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Set (or clear) the manual alignment status of a need, with its reason.
pub async fn set_alignment(
    t: Tenant<'_>,
    id: &str,
    status: Option<Alignment>,
    reason: &str,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE field_needs SET alignment_override = $3, alignment_reason = $4, updated_at = $5 \
         WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(status.map(Alignment::key))
    .bind(reason)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
