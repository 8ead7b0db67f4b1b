//! Activity designs of students; published ones form the institution's shared library.

use crate::{Result, StoreError, Tenant, now_ms};
use koers_domain::curriculum::design::{DesignInput, Setting};
use koers_domain::guidance::CareerCompetency;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Design {
    pub id: String,
    pub person_id: Option<String>,
    pub person_name: Option<String>,
    pub title: String,
    pub mbo_level: Option<u8>,
    pub mbo_programme: String,
    pub setting: Setting,
    pub goal: String,
    pub steps: String,
    pub competencies: Vec<CareerCompetency>,
    pub practice_based: String,
    pub dialogical: String,
    pub demand_driven: String,
    /// `draft` or `published`.
    pub status: String,
    pub published_at: Option<i64>,
    pub updated_at: i64,
}

impl Design {
    pub fn published(&self) -> bool {
        self.status == "published"
    }

    pub fn has_competency(&self, key: &str) -> bool {
        self.competencies.iter().any(|c| c.key() == key)
    }
}

fn keys(d: &DesignInput) -> String {
    d.competencies
        .iter()
        .map(|c| c.key())
        .collect::<Vec<_>>()
        .join(",")
}

pub async fn create(t: Tenant<'_>, person_id: &str, d: &DesignInput) -> Result<String> {
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO activity_designs (id, institution_id, person_id, title, mbo_level, mbo_programme, setting, goal, \
         steps, competencies, practice_based, dialogical, demand_driven, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'draft', $14, $14)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(person_id)
    .bind(&d.title)
    .bind(d.mbo_level.map(i64::from))
    .bind(&d.mbo_programme)
    .bind(d.setting.key())
    .bind(&d.goal)
    .bind(&d.steps)
    .bind(keys(d))
    .bind(&d.practice_based)
    .bind(&d.dialogical)
    .bind(&d.demand_driven)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(id)
}

/// Change a design (its owner; a published design goes back to draft).
pub async fn update(t: Tenant<'_>, id: &str, d: &DesignInput) -> Result<()> {
    let n = sqlx::query(
        "UPDATE activity_designs SET title = $3, mbo_level = $4, mbo_programme = $5, setting = $6, goal = $7, \
         steps = $8, competencies = $9, practice_based = $10, dialogical = $11, demand_driven = $12, \
         status = 'draft', published_at = NULL, updated_at = $13 WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(&d.title)
    .bind(d.mbo_level.map(i64::from))
    .bind(&d.mbo_programme)
    .bind(d.setting.key())
    .bind(&d.goal)
    .bind(&d.steps)
    .bind(keys(d))
    .bind(&d.practice_based)
    .bind(&d.dialogical)
    .bind(&d.demand_driven)
    .bind(now_ms())
    .execute(t.pool())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Publish to (or withdraw from) the shared library.
pub async fn set_published(t: Tenant<'_>, id: &str, published: bool) -> Result<()> {
    sqlx::query(
        "UPDATE activity_designs SET status = $3, published_at = $4 WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(if published { "published" } else { "draft" })
    .bind(published.then(now_ms))
    .execute(t.pool())
    .await?;
    Ok(())
}

pub async fn delete(t: Tenant<'_>, id: &str) -> Result<()> {
    let mut tx = t.db.begin().await?;
    super::reviews::delete_reviews(&mut tx, t, id).await?;
    sqlx::query("DELETE FROM activity_designs WHERE institution_id = $1 AND id = $2")
        .bind(t.institution_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

const SELECT: &str = "SELECT d.id, d.person_id, u.name, d.title, d.mbo_level, d.mbo_programme, d.setting, d.goal, \
    d.steps, d.competencies, d.practice_based, d.dialogical, d.demand_driven, d.status, d.published_at, d.updated_at \
    FROM activity_designs d LEFT JOIN users u ON u.id = d.person_id";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Design> {
    let comps: String = r.try_get(9)?;
    Ok(Design {
        id: r.try_get(0)?,
        person_id: r.try_get(1)?,
        person_name: r.try_get(2)?,
        title: r.try_get(3)?,
        mbo_level: r
            .try_get::<Option<i64>, _>(4)?
            .and_then(|l| u8::try_from(l).ok()),
        mbo_programme: r.try_get(5)?,
        setting: Setting::parse(&r.try_get::<String, _>(6)?).unwrap_or(Setting::School),
        goal: r.try_get(7)?,
        steps: r.try_get(8)?,
        competencies: comps
            .split(',')
            .filter_map(|k| CareerCompetency::ALL.into_iter().find(|c| c.key() == k))
            .collect(),
        practice_based: r.try_get(10)?,
        dialogical: r.try_get(11)?,
        demand_driven: r.try_get(12)?,
        status: r.try_get(13)?,
        published_at: r.try_get(14)?,
        updated_at: r.try_get(15)?,
    })
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Design>> {
    let sql = format!("{SELECT} WHERE d.institution_id = $1 AND d.id = $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(id)
        .fetch_optional(t.pool())
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn for_person(t: Tenant<'_>, person_id: &str) -> Result<Vec<Design>> {
    let sql = format!(
        "{SELECT} WHERE d.institution_id = $1 AND d.person_id = $2 ORDER BY d.updated_at DESC, d.id"
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

/// The shared library: published designs, newest first.
pub async fn library(t: Tenant<'_>) -> Result<Vec<Design>> {
    let sql = format!(
        "{SELECT} WHERE d.institution_id = $1 AND d.status = 'published' ORDER BY d.published_at DESC, d.id LIMIT 200"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .fetch_all(t.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
}
