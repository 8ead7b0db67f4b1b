//! Teams: a group of employees with one line manager. The line manager is a relation, not a
//! role: any staff member can be one.

use crate::{Result, StoreError, Tenant, now_ms};

#[derive(Debug, Clone)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub manager_id: Option<String>,
    pub manager_name: Option<String>,
    pub members: i64,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: String,
    pub name: String,
    pub email: String,
}

const SELECT: &str = "SELECT t.id, t.name, t.manager_id, m.name, \
    (SELECT COUNT(*) FROM team_members x WHERE x.team_id = t.id) \
    FROM teams t LEFT JOIN users m ON m.id = t.manager_id";

type TeamRow = (String, String, Option<String>, Option<String>, i64);

fn team((id, name, manager_id, manager_name, members): TeamRow) -> Team {
    Team {
        id,
        name,
        manager_id,
        manager_name,
        members,
    }
}

pub async fn create(t: Tenant<'_>, name: &str, manager_id: Option<&str>) -> Result<String> {
    let id = koers_domain::new_id();
    let done = sqlx::query(
        "INSERT INTO teams (id, institution_id, name, manager_id, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (institution_id, name) DO NOTHING",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(name)
    .bind(manager_id)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict("team"));
    }
    Ok(id)
}

pub async fn set_manager(t: Tenant<'_>, id: &str, manager_id: Option<&str>) -> Result<()> {
    let done =
        sqlx::query("UPDATE teams SET manager_id = $3 WHERE institution_id = $1 AND id = $2")
            .bind(t.institution_id)
            .bind(id)
            .bind(manager_id)
            .execute(t.pool())
            .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Put an employee in a team (moving them out of any other).
pub async fn add_member(t: Tenant<'_>, team_id: &str, user_id: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO team_members (user_id, team_id, institution_id) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET team_id = excluded.team_id",
    )
    .bind(user_id)
    .bind(team_id)
    .bind(t.institution_id)
    .execute(t.pool())
    .await?;
    Ok(())
}

pub async fn remove_member(t: Tenant<'_>, team_id: &str, user_id: &str) -> Result<()> {
    sqlx::query(
        "DELETE FROM team_members WHERE institution_id = $1 AND team_id = $2 AND user_id = $3",
    )
    .bind(t.institution_id)
    .bind(team_id)
    .bind(user_id)
    .execute(t.pool())
    .await?;
    Ok(())
}

pub async fn all(t: Tenant<'_>) -> Result<Vec<Team>> {
    let rows: Vec<TeamRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE t.institution_id = $1 ORDER BY t.name"
    )))
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows.into_iter().map(team).collect())
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Team>> {
    let row: Option<TeamRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE t.institution_id = $1 AND t.id = $2"
    )))
    .bind(t.institution_id)
    .bind(id)
    .fetch_optional(t.pool())
    .await?;
    Ok(row.map(team))
}

/// The teams a person leads as line manager.
pub async fn managed_by(t: Tenant<'_>, user_id: &str) -> Result<Vec<Team>> {
    let rows: Vec<TeamRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE t.institution_id = $1 AND t.manager_id = $2 ORDER BY t.name"
    )))
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows.into_iter().map(team).collect())
}

/// An employee's team and its line manager: (team id, team name, manager id).
pub async fn of_member(
    t: Tenant<'_>,
    user_id: &str,
) -> Result<Option<(String, String, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.name, t.manager_id FROM team_members m JOIN teams t ON t.id = m.team_id \
         WHERE m.institution_id = $1 AND m.user_id = $2",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_optional(t.pool())
    .await?)
}

pub async fn members(t: Tenant<'_>, team_id: &str) -> Result<Vec<Member>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.name, u.email FROM team_members m JOIN users u ON u.id = m.user_id \
         WHERE m.institution_id = $1 AND m.team_id = $2 ORDER BY u.name, u.id",
    )
    .bind(t.institution_id)
    .bind(team_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user_id, name, email)| Member {
            user_id,
            name,
            email,
        })
        .collect())
}

/// Active staff members who are in no team (for HR to place), by name.
pub async fn without_team(t: Tenant<'_>) -> Result<Vec<Member>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.name, u.email FROM users u WHERE u.institution_id = $1 AND u.active = 1 \
         AND EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = u.id \
           AND r.role NOT IN ('student', 'placement_mentor', 'partner_coordinator')) \
         AND NOT EXISTS (SELECT 1 FROM team_members m WHERE m.user_id = u.id) \
         ORDER BY u.name, u.id LIMIT 1000",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user_id, name, email)| Member {
            user_id,
            name,
            email,
        })
        .collect())
}
