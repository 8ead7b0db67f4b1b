//! Evidence of a student per competence (with an optional file kept in the database), and
//! the lecturer's sign-off of a competence. Assessments are feedback with a rubric level
//! (`reviews::add_feedback` with kind `evidence`).

use crate::{Result, Tenant, now_ms};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Evidence {
    pub id: String,
    pub person_id: String,
    pub person_name: String,
    pub competence_id: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub file_id: Option<String>,
    pub file_name: Option<String>,
    pub file_size: Option<i64>,
    pub created_at: i64,
}

pub struct NewFile<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
}

pub struct NewEvidence<'a> {
    pub person_id: &'a str,
    pub competence_id: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub link: Option<&'a str>,
    pub file: Option<NewFile<'a>>,
}

pub async fn create(t: Tenant<'_>, n: &NewEvidence<'_>) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    let file_id = match &n.file {
        Some(f) => {
            let fid = koers_domain::new_id();
            sqlx::query(
                "INSERT INTO files (id, institution_id, owner_id, name, content_type, size, data, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&fid)
            .bind(t.institution_id)
            .bind(n.person_id)
            .bind(f.name)
            .bind(f.content_type)
            .bind(f.data.len() as i64)
            .bind(f.data.to_vec())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            Some(fid)
        }
        None => None,
    };
    sqlx::query(
        "INSERT INTO evidence (id, institution_id, person_id, competence_id, title, body, link, file_id, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(n.person_id)
    .bind(n.competence_id)
    .bind(n.title)
    .bind(n.body)
    .bind(n.link)
    .bind(file_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

const SELECT: &str = "SELECT e.id, e.person_id, u.name, e.competence_id, e.title, e.body, e.link, e.file_id, \
    f.name, f.size, e.created_at FROM evidence e JOIN users u ON u.id = e.person_id \
    LEFT JOIN files f ON f.id = e.file_id";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Evidence> {
    Ok(Evidence {
        id: r.try_get(0)?,
        person_id: r.try_get(1)?,
        person_name: r.try_get(2)?,
        competence_id: r.try_get(3)?,
        title: r.try_get(4)?,
        body: r.try_get(5)?,
        link: r.try_get(6)?,
        file_id: r.try_get(7)?,
        file_name: r.try_get(8)?,
        file_size: r.try_get(9)?,
        created_at: r.try_get(10)?,
    })
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Evidence>> {
    let sql = format!("{SELECT} WHERE e.institution_id = $1 AND e.id = $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(id)
        .fetch_optional(t.pool())
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn for_person(t: Tenant<'_>, person_id: &str) -> Result<Vec<Evidence>> {
    let sql = format!(
        "{SELECT} WHERE e.institution_id = $1 AND e.person_id = $2 ORDER BY e.created_at DESC, e.id DESC"
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

/// The file of a piece of evidence: (name, content type, bytes).
pub async fn file(t: Tenant<'_>, file_id: &str) -> Result<Option<(String, String, Vec<u8>)>> {
    let r = sqlx::query(
        "SELECT name, content_type, data FROM files WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(file_id)
    .fetch_optional(t.pool())
    .await?;
    r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .transpose()
}

pub async fn delete(t: Tenant<'_>, e: &Evidence) -> Result<()> {
    let mut tx = t.db.begin().await?;
    super::reviews::delete_reviews(&mut tx, t, &e.id).await?;
    sqlx::query("DELETE FROM evidence WHERE institution_id = $1 AND id = $2")
        .bind(t.institution_id)
        .bind(&e.id)
        .execute(&mut *tx)
        .await?;
    if let Some(f) = &e.file_id {
        sqlx::query("DELETE FROM files WHERE institution_id = $1 AND id = $2")
            .bind(t.institution_id)
            .bind(f)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct SignOff {
    pub competence_id: String,
    pub level_key: String,
    pub signed_by_name: Option<String>,
    pub signed_at: i64,
}

/// Sign off (or re-sign at another level) a competence of a student.
pub async fn sign_off(
    t: Tenant<'_>,
    person_id: &str,
    competence_id: &str,
    level_key: &str,
    signed_by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO competence_signoffs (person_id, competence_id, institution_id, level_key, signed_by, signed_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (person_id, competence_id) DO UPDATE SET \
         level_key = $4, signed_by = $5, signed_at = $6",
    )
    .bind(person_id)
    .bind(competence_id)
    .bind(t.institution_id)
    .bind(level_key)
    .bind(signed_by)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(())
}

pub async fn sign_offs(t: Tenant<'_>, person_id: &str) -> Result<Vec<SignOff>> {
    sqlx::query(
        "SELECT s.competence_id, s.level_key, u.name, s.signed_at FROM competence_signoffs s \
         LEFT JOIN users u ON u.id = s.signed_by WHERE s.institution_id = $1 AND s.person_id = $2",
    )
    .bind(t.institution_id)
    .bind(person_id)
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(SignOff {
            competence_id: r.try_get(0)?,
            level_key: r.try_get(1)?,
            signed_by_name: r.try_get(2)?,
            signed_at: r.try_get(3)?,
        })
    })
    .collect()
}

/// Per student of a programme (and cohort): signed-off competences and competences with
/// evidence, per framework key. Rows: (student user id, name, framework key, signed, evidenced).
pub async fn group_progress(
    t: Tenant<'_>,
    programme_id: &str,
    cohort_year: Option<i64>,
) -> Result<Vec<(String, String, String, i64, i64)>> {
    // Reads the evidence and sign-offs that exist, not every student × competence.
    let rows = sqlx::query(
        "SELECT s.user_id, u.name, f.key, SUM(y.signed), SUM(y.evidenced) FROM ( \
           SELECT person_id, competence_id, MAX(signed) AS signed, MAX(evidenced) AS evidenced FROM ( \
             SELECT person_id, competence_id, 1 AS signed, 0 AS evidenced FROM competence_signoffs \
             WHERE institution_id = $1 \
             UNION ALL SELECT person_id, competence_id, 0, 1 FROM evidence WHERE institution_id = $1) z \
           GROUP BY person_id, competence_id) y \
         JOIN students s ON s.user_id = y.person_id AND s.institution_id = $1 \
         JOIN users u ON u.id = s.user_id JOIN cohorts c ON c.id = s.cohort_id \
         JOIN competences k ON k.id = y.competence_id JOIN frameworks f ON f.id = k.framework_id \
         WHERE s.programme_id = $2 AND ($3 IS NULL OR c.year = $3) \
         GROUP BY s.user_id, u.name, f.key ORDER BY u.name, f.key",
    )
    .bind(t.institution_id)
    .bind(programme_id)
    .bind(cohort_year)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
            ))
        })
        .collect()
}
