//! Issued Open Badges credentials and the institution's signing keys. Signing itself is
//! done by `koers-credentials`; this module keeps what was signed.

use crate::{Db, Result, Tenant, now_ms};
use sqlx::Row;

/// Sources a credential is issued for.
pub const FRAMEWORK: &str = "framework";

/// A signing key of the institution.
#[derive(Debug, Clone)]
pub struct KeyInfo {
    pub id: String,
    pub did: String,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

/// The key that signs now: its did and private JWK.
pub async fn active_key(t: Tenant<'_>) -> Result<Option<(String, String)>> {
    let row = sqlx::query(
        "SELECT did, secret_jwk FROM issuer_keys WHERE institution_id = $1 AND retired_at IS NULL \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(t.institution_id)
    .fetch_optional(t.pool())
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// Add a key that signs from now on; the keys before it are retired.
pub async fn add_key(t: Tenant<'_>, did: &str, secret_jwk: &str) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    sqlx::query(
        "UPDATE issuer_keys SET retired_at = $2 WHERE institution_id = $1 AND retired_at IS NULL",
    )
    .bind(t.institution_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO issuer_keys (id, institution_id, did, secret_jwk, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(did)
    .bind(secret_jwk)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Every key of the institution, newest first.
pub async fn keys(t: Tenant<'_>) -> Result<Vec<KeyInfo>> {
    sqlx::query(
        "SELECT id, did, created_at, retired_at FROM issuer_keys WHERE institution_id = $1 \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(KeyInfo {
            id: r.try_get(0)?,
            did: r.try_get(1)?,
            created_at: r.try_get(2)?,
            retired_at: r.try_get(3)?,
        })
    })
    .collect()
}

/// An issued credential.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: String,
    pub institution_id: String,
    pub person_id: String,
    pub name: String,
    pub document: String,
    pub issued_at: i64,
}

pub struct NewCredential<'a> {
    pub id: &'a str,
    pub person_id: &'a str,
    pub source_kind: &'a str,
    pub source_id: &'a str,
    pub name: &'a str,
    pub document: &'a str,
}

/// Keep an issued credential; false when the person already has one for the source.
pub async fn insert(t: Tenant<'_>, c: &NewCredential<'_>) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO credentials (id, institution_id, person_id, source_kind, source_id, name, document, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (institution_id, person_id, source_kind, source_id) DO NOTHING",
    )
    .bind(c.id)
    .bind(t.institution_id)
    .bind(c.person_id)
    .bind(c.source_kind)
    .bind(c.source_id)
    .bind(c.name)
    .bind(c.document)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

const SELECT: &str =
    "SELECT id, institution_id, person_id, name, document, issued_at FROM credentials";

fn stored(r: &sqlx::any::AnyRow) -> Result<Stored> {
    Ok(Stored {
        id: r.try_get(0)?,
        institution_id: r.try_get(1)?,
        person_id: r.try_get(2)?,
        name: r.try_get(3)?,
        document: r.try_get(4)?,
        issued_at: r.try_get(5)?,
    })
}

/// A person's credentials, newest first.
pub async fn for_person(t: Tenant<'_>, person_id: &str) -> Result<Vec<Stored>> {
    let sql =
        format!("{SELECT} WHERE institution_id = $1 AND person_id = $2 ORDER BY issued_at DESC");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(person_id)
        .fetch_all(t.pool())
        .await?
        .iter()
        .map(stored)
        .collect()
}

/// One credential by its id, in any institution (credentials are public by their id).
pub async fn by_id(db: &Db, id: &str) -> Result<Option<Stored>> {
    let sql = format!("{SELECT} WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .as_ref()
        .map(stored)
        .transpose()
}

/// How many credentials the institution issued.
pub async fn count(t: Tenant<'_>) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM credentials WHERE institution_id = $1")
            .bind(t.institution_id)
            .fetch_one(t.pool())
            .await?,
    )
}

/// The frameworks (ids) of which every competence is signed off for the person and no
/// credential was issued yet.
pub async fn completed_frameworks(t: Tenant<'_>, person_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT k.framework_id FROM competences k \
         LEFT JOIN competence_signoffs s ON s.competence_id = k.id AND s.person_id = $2 \
         WHERE k.institution_id = $1 \
           AND k.framework_id IN (SELECT k2.framework_id FROM competence_signoffs s2 \
                                  JOIN competences k2 ON k2.id = s2.competence_id \
                                  WHERE s2.institution_id = $1 AND s2.person_id = $2) \
           AND NOT EXISTS (SELECT 1 FROM credentials c WHERE c.institution_id = $1 \
                           AND c.person_id = $2 AND c.source_kind = 'framework' \
                           AND c.source_id = k.framework_id) \
         GROUP BY k.framework_id HAVING COUNT(*) = COUNT(s.person_id) ORDER BY k.framework_id",
    )
    .bind(t.institution_id)
    .bind(person_id)
    .fetch_all(t.pool())
    .await?)
}

/// Every (institution, person) with at least one sign-off.
pub async fn people_with_signoffs(db: &Db) -> Result<Vec<(String, String)>> {
    sqlx::query(
        "SELECT DISTINCT institution_id, person_id FROM competence_signoffs ORDER BY institution_id, person_id",
    )
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .collect()
}

/// Sources: a designated activity the person completed.
pub const ACTIVITY: &str = "activity";

/// Designated activities the person completed and has no credential for yet.
pub async fn completed_activities(t: Tenant<'_>, person_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT c.activity_id FROM activity_completions c JOIN activities a ON a.id = c.activity_id \
         WHERE c.institution_id = $1 AND c.person_id = $2 AND a.awards_credential = 1 \
           AND NOT EXISTS (SELECT 1 FROM credentials x WHERE x.institution_id = $1 AND x.person_id = $2 \
                           AND x.source_kind = 'activity' AND x.source_id = c.activity_id) \
         ORDER BY c.activity_id",
    )
    .bind(t.institution_id)
    .bind(person_id)
    .fetch_all(t.pool())
    .await?)
}

/// Whether an activity awards a credential, and set it.
pub async fn activity_awards(t: Tenant<'_>, activity_id: &str) -> Result<bool> {
    let v: Option<i64> = sqlx::query_scalar(
        "SELECT awards_credential FROM activities WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(activity_id)
    .fetch_optional(t.pool())
    .await?;
    Ok(v == Some(1))
}

pub async fn set_activity_awards(t: Tenant<'_>, activity_id: &str, awards: bool) -> Result<()> {
    sqlx::query(
        "UPDATE activities SET awards_credential = $3 WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(activity_id)
    .bind(i64::from(awards))
    .execute(t.pool())
    .await?;
    Ok(())
}

/// Record that students completed an activity (again is no change).
pub async fn complete_activity(
    t: Tenant<'_>,
    activity_id: &str,
    person_ids: &[String],
    by: &str,
) -> Result<()> {
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    for p in person_ids {
        sqlx::query(
            "INSERT INTO activity_completions (activity_id, person_id, institution_id, completed_by, completed_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (activity_id, person_id) DO NOTHING",
        )
        .bind(activity_id)
        .bind(p)
        .bind(t.institution_id)
        .bind(by)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Who completed an activity: (name, student number, completed at).
pub async fn completions(t: Tenant<'_>, activity_id: &str) -> Result<Vec<(String, String, i64)>> {
    sqlx::query(
        "SELECT u.name, COALESCE(s.student_number, ''), c.completed_at FROM activity_completions c \
         JOIN users u ON u.id = c.person_id \
         LEFT JOIN students s ON s.user_id = c.person_id AND s.institution_id = c.institution_id \
         WHERE c.institution_id = $1 AND c.activity_id = $2 ORDER BY u.name",
    )
    .bind(t.institution_id)
    .bind(activity_id)
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
    .collect()
}

/// An activity's title, description, programme name and aligned competences
/// (framework key, competence key, competence name in Dutch and English).
pub struct ActivityInfo {
    pub title: String,
    pub description: String,
    pub programme: String,
    pub competences: Vec<(String, String, String, String)>,
}

pub async fn activity_info(t: Tenant<'_>, activity_id: &str) -> Result<Option<ActivityInfo>> {
    let Some(row) = sqlx::query(
        "SELECT a.title, a.description, p.name FROM activities a JOIN programmes p ON p.id = a.programme_id \
         WHERE a.institution_id = $1 AND a.id = $2",
    )
    .bind(t.institution_id)
    .bind(activity_id)
    .fetch_optional(t.pool())
    .await?
    else {
        return Ok(None);
    };
    let competences = sqlx::query(
        "SELECT f.key, k.key, k.name_nl, k.name_en FROM activity_competences ac \
         JOIN competences k ON k.id = ac.competence_id JOIN frameworks f ON f.id = k.framework_id \
         WHERE ac.activity_id = $1 ORDER BY f.key, k.position",
    )
    .bind(activity_id)
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
    .collect::<Result<Vec<_>>>()?;
    Ok(Some(ActivityInfo {
        title: row.try_get(0)?,
        description: row.try_get(1)?,
        programme: row.try_get(2)?,
        competences,
    }))
}
