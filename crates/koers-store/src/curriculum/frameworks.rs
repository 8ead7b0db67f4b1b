//! Competence frameworks of an institution: every version kept, the latest marked current;
//! the frameworks Koers ships are copied into an institution on first use. Competences get
//! rows of their own, so activities, evidence and sign-offs can refer to them.

use crate::{Result, StoreError, Tenant, conflict_as, now_ms};
use koers_domain::curriculum::framework::{self, Framework, Text};
use sqlx::Row;

/// Where a framework came from.
pub const SHIPPED: &str = "shipped";
pub const IMPORTED: &str = "imported";
pub const COPY: &str = "copy";

#[derive(Debug, Clone)]
pub struct FrameworkSummary {
    pub id: String,
    pub key: String,
    pub version: String,
    pub name: Text,
    pub origin: String,
    pub current: bool,
    pub competences: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct StoredFramework {
    pub summary: FrameworkSummary,
    pub based_on: Option<String>,
    pub framework: Framework,
    /// Competence ids by key, in the framework's order.
    pub competence_ids: Vec<(String, String)>,
}

impl StoredFramework {
    pub fn competence_id(&self, key: &str) -> Option<&str> {
        self.competence_ids
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, id)| id.as_str())
    }
}

const SUMMARY: &str = "SELECT f.id, f.key, f.version, f.name_nl, f.name_en, f.origin, f.current_version, \
    (SELECT COUNT(*) FROM competences c WHERE c.framework_id = f.id), f.created_at FROM frameworks f";

fn summary(r: &sqlx::any::AnyRow) -> Result<FrameworkSummary> {
    Ok(FrameworkSummary {
        id: r.try_get(0)?,
        key: r.try_get(1)?,
        version: r.try_get(2)?,
        name: Text {
            nl: r.try_get(3)?,
            en: r.try_get(4)?,
        },
        origin: r.try_get(5)?,
        current: r.try_get::<i64, _>(6)? != 0,
        competences: r.try_get(7)?,
        created_at: r.try_get(8)?,
    })
}

/// Copy the shipped frameworks (and newer shipped versions) into the institution; idempotent.
pub async fn ensure_shipped(t: Tenant<'_>) -> Result<()> {
    let have: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, version FROM frameworks WHERE institution_id = $1 AND origin = 'shipped'",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    for f in framework::shipped() {
        if have.iter().any(|(k, v)| *k == f.key && *v == f.version) {
            continue;
        }
        match store(t, &f, SHIPPED, None, None).await {
            Ok(_) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Store a framework as the current version of its key. Conflict when this key and version
/// exist already.
pub async fn store(
    t: Tenant<'_>,
    f: &Framework,
    origin: &str,
    based_on: Option<&str>,
    created_by: Option<&str>,
) -> Result<String> {
    let id = koers_domain::new_id();
    let doc = framework::to_json(f).to_string();
    let mut tx = t.db.begin().await?;
    sqlx::query("UPDATE frameworks SET current_version = 0 WHERE institution_id = $1 AND key = $2")
        .bind(t.institution_id)
        .bind(&f.key)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO frameworks (id, institution_id, key, version, name_nl, name_en, document, origin, based_on, \
         current_version, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(&f.key)
    .bind(&f.version)
    .bind(&f.name.nl)
    .bind(&f.name.en)
    .bind(&doc)
    .bind(origin)
    .bind(based_on)
    .bind(created_by)
    .bind(now_ms())
    .execute(&mut *tx)
    .await
    .map_err(conflict_as("framework version"))?;
    let rows: Vec<(usize, &framework::Competence)> = f.competences.iter().enumerate().collect();
    insert_rows!(
        &mut *tx,
        "INSERT INTO competences (id, institution_id, framework_id, key, position, name_nl, name_en)",
        "(?, ?, ?, ?, ?, ?, ?)",
        rows,
        |q, x| {
            let (i, c) = x;
            q.bind(koers_domain::new_id())
                .bind(t.institution_id)
                .bind(&id)
                .bind(&c.key)
                .bind(*i as i64)
                .bind(&c.name.nl)
                .bind(&c.name.en)
        }
    );
    tx.commit().await?;
    Ok(id)
}

/// The current version of every framework, the shipped ones first.
pub async fn list(t: Tenant<'_>) -> Result<Vec<FrameworkSummary>> {
    ensure_shipped(t).await?;
    let sql = format!(
        "{SUMMARY} WHERE f.institution_id = $1 AND f.current_version = 1 \
         ORDER BY CASE WHEN f.origin = 'shipped' THEN 0 ELSE 1 END, f.name_nl, f.key"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .fetch_all(t.pool())
        .await?
        .iter()
        .map(summary)
        .collect()
}

/// Every version of one key, newest first.
pub async fn versions(t: Tenant<'_>, key: &str) -> Result<Vec<FrameworkSummary>> {
    let sql = format!(
        "{SUMMARY} WHERE f.institution_id = $1 AND f.key = $2 ORDER BY f.created_at DESC, f.id DESC"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(key)
        .fetch_all(t.pool())
        .await?
        .iter()
        .map(summary)
        .collect()
}

async fn load(
    t: Tenant<'_>,
    where_: &str,
    a: &str,
    b: Option<&str>,
) -> Result<Option<StoredFramework>> {
    ensure_shipped(t).await?;
    let sql = format!(
        "SELECT f.id, f.key, f.version, f.name_nl, f.name_en, f.origin, f.current_version, \
         (SELECT COUNT(*) FROM competences c WHERE c.framework_id = f.id), f.created_at, f.based_on, f.document \
         FROM frameworks f WHERE f.institution_id = $1 AND {where_}"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(a);
    if let Some(b) = b {
        q = q.bind(b);
    }
    let Some(r) = q.fetch_optional(t.pool()).await? else {
        return Ok(None);
    };
    let doc: String = r.try_get(10)?;
    let framework = framework::parse(&doc)
        .map_err(|e| StoreError::Corrupt(format!("framework document: {e:?}")))?;
    let id: String = r.try_get(0)?;
    let competence_ids: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, id FROM competences WHERE institution_id = $1 AND framework_id = $2 ORDER BY position",
    )
    .bind(t.institution_id)
    .bind(&id)
    .fetch_all(t.pool())
    .await?;
    Ok(Some(StoredFramework {
        summary: summary(&r)?,
        based_on: r.try_get(9)?,
        framework,
        competence_ids,
    }))
}

/// A framework by key: the current version, or the given one.
pub async fn by_key(
    t: Tenant<'_>,
    key: &str,
    version: Option<&str>,
) -> Result<Option<StoredFramework>> {
    match version {
        Some(v) => load(t, "f.key = $2 AND f.version = $3", key, Some(v)).await,
        None => load(t, "f.key = $2 AND f.current_version = 1", key, None).await,
    }
}

pub async fn by_id(t: Tenant<'_>, id: &str) -> Result<Option<StoredFramework>> {
    load(t, "f.id = $2", id, None).await
}

/// Whether a key belongs to a shipped framework (those are not overwritten by imports).
pub fn is_shipped_key(key: &str) -> bool {
    framework::shipped().iter().any(|f| f.key == key)
}

/// One competence with its framework (for evidence, activities and sign-offs).
#[derive(Debug, Clone)]
pub struct CompetenceRef {
    pub id: String,
    pub key: String,
    pub name: Text,
    pub framework_id: String,
    pub framework_key: String,
    pub framework_name: Text,
}

pub async fn competences(t: Tenant<'_>, ids: &[String]) -> Result<Vec<CompetenceRef>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT c.id, c.key, c.name_nl, c.name_en, f.id, f.key, f.name_nl, f.name_en FROM competences c \
         JOIN frameworks f ON f.id = c.framework_id WHERE c.institution_id = $1 AND c.id IN ({}) \
         ORDER BY f.name_nl, c.position",
        crate::platform::users::placeholders(2, ids.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(t.institution_id);
    for id in ids {
        q = q.bind(id);
    }
    q.fetch_all(t.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(CompetenceRef {
                id: r.try_get(0)?,
                key: r.try_get(1)?,
                name: Text {
                    nl: r.try_get(2)?,
                    en: r.try_get(3)?,
                },
                framework_id: r.try_get(4)?,
                framework_key: r.try_get(5)?,
                framework_name: Text {
                    nl: r.try_get(6)?,
                    en: r.try_get(7)?,
                },
            })
        })
        .collect()
}

/// Every competence of the given frameworks (or, when none are given, of the current
/// career-competencies framework), by framework name and position.
pub async fn competences_of(t: Tenant<'_>, framework_ids: &[String]) -> Result<Vec<CompetenceRef>> {
    let ids: Vec<String> = if framework_ids.is_empty() {
        match by_key(t, "career-competencies", None).await? {
            Some(f) => vec![f.summary.id],
            None => return Ok(Vec::new()),
        }
    } else {
        framework_ids.to_vec()
    };
    let sql = format!(
        "SELECT c.id FROM competences c JOIN frameworks f ON f.id = c.framework_id \
         WHERE c.institution_id = $1 AND c.framework_id IN ({})",
        crate::platform::users::placeholders(2, ids.len())
    );
    let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).bind(t.institution_id);
    for id in &ids {
        q = q.bind(id);
    }
    let competence_ids = q.fetch_all(t.pool()).await?;
    competences(t, &competence_ids).await
}
