//! HRM-scan rounds: the instrument, invited respondents, and anonymous responses. A response
//! is stored with its group only (random id, no time); the invitation records that its
//! person answered, in the same transaction, so a person answers once.

use crate::{Result, StoreError, Tenant, TenantTx, now_ms};
use koers_domain::staff::scan::{self, Group, Instrument, Response};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct StoredInstrument {
    pub id: String,
    pub instrument: Instrument,
}

/// The current instrument of the institution (the shipped one is copied in on first use).
pub async fn current_instrument(t: Tenant<'_>) -> Result<StoredInstrument> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT id, document FROM hrm_instruments WHERE institution_id = $1 AND current_version = 1 \
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(t.institution_id)
    .fetch_optional(t.pool())
    .await?;
    let (id, doc) = match row {
        Some(r) => r,
        None => {
            let shipped = scan::parse(scan::SHIPPED).expect("the shipped instrument is valid");
            let id = koers_domain::new_id();
            sqlx::query(
                "INSERT INTO hrm_instruments (id, institution_id, key, version, document, origin, current_version, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'shipped', 1, $6) ON CONFLICT (institution_id, key, version) DO NOTHING",
            )
            .bind(&id)
            .bind(t.institution_id)
            .bind(&shipped.key)
            .bind(&shipped.version)
            .bind(scan::SHIPPED)
            .bind(now_ms())
            .execute(t.pool())
            .await?;
            return Box::pin(current_instrument(t)).await;
        }
    };
    let instrument =
        scan::parse(&doc).map_err(|e| StoreError::Corrupt(format!("instrument: {e:?}")))?;
    Ok(StoredInstrument { id, instrument })
}

/// One stored version of the institution's instrument.
#[derive(Debug, Clone)]
pub struct InstrumentVersion {
    pub id: String,
    pub version: String,
    pub origin: String,
    pub current: bool,
    pub created_at: i64,
    /// Rounds that use this version.
    pub rounds: i64,
}

/// Every stored version, newest first.
pub async fn instrument_versions(t: Tenant<'_>) -> Result<Vec<InstrumentVersion>> {
    current_instrument(t).await?;
    let rows: Vec<(String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT i.id, i.version, i.origin, i.current_version, i.created_at, \
         (SELECT COUNT(*) FROM scan_rounds r WHERE r.instrument_id = i.id) \
         FROM hrm_instruments i WHERE i.institution_id = $1 ORDER BY i.created_at DESC, i.id DESC",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, version, origin, current, created_at, rounds)| InstrumentVersion {
                id,
                version,
                origin,
                current: current != 0,
                created_at,
                rounds,
            },
        )
        .collect())
}

/// Keep a new version (imported or edited) and make it the current one; rounds already made
/// keep the version they were made with. `Conflict` when the version exists.
pub async fn store_instrument(
    t: &mut TenantTx<'_>,
    i: &Instrument,
    origin: &str,
) -> Result<String> {
    let id = koers_domain::new_id();
    let done = sqlx::query(
        "INSERT INTO hrm_instruments (id, institution_id, key, version, document, origin, current_version, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7) ON CONFLICT (institution_id, key, version) DO NOTHING",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(&i.key)
    .bind(&i.version)
    .bind(scan::to_json(i))
    .bind(origin)
    .bind(now_ms())
    .execute(t.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict("instrument version"));
    }
    let institution_id = t.institution_id;
    make_current(t.tx(), institution_id, &id).await?;
    Ok(id)
}

async fn make_current(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    institution_id: &str,
    id: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE hrm_instruments SET current_version = CASE WHEN id = $2 THEN 1 ELSE 0 END WHERE institution_id = $1",
    )
    .bind(institution_id)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Make an earlier version the current one again.
pub async fn set_current_instrument(t: Tenant<'_>, id: &str) -> Result<()> {
    let mut tx = t.db.begin().await?;
    let found: Option<String> =
        sqlx::query_scalar("SELECT id FROM hrm_instruments WHERE institution_id = $1 AND id = $2")
            .bind(t.institution_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    if found.is_none() {
        return Err(StoreError::NotFound);
    }
    make_current(&mut tx, t.institution_id, id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn instrument(t: Tenant<'_>, id: &str) -> Result<Instrument> {
    let doc: String = sqlx::query_scalar(
        "SELECT document FROM hrm_instruments WHERE institution_id = $1 AND id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .fetch_one(t.pool())
    .await?;
    scan::parse(&doc).map_err(|e| StoreError::Corrupt(format!("instrument: {e:?}")))
}

#[derive(Debug, Clone)]
pub struct Round {
    pub id: String,
    pub name: String,
    pub instrument_id: String,
    /// `draft`, `open` or `closed`.
    pub status: String,
    pub created_at: i64,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub published_at: Option<i64>,
    pub invited: i64,
    pub responded: i64,
}

/// Create a round (a draft) for these respondents: (user id, group).
pub async fn create_round(
    t: Tenant<'_>,
    name: &str,
    created_by: &str,
    respondents: &[(String, Group)],
) -> Result<String> {
    let instrument = current_instrument(t).await?;
    let id = koers_domain::new_id();
    let mut tx = t.db.begin().await?;
    sqlx::query(
        "INSERT INTO scan_rounds (id, institution_id, name, instrument_id, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, 'draft', $5, $6)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(name)
    .bind(&instrument.id)
    .bind(created_by)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    insert_rows!(
        &mut *tx,
        "INSERT INTO scan_invitations (round_id, user_id, institution_id, respondent_group)",
        "(?, ?, ?, ?)",
        respondents,
        |q, x| q
            .bind(&id)
            .bind(&x.0)
            .bind(t.institution_id)
            .bind(x.1.key())
    );
    sqlx::query("UPDATE scan_rounds SET invited = $2 WHERE id = $1")
        .bind(&id)
        .bind(respondents.len() as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

const ROUND: &str = "SELECT r.id, r.name, r.instrument_id, r.status, r.created_at, r.opened_at, r.closed_at, \
    r.published_at, r.invited, r.responded FROM scan_rounds r";

fn round_row(r: &sqlx::any::AnyRow) -> Result<Round> {
    Ok(Round {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        instrument_id: r.try_get(2)?,
        status: r.try_get(3)?,
        created_at: r.try_get(4)?,
        opened_at: r.try_get(5)?,
        closed_at: r.try_get(6)?,
        published_at: r.try_get(7)?,
        invited: r.try_get(8)?,
        responded: r.try_get(9)?,
    })
}

pub async fn round(t: Tenant<'_>, id: &str) -> Result<Option<Round>> {
    let sql = format!("{ROUND} WHERE r.institution_id = $1 AND r.id = $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(id)
        .fetch_optional(t.pool())
        .await?
        .as_ref()
        .map(round_row)
        .transpose()
}

pub async fn rounds(t: Tenant<'_>) -> Result<Vec<Round>> {
    let sql = format!("{ROUND} WHERE r.institution_id = $1 ORDER BY r.created_at DESC");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .fetch_all(t.pool())
        .await?
        .iter()
        .map(round_row)
        .collect()
}

/// Move a round on: draft → open, open → closed. `Conflict` from any other status.
pub async fn set_status(t: Tenant<'_>, id: &str, to: &str) -> Result<()> {
    let (from, column) = match to {
        "open" => ("draft", "opened_at"),
        "closed" => ("open", "closed_at"),
        _ => return Err(StoreError::Conflict("round status")),
    };
    let sql = format!(
        "UPDATE scan_rounds SET status = $3, {column} = $5 WHERE institution_id = $1 AND id = $2 AND status = $4"
    );
    let n = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(id)
        .bind(to)
        .bind(from)
        .bind(now_ms())
        .execute(t.pool())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::Conflict("round status"));
    }
    Ok(())
}

/// The person's invitation to a round: (group, answered already).
pub async fn invitation(
    t: Tenant<'_>,
    round_id: &str,
    user_id: &str,
) -> Result<Option<(Group, bool)>> {
    let r: Option<(String, i64)> = sqlx::query_as(
        "SELECT respondent_group, responded FROM scan_invitations WHERE institution_id = $1 AND round_id = $2 AND user_id = $3",
    )
    .bind(t.institution_id)
    .bind(round_id)
    .bind(user_id)
    .fetch_optional(t.pool())
    .await?;
    Ok(r.and_then(|(g, done)| Group::parse(&g).map(|g| (g, done != 0))))
}

/// Store a response anonymously; `Conflict` when the person answered already.
pub async fn submit(
    t: Tenant<'_>,
    round_id: &str,
    user_id: &str,
    group: Group,
    response: &koers_domain::staff::scan::CheckedResponse,
) -> Result<()> {
    let answers = serde_json::to_string(&response.answers).unwrap_or_else(|_| "{}".into());
    let comments = serde_json::to_string(&response.comments).unwrap_or_else(|_| "{}".into());
    let mut tx = t.db.begin().await?;
    let n = sqlx::query(
        "UPDATE scan_invitations SET responded = 1 WHERE institution_id = $1 AND round_id = $2 AND user_id = $3 \
         AND responded = 0",
    )
    .bind(t.institution_id)
    .bind(round_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::Conflict("response"));
    }
    sqlx::query("UPDATE scan_rounds SET responded = responded + 1 WHERE id = $1")
        .bind(round_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO scan_responses (id, round_id, institution_id, respondent_group, answers, comments) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(koers_domain::random_id())
    .bind(round_id)
    .bind(t.institution_id)
    .bind(group.key())
    .bind(answers)
    .bind(comments)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The responses of a round with their comments, in random order (by their random ids).
pub async fn responses(t: Tenant<'_>, round_id: &str) -> Result<Vec<Response>> {
    let rows = sqlx::query(
        "SELECT respondent_group, answers, comments FROM scan_responses WHERE institution_id = $1 AND round_id = $2 \
         ORDER BY id",
    )
    .bind(t.institution_id)
    .bind(round_id)
    .fetch_all(t.pool())
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let Some(group) = Group::parse(&r.try_get::<String, _>(0)?) else {
            continue;
        };
        out.push(Response {
            group,
            answers: serde_json::from_str(&r.try_get::<String, _>(1)?).unwrap_or_default(),
            comments: serde_json::from_str(&r.try_get::<String, _>(2)?).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Publish a closed round's results to all staff of the institution.
pub async fn publish(t: Tenant<'_>, id: &str) -> Result<()> {
    let n = sqlx::query(
        "UPDATE scan_rounds SET published_at = $3 WHERE institution_id = $1 AND id = $2 AND status = 'closed' \
         AND published_at IS NULL",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(now_ms())
    .execute(t.pool())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::Conflict("round status"));
    }
    Ok(())
}

/// Open rounds a person is invited to and has not answered yet.
pub async fn open_invitations(t: Tenant<'_>, user_id: &str) -> Result<Vec<Round>> {
    let sql = format!(
        "{ROUND} JOIN scan_invitations v ON v.round_id = r.id WHERE r.institution_id = $1 AND v.user_id = $2 \
         AND v.responded = 0 AND r.status = 'open' ORDER BY r.opened_at"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(user_id)
        .fetch_all(t.pool())
        .await?
        .iter()
        .map(round_row)
        .collect()
}

/// Everyone of the institution who works there, with the group their roles suggest: HR
/// advisers `hr`, programme managers and administrators `manager`, other staff `staff`.
pub async fn all_staff(t: Tenant<'_>) -> Result<Vec<(String, Group)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT u.id, r.role FROM users u JOIN role_assignments r ON r.user_id = u.id \
         WHERE u.institution_id = $1 AND u.active = 1 AND r.role NOT IN ('student', 'placement_mentor', 'partner_coordinator')",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    // Line managers of teams answer as managers, whatever their role.
    let leads: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT manager_id FROM teams WHERE institution_id = $1 AND manager_id IS NOT NULL",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    let leads: std::collections::HashSet<String> = leads.into_iter().collect();
    let mut out: Vec<(String, Group)> = Vec::new();
    // Position of each person in `out` (a linear search made this quadratic in the staff).
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (id, role) in rows {
        let role = if leads.contains(&id) && role != "hr_adviser" {
            "programme_manager".to_owned()
        } else {
            role
        };
        let g = match role.as_str() {
            "hr_adviser" => Group::Hr,
            "programme_manager" | "administrator" => Group::Manager,
            _ => Group::Staff,
        };
        match at.get(&id) {
            // The most specific group wins: hr over manager over staff.
            Some(&k) => out[k].1 = out[k].1.min(g),
            None => {
                at.insert(id.clone(), out.len());
                out.push((id, g));
            }
        }
    }
    Ok(out)
}

/// The staff of one team (its members and its line manager), in their groups.
pub async fn team_staff(t: Tenant<'_>, team_id: &str) -> Result<Vec<(String, Group)>> {
    let members: Vec<String> = sqlx::query_scalar(
        "SELECT user_id FROM team_members WHERE institution_id = $1 AND team_id = $2 \
         UNION SELECT manager_id FROM teams WHERE institution_id = $1 AND id = $2 AND manager_id IS NOT NULL",
    )
    .bind(t.institution_id)
    .bind(team_id)
    .fetch_all(t.pool())
    .await?;
    Ok(all_staff(t)
        .await?
        .into_iter()
        .filter(|(u, _)| members.contains(u))
        .collect())
}
