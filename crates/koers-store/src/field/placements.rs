//! Opleiden-in-de-School placements: a student at a partner school for a period, with a
//! mentor and LOB tasks that the student hands in and the mentor assesses.

use crate::{Result, StoreError, Tenant, TenantTx, now_ms};
use koers_domain::field::{TaskKind, TaskStatus};

#[derive(Debug, Clone)]
pub struct Placement {
    pub id: String,
    pub student_id: String,
    pub student_user_id: String,
    pub student_name: String,
    pub programme_id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub mentor_id: Option<String>,
    pub mentor_name: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub tasks_assessed: i64,
    pub tasks: i64,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub kind: TaskKind,
    pub title: String,
    pub due_on: Option<String>,
    pub status: TaskStatus,
    pub student_note: String,
    pub feedback: String,
    pub level: Option<i64>,
    pub assessed_by: Option<String>,
    pub assessed_at: Option<i64>,
}

pub struct NewPlacement<'a> {
    pub student_id: &'a str,
    pub partner_id: &'a str,
    pub mentor_id: Option<&'a str>,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub created_by: &'a str,
}

pub struct NewTask<'a> {
    pub kind: TaskKind,
    pub title: &'a str,
    pub due_on: Option<&'a str>,
}

const SELECT: &str = "SELECT x.id, x.student_id, s.user_id, su.name, s.programme_id, x.partner_id, p.name, \
    x.mentor_id, m.name, x.starts_on, x.ends_on, \
    (SELECT COUNT(*) FROM placement_tasks k WHERE k.placement_id = x.id AND k.status = 'assessed'), \
    (SELECT COUNT(*) FROM placement_tasks k WHERE k.placement_id = x.id) \
    FROM placements x JOIN students s ON s.id = x.student_id JOIN users su ON su.id = s.user_id \
    JOIN partners p ON p.id = x.partner_id LEFT JOIN users m ON m.id = x.mentor_id";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Placement> {
    use sqlx::Row;
    Ok(Placement {
        id: r.try_get(0)?,
        student_id: r.try_get(1)?,
        student_user_id: r.try_get(2)?,
        student_name: r.try_get(3)?,
        programme_id: r.try_get(4)?,
        partner_id: r.try_get(5)?,
        partner_name: r.try_get(6)?,
        mentor_id: r.try_get(7)?,
        mentor_name: r.try_get(8)?,
        starts_on: r.try_get(9)?,
        ends_on: r.try_get(10)?,
        tasks_assessed: r.try_get(11)?,
        tasks: r.try_get(12)?,
    })
}

pub async fn create(
    t: &mut TenantTx<'_>,
    n: &NewPlacement<'_>,
    tasks: &[NewTask<'_>],
) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO placements (id, institution_id, student_id, partner_id, mentor_id, starts_on, ends_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(n.student_id)
    .bind(n.partner_id)
    .bind(n.mentor_id)
    .bind(n.starts_on)
    .bind(n.ends_on)
    .bind(n.created_by)
    .bind(now)
    .execute(t.conn())
    .await?;
    for (i, task) in tasks.iter().enumerate() {
        sqlx::query(
            "INSERT INTO placement_tasks (id, institution_id, placement_id, kind, title, due_on, position, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(koers_domain::new_id())
        .bind(t.institution_id)
        .bind(&id)
        .bind(task.kind.key())
        .bind(task.title)
        .bind(task.due_on)
        .bind(i as i64)
        .bind(now)
        .execute(t.conn())
        .await?;
    }
    Ok(id)
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Placement>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE x.institution_id = $1 AND x.id = $2"
    )))
    .bind(t.institution_id)
    .bind(id)
    .fetch_optional(t.pool())
    .await?;
    r.as_ref().map(from_row).transpose()
}

/// Which placements to list.
#[derive(Debug, Default)]
pub struct Filter<'a> {
    pub mentor_id: Option<&'a str>,
    pub partner_id: Option<&'a str>,
    pub student_user_id: Option<&'a str>,
    /// Only students of these programmes (`None`: all).
    pub programmes: Option<&'a [String]>,
}

pub async fn list(t: Tenant<'_>, f: &Filter<'_>) -> Result<Vec<Placement>> {
    let mut sql = format!("{SELECT} WHERE x.institution_id = $1");
    let mut n = 1;
    let mut binds: Vec<String> = Vec::new();
    let mut add = |col: &str, v: &str, sql: &mut String| {
        n += 1;
        *sql += &format!(" AND {col} = ${n}");
        binds.push(v.to_owned());
    };
    if let Some(m) = f.mentor_id {
        add("x.mentor_id", m, &mut sql);
    }
    if let Some(p) = f.partner_id {
        add("x.partner_id", p, &mut sql);
    }
    if let Some(s) = f.student_user_id {
        add("s.user_id", s, &mut sql);
    }
    if let Some(ps) = f.programmes {
        if ps.is_empty() {
            return Ok(Vec::new());
        }
        sql += &format!(
            " AND s.programme_id IN ({})",
            crate::platform::users::placeholders(n + 1, ps.len())
        );
        binds.extend(ps.iter().cloned());
    }
    sql += " ORDER BY x.starts_on DESC, su.name LIMIT 2000";
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(t.institution_id);
    for b in &binds {
        q = q.bind(b);
    }
    q.fetch_all(t.pool()).await?.iter().map(from_row).collect()
}

/// A stored row (id, kind, title, due on, status, note, feedback, level, assessor, assessed at).
type TaskRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

pub async fn tasks(t: Tenant<'_>, placement_id: &str) -> Result<Vec<Task>> {
    let rows: Vec<TaskRow> = sqlx::query_as(
        "SELECT k.id, k.kind, k.title, k.due_on, k.status, k.student_note, k.feedback, k.level, u.name, k.assessed_at \
         FROM placement_tasks k LEFT JOIN users u ON u.id = k.assessed_by \
         WHERE k.institution_id = $1 AND k.placement_id = $2 ORDER BY k.position, k.id",
    )
    .bind(t.institution_id)
    .bind(placement_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, kind, title, due_on, status, student_note, feedback, level, by, at)| Task {
                id,
                kind: TaskKind::parse(&kind).unwrap_or(TaskKind::Other),
                title,
                due_on,
                status: TaskStatus::parse(&status).unwrap_or(TaskStatus::Open),
                student_note,
                feedback,
                level,
                assessed_by: by,
                assessed_at: at,
            },
        )
        .collect())
}

pub async fn add_task(t: Tenant<'_>, placement_id: &str, task: &NewTask<'_>) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO placement_tasks (id, institution_id, placement_id, kind, title, due_on, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, \
         (SELECT COALESCE(MAX(position), 0) + 1 FROM placement_tasks WHERE placement_id = $3), $7, $7)",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(placement_id)
    .bind(task.kind.key())
    .bind(task.title)
    .bind(task.due_on)
    .bind(now)
    .execute(t.pool())
    .await?;
    Ok(())
}

/// The student hands a task in with a note (again, while not yet assessed).
pub async fn submit_task(
    t: Tenant<'_>,
    placement_id: &str,
    task_id: &str,
    note: &str,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE placement_tasks SET status = 'submitted', student_note = $4, updated_at = $5 \
         WHERE institution_id = $1 AND placement_id = $2 AND id = $3 AND status <> 'assessed'",
    )
    .bind(t.institution_id)
    .bind(placement_id)
    .bind(task_id)
    .bind(note)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict("task"));
    }
    Ok(())
}

/// The mentor assesses a task with a rubric level and feedback.
pub async fn assess_task(
    t: Tenant<'_>,
    placement_id: &str,
    task_id: &str,
    level: i64,
    feedback: &str,
    by: &str,
) -> Result<()> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE placement_tasks SET status = 'assessed', level = $4, feedback = $5, assessed_by = $6, assessed_at = $7, \
         updated_at = $7 WHERE institution_id = $1 AND placement_id = $2 AND id = $3",
    )
    .bind(t.institution_id)
    .bind(placement_id)
    .bind(task_id)
    .bind(level)
    .bind(feedback)
    .bind(by)
    .bind(now)
    .execute(t.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// A student's record id by student number.
pub async fn student_by_number(t: Tenant<'_>, number: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM students WHERE institution_id = $1 AND student_number = $2",
    )
    .bind(t.institution_id)
    .bind(number.trim())
    .fetch_optional(t.pool())
    .await?)
}

/// Every placement mentor with the organisation they belong to: (user id, name, partner name).
pub async fn mentors(t: Tenant<'_>) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.name, p.name FROM partner_members m JOIN users u ON u.id = m.user_id \
         JOIN partners p ON p.id = m.partner_id JOIN role_assignments r ON r.user_id = u.id \
         WHERE m.institution_id = $1 AND r.role = 'placement_mentor' AND u.active = 1 ORDER BY p.name, u.name",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?)
}
