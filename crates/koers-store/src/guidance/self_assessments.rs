//! Self-assessments in a person's career file (scores per competency, repeatable per phase).

use crate::{Result, Tenant, TenantTx, now_ms};
use koers_domain::guidance::Phase;
use sqlx::Row;
use std::collections::BTreeMap;

#[derive(Debug, Clone, serde::Serialize)]
pub struct SelfAssessment {
    pub id: String,
    pub phase: Option<Phase>,
    pub scores: BTreeMap<String, f64>,
    pub answers: BTreeMap<String, i64>,
    pub shared_counsellor: bool,
    pub shared_mentor: bool,
    pub created_at: i64,
}

pub struct NewSelfAssessment<'a> {
    pub person_id: &'a str,
    pub instrument: &'a str,
    pub phase: Option<Phase>,
    pub answers: &'a BTreeMap<String, i64>,
    pub scores: &'a BTreeMap<String, f64>,
    pub shared_counsellor: bool,
    pub shared_mentor: bool,
    /// When it was filled in (default: now).
    pub created_at: Option<i64>,
}

pub async fn create(t: &mut TenantTx<'_>, n: NewSelfAssessment<'_>) -> Result<String> {
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO self_assessments (id, institution_id, person_id, instrument, phase, answers, scores, \
         shared_counsellor, shared_mentor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(n.person_id)
    .bind(n.instrument)
    .bind(n.phase.map(Phase::key))
    .bind(serde_json::to_string(n.answers).unwrap_or_default())
    .bind(serde_json::to_string(n.scores).unwrap_or_default())
    .bind(i64::from(n.shared_counsellor))
    .bind(i64::from(n.shared_mentor))
    .bind(n.created_at.unwrap_or_else(now_ms))
    .execute(t.conn())
    .await?;
    Ok(id)
}

/// A person's self-assessments with an instrument, oldest first.
pub async fn for_person(
    t: Tenant<'_>,
    person_id: &str,
    instrument: &str,
) -> Result<Vec<SelfAssessment>> {
    let rows = sqlx::query(
        "SELECT id, phase, scores, answers, shared_counsellor, shared_mentor, created_at FROM self_assessments \
         WHERE institution_id = $1 AND person_id = $2 AND instrument = $3 ORDER BY created_at, id",
    )
    .bind(t.institution_id)
    .bind(person_id)
    .bind(instrument)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let phase: Option<String> = r.try_get(1)?;
            let scores: String = r.try_get(2)?;
            let answers: String = r.try_get(3)?;
            Ok(SelfAssessment {
                id: r.try_get(0)?,
                phase: phase.as_deref().and_then(Phase::parse),
                scores: serde_json::from_str(&scores).unwrap_or_default(),
                answers: serde_json::from_str(&answers).unwrap_or_default(),
                shared_counsellor: r.try_get::<i64, _>(4)? != 0,
                shared_mentor: r.try_get::<i64, _>(5)? != 0,
                created_at: r.try_get(6)?,
            })
        })
        .collect()
}
