//! Runs of file imports that work in the background: who started which file when, and how
//! it ended. The page that follows a run reads it here, so it works on every instance.

use crate::{Db, Result, Tenant, now_ms};
use sqlx::Row;

/// A run that has not finished after this long was interrupted (the instance stopped).
pub const STALE_AFTER_MS: i64 = 60 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    Done,
    Failed,
}

impl RunStatus {
    pub fn key(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Done => "done",
            RunStatus::Failed => "failed",
        }
    }

    fn parse(s: &str) -> RunStatus {
        match s {
            "running" => RunStatus::Running,
            "done" => RunStatus::Done,
            _ => RunStatus::Failed,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ImportRun {
    pub id: String,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub kind: String,
    pub filename: String,
    pub status: RunStatus,
    pub total: i64,
    pub created: i64,
    pub updated: i64,
    /// A stable error key (`interrupted`, `invalid`, `database`), for translation.
    pub error: Option<String>,
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

const SELECT: &str = "SELECT r.id, r.user_id, u.name, r.kind, r.filename, r.status, r.total, r.created, \
    r.updated, r.error, r.started_at, r.finished_at FROM import_runs r LEFT JOIN users u ON u.id = r.user_id";

fn from_row(r: &sqlx::any::AnyRow) -> Result<ImportRun> {
    Ok(ImportRun {
        id: r.try_get(0)?,
        user_id: r.try_get(1)?,
        user_name: r.try_get(2)?,
        kind: r.try_get(3)?,
        filename: r.try_get(4)?,
        status: RunStatus::parse(&r.try_get::<String, _>(5)?),
        total: r.try_get(6)?,
        created: r.try_get(7)?,
        updated: r.try_get(8)?,
        error: r.try_get(9)?,
        started_at: r.try_get(10)?,
        finished_at: r.try_get(11)?,
    })
}

/// Record the start of a run of `total` lines; returns its id.
pub async fn start(
    t: Tenant<'_>,
    user_id: &str,
    kind: &str,
    filename: &str,
    total: usize,
) -> Result<String> {
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO import_runs (id, institution_id, user_id, kind, filename, status, total, started_at) \
         VALUES ($1, $2, $3, $4, $5, 'running', $6, $7)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(user_id)
    .bind(kind)
    .bind(filename)
    .bind(total as i64)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(id)
}

/// The run ended well.
pub async fn finish(t: Tenant<'_>, id: &str, created: usize, updated: usize) -> Result<()> {
    sqlx::query(
        "UPDATE import_runs SET status = 'done', created = $3, updated = $4, finished_at = $5 \
         WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(created as i64)
    .bind(updated as i64)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(())
}

/// The run failed; nothing of it was written.
pub async fn fail(t: Tenant<'_>, id: &str, error: &str) -> Result<()> {
    sqlx::query(
        "UPDATE import_runs SET status = 'failed', error = $3, finished_at = $4 \
         WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(error)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(())
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<ImportRun>> {
    let sql = format!("{SELECT} WHERE r.institution_id = $1 AND r.id = $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(id)
        .fetch_optional(t.pool())
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The latest runs of one kind, newest first.
pub async fn recent(t: Tenant<'_>, kind: &str, limit: u32) -> Result<Vec<ImportRun>> {
    let sql = format!(
        "{SELECT} WHERE r.institution_id = $1 AND r.kind = $2 ORDER BY r.started_at DESC, r.id DESC LIMIT {limit}"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(kind)
        .fetch_all(t.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Mark runs that have been running for longer than [`STALE_AFTER_MS`] as interrupted (their
/// transaction never committed, so nothing of them was written). Deployment-wide: run by the
/// housekeeping job. Returns how many were marked.
pub async fn interrupt_stale(db: &Db) -> Result<u64> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE import_runs SET status = 'failed', error = 'interrupted', finished_at = $1 \
         WHERE status = 'running' AND started_at < $2",
    )
    .bind(now)
    .bind(now - STALE_AFTER_MS)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected())
}

/// Keep what a dry run read (replacing the person's earlier one of the kind); returns its id.
pub async fn save_pending(
    t: Tenant<'_>,
    user_id: &str,
    kind: &str,
    source: &str,
    payload: &str,
) -> Result<String> {
    let id = koers_domain::new_id();
    let mut tx = t.db.begin().await?;
    sqlx::query(
        "DELETE FROM pending_imports WHERE institution_id = $1 AND user_id = $2 AND kind = $3",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .bind(kind)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO pending_imports (id, institution_id, user_id, kind, source, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(user_id)
    .bind(kind)
    .bind(source)
    .bind(payload)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A person's pending import of a kind: (source, payload).
pub async fn pending(
    t: Tenant<'_>,
    id: &str,
    user_id: &str,
    kind: &str,
) -> Result<Option<(String, String)>> {
    let row = sqlx::query(
        "SELECT source, payload FROM pending_imports WHERE institution_id = $1 AND id = $2 \
         AND user_id = $3 AND kind = $4",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(user_id)
    .bind(kind)
    .fetch_optional(t.pool())
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// Remove a pending import (after it was applied).
pub async fn drop_pending(t: Tenant<'_>, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM pending_imports WHERE institution_id = $1 AND id = $2")
        .bind(t.institution_id)
        .bind(id)
        .execute(t.pool())
        .await?;
    Ok(())
}
