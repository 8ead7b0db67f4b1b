use crate::{Db, Result, Tenant, conflict_as, now_ms};
use sqlx::Row;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Institution {
    pub id: String,
    pub name: String,
    pub slug: String,
}

/// Create an institution (operator action: not tenant-scoped by nature).
pub async fn create(db: &Db, name: &str, slug: &str) -> Result<Institution> {
    let id = koers_domain::new_id();
    sqlx::query("INSERT INTO institutions (id, name, slug, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(name)
        .bind(slug)
        .bind(now_ms())
        .execute(db.pool())
        .await
        .map_err(conflict_as("institution"))?;
    Ok(Institution {
        id,
        name: name.into(),
        slug: slug.into(),
    })
}

/// The tenant's own institution.
pub async fn get(t: Tenant<'_>) -> Result<Institution> {
    let r = sqlx::query("SELECT id, name, slug FROM institutions WHERE id = $1")
        .bind(t.institution_id)
        .fetch_one(t.pool())
        .await?;
    Ok(Institution {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        slug: r.try_get("slug")?,
    })
}

/// Find an institution by slug (operator commands such as `koers user add`).
pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<Institution>> {
    let r = sqlx::query("SELECT id, name, slug FROM institutions WHERE slug = $1")
        .bind(slug)
        .fetch_optional(db.pool())
        .await?;
    r.map(|r| {
        Ok(Institution {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            slug: r.try_get("slug")?,
        })
    })
    .transpose()
}

/// All institutions (operator commands only).
pub async fn all(db: &Db) -> Result<Vec<Institution>> {
    let rows = sqlx::query("SELECT id, name, slug FROM institutions ORDER BY name")
        .fetch_all(db.pool())
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Institution {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                slug: r.try_get("slug")?,
            })
        })
        .collect()
}
