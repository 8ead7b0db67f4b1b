//! Importing student records: checked against the database (programmes, counsellors, email
//! addresses of other people), then written all at once in one transaction. Re-importing
//! updates records by student number.

use crate::{Result, Tenant, now_ms};
use koers_domain::guidance::import::{ImportError, ImportRow};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// What an import will do, line by line.
#[derive(Debug, Clone)]
pub struct Plan {
    pub rows: Vec<PlannedRow>,
    /// Cohorts to create: (programme code, year).
    pub new_cohorts: Vec<(String, i64)>,
}

#[derive(Debug, Clone)]
pub struct PlannedRow {
    pub row: ImportRow,
    pub programme_id: String,
    pub counsellor_id: Option<String>,
    /// The existing record (student id, user id) when the student number is known.
    pub existing: Option<(String, String)>,
    /// Whether anything changes for an existing record.
    pub changes: bool,
}

impl Plan {
    pub fn created(&self) -> usize {
        self.rows.iter().filter(|r| r.existing.is_none()).count()
    }
    pub fn updated(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.existing.is_some() && r.changes)
            .count()
    }
    pub fn unchanged(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.existing.is_some() && !r.changes)
            .count()
    }
}

/// Values per lookup query (`IN (…)`).
const CHUNK: usize = 500;
/// New rows written between progress reports.
const BLOCK: usize = 1000;

/// Check the rows against the database. `allowed_programmes`: the programme ids the importer
/// may write to (`None`: all).
pub async fn plan(
    t: Tenant<'_>,
    rows: Vec<ImportRow>,
    allowed_programmes: Option<&[String]>,
    header_of: &(dyn Fn(&str) -> String + Sync),
) -> Result<std::result::Result<Plan, Vec<ImportError>>> {
    let programmes: HashMap<String, String> =
        sqlx::query("SELECT code, id FROM programmes WHERE institution_id = $1")
            .bind(t.institution_id)
            .fetch_all(t.pool())
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_>>()?;
    let cohorts: HashSet<(String, i64)> = sqlx::query(
        "SELECT p.code, c.year FROM cohorts c JOIN programmes p ON p.id = c.programme_id WHERE c.institution_id = $1",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .collect::<Result<_>>()?;
    let counsellors: HashMap<String, String> = sqlx::query(
        "SELECT DISTINCT u.email, u.id FROM users u JOIN role_assignments r ON r.user_id = u.id \
         WHERE u.institution_id = $1 AND r.institution_id = $1 AND r.role = 'counsellor' AND u.active = 1",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .collect::<Result<_>>()?;

    // Existing students by number, and users by email (emails are unique deployment-wide).
    // On SQLite the lists use anonymous `?` parameters (see `insert_rows!` for why), so the
    // institution comes last.
    let sqlite = t.db.backend() == crate::Backend::Sqlite;
    let chunk_size = if sqlite { 4 * CHUNK } else { CHUNK };
    let mut by_number: HashMap<String, ExistingStudent> = HashMap::new();
    for chunk in rows.chunks(chunk_size) {
        let sql = format!(
            "SELECT s.student_number, s.id, s.user_id, s.given_name, s.name_prefix, s.family_name, u.email, \
             s.programme_id, c.year, s.counsellor_id, s.start_date FROM students s JOIN users u ON u.id = s.user_id \
             JOIN cohorts c ON c.id = s.cohort_id WHERE s.student_number IN ({}) AND s.institution_id = {}",
            crate::params(sqlite, 1, chunk.len()),
            crate::params(sqlite, chunk.len() + 1, 1)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = q.bind(&r.student_number);
        }
        let q = q.bind(t.institution_id);
        for r in q.fetch_all(t.pool()).await? {
            by_number.insert(
                r.try_get(0)?,
                ExistingStudent {
                    id: r.try_get(1)?,
                    user_id: r.try_get(2)?,
                    given: r.try_get(3)?,
                    prefix: r.try_get(4)?,
                    family: r.try_get(5)?,
                    email: r.try_get(6)?,
                    programme_id: r.try_get(7)?,
                    year: r.try_get(8)?,
                    counsellor_id: r.try_get(9)?,
                    start_date: r.try_get(10)?,
                },
            );
        }
    }
    let mut email_owner: HashMap<String, String> = HashMap::new();
    for chunk in rows.chunks(chunk_size) {
        let sql = format!(
            "SELECT email, id FROM users WHERE email IN ({})",
            crate::params(sqlite, 1, chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = q.bind(r.email.as_str());
        }
        for r in q.fetch_all(t.pool()).await? {
            email_owner.insert(r.try_get(0)?, r.try_get(1)?);
        }
    }

    let mut errors = Vec::new();
    let mut planned = Vec::with_capacity(rows.len());
    let mut new_cohorts: Vec<(String, i64)> = Vec::new();
    for row in rows {
        let line = row.line;
        let before = errors.len();
        let code = row.programme.as_str().to_owned();
        let programme_id = programmes.get(&code).cloned();
        match &programme_id {
            None => errors.push(ImportError {
                line,
                column: Some(header_of("opleiding")),
                code: "programme-unknown",
                value: Some(code.clone()),
            }),
            Some(p) if allowed_programmes.is_some_and(|a| !a.contains(p)) => {
                errors.push(ImportError {
                    line,
                    column: Some(header_of("opleiding")),
                    code: "programme-not-allowed",
                    value: Some(code.clone()),
                })
            }
            Some(_) => {}
        }
        let counsellor_id = match &row.counsellor {
            None => None,
            Some(e) => match counsellors.get(e.as_str()) {
                Some(id) => Some(id.clone()),
                None => {
                    errors.push(ImportError {
                        line,
                        column: Some(header_of("loopbaanbegeleider")),
                        code: "counsellor-unknown",
                        value: Some(e.as_str().to_owned()),
                    });
                    None
                }
            },
        };
        let existing = by_number.get(&row.student_number);
        // Someone else's address may not be taken over.
        if let Some(owner) = email_owner.get(row.email.as_str())
            && existing.is_none_or(|s| &s.user_id != owner)
        {
            errors.push(ImportError {
                line,
                column: Some(header_of("e-mail")),
                code: "email-taken",
                value: Some(row.email.as_str().to_owned()),
            });
        }
        // A programme manager may not move a student out of someone else's programme.
        if let (Some(s), Some(allowed)) = (existing, allowed_programmes)
            && !allowed.contains(&s.programme_id)
        {
            errors.push(ImportError {
                line,
                column: Some(header_of("studentnummer")),
                code: "student-not-allowed",
                value: Some(row.student_number.clone()),
            });
        }
        if errors.len() > before {
            continue;
        }
        let programme_id = programme_id.expect("checked above");
        let year = i64::from(row.cohort.get());
        if !cohorts.contains(&(code.clone(), year)) && !new_cohorts.contains(&(code.clone(), year))
        {
            new_cohorts.push((code, year));
        }
        let changes = existing.is_none_or(|s| {
            s.given != row.given_name
                || s.prefix != row.name_prefix
                || s.family != row.family_name
                || s.email != row.email.as_str()
                || s.programme_id != programme_id
                || s.year != year
                || (counsellor_id.is_some() && s.counsellor_id != counsellor_id)
                || row
                    .start_date
                    .is_some_and(|d| d.to_string() != s.start_date)
        });
        planned.push(PlannedRow {
            existing: existing.map(|s| (s.id.clone(), s.user_id.clone())),
            changes,
            programme_id,
            counsellor_id,
            row,
        });
    }
    if errors.is_empty() {
        Ok(Ok(Plan {
            rows: planned,
            new_cohorts,
        }))
    } else {
        Ok(Err(errors))
    }
}

struct ExistingStudent {
    id: String,
    user_id: String,
    given: String,
    prefix: String,
    family: String,
    email: String,
    programme_id: String,
    year: i64,
    counsellor_id: Option<String>,
    start_date: String,
}

/// Write the plan in one transaction: all or nothing. Returns (created, updated).
pub async fn apply(
    t: Tenant<'_>,
    plan: &Plan,
    actor_id: Option<&str>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<(usize, usize)> {
    let now = now_ms();
    let total = plan.rows.len();
    // On SQLite, a larger page cache for this one write keeps the indexes in memory; the
    // connection gets its normal cache back afterwards.
    let sqlite = t.db.backend() == crate::Backend::Sqlite;
    let mut conn = t.pool().acquire().await?;
    if sqlite {
        sqlx::query("PRAGMA cache_size = -65536")
            .execute(&mut *conn)
            .await?;
    }
    let result = apply_on(&mut conn, t, plan, actor_id, progress, now, total).await;
    if sqlite {
        sqlx::query(crate::SQLITE_CACHE).execute(&mut *conn).await?;
    }
    result
}

async fn apply_on(
    conn: &mut sqlx::pool::PoolConnection<sqlx::Any>,
    t: Tenant<'_>,
    plan: &Plan,
    actor_id: Option<&str>,
    progress: &(dyn Fn(usize, usize) + Sync),
    now: i64,
    total: usize,
) -> Result<(usize, usize)> {
    use sqlx::Connection;
    let mut tx = if t.db.backend() == crate::Backend::Sqlite {
        conn.begin_with(crate::SQLITE_BEGIN).await?
    } else {
        conn.begin().await?
    };

    // Cohorts, then their ids by (programme id, year).
    for (code, year) in &plan.new_cohorts {
        sqlx::query(
            "INSERT INTO cohorts (id, institution_id, programme_id, year, created_at) \
             SELECT $1, $2, id, $4, $5 FROM programmes WHERE institution_id = $2 AND code = $3",
        )
        .bind(koers_domain::new_id())
        .bind(t.institution_id)
        .bind(code)
        .bind(year)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let cohort_ids: HashMap<(String, i64), String> =
        sqlx::query("SELECT programme_id, year, id FROM cohorts WHERE institution_id = $1")
            .bind(t.institution_id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok(((r.try_get(0)?, r.try_get(1)?), r.try_get(2)?)))
            .collect::<Result<_>>()?;
    let cohort_of = |r: &PlannedRow| -> String {
        cohort_ids
            .get(&(r.programme_id.clone(), i64::from(r.row.cohort.get())))
            .cloned()
            .unwrap_or_default()
    };
    let start_of = |r: &PlannedRow| -> String {
        r.row.start_date.map_or_else(
            || format!("{}-09-01", r.row.cohort.get()),
            |d| d.to_string(),
        )
    };

    let new: Vec<&PlannedRow> = plan.rows.iter().filter(|r| r.existing.is_none()).collect();
    // (user id, student id) per new row.
    let ids: Vec<(String, String)> = new
        .iter()
        .map(|_| (koers_domain::new_id(), koers_domain::new_id()))
        .collect();
    let rows: Vec<(&PlannedRow, &(String, String))> = new.iter().copied().zip(&ids).collect();
    let year = i64::from(koers_domain::guidance::phase::academic_year(
        koers_domain::time::today(),
    ));
    let mut done = 0;
    for block in rows.chunks(BLOCK) {
        insert_rows!(
            &mut *tx,
            "INSERT INTO users (id, institution_id, email, name, password_hash, locale, active, created_at, updated_at)",
            "(?, ?, ?, ?, NULL, NULL, 1, ?, ?)",
            block,
            |q, x| {
                let (r, (uid, _)) = x;
                q.bind(uid)
                    .bind(t.institution_id)
                    .bind(r.row.email.as_str())
                    .bind(r.row.display_name())
                    .bind(now)
                    .bind(now)
            }
        );
        insert_rows!(
            &mut *tx,
            "INSERT INTO role_assignments (id, institution_id, user_id, role, programme_id, created_at)",
            "(?, ?, ?, 'student', ?, ?)",
            block,
            |q, x| {
                let (r, (uid, _)) = x;
                q.bind(koers_domain::new_id())
                    .bind(t.institution_id)
                    .bind(uid)
                    .bind(&r.programme_id)
                    .bind(now)
            }
        );
        insert_rows!(
            &mut *tx,
            "INSERT INTO students (id, institution_id, user_id, student_number, programme_id, cohort_id, counsellor_id, \
             created_at, given_name, name_prefix, family_name, start_date, phase, phase_since, updated_at)",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'intake', ?, ?)",
            block,
            |q, x| {
                let (r, (uid, sid)) = x;
                let start = start_of(r);
                q.bind(sid)
                    .bind(t.institution_id)
                    .bind(uid)
                    .bind(&r.row.student_number)
                    .bind(&r.programme_id)
                    .bind(cohort_of(r))
                    .bind(r.counsellor_id.as_deref())
                    .bind(now)
                    .bind(&r.row.given_name)
                    .bind(&r.row.name_prefix)
                    .bind(&r.row.family_name)
                    .bind(start.clone())
                    .bind(start)
                    .bind(now)
            }
        );
        insert_rows!(
            &mut *tx,
            "INSERT INTO guidance_summary (student_id, institution_id, progress_year, programme_id, cohort_year)",
            "(?, ?, ?, ?, ?)",
            block,
            |q, x| {
                let (r, (_, sid)) = x;
                q.bind(sid)
                    .bind(t.institution_id)
                    .bind(year)
                    .bind(&r.programme_id)
                    .bind(i64::from(r.row.cohort.get()))
            }
        );
        let with_counsellor: Vec<&(&PlannedRow, &(String, String))> = block
            .iter()
            .filter(|(r, _)| r.counsellor_id.is_some())
            .collect();
        insert_rows!(
            &mut *tx,
            "INSERT INTO counsellor_history (id, institution_id, student_id, counsellor_id, from_at, changed_by, reason)",
            "(?, ?, ?, ?, ?, ?, 'import')",
            with_counsellor,
            |q, x| {
                let (r, (_, sid)) = x;
                q.bind(koers_domain::new_id())
                    .bind(t.institution_id)
                    .bind(sid)
                    .bind(r.counsellor_id.as_deref())
                    .bind(now)
                    .bind(actor_id)
            }
        );
        done += block.len();
        progress(done, total);
    }

    let mut updated = 0;
    for r in plan.rows.iter().filter(|r| r.changes) {
        let Some((sid, uid)) = &r.existing else {
            continue;
        };
        sqlx::query(
            "UPDATE users SET email = $3, name = $4, updated_at = $5 WHERE institution_id = $1 AND id = $2",
        )
        .bind(t.institution_id)
        .bind(uid)
        .bind(r.row.email.as_str())
        .bind(r.row.display_name())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let current: Option<String> = sqlx::query_scalar(
            "SELECT counsellor_id FROM students WHERE institution_id = $1 AND id = $2",
        )
        .bind(t.institution_id)
        .bind(sid)
        .fetch_one(&mut *tx)
        .await?;
        let start = r.row.start_date.map(|d| d.to_string());
        sqlx::query(
            "UPDATE students SET given_name = $3, name_prefix = $4, family_name = $5, programme_id = $6, \
             cohort_id = $7, start_date = COALESCE($8, start_date), updated_at = $9 WHERE institution_id = $1 AND id = $2",
        )
        .bind(t.institution_id)
        .bind(sid)
        .bind(&r.row.given_name)
        .bind(&r.row.name_prefix)
        .bind(&r.row.family_name)
        .bind(&r.programme_id)
        .bind(cohort_of(r))
        .bind(start)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE role_assignments SET programme_id = $3 WHERE institution_id = $1 AND user_id = $2 AND role = 'student'",
        )
        .bind(t.institution_id)
        .bind(uid)
        .bind(&r.programme_id)
        .execute(&mut *tx)
        .await?;
        // The kept statuses follow the programme and cohort; recomputed on the next read.
        sqlx::query(
            "UPDATE guidance_summary SET programme_id = $3, cohort_year = $4, status_day = NULL \
             WHERE institution_id = $1 AND student_id = $2",
        )
        .bind(t.institution_id)
        .bind(sid)
        .bind(&r.programme_id)
        .bind(i64::from(r.row.cohort.get()))
        .execute(&mut *tx)
        .await?;
        if r.counsellor_id.is_some() && r.counsellor_id != current {
            super::students::assign_in(
                &mut tx,
                t.institution_id,
                sid,
                r.counsellor_id.as_deref(),
                actor_id,
                "import",
                now,
            )
            .await?;
        }
        updated += 1;
        done += 1;
        if done % CHUNK == 0 {
            progress(done, total);
        }
    }
    tx.commit().await?;
    progress(total, total);
    Ok((new.len(), updated))
}

/// Keep an upload until the importer confirms it (kept for an hour at most).
pub async fn save_upload(
    t: Tenant<'_>,
    user_id: &str,
    kind: &str,
    filename: &str,
    content: &str,
) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    sqlx::query("DELETE FROM uploads WHERE institution_id = $1 AND created_at < $2")
        .bind(t.institution_id)
        .bind(now - UPLOAD_TTL_MS)
        .execute(t.pool())
        .await?;
    sqlx::query(
        "INSERT INTO uploads (id, institution_id, user_id, kind, filename, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(user_id)
    .bind(kind)
    .bind(filename)
    .bind(content)
    .bind(now)
    .execute(t.pool())
    .await?;
    Ok(id)
}

/// How long an upload waits for confirmation.
pub const UPLOAD_TTL_MS: i64 = 60 * 60 * 1000;

/// An upload of `user_id` of this kind that has not expired: (file name, content).
pub async fn get_upload(
    t: Tenant<'_>,
    id: &str,
    user_id: &str,
    kind: &str,
) -> Result<Option<(String, String)>> {
    let r = sqlx::query(
        "SELECT filename, content FROM uploads WHERE institution_id = $1 AND id = $2 AND user_id = $3 \
         AND kind = $4 AND created_at >= $5",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(user_id)
    .bind(kind)
    .bind(now_ms() - UPLOAD_TTL_MS)
    .fetch_optional(t.pool())
    .await?;
    r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

pub async fn delete_upload(t: Tenant<'_>, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM uploads WHERE institution_id = $1 AND id = $2")
        .bind(t.institution_id)
        .bind(id)
        .execute(t.pool())
        .await?;
    Ok(())
}
