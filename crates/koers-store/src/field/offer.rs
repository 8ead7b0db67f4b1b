//! The professional-development offer for in-service teachers: courses, modules and joint
//! training events, with sessions, co-designers, participants, enrolments and evaluations.

use crate::{Result, StoreError, Tenant, TenantTx, now_ms};
use koers_domain::field::OfferKind;

#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub kind: OfferKind,
    pub title: String,
    pub description: String,
    pub competences: Vec<String>,
    pub capacity: Option<i64>,
    pub enrolled: i64,
    pub next_session: Option<i64>,
    pub evaluations: i64,
    pub rating: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub location: String,
}

/// A co-designer or a participant: (name, organisation).
#[derive(Debug, Clone)]
pub struct Person {
    pub kind: String,
    pub name: String,
    pub organisation: String,
}

pub struct NewItem<'a> {
    pub kind: OfferKind,
    pub title: &'a str,
    pub description: &'a str,
    pub competences: &'a [String],
    pub capacity: Option<i64>,
}

const SELECT: &str = "SELECT o.id, o.kind, o.title, o.description, o.competences, o.capacity, \
    (SELECT COUNT(*) FROM offer_enrolments e WHERE e.item_id = o.id), \
    (SELECT MIN(s.starts_at) FROM offer_sessions s WHERE s.item_id = o.id AND s.starts_at >= $2), \
    (SELECT COUNT(*) FROM offer_enrolments e WHERE e.item_id = o.id AND e.rating IS NOT NULL), \
    (SELECT AVG(CAST(e.rating AS DOUBLE PRECISION)) FROM offer_enrolments e WHERE e.item_id = o.id AND e.rating IS NOT NULL) \
    FROM offer_items o";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Item> {
    use sqlx::Row;
    let kind: String = r.try_get(1)?;
    let comps: String = r.try_get(4)?;
    Ok(Item {
        id: r.try_get(0)?,
        kind: OfferKind::parse(&kind).unwrap_or(OfferKind::Course),
        title: r.try_get(2)?,
        description: r.try_get(3)?,
        competences: serde_json::from_str(&comps).unwrap_or_default(),
        capacity: r.try_get(5)?,
        enrolled: r.try_get(6)?,
        next_session: r.try_get(7)?,
        evaluations: r.try_get(8)?,
        rating: r.try_get(9)?,
    })
}

pub async fn create(t: &mut TenantTx<'_>, n: &NewItem<'_>) -> Result<String> {
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO offer_items (id, institution_id, kind, title, description, competences, capacity, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(n.kind.key())
    .bind(n.title)
    .bind(n.description)
    .bind(serde_json::to_string(n.competences).unwrap_or_else(|_| "[]".into()))
    .bind(n.capacity)
    .bind(now_ms())
    .execute(t.conn())
    .await?;
    Ok(id)
}

pub async fn list(t: Tenant<'_>) -> Result<Vec<Item>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE o.institution_id = $1 ORDER BY o.title, o.id"
    )))
    .bind(t.institution_id)
    .bind(now_ms())
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Item>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE o.institution_id = $1 AND o.id = $3"
    )))
    .bind(t.institution_id)
    .bind(now_ms())
    .bind(id)
    .fetch_optional(t.pool())
    .await?;
    r.as_ref().map(from_row).transpose()
}

pub async fn add_session(t: &mut TenantTx<'_>, item_id: &str, s: &Session) -> Result<()> {
    sqlx::query(
        "INSERT INTO offer_sessions (id, institution_id, item_id, starts_at, duration_minutes, location) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(item_id)
    .bind(s.starts_at)
    .bind(s.duration_minutes)
    .bind(&s.location)
    .execute(t.conn())
    .await?;
    Ok(())
}

pub async fn sessions(t: Tenant<'_>, item_id: &str) -> Result<Vec<Session>> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT starts_at, duration_minutes, location FROM offer_sessions WHERE institution_id = $1 AND item_id = $2 \
         ORDER BY starts_at",
    )
    .bind(t.institution_id)
    .bind(item_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(starts_at, duration_minutes, location)| Session {
            starts_at,
            duration_minutes,
            location,
        })
        .collect())
}

pub async fn add_person(t: &mut TenantTx<'_>, item_id: &str, p: &Person) -> Result<()> {
    sqlx::query(
        "INSERT INTO offer_people (id, institution_id, item_id, kind, name, organisation) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(item_id)
    .bind(&p.kind)
    .bind(&p.name)
    .bind(&p.organisation)
    .execute(t.conn())
    .await?;
    Ok(())
}

pub async fn people(t: Tenant<'_>, item_id: &str) -> Result<Vec<Person>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT kind, name, organisation FROM offer_people WHERE institution_id = $1 AND item_id = $2 ORDER BY kind, name",
    )
    .bind(t.institution_id)
    .bind(item_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, name, organisation)| Person {
            kind,
            name,
            organisation,
        })
        .collect())
}

/// Enrol; `Conflict("full")` when the capacity is reached, `Conflict("enrolled")` the second time.
pub async fn enrol(t: Tenant<'_>, item_id: &str, user_id: &str) -> Result<()> {
    let item = get(t, item_id).await?.ok_or(StoreError::NotFound)?;
    if item.capacity.is_some_and(|c| item.enrolled >= c) {
        return Err(StoreError::Conflict("full"));
    }
    let done = sqlx::query(
        "INSERT INTO offer_enrolments (item_id, user_id, institution_id, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (item_id, user_id) DO NOTHING",
    )
    .bind(item_id)
    .bind(user_id)
    .bind(t.institution_id)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict("enrolled"));
    }
    Ok(())
}

/// The items a person is enrolled in, with whether they evaluated it.
pub async fn enrolments_of(t: Tenant<'_>, user_id: &str) -> Result<Vec<(String, bool)>> {
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT item_id, rating FROM offer_enrolments WHERE institution_id = $1 AND user_id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows.into_iter().map(|(i, r)| (i, r.is_some())).collect())
}

/// Enrolled people of an item: (name, email, organisation or "").
pub async fn enrolled(t: Tenant<'_>, item_id: &str) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.name, u.email, COALESCE(p.name, '') FROM offer_enrolments e JOIN users u ON u.id = e.user_id \
         LEFT JOIN partner_members m ON m.user_id = e.user_id LEFT JOIN partners p ON p.id = m.partner_id \
         WHERE e.institution_id = $1 AND e.item_id = $2 ORDER BY u.name",
    )
    .bind(t.institution_id)
    .bind(item_id)
    .fetch_all(t.pool())
    .await?)
}

/// The evaluation of an enrolled person (once). `NotFound` when not enrolled,
/// `Conflict` when already evaluated.
pub async fn evaluate(
    t: Tenant<'_>,
    item_id: &str,
    user_id: &str,
    rating: i64,
    comment: &str,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE offer_enrolments SET rating = $4, comment = $5, evaluated_at = $6 \
         WHERE institution_id = $1 AND item_id = $2 AND user_id = $3 AND rating IS NULL",
    )
    .bind(t.institution_id)
    .bind(item_id)
    .bind(user_id)
    .bind(rating)
    .bind(comment)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    if done.rows_affected() == 0 {
        let enrolled: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM offer_enrolments WHERE institution_id = $1 AND item_id = $2 AND user_id = $3",
        )
        .bind(t.institution_id)
        .bind(item_id)
        .bind(user_id)
        .fetch_one(t.pool())
        .await?;
        return Err(if enrolled == 0 {
            StoreError::NotFound
        } else {
            StoreError::Conflict("evaluation")
        });
    }
    Ok(())
}

/// The comments of an item's evaluations (no names).
pub async fn comments(t: Tenant<'_>, item_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT comment FROM offer_enrolments WHERE institution_id = $1 AND item_id = $2 AND rating IS NOT NULL \
         AND comment <> '' ORDER BY evaluated_at",
    )
    .bind(t.institution_id)
    .bind(item_id)
    .fetch_all(t.pool())
    .await?)
}
