//! Versions of the LOB vision (see `koers_domain::vision`), per institution or programme.

use crate::{Result, StoreError, Tenant, TenantTx, now_ms};
use koers_domain::vision::{Document, Status};

#[derive(Debug, Clone)]
pub struct Version {
    pub id: String,
    pub programme_id: Option<String>,
    pub version: i64,
    pub status: Status,
    pub document: Document,
    pub note: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub adopted_by: Option<String>,
    pub adopted_at: Option<i64>,
}

fn scope(programme_id: Option<&str>) -> &str {
    programme_id.unwrap_or("")
}

const SELECT: &str = "SELECT v.id, v.programme_id, v.version, v.status, v.document, v.note, c.name, v.created_at, \
    a.name, v.adopted_at FROM vision_versions v LEFT JOIN users c ON c.id = v.created_by \
    LEFT JOIN users a ON a.id = v.adopted_by";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Version> {
    use sqlx::Row;
    let status: String = r.try_get(3)?;
    let doc: String = r.try_get(4)?;
    Ok(Version {
        id: r.try_get(0)?,
        programme_id: r.try_get(1)?,
        version: r.try_get(2)?,
        status: Status::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("vision status {status}")))?,
        document: serde_json::from_str(&doc)
            .map_err(|e| StoreError::Corrupt(format!("vision document: {e}")))?,
        note: r.try_get(5)?,
        created_by: r.try_get(6)?,
        created_at: r.try_get(7)?,
        adopted_by: r.try_get(8)?,
        adopted_at: r.try_get(9)?,
    })
}

/// Keep a new draft version; returns its number.
pub async fn create(
    t: &mut TenantTx<'_>,
    programme_id: Option<&str>,
    doc: &Document,
    note: &str,
    by: &str,
) -> Result<i64> {
    let next: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM vision_versions WHERE institution_id = $1 AND scope = $2",
    )
    .bind(t.institution_id)
    .bind(scope(programme_id))
    .fetch_one(t.conn())
    .await?;
    sqlx::query(
        "INSERT INTO vision_versions (id, institution_id, programme_id, scope, version, status, document, note, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9)",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(programme_id)
    .bind(scope(programme_id))
    .bind(next)
    .bind(serde_json::to_string(doc).unwrap_or_default())
    .bind(note)
    .bind(by)
    .bind(now_ms())
    .execute(t.conn())
    .await?;
    Ok(next)
}

/// Every version of a scope, the newest first.
pub async fn versions(t: Tenant<'_>, programme_id: Option<&str>) -> Result<Vec<Version>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE v.institution_id = $1 AND v.scope = $2 ORDER BY v.version DESC"
    )))
    .bind(t.institution_id)
    .bind(scope(programme_id))
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn get(
    t: Tenant<'_>,
    programme_id: Option<&str>,
    version: i64,
) -> Result<Option<Version>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE v.institution_id = $1 AND v.scope = $2 AND v.version = $3"
    )))
    .bind(t.institution_id)
    .bind(scope(programme_id))
    .bind(version)
    .fetch_optional(t.pool())
    .await?;
    r.as_ref().map(from_row).transpose()
}

/// The adopted version of a scope.
pub async fn adopted(t: Tenant<'_>, programme_id: Option<&str>) -> Result<Option<Version>> {
    Ok(versions(t, programme_id)
        .await?
        .into_iter()
        .find(|v| v.status == Status::Adopted))
}

/// Move a version along the workflow (a repeated step is a no-op); adopting archives the
/// version adopted before.
/// `Conflict` when the step is not allowed, `NotFound` for an unknown version.
pub async fn set_status(
    t: &mut TenantTx<'_>,
    programme_id: Option<&str>,
    version: i64,
    to: Status,
    by: &str,
) -> Result<()> {
    let v = get(t.tenant(), programme_id, version)
        .await?
        .ok_or(StoreError::NotFound)?;
    if v.status == to {
        // Asking again for the state it is in changes nothing.
        return Ok(());
    }
    if !v.status.may_become(to) {
        return Err(StoreError::Conflict("vision status"));
    }
    let now = now_ms();
    if to == Status::Adopted {
        sqlx::query(
            "UPDATE vision_versions SET status = 'archived' WHERE institution_id = $1 AND scope = $2 AND status = 'adopted'",
        )
        .bind(t.institution_id)
        .bind(scope(programme_id))
        .execute(t.conn())
        .await?;
    }
    sqlx::query(
        "UPDATE vision_versions SET status = $3, \
         proposed_at = CASE WHEN $3 = 'proposed' THEN $4 ELSE proposed_at END, \
         adopted_at = CASE WHEN $3 = 'adopted' THEN $4 ELSE adopted_at END, \
         adopted_by = CASE WHEN $3 = 'adopted' THEN $5 ELSE adopted_by END \
         WHERE institution_id = $1 AND id = $2 AND status = $6",
    )
    .bind(t.institution_id)
    .bind(&v.id)
    .bind(to.key())
    .bind(now)
    .bind(by)
    .bind(v.status.key())
    .execute(t.conn())
    .await?;
    Ok(())
}
