//! Programme teams' LOB self-scans (see `koers_domain::vision::selfscan`): one per programme
//! and academic year, saved as a draft until the team marks it final.

use crate::{Result, StoreError, Tenant, now_ms};
use koers_domain::vision::selfscan::{Answer, ScanStatus};
use sqlx::Row;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct SelfScan {
    pub id: String,
    pub programme_id: String,
    pub programme_code: String,
    pub programme_name: String,
    pub year: i16,
    pub status: ScanStatus,
    pub participants: String,
    pub updated_at: i64,
    pub answers: BTreeMap<String, Answer>,
}

const SELECT: &str = "SELECT s.id, s.programme_id, p.code, p.name, s.year, s.status, s.participants, s.updated_at \
    FROM lob_self_scans s JOIN programmes p ON p.id = s.programme_id";

async fn with_answers(t: Tenant<'_>, r: sqlx::any::AnyRow) -> Result<SelfScan> {
    let status: String = r.try_get(5)?;
    let id: String = r.try_get(0)?;
    let mut answers = BTreeMap::new();
    for a in
        sqlx::query("SELECT statement, score, note FROM lob_self_scan_answers WHERE scan_id = $1")
            .bind(&id)
            .fetch_all(t.pool())
            .await?
    {
        let score: i64 = a.try_get(1)?;
        answers.insert(
            a.try_get(0)?,
            Answer {
                score: score.clamp(0, 255) as u8,
                note: a.try_get(2)?,
            },
        );
    }
    let year: i64 = r.try_get(4)?;
    Ok(SelfScan {
        id,
        programme_id: r.try_get(1)?,
        programme_code: r.try_get(2)?,
        programme_name: r.try_get(3)?,
        year: year as i16,
        status: ScanStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("self-scan status {status}")))?,
        participants: r.try_get(6)?,
        updated_at: r.try_get(7)?,
        answers,
    })
}

/// The self-scans of a year (every programme, or the given ones), by programme code.
pub async fn of_year(t: Tenant<'_>, year: i16) -> Result<Vec<SelfScan>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE s.institution_id = $1 AND s.year = $2 ORDER BY p.code"
    )))
    .bind(t.institution_id)
    .bind(i64::from(year))
    .fetch_all(t.pool())
    .await?;
    let mut out = Vec::new();
    for r in rows {
        out.push(with_answers(t, r).await?);
    }
    Ok(out)
}

pub async fn get(t: Tenant<'_>, programme_id: &str, year: i16) -> Result<Option<SelfScan>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE s.institution_id = $1 AND s.programme_id = $2 AND s.year = $3"
    )))
    .bind(t.institution_id)
    .bind(programme_id)
    .bind(i64::from(year))
    .fetch_optional(t.pool())
    .await?;
    match row {
        Some(r) => Ok(Some(with_answers(t, r).await?)),
        None => Ok(None),
    }
}

/// Save a programme's self-scan of a year (creating it), replacing its answers. A final scan
/// cannot be changed: `Conflict`.
pub async fn save(
    t: Tenant<'_>,
    programme_id: &str,
    year: i16,
    answers: &BTreeMap<String, Answer>,
    participants: &str,
    status: ScanStatus,
    by: &str,
) -> Result<String> {
    let mut tx = t.db.begin().await?;
    let existing = sqlx::query(
        "SELECT id, status FROM lob_self_scans WHERE institution_id = $1 AND programme_id = $2 AND year = $3",
    )
    .bind(t.institution_id)
    .bind(programme_id)
    .bind(i64::from(year))
    .fetch_optional(&mut *tx)
    .await?;
    let now = now_ms();
    let id = match existing {
        Some(r) => {
            let id: String = r.try_get(0)?;
            let s: String = r.try_get(1)?;
            if s == ScanStatus::Final.key() {
                return Err(StoreError::Conflict("the self-scan is final"));
            }
            sqlx::query(
                "UPDATE lob_self_scans SET status = $1, participants = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(status.key())
            .bind(participants)
            .bind(now)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM lob_self_scan_answers WHERE scan_id = $1")
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            id
        }
        None => {
            let id = koers_domain::new_id();
            sqlx::query(
                "INSERT INTO lob_self_scans (id, institution_id, programme_id, year, status, participants, \
                 created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(&id)
            .bind(t.institution_id)
            .bind(programme_id)
            .bind(i64::from(year))
            .bind(status.key())
            .bind(participants)
            .bind(by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            id
        }
    };
    for (statement, a) in answers {
        sqlx::query(
            "INSERT INTO lob_self_scan_answers (scan_id, statement, score, note) VALUES ($1, $2, $3, $4)",
        )
        .bind(&id)
        .bind(statement)
        .bind(i64::from(a.score))
        .bind(&a.note)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Reopen a final self-scan as a draft (an administrator or programme manager correcting it).
pub async fn reopen(t: Tenant<'_>, id: &str) -> Result<()> {
    sqlx::query(
        "UPDATE lob_self_scans SET status = 'draft', updated_at = $1 WHERE institution_id = $2 AND id = $3",
    )
    .bind(now_ms())
    .bind(t.institution_id)
    .bind(id)
    .execute(t.pool())
    .await?;
    Ok(())
}
