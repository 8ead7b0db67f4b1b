use super::Page;
use crate::{Result, StoreError, Tenant, conflict_as, now_ms};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Programme {
    pub id: String,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Cohort {
    pub id: String,
    pub programme_id: String,
    pub year: i64,
}

/// A programme with its cohorts and the number of students in each.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProgrammeOverview {
    pub programme: Programme,
    pub cohorts: Vec<(Cohort, i64)>,
    pub students: i64,
}

fn from_row(r: &AnyRow) -> Result<Programme> {
    Ok(Programme {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
    })
}

pub async fn create(t: Tenant<'_>, code: &str, name: &str) -> Result<Programme> {
    let id = koers_domain::new_id();
    sqlx::query("INSERT INTO programmes (id, institution_id, code, name, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(t.institution_id)
        .bind(code)
        .bind(name)
        .bind(now_ms())
        .execute(t.pool())
        .await
        .map_err(conflict_as("programme code"))?;
    Ok(Programme {
        id,
        code: code.into(),
        name: name.into(),
    })
}

pub async fn rename(t: Tenant<'_>, id: &str, name: &str) -> Result<()> {
    let n = sqlx::query("UPDATE programmes SET name = $3 WHERE institution_id = $1 AND id = $2")
        .bind(t.institution_id)
        .bind(id)
        .bind(name)
        .execute(t.pool())
        .await?
        .rows_affected();
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Programme>> {
    sqlx::query("SELECT id, code, name FROM programmes WHERE institution_id = $1 AND id = $2")
        .bind(t.institution_id)
        .bind(id)
        .fetch_optional(t.pool())
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn by_code(t: Tenant<'_>, code: &str) -> Result<Option<Programme>> {
    sqlx::query("SELECT id, code, name FROM programmes WHERE institution_id = $1 AND code = $2")
        .bind(t.institution_id)
        .bind(code.trim().to_uppercase())
        .fetch_optional(t.pool())
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Programmes ordered by code; the cursor is the last code.
pub async fn list(t: Tenant<'_>, limit: u32, cursor: Option<&str>) -> Result<Page<Programme>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, code, name FROM programmes WHERE institution_id = $1 AND code > $2 ORDER BY code LIMIT {}",
        limit + 1
    )))
    .bind(t.institution_id)
    .bind(cursor.unwrap_or(""))
    .fetch_all(t.pool())
    .await?;
    let mut items = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|p| p.code.clone())
    } else {
        None
    };
    Ok(Page { items, next })
}

pub async fn all(t: Tenant<'_>) -> Result<Vec<Programme>> {
    Ok(list(t, 10_000, None).await?.items)
}

pub async fn count(t: Tenant<'_>) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM programmes WHERE institution_id = $1")
            .bind(t.institution_id)
            .fetch_one(t.pool())
            .await?,
    )
}

pub async fn add_cohort(t: Tenant<'_>, programme_id: &str, year: i64) -> Result<Cohort> {
    if get(t, programme_id).await?.is_none() {
        return Err(StoreError::NotFound);
    }
    let id = koers_domain::new_id();
    sqlx::query("INSERT INTO cohorts (id, institution_id, programme_id, year, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(t.institution_id)
        .bind(programme_id)
        .bind(year)
        .bind(now_ms())
        .execute(t.pool())
        .await
        .map_err(conflict_as("cohort"))?;
    Ok(Cohort {
        id,
        programme_id: programme_id.into(),
        year,
    })
}

/// Every programme with its cohorts and student counts, in three queries whatever the size.
pub async fn overview(t: Tenant<'_>, only: Option<&[String]>) -> Result<Vec<ProgrammeOverview>> {
    let programmes = all(t).await?;
    let cohort_rows = sqlx::query(
        "SELECT c.id, c.programme_id, c.year, \
           (SELECT COUNT(*) FROM students s WHERE s.cohort_id = c.id) AS n \
         FROM cohorts c WHERE c.institution_id = $1 ORDER BY c.year DESC",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    let mut out: Vec<ProgrammeOverview> = programmes
        .into_iter()
        .filter(|p| only.is_none_or(|ids| ids.contains(&p.id)))
        .map(|programme| ProgrammeOverview {
            programme,
            cohorts: Vec::new(),
            students: 0,
        })
        .collect();
    for r in cohort_rows {
        let c = Cohort {
            id: r.try_get(0)?,
            programme_id: r.try_get(1)?,
            year: r.try_get(2)?,
        };
        let n: i64 = r.try_get(3)?;
        if let Some(p) = out.iter_mut().find(|p| p.programme.id == c.programme_id) {
            p.students += n;
            p.cohorts.push((c, n));
        }
    }
    Ok(out)
}

/// The cohort of a programme for a year, created when missing.
pub async fn cohort_for(t: Tenant<'_>, programme_id: &str, year: i64) -> Result<String> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM cohorts WHERE institution_id = $1 AND programme_id = $2 AND year = $3",
    )
    .bind(t.institution_id)
    .bind(programme_id)
    .bind(year)
    .fetch_optional(t.pool())
    .await?;
    match found {
        Some(id) => Ok(id),
        None => Ok(add_cohort(t, programme_id, year).await?.id),
    }
}
