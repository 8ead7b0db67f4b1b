use super::Page;
use crate::{Db, Result, StoreError, Tenant, conflict_as, like_pattern, now_ms};
use koers_domain::{Role, RoleAssignment};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A role held by a user, with the programme code when scoped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HeldRole {
    pub role: Role,
    pub programme_id: Option<String>,
    pub programme_code: Option<String>,
}

impl From<&HeldRole> for RoleAssignment {
    fn from(r: &HeldRole) -> Self {
        RoleAssignment {
            role: r.role,
            programme_id: r.programme_id.clone(),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct User {
    pub id: String,
    pub institution_id: String,
    pub email: String,
    pub name: String,
    pub locale: Option<String>,
    pub active: bool,
    pub created_at: i64,
    pub roles: Vec<HeldRole>,
}

/// What login needs to know about an account (looked up by email across tenants: an email
/// address identifies one account in the whole deployment).
#[derive(Debug, Clone)]
pub struct LoginAccount {
    pub id: String,
    pub institution_id: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub active: bool,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<String>,
    pub locale: Option<&'a str>,
    pub roles: &'a [RoleAssignment],
}

const USER_COLS: &str = "id, institution_id, email, name, locale, active, created_at";

fn user_from_row(r: &AnyRow) -> Result<User> {
    Ok(User {
        id: r.try_get("id")?,
        institution_id: r.try_get("institution_id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        locale: r.try_get("locale")?,
        active: r.try_get::<i64, _>("active")? != 0,
        created_at: r.try_get("created_at")?,
        roles: Vec::new(),
    })
}

/// `$start, $start+1, …` for `n` values.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn attach_roles(t: Tenant<'_>, users: &mut [User]) -> Result<()> {
    if users.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT r.user_id, r.role, r.programme_id, p.code FROM role_assignments r \
         LEFT JOIN programmes p ON p.id = r.programme_id \
         WHERE r.institution_id = $1 AND r.user_id IN ({}) ORDER BY r.created_at, r.id",
        placeholders(2, users.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(t.institution_id);
    for u in users.iter() {
        q = q.bind(&u.id);
    }
    for r in q.fetch_all(t.pool()).await? {
        let user_id: String = r.try_get(0)?;
        let role_key: String = r.try_get(1)?;
        let Ok(role) = Role::parse(&role_key) else {
            continue;
        };
        if let Some(u) = users.iter_mut().find(|u| u.id == user_id) {
            u.roles.push(HeldRole {
                role,
                programme_id: r.try_get(2)?,
                programme_code: r.try_get(3)?,
            });
        }
    }
    for u in users.iter_mut() {
        u.roles
            .sort_by(|a, b| (a.role, &a.programme_code).cmp(&(b.role, &b.programme_code)));
    }
    Ok(())
}

pub async fn find_for_login(db: &Db, email: &str) -> Result<Option<LoginAccount>> {
    let r = sqlx::query(
        "SELECT id, institution_id, email, password_hash, active FROM users WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(db.pool())
    .await?;
    r.map(|r| {
        Ok(LoginAccount {
            id: r.try_get("id")?,
            institution_id: r.try_get("institution_id")?,
            email: r.try_get("email")?,
            password_hash: r.try_get("password_hash")?,
            active: r.try_get::<i64, _>("active")? != 0,
        })
    })
    .transpose()
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE institution_id = $1 AND id = $2");
    let Some(r) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(id)
        .fetch_optional(t.pool())
        .await?
    else {
        return Ok(None);
    };
    let mut users = [user_from_row(&r)?];
    attach_roles(t, &mut users).await?;
    let [u] = users;
    Ok(Some(u))
}

pub async fn password_hash(t: Tenant<'_>, id: &str) -> Result<Option<String>> {
    let h: Option<Option<String>> =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE institution_id = $1 AND id = $2")
            .bind(t.institution_id)
            .bind(id)
            .fetch_optional(t.pool())
            .await?;
    Ok(h.flatten())
}

/// Filter for listing users.
#[derive(Debug, Default, Clone)]
pub struct UserFilter<'a> {
    /// Case-insensitive substring of name or email.
    pub q: Option<&'a str>,
    pub role: Option<Role>,
}

/// Users of the tenant ordered by name, `limit` per page; the cursor is the last user's id.
pub async fn list(
    t: Tenant<'_>,
    filter: &UserFilter<'_>,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<User>> {
    let mut sql = format!("SELECT {USER_COLS} FROM users u WHERE institution_id = $1");
    let mut args: Vec<String> = vec![t.institution_id.to_owned()];
    if let Some(q) = filter.q.filter(|q| !q.trim().is_empty()) {
        args.push(like_pattern(q));
        let n = args.len();
        sql += &format!(" AND (LOWER(name) LIKE ${n} ESCAPE '\\' OR email LIKE ${n} ESCAPE '\\')");
    }
    if let Some(role) = filter.role {
        args.push(role.key().to_owned());
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = u.id AND r.role = ${})",
            args.len()
        );
    }
    if let Some(c) = cursor {
        let name: Option<String> =
            sqlx::query_scalar("SELECT name FROM users WHERE institution_id = $1 AND id = $2")
                .bind(t.institution_id)
                .bind(c)
                .fetch_optional(t.pool())
                .await?;
        let Some(name) = name else {
            return Err(StoreError::NotFound);
        };
        args.push(name);
        args.push(c.to_owned());
        let (a, b) = (args.len() - 1, args.len());
        sql += &format!(" AND (name > ${a} OR (name = ${a} AND id > ${b}))");
    }
    sql += &format!(" ORDER BY name, id LIMIT {}", limit + 1);
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for a in &args {
        q = q.bind(a);
    }
    let rows = q.fetch_all(t.pool()).await?;
    let mut items = rows.iter().map(user_from_row).collect::<Result<Vec<_>>>()?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|u| u.id.clone())
    } else {
        None
    };
    attach_roles(t, &mut items).await?;
    Ok(Page { items, next })
}

pub async fn count(t: Tenant<'_>) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE institution_id = $1")
            .bind(t.institution_id)
            .fetch_one(t.pool())
            .await?,
    )
}

/// Count of users holding each role.
pub async fn count_by_role(t: Tenant<'_>) -> Result<Vec<(Role, i64)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT role, COUNT(DISTINCT user_id) FROM role_assignments WHERE institution_id = $1 GROUP BY role",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    let mut out: Vec<(Role, i64)> = rows
        .into_iter()
        .filter_map(|(k, n)| Role::parse(&k).ok().map(|r| (r, n)))
        .collect();
    out.sort();
    Ok(out)
}

pub async fn create(t: Tenant<'_>, new: NewUser<'_>) -> Result<User> {
    let id = koers_domain::new_id();
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    sqlx::query(
        "INSERT INTO users (id, institution_id, email, name, password_hash, locale, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(new.email)
    .bind(new.name)
    .bind(new.password_hash)
    .bind(new.locale)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(conflict_as("email"))?;
    insert_roles(&mut tx, t.institution_id, &id, new.roles, now).await?;
    tx.commit().await?;
    get(t, &id).await?.ok_or(StoreError::NotFound)
}

async fn insert_roles(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    institution_id: &str,
    user_id: &str,
    roles: &[RoleAssignment],
    now: i64,
) -> Result<()> {
    let mut seen: Vec<&RoleAssignment> = Vec::new();
    for r in roles {
        if seen.contains(&r) {
            continue;
        }
        seen.push(r);
        sqlx::query(
            "INSERT INTO role_assignments (id, institution_id, user_id, role, programme_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(koers_domain::new_id())
        .bind(institution_id)
        .bind(user_id)
        .bind(r.role.key())
        .bind(r.programme_id.as_deref())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Replace the user's roles by `roles`.
pub async fn set_roles(t: Tenant<'_>, id: &str, roles: &[RoleAssignment]) -> Result<()> {
    let mut tx = t.db.begin().await?;
    let found =
        sqlx::query("UPDATE users SET updated_at = $3 WHERE institution_id = $1 AND id = $2")
            .bind(t.institution_id)
            .bind(id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if found == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query("DELETE FROM role_assignments WHERE institution_id = $1 AND user_id = $2")
        .bind(t.institution_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    insert_roles(&mut tx, t.institution_id, id, roles, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Change name and/or email.
pub async fn update_profile(
    t: Tenant<'_>,
    id: &str,
    name: Option<&str>,
    email: Option<&str>,
) -> Result<()> {
    let n = sqlx::query(
        "UPDATE users SET name = COALESCE($3, name), email = COALESCE($4, email), updated_at = $5 \
         WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(name)
    .bind(email)
    .bind(now_ms())
    .execute(t.pool())
    .await
    .map_err(conflict_as("email"))?
    .rows_affected();
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Activate or deactivate; deactivation also ends all of the user's sessions.
pub async fn set_active(t: Tenant<'_>, id: &str, active: bool) -> Result<()> {
    let mut tx = t.db.begin().await?;
    let n = sqlx::query(
        "UPDATE users SET active = $3, updated_at = $4, \
         deactivated_at = CASE WHEN $3 = 1 THEN NULL ELSE COALESCE(deactivated_at, $4) END \
         WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(i64::from(active))
    .bind(now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    if !active {
        sqlx::query("DELETE FROM sessions WHERE institution_id = $1 AND user_id = $2")
            .bind(t.institution_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Set a new password hash. `keep_session` (the caller's own session) survives; every other
/// session of the user ends.
pub async fn set_password(
    t: Tenant<'_>,
    id: &str,
    hash: &str,
    keep_session: Option<&str>,
) -> Result<()> {
    let mut tx = t.db.begin().await?;
    let n = sqlx::query("UPDATE users SET password_hash = $3, updated_at = $4 WHERE institution_id = $1 AND id = $2")
        .bind(t.institution_id)
        .bind(id)
        .bind(hash)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "DELETE FROM sessions WHERE institution_id = $1 AND user_id = $2 AND token_hash <> $3",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(keep_session.unwrap_or(""))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_locale(t: Tenant<'_>, id: &str, locale: Option<&str>) -> Result<()> {
    sqlx::query(
        "UPDATE users SET locale = $3, updated_at = $4 WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(locale)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(())
}

/// An active user of the institution by email address: (id, name).
pub async fn active_by_email(t: Tenant<'_>, email: &str) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, name FROM users WHERE institution_id = $1 AND email = $2 AND active = 1",
    )
    .bind(t.institution_id)
    .bind(email.trim().to_lowercase())
    .fetch_optional(t.pool())
    .await?)
}

/// A user of the institution by email address, active or not (the audit log's filters).
pub async fn id_by_email(t: Tenant<'_>, email: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE institution_id = $1 AND email = $2")
            .bind(t.institution_id)
            .bind(email.trim().to_lowercase())
            .fetch_optional(t.pool())
            .await?,
    )
}
