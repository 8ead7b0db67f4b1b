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

/// The institution's own part of its privacy statement (all optional until an administrator
/// fills it in).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct PrivacyContact {
    /// Who is responsible for the data (the controller's legal name).
    pub controller: Option<String>,
    /// The data-protection officer (functionaris gegevensbescherming).
    pub officer: Option<String>,
    /// Where to send questions, requests and complaints.
    pub email: Option<String>,
    /// A note of the institution's own (plain text).
    pub note: Option<String>,
    /// When it last changed (ms since the epoch).
    pub updated_at: Option<i64>,
}

/// The privacy contact of an institution by id (the public statement reads it without a
/// session, after finding the institution by its slug).
pub async fn privacy_contact(t: Tenant<'_>) -> Result<PrivacyContact> {
    let r = sqlx::query(
        "SELECT privacy_controller, privacy_officer, privacy_email, privacy_note, \
         privacy_updated_at FROM institutions WHERE id = $1",
    )
    .bind(t.institution_id)
    .fetch_one(t.pool())
    .await?;
    Ok(PrivacyContact {
        controller: r.try_get(0)?,
        officer: r.try_get(1)?,
        email: r.try_get(2)?,
        note: r.try_get(3)?,
        updated_at: r.try_get(4)?,
    })
}

/// Change the privacy contact; `updated_at` is set to now.
pub async fn set_privacy_contact(t: Tenant<'_>, c: &PrivacyContact) -> Result<()> {
    sqlx::query(
        "UPDATE institutions SET privacy_controller = $2, privacy_officer = $3, \
         privacy_email = $4, privacy_note = $5, privacy_updated_at = $6 WHERE id = $1",
    )
    .bind(t.institution_id)
    .bind(c.controller.as_deref())
    .bind(c.officer.as_deref())
    .bind(c.email.as_deref())
    .bind(c.note.as_deref())
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(())
}
