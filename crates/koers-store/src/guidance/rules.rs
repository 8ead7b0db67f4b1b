//! The expected guidance moments per programme (the shipped defaults where none are set).

use crate::{Result, Tenant, now_ms};
use koers_domain::guidance::{MomentRule, Phase};
use sqlx::Row;

pub async fn for_programme(t: Tenant<'_>, programme_id: &str) -> Result<[MomentRule; 4]> {
    let mut conn = t.pool().acquire().await?;
    for_programme_in(&mut conn, t.institution_id, programme_id).await
}

/// The same, on a given connection (inside a transaction).
pub(crate) async fn for_programme_in(
    conn: &mut sqlx::AnyConnection,
    institution_id: &str,
    programme_id: &str,
) -> Result<[MomentRule; 4]> {
    let rows = sqlx::query(
        "SELECT phase, required, days, group_counts FROM moment_rules \
         WHERE institution_id = $1 AND programme_id = $2",
    )
    .bind(institution_id)
    .bind(programme_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut rules = MomentRule::defaults();
    for r in rows {
        let phase: String = r.try_get(0)?;
        if let Some(phase) = Phase::parse(&phase) {
            rules[phase.index()] = MomentRule {
                phase,
                required: r.try_get::<i64, _>(1)?.clamp(1, 12) as u32,
                days: r.try_get::<i64, _>(2)?.clamp(1, 2000) as u32,
                group_counts: r.try_get::<i64, _>(3)? != 0,
            };
        }
    }
    Ok(rules)
}

/// Store the rules of a programme and bring every student's summary in line with them.
pub async fn set(t: Tenant<'_>, programme_id: &str, rules: &[MomentRule; 4]) -> Result<()> {
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    for r in rules {
        sqlx::query(
            "INSERT INTO moment_rules (id, institution_id, programme_id, phase, required, days, group_counts, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (programme_id, phase) DO UPDATE SET required = $5, days = $6, group_counts = $7, updated_at = $8",
        )
        .bind(koers_domain::new_id())
        .bind(t.institution_id)
        .bind(programme_id)
        .bind(r.phase.key())
        .bind(i64::from(r.required))
        .bind(i64::from(r.days))
        .bind(i64::from(r.group_counts))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM students WHERE institution_id = $1 AND programme_id = $2",
    )
    .bind(t.institution_id)
    .bind(programme_id)
    .fetch_all(&mut *tx)
    .await?;
    for id in ids {
        super::summary::refresh(&mut tx, t.institution_id, &id).await?;
    }
    tx.commit().await?;
    Ok(())
}
