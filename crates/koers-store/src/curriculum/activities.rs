//! LOB activities of a programme with the competences they address, and what the learning
//! line needs of them.

use crate::{Result, StoreError, Tenant, now_ms};
use koers_domain::curriculum::learning_line::{ActivityInput, ActivityKind, Depth, LineActivity};
use koers_domain::guidance::Phase;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Activity {
    pub id: String,
    pub programme_id: String,
    pub kind: ActivityKind,
    pub title: String,
    pub description: String,
    pub year: u8,
    pub period: u8,
    pub phase: Option<Phase>,
    pub study_hours: u32,
    pub goals: String,
    pub partners: Vec<String>,
    /// (competence id, depth)
    pub competences: Vec<(String, Depth)>,
    pub updated_at: i64,
}

impl Activity {
    pub fn depth_of(&self, competence_id: &str) -> Option<Depth> {
        self.competences
            .iter()
            .find(|(c, _)| c == competence_id)
            .map(|(_, d)| *d)
    }

    pub fn has_partner(&self, p: &str) -> bool {
        self.partners.iter().any(|x| x == p)
    }

    pub fn as_line(&self) -> LineActivity {
        LineActivity {
            id: self.id.clone(),
            year: self.year,
            phase: self.phase,
            competences: self.competences.clone(),
        }
    }
}

/// Keep only competences of this institution (ids from a form or the API).
async fn check_competences(t: Tenant<'_>, links: &[(String, Depth)]) -> Result<()> {
    let ids: Vec<String> = links.iter().map(|(c, _)| c.clone()).collect();
    let found = super::frameworks::competences(t, &ids).await?;
    if found.len() != ids.iter().collect::<std::collections::HashSet<_>>().len() {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

async fn write_links(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    t: Tenant<'_>,
    id: &str,
    links: &[(String, Depth)],
) -> Result<()> {
    sqlx::query("DELETE FROM activity_competences WHERE institution_id = $1 AND activity_id = $2")
        .bind(t.institution_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let mut seen = std::collections::HashSet::new();
    let links: Vec<&(String, Depth)> = links
        .iter()
        .filter(|(c, _)| seen.insert(c.clone()))
        .collect();
    insert_rows!(
        &mut **tx,
        "INSERT INTO activity_competences (activity_id, institution_id, competence_id, level)",
        "(?, ?, ?, ?)",
        links,
        |q, x| q.bind(id).bind(t.institution_id).bind(&x.0).bind(x.1.key())
    );
    Ok(())
}

/// Add an activity; `NotFound` when a competence is not the institution's.
pub async fn create(
    t: Tenant<'_>,
    programme_id: &str,
    a: &ActivityInput,
    links: &[(String, Depth)],
    created_by: &str,
) -> Result<String> {
    check_competences(t, links).await?;
    let id = koers_domain::new_id();
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    sqlx::query(
        "INSERT INTO activities (id, institution_id, programme_id, kind, title, description, year, period, phase, \
         study_hours, goals, partners, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(programme_id)
    .bind(a.kind.key())
    .bind(&a.title)
    .bind(&a.description)
    .bind(i64::from(a.year))
    .bind(i64::from(a.period))
    .bind(a.phase.map(|p| p.key()))
    .bind(i64::from(a.study_hours))
    .bind(&a.goals)
    .bind(a.partners.join(","))
    .bind(created_by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    write_links(&mut tx, t, &id, links).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(
    t: Tenant<'_>,
    id: &str,
    a: &ActivityInput,
    links: &[(String, Depth)],
) -> Result<()> {
    check_competences(t, links).await?;
    let mut tx = t.db.begin().await?;
    let n = sqlx::query(
        "UPDATE activities SET kind = $3, title = $4, description = $5, year = $6, period = $7, phase = $8, \
         study_hours = $9, goals = $10, partners = $11, updated_at = $12 WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(a.kind.key())
    .bind(&a.title)
    .bind(&a.description)
    .bind(i64::from(a.year))
    .bind(i64::from(a.period))
    .bind(a.phase.map(|p| p.key()))
    .bind(i64::from(a.study_hours))
    .bind(&a.goals)
    .bind(a.partners.join(","))
    .bind(now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    write_links(&mut tx, t, id, links).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(t: Tenant<'_>, id: &str) -> Result<()> {
    let mut tx = t.db.begin().await?;
    sqlx::query("DELETE FROM activity_competences WHERE institution_id = $1 AND activity_id = $2")
        .bind(t.institution_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM activities WHERE institution_id = $1 AND id = $2")
        .bind(t.institution_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

const SELECT: &str = "SELECT id, programme_id, kind, title, description, year, period, phase, study_hours, goals, \
    partners, updated_at FROM activities";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Activity> {
    let partners: String = r.try_get(10)?;
    Ok(Activity {
        id: r.try_get(0)?,
        programme_id: r.try_get(1)?,
        kind: ActivityKind::parse(&r.try_get::<String, _>(2)?).unwrap_or(ActivityKind::Module),
        title: r.try_get(3)?,
        description: r.try_get(4)?,
        year: r.try_get::<i64, _>(5)?.clamp(0, 255) as u8,
        period: r.try_get::<i64, _>(6)?.clamp(0, 255) as u8,
        phase: r
            .try_get::<Option<String>, _>(7)?
            .as_deref()
            .and_then(Phase::parse),
        study_hours: r.try_get::<i64, _>(8)?.max(0) as u32,
        goals: r.try_get(9)?,
        partners: partners
            .split(',')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
        competences: Vec::new(),
        updated_at: r.try_get(11)?,
    })
}

async fn attach_links(
    t: Tenant<'_>,
    acts: &mut [Activity],
    programme_id: Option<&str>,
) -> Result<()> {
    if acts.is_empty() {
        return Ok(());
    }
    let rows = match programme_id {
        Some(p) => {
            sqlx::query(
                "SELECT l.activity_id, l.competence_id, l.level FROM activity_competences l \
                 JOIN activities a ON a.id = l.activity_id WHERE a.institution_id = $1 AND a.programme_id = $2",
            )
            .bind(t.institution_id)
            .bind(p)
            .fetch_all(t.pool())
            .await?
        }
        None => {
            sqlx::query(
                "SELECT activity_id, competence_id, level FROM activity_competences \
                 WHERE institution_id = $1 AND activity_id = $2",
            )
            .bind(t.institution_id)
            .bind(&acts[0].id)
            .fetch_all(t.pool())
            .await?
        }
    };
    for r in rows {
        let a: String = r.try_get(0)?;
        let c: String = r.try_get(1)?;
        let d = Depth::parse(&r.try_get::<String, _>(2)?).unwrap_or(Depth::Introduced);
        if let Some(act) = acts.iter_mut().find(|x| x.id == a) {
            act.competences.push((c, d));
        }
    }
    Ok(())
}

/// The activities of a programme, by year, period and title.
pub async fn for_programme(t: Tenant<'_>, programme_id: &str) -> Result<Vec<Activity>> {
    let sql = format!(
        "{SELECT} WHERE institution_id = $1 AND programme_id = $2 ORDER BY year, period, title, id"
    );
    let mut acts = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(programme_id)
        .fetch_all(t.pool())
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>>>()?;
    attach_links(t, &mut acts, Some(programme_id)).await?;
    Ok(acts)
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Activity>> {
    let sql = format!("{SELECT} WHERE institution_id = $1 AND id = $2");
    let Some(r) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(id)
        .fetch_optional(t.pool())
        .await?
    else {
        return Ok(None);
    };
    let mut acts = vec![from_row(&r)?];
    attach_links(t, &mut acts, None).await?;
    Ok(acts.pop())
}
