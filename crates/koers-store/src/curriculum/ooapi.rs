//! Imports from an institution's Open Education API: what Koers has to compare with, the
//! fetched data waiting for confirmation, and applying a plan in one transaction.

use crate::{Result, Tenant, now_ms};
use koers_domain::curriculum::ooapi::{Change, ExistingActivity, ExistingProgramme, ProgrammePlan};
use sqlx::Row;

/// The programmes and the imported activities of the institution.
pub async fn existing(t: Tenant<'_>) -> Result<(Vec<ExistingProgramme>, Vec<ExistingActivity>)> {
    let programmes =
        sqlx::query("SELECT id, code, name, external_id FROM programmes WHERE institution_id = $1")
            .bind(t.institution_id)
            .fetch_all(t.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(ExistingProgramme {
                    id: r.try_get(0)?,
                    code: r.try_get(1)?,
                    name: r.try_get(2)?,
                    external_id: r.try_get(3)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
    let activities = sqlx::query(
        "SELECT id, external_id, title, description, study_hours, period FROM activities \
         WHERE institution_id = $1 AND external_id IS NOT NULL",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(ExistingActivity {
            id: r.try_get(0)?,
            external_id: r.try_get(1)?,
            title: r.try_get(2)?,
            description: r.try_get(3)?,
            study_hours: r.try_get(4)?,
            period: r.try_get(5)?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok((programmes, activities))
}

/// The source of the institution's last import, to offer it again.
pub async fn last_source(t: Tenant<'_>) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT filename FROM import_runs WHERE institution_id = $1 AND kind = 'ooapi' \
         ORDER BY started_at DESC LIMIT 1",
    )
    .bind(t.institution_id)
    .fetch_optional(t.pool())
    .await?)
}

/// How many records an import made and changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    pub created: i64,
    pub updated: i64,
}

/// Apply a plan (all or nothing) and record the run; `pending_id` is removed with it.
pub async fn apply(
    t: Tenant<'_>,
    plans: &[ProgrammePlan],
    user_id: &str,
    source: &str,
    pending_id: Option<&str>,
) -> Result<Applied> {
    let now = now_ms();
    let mut done = Applied::default();
    let mut tx = t.db.begin().await?;
    for p in plans {
        let programme_id = match (&p.existing_id, p.change) {
            (Some(id), Change::Unchanged) => id.clone(),
            (Some(id), _) => {
                sqlx::query(
                    "UPDATE programmes SET name = $3, external_id = $4 WHERE institution_id = $1 AND id = $2",
                )
                .bind(t.institution_id)
                .bind(id)
                .bind(&p.program.name)
                .bind(&p.program.id)
                .execute(&mut *tx)
                .await?;
                done.updated += 1;
                id.clone()
            }
            (None, _) => {
                let id = koers_domain::new_id();
                sqlx::query(
                    "INSERT INTO programmes (id, institution_id, code, name, external_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&id)
                .bind(t.institution_id)
                .bind(&p.program.code)
                .bind(&p.program.name)
                .bind(&p.program.id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                done.created += 1;
                id
            }
        };
        for (c, change, existing) in &p.courses {
            match (existing, change) {
                (Some(_), Change::Unchanged) => {}
                (Some(id), _) => {
                    sqlx::query(
                        "UPDATE activities SET title = $3, description = $4, study_hours = $5, \
                         period = COALESCE($6, period), updated_at = $7 WHERE institution_id = $1 AND id = $2",
                    )
                    .bind(t.institution_id)
                    .bind(id)
                    .bind(&c.title)
                    .bind(&c.description)
                    .bind(c.study_hours)
                    .bind(c.period)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    done.updated += 1;
                }
                (None, _) => {
                    sqlx::query(
                        "INSERT INTO activities (id, institution_id, programme_id, kind, title, description, year, \
                         period, phase, study_hours, goals, partners, created_by, created_at, updated_at, external_id) \
                         VALUES ($1, $2, $3, 'module', $4, $5, 1, $6, NULL, $7, '', '', $8, $9, $9, $10)",
                    )
                    .bind(koers_domain::new_id())
                    .bind(t.institution_id)
                    .bind(&programme_id)
                    .bind(&c.title)
                    .bind(&c.description)
                    .bind(c.period.unwrap_or(0))
                    .bind(c.study_hours)
                    .bind(user_id)
                    .bind(now)
                    .bind(&c.id)
                    .execute(&mut *tx)
                    .await?;
                    done.created += 1;
                }
            }
        }
    }
    sqlx::query(
        "INSERT INTO import_runs (id, institution_id, user_id, kind, filename, status, total, created, updated, \
         started_at, finished_at) VALUES ($1, $2, $3, 'ooapi', $4, 'done', $5, $6, $7, $8, $8)",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(user_id)
    .bind(source)
    .bind(done.created + done.updated)
    .bind(done.created)
    .bind(done.updated)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if let Some(id) = pending_id {
        sqlx::query("DELETE FROM pending_imports WHERE institution_id = $1 AND id = $2")
            .bind(t.institution_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(done)
}
