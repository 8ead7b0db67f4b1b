//! Development plans (POP): the ambition, goals linked to competences, planned professional
//! development, and progress notes; plus the per-person figures of the team report.

use crate::{Result, StoreError, Tenant, now_ms};
use koers_domain::staff::development::{
    ActivityStatus, GoalStatus, ItemKind, PersonFigures, PlanStatus,
};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Goal {
    pub id: String,
    pub title: String,
    pub competences: Vec<String>,
    pub due_on: Option<String>,
    pub status: GoalStatus,
}

#[derive(Debug, Clone)]
pub struct Activity {
    pub id: String,
    pub goal_id: Option<String>,
    pub title: String,
    pub due_on: Option<String>,
    pub hours: Option<i64>,
    pub status: ActivityStatus,
}

#[derive(Debug, Clone)]
pub struct Progress {
    pub id: String,
    pub goal_id: String,
    pub author_name: Option<String>,
    pub note: String,
    pub link: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub user_id: String,
    /// Whether a plan was ever saved.
    pub exists: bool,
    pub ambition: String,
    pub status: PlanStatus,
    pub agreed_by_name: Option<String>,
    pub agreed_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub goals: Vec<Goal>,
    pub activities: Vec<Activity>,
    pub progress: Vec<Progress>,
}

pub async fn plan(t: Tenant<'_>, user_id: &str) -> Result<Plan> {
    /// (ambition, status, agreed by, agreed at, updated at)
    type Head = (String, String, Option<String>, Option<i64>, i64);
    let head: Option<Head> = sqlx::query_as(
        "SELECT p.ambition, p.status, u.name, p.agreed_at, p.updated_at FROM development_plans p \
         LEFT JOIN users u ON u.id = p.agreed_by WHERE p.institution_id = $1 AND p.user_id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_optional(t.pool())
    .await?;
    let rows = sqlx::query(
        "SELECT id, kind, goal_id, title, competences, due_on, hours, status FROM development_items \
         WHERE institution_id = $1 AND user_id = $2 ORDER BY position, created_at, id",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_all(t.pool())
    .await?;
    let mut goals = Vec::new();
    let mut activities = Vec::new();
    for r in &rows {
        let kind: String = r.try_get(1)?;
        let status: String = r.try_get(7)?;
        let bad = || StoreError::Corrupt(format!("development item {kind}/{status}"));
        match ItemKind::parse(&kind).ok_or_else(bad)? {
            ItemKind::Goal => {
                let comps: String = r.try_get(4)?;
                goals.push(Goal {
                    id: r.try_get(0)?,
                    title: r.try_get(3)?,
                    competences: serde_json::from_str(&comps).unwrap_or_default(),
                    due_on: r.try_get(5)?,
                    status: GoalStatus::parse(&status).ok_or_else(bad)?,
                });
            }
            ItemKind::Activity => activities.push(Activity {
                id: r.try_get(0)?,
                goal_id: r.try_get(2)?,
                title: r.try_get(3)?,
                due_on: r.try_get(5)?,
                hours: r.try_get(6)?,
                status: ActivityStatus::parse(&status).ok_or_else(bad)?,
            }),
        }
    }
    let progress = sqlx::query(
        "SELECT p.id, p.goal_id, u.name, p.note, p.link, p.created_at FROM development_progress p \
         LEFT JOIN users u ON u.id = p.author_id WHERE p.institution_id = $1 AND p.user_id = $2 \
         ORDER BY p.created_at DESC, p.id DESC",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Progress {
            id: r.try_get(0)?,
            goal_id: r.try_get(1)?,
            author_name: r.try_get(2)?,
            note: r.try_get(3)?,
            link: r.try_get(4)?,
            created_at: r.try_get(5)?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let (exists, ambition, status, agreed_by_name, agreed_at, updated_at) = match head {
        Some((ambition, status, by, at, upd)) => (
            true,
            ambition,
            PlanStatus::parse(&status).unwrap_or(PlanStatus::Draft),
            by,
            at,
            Some(upd),
        ),
        None => (false, String::new(), PlanStatus::Draft, None, None, None),
    };
    Ok(Plan {
        user_id: user_id.to_owned(),
        exists,
        ambition,
        status,
        agreed_by_name,
        agreed_at,
        updated_at,
        goals,
        activities,
        progress,
    })
}

/// A goal as written: `id` of an existing goal to keep it (and its progress), none for a new one.
pub struct GoalInput {
    pub id: Option<String>,
    pub title: String,
    pub competences: Vec<String>,
    pub due_on: Option<String>,
    pub status: GoalStatus,
}

/// Planned professional development; `goal` is an index into the goals of the same input.
pub struct ActivityInput {
    pub id: Option<String>,
    pub goal: Option<usize>,
    pub title: String,
    pub due_on: Option<String>,
    pub hours: Option<i64>,
    pub status: ActivityStatus,
}

pub struct PlanInput {
    pub ambition: String,
    pub goals: Vec<GoalInput>,
    pub activities: Vec<ActivityInput>,
}

async fn touch(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    institution_id: &str,
    user_id: &str,
    ambition: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO development_plans (user_id, institution_id, ambition, status, created_at, updated_at) \
         VALUES ($1, $2, $3, 'draft', $4, $4) ON CONFLICT (user_id) DO UPDATE SET \
         ambition = CASE WHEN $5 = 1 THEN excluded.ambition ELSE development_plans.ambition END, \
         updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(institution_id)
    .bind(ambition.unwrap_or_default())
    .bind(now)
    .bind(i64::from(ambition.is_some()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replace the whole plan (the API's PUT). Goals and activities named by id are updated and
/// keep their progress; others are added; those left out are removed. The agreement stays:
/// the page shows when a plan changed after it was agreed.
pub async fn save(t: Tenant<'_>, user_id: &str, input: &PlanInput) -> Result<()> {
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    touch(
        &mut tx,
        t.institution_id,
        user_id,
        Some(&input.ambition),
        now,
    )
    .await?;
    let existing: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM development_items WHERE institution_id = $1 AND user_id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut kept: Vec<String> = Vec::new();
    let mut goal_ids: Vec<String> = Vec::new();
    let mut position = 0i64;
    let items = input
        .goals
        .iter()
        .map(|g| {
            (
                ItemKind::Goal,
                g.id.as_ref(),
                None,
                &g.title,
                serde_json::to_string(&g.competences).unwrap_or_else(|_| "[]".into()),
                g.due_on.as_ref(),
                None,
                g.status.key(),
            )
        })
        .chain(input.activities.iter().map(|a| {
            (
                ItemKind::Activity,
                a.id.as_ref(),
                a.goal,
                &a.title,
                "[]".to_owned(),
                a.due_on.as_ref(),
                a.hours,
                a.status.key(),
            )
        }))
        .collect::<Vec<_>>();
    for (kind, id, goal, title, comps, due, hours, status) in items {
        position += 1;
        let goal_id = goal.and_then(|i| goal_ids.get(i).cloned());
        let id = match id.filter(|i| existing.contains(i) && !kept.contains(i)) {
            Some(id) => {
                sqlx::query(
                    "UPDATE development_items SET kind = $3, goal_id = $4, title = $5, competences = $6, due_on = $7, \
                     hours = $8, status = $9, position = $10, updated_at = $11 WHERE institution_id = $1 AND id = $2",
                )
                .bind(t.institution_id)
                .bind(id)
                .bind(kind.key())
                .bind(&goal_id)
                .bind(title)
                .bind(&comps)
                .bind(due)
                .bind(hours)
                .bind(status)
                .bind(position)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                id.clone()
            }
            None => {
                let id = koers_domain::new_id();
                insert_item(
                    &mut tx,
                    t.institution_id,
                    user_id,
                    &NewItem {
                        id: &id,
                        kind,
                        goal_id: goal_id.as_deref(),
                        title,
                        competences: &comps,
                        due_on: due.map(String::as_str),
                        hours,
                        status,
                        position,
                    },
                    now,
                )
                .await?;
                id
            }
        };
        if kind == ItemKind::Goal {
            goal_ids.push(id.clone());
        }
        kept.push(id);
    }
    for id in existing.iter().filter(|i| !kept.contains(i)) {
        sqlx::query("DELETE FROM development_items WHERE institution_id = $1 AND id = $2")
            .bind(t.institution_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

struct NewItem<'a> {
    id: &'a str,
    kind: ItemKind,
    goal_id: Option<&'a str>,
    title: &'a str,
    competences: &'a str,
    due_on: Option<&'a str>,
    hours: Option<i64>,
    status: &'a str,
    position: i64,
}

async fn insert_item(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    institution_id: &str,
    user_id: &str,
    n: &NewItem<'_>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO development_items (id, institution_id, user_id, kind, goal_id, title, competences, due_on, \
         hours, status, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(n.id)
    .bind(institution_id)
    .bind(user_id)
    .bind(n.kind.key())
    .bind(n.goal_id)
    .bind(n.title)
    .bind(n.competences)
    .bind(n.due_on)
    .bind(n.hours)
    .bind(n.status)
    .bind(n.position)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Change the ambition only.
pub async fn set_ambition(t: Tenant<'_>, user_id: &str, ambition: &str) -> Result<()> {
    let mut tx = t.db.begin().await?;
    touch(&mut tx, t.institution_id, user_id, Some(ambition), now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Add a goal to the end of the plan.
pub async fn add_goal(
    t: Tenant<'_>,
    user_id: &str,
    title: &str,
    competences: &[String],
    due_on: Option<&str>,
) -> Result<String> {
    add_item(
        t,
        user_id,
        ItemKind::Goal,
        None,
        title,
        competences,
        due_on,
        None,
    )
    .await
}

/// Add planned professional development, optionally serving one of the person's goals.
pub async fn add_activity(
    t: Tenant<'_>,
    user_id: &str,
    goal_id: Option<&str>,
    title: &str,
    due_on: Option<&str>,
    hours: Option<i64>,
) -> Result<String> {
    add_item(
        t,
        user_id,
        ItemKind::Activity,
        goal_id,
        title,
        &[],
        due_on,
        hours,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn add_item(
    t: Tenant<'_>,
    user_id: &str,
    kind: ItemKind,
    goal_id: Option<&str>,
    title: &str,
    competences: &[String],
    due_on: Option<&str>,
    hours: Option<i64>,
) -> Result<String> {
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    touch(&mut tx, t.institution_id, user_id, None, now).await?;
    if let Some(g) = goal_id {
        owned_item(&mut tx, t.institution_id, user_id, g).await?;
    }
    let position: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM development_items WHERE institution_id = $1 AND user_id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?;
    let id = koers_domain::new_id();
    let status = match kind {
        ItemKind::Goal => GoalStatus::Planned.key(),
        ItemKind::Activity => ActivityStatus::Planned.key(),
    };
    insert_item(
        &mut tx,
        t.institution_id,
        user_id,
        &NewItem {
            id: &id,
            kind,
            goal_id,
            title,
            competences: &serde_json::to_string(competences).unwrap_or_else(|_| "[]".into()),
            due_on,
            hours,
            status,
            position,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The kind of one of the person's items; `NotFound` when it is not theirs.
async fn owned_item(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    institution_id: &str,
    user_id: &str,
    id: &str,
) -> Result<ItemKind> {
    let kind: Option<String> = sqlx::query_scalar(
        "SELECT kind FROM development_items WHERE institution_id = $1 AND user_id = $2 AND id = $3",
    )
    .bind(institution_id)
    .bind(user_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    kind.as_deref()
        .and_then(ItemKind::parse)
        .ok_or(StoreError::NotFound)
}

/// Set the status of one of the person's goals or activities (`status` must fit its kind).
pub async fn set_item_status(t: Tenant<'_>, user_id: &str, id: &str, status: &str) -> Result<()> {
    let mut tx = t.db.begin().await?;
    let kind = owned_item(&mut tx, t.institution_id, user_id, id).await?;
    let fits = match kind {
        ItemKind::Goal => GoalStatus::parse(status).is_some(),
        ItemKind::Activity => ActivityStatus::parse(status).is_some(),
    };
    if !fits {
        return Err(StoreError::Conflict("status"));
    }
    let now = now_ms();
    sqlx::query(
        "UPDATE development_items SET status = $3, updated_at = $4 WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(status)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    touch(&mut tx, t.institution_id, user_id, None, now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_item(t: Tenant<'_>, user_id: &str, id: &str) -> Result<()> {
    let done = sqlx::query(
        "DELETE FROM development_items WHERE institution_id = $1 AND user_id = $2 AND id = $3",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .bind(id)
    .execute(t.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Evidence of progress on one of the person's goals.
pub async fn add_progress(
    t: Tenant<'_>,
    user_id: &str,
    goal_id: &str,
    author_id: &str,
    note: &str,
    link: &str,
) -> Result<()> {
    let mut tx = t.db.begin().await?;
    if owned_item(&mut tx, t.institution_id, user_id, goal_id).await? != ItemKind::Goal {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "INSERT INTO development_progress (id, institution_id, goal_id, user_id, author_id, note, link, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(goal_id)
    .bind(user_id)
    .bind(author_id)
    .bind(note)
    .bind(link)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The line manager agrees the plan as it is now.
pub async fn agree(t: Tenant<'_>, user_id: &str, manager_id: &str) -> Result<()> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE development_plans SET status = 'agreed', agreed_by = $3, agreed_at = $4, updated_at = $4 \
         WHERE institution_id = $1 AND user_id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .bind(manager_id)
    .bind(now)
    .execute(t.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The figures of these people (ids of one institution), for the team report.
pub async fn figures(
    t: Tenant<'_>,
    user_ids: &[String],
    since_ms: i64,
    instrument: &str,
) -> Result<Vec<(String, PersonFigures)>> {
    let mut out: Vec<(String, PersonFigures)> = user_ids
        .iter()
        .map(|u| (u.clone(), PersonFigures::default()))
        .collect();
    if user_ids.is_empty() {
        return Ok(out);
    }
    let list = crate::params(false, 2, user_ids.len());
    let bind_all = |sql: String| {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(t.institution_id.to_owned());
        for u in user_ids {
            q = q.bind(u.clone());
        }
        q
    };
    let find =
        |out: &mut Vec<(String, PersonFigures)>, id: &str| out.iter().position(|(u, _)| u == id);
    for r in bind_all(format!(
        "SELECT user_id, status, agreed_at FROM development_plans WHERE institution_id = $1 AND user_id IN ({list})"
    ))
    .fetch_all(t.pool())
    .await?
    {
        let id: String = r.try_get(0)?;
        if let Some(i) = find(&mut out, &id) {
            let s: String = r.try_get(1)?;
            out[i].1.plan_status = PlanStatus::parse(&s);
            out[i].1.plan_agreed_on = r
                .try_get::<Option<i64>, _>(2)?
                .map(koers_domain::time::local_date);
        }
    }
    for r in bind_all(format!(
        "SELECT person_id, MAX(starts_at) FROM conversations WHERE institution_id = $1 AND context = 'staff' \
         AND status = 'held' AND person_id IN ({list}) GROUP BY person_id"
    ))
    .fetch_all(t.pool())
    .await?
    {
        let id: String = r.try_get(0)?;
        if let Some(i) = find(&mut out, &id) {
            out[i].1.last_career_conversation_on = r
                .try_get::<Option<i64>, _>(1)?
                .map(koers_domain::time::local_date);
        }
    }
    let n = user_ids.len();
    for r in bind_all(format!(
        "SELECT person_id, scores FROM self_assessments WHERE institution_id = $1 AND person_id IN ({list}) \
         AND instrument = ${} ORDER BY created_at, id",
        n + 2
    ))
    .bind(instrument.to_owned())
    .fetch_all(t.pool())
    .await?
    {
        let id: String = r.try_get(0)?;
        let scores: String = r.try_get(1)?;
        let scores: std::collections::BTreeMap<String, f64> =
            serde_json::from_str(&scores).unwrap_or_default();
        if let (Some(i), Some(m)) = (
            find(&mut out, &id),
            koers_domain::staff::development::mean(scores.into_values()),
        ) {
            out[i].1.self_assessment_means.push(m);
        }
    }
    for r in bind_all(format!(
        "SELECT s.counsellor_id, COUNT(*), SUM(CASE WHEN g.status_intake = 'overdue' OR g.status_progress = 'overdue' \
         OR g.status_specialisation = 'overdue' OR g.status_outflow = 'overdue' THEN 1 ELSE 0 END) \
         FROM students s LEFT JOIN guidance_summary g ON g.student_id = s.id \
         WHERE s.institution_id = $1 AND s.counsellor_id IN ({list}) GROUP BY s.counsellor_id"
    ))
    .fetch_all(t.pool())
    .await?
    {
        let id: String = r.try_get(0)?;
        if let Some(i) = find(&mut out, &id) {
            out[i].1.caseload = r.try_get(1)?;
            out[i].1.caseload_overdue = r.try_get::<Option<i64>, _>(2)?.unwrap_or(0);
        }
    }
    for r in bind_all(format!(
        "SELECT guide_id, COUNT(*) FROM conversations WHERE institution_id = $1 AND context = 'student' \
         AND status = 'held' AND guide_id IN ({list}) AND starts_at >= ${} GROUP BY guide_id",
        n + 2
    ))
    .bind(since_ms)
    .fetch_all(t.pool())
    .await?
    {
        let id: String = r.try_get(0)?;
        if let Some(i) = find(&mut out, &id) {
            out[i].1.student_conversations = r.try_get(1)?;
        }
    }
    Ok(out)
}
