//! Improvement actions (see `koers_domain::improvement`): one table for every source.

use crate::{Result, StoreError, Tenant, TenantTx, now_ms};
use koers_domain::improvement::{ActionStatus, Source, SourceKind};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone)]
pub struct Action {
    pub id: String,
    pub source: Source,
    pub item_keys: Vec<String>,
    pub title: String,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub due_on: Option<String>,
    pub status: ActionStatus,
    pub notes: String,
    pub updated_at: i64,
}

/// What an action says (for creating and changing one).
pub struct ActionInput<'a> {
    pub title: &'a str,
    pub item_keys: &'a [String],
    pub owner_id: Option<&'a str>,
    pub due_on: Option<&'a str>,
    pub status: ActionStatus,
    pub notes: &'a str,
}

const SELECT: &str = "SELECT a.id, a.source_kind, a.source_ref, a.item_keys, a.title, a.owner_id, u.name, \
    a.due_on, a.status, a.notes, a.updated_at FROM improvement_actions a LEFT JOIN users u ON u.id = a.owner_id";

fn from_row(r: &AnyRow) -> Result<Action> {
    let kind: String = r.try_get(1)?;
    let reference: String = r.try_get(2)?;
    let items: String = r.try_get(3)?;
    let status: String = r.try_get(8)?;
    Ok(Action {
        id: r.try_get(0)?,
        source: Source::from_parts(&kind, &reference)
            .ok_or_else(|| StoreError::Corrupt(format!("action source {kind}:{reference}")))?,
        item_keys: items
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        title: r.try_get(4)?,
        owner_id: r.try_get(5)?,
        owner_name: r.try_get(6)?,
        due_on: r.try_get(7)?,
        status: ActionStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("action status {status}")))?,
        notes: r.try_get(9)?,
        updated_at: r.try_get(10)?,
    })
}

pub async fn create(
    t: &mut TenantTx<'_>,
    source: &Source,
    input: &ActionInput<'_>,
    created_by: &str,
) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO improvement_actions (id, institution_id, source_kind, source_ref, item_keys, title, owner_id, \
         due_on, status, notes, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(source.kind().key())
    .bind(source.reference())
    .bind(input.item_keys.join(","))
    .bind(input.title)
    .bind(input.owner_id)
    .bind(input.due_on)
    .bind(input.status.key())
    .bind(input.notes)
    .bind(created_by)
    .bind(now)
    .execute(t.conn())
    .await?;
    Ok(id)
}

pub async fn update(t: &mut TenantTx<'_>, id: &str, input: &ActionInput<'_>) -> Result<()> {
    let done = sqlx::query(
        "UPDATE improvement_actions SET title = $3, item_keys = $4, owner_id = $5, due_on = $6, status = $7, \
         notes = $8, updated_at = $9 WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(input.title)
    .bind(input.item_keys.join(","))
    .bind(input.owner_id)
    .bind(input.due_on)
    .bind(input.status.key())
    .bind(input.notes)
    .bind(now_ms())
    .execute(t.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Action>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE a.institution_id = $1 AND a.id = $2"
    )))
    .bind(t.institution_id)
    .bind(id)
    .fetch_optional(t.pool())
    .await?;
    r.as_ref().map(from_row).transpose()
}

/// Which actions to list.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub kind: Option<SourceKind>,
    /// Source reference prefix, e.g. a round id (`ROUND:` matches all its stages).
    pub reference_prefix: Option<&'a str>,
    pub owner_id: Option<&'a str>,
    /// Only planned or under way.
    pub open_only: bool,
    /// Only open actions due before this date (`YYYY-MM-DD`).
    pub due_before: Option<&'a str>,
}

/// Actions, soonest deadline first (those without a deadline last).
pub async fn list(t: Tenant<'_>, f: &Filter<'_>) -> Result<Vec<Action>> {
    let mut sql = format!("{SELECT} WHERE a.institution_id = $1");
    let mut n = 1;
    let mut next = || {
        n += 1;
        n
    };
    if f.kind.is_some() {
        sql += &format!(" AND a.source_kind = ${}", next());
    }
    if f.reference_prefix.is_some() {
        sql += &format!(" AND a.source_ref LIKE ${}", next());
    }
    if f.owner_id.is_some() {
        sql += &format!(" AND a.owner_id = ${}", next());
    }
    if f.open_only || f.due_before.is_some() {
        sql += " AND a.status IN ('planned', 'doing')";
    }
    if f.due_before.is_some() {
        sql += &format!(" AND a.due_on < ${}", next());
    }
    sql += " ORDER BY CASE WHEN a.due_on IS NULL THEN 1 ELSE 0 END, a.due_on, a.title, a.id LIMIT 1000";
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(t.institution_id);
    if let Some(k) = f.kind {
        q = q.bind(k.key());
    }
    if let Some(p) = f.reference_prefix {
        let escaped = p.replace('\\', "").replace(['%', '_'], "");
        q = q.bind(format!("{escaped}%"));
    }
    if let Some(o) = f.owner_id {
        q = q.bind(o);
    }
    if let Some(d) = f.due_before {
        q = q.bind(d);
    }
    let rows = q.fetch_all(t.pool()).await?;
    rows.iter().map(from_row).collect()
}
