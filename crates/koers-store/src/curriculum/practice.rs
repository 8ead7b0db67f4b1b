//! Practice conversations: a transcript with its analysis.

use crate::{Result, Tenant, now_ms};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Practice {
    pub id: String,
    pub person_id: String,
    pub person_name: String,
    pub title: String,
    pub format: String,
    pub transcript: String,
    pub counsellor_speaker: String,
    /// The stored analysis (JSON).
    pub analysis: String,
    pub created_at: i64,
}

pub struct NewPractice<'a> {
    pub person_id: &'a str,
    pub title: &'a str,
    pub format: &'a str,
    pub transcript: &'a str,
    pub counsellor_speaker: &'a str,
    pub analysis: &'a str,
}

pub async fn create(t: Tenant<'_>, n: &NewPractice<'_>) -> Result<String> {
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO practice_conversations (id, institution_id, person_id, title, format, transcript, \
         counsellor_speaker, analysis, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(n.person_id)
    .bind(n.title)
    .bind(n.format)
    .bind(n.transcript)
    .bind(n.counsellor_speaker)
    .bind(n.analysis)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(id)
}

const SELECT: &str = "SELECT p.id, p.person_id, u.name, p.title, p.format, p.transcript, p.counsellor_speaker, \
    p.analysis, p.created_at FROM practice_conversations p JOIN users u ON u.id = p.person_id";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Practice> {
    Ok(Practice {
        id: r.try_get(0)?,
        person_id: r.try_get(1)?,
        person_name: r.try_get(2)?,
        title: r.try_get(3)?,
        format: r.try_get(4)?,
        transcript: r.try_get(5)?,
        counsellor_speaker: r.try_get(6)?,
        analysis: r.try_get(7)?,
        created_at: r.try_get(8)?,
    })
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Practice>> {
    let sql = format!("{SELECT} WHERE p.institution_id = $1 AND p.id = $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(id)
        .fetch_optional(t.pool())
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// A person's practice conversations, oldest first (so growth reads left to right).
pub async fn for_person(t: Tenant<'_>, person_id: &str) -> Result<Vec<Practice>> {
    let sql = format!(
        "{SELECT} WHERE p.institution_id = $1 AND p.person_id = $2 ORDER BY p.created_at, p.id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(person_id)
        .fetch_all(t.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn delete(t: Tenant<'_>, id: &str) -> Result<()> {
    let mut tx = t.db.begin().await?;
    super::reviews::delete_reviews(&mut tx, t, id).await?;
    sqlx::query("DELETE FROM practice_conversations WHERE institution_id = $1 AND id = $2")
        .bind(t.institution_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
